/**
 * Drift issues: one GitHub issue per drifted instance, found again by a hidden marker that names the
 * instance exactly (JSON, so no two instances share one), and the job summary of a drift run. Pure.
 */
import { COMMENT_LIMIT } from './comment.js';
import { codeSpan, hiddenJson, markdownText, titleText } from '../util/escape.js';
import { renderPlanReport, type ReportEntry } from './plan-report.js';

const MARKER = /^<!-- atmos-action:drift (\{[^\n]*?\}) -->/;

/** `<!-- atmos-action:drift {"stack":…,"component":…} -->`; escaped so no name can end the comment ({@link hiddenJson}). */
export function driftMarker(stack: string, component: string): string {
  return `<!-- atmos-action:drift ${hiddenJson({ stack, component })} -->`;
}

/** The instance an issue body's marker names, if it starts with one. */
export function parseDriftMarker(body: string | null | undefined): { stack: string; component: string } | undefined {
  const m = MARKER.exec(body ?? '');
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]!) as { stack?: unknown; component?: unknown };
    return typeof v.stack === 'string' && typeof v.component === 'string' ? { stack: v.stack, component: v.component } : undefined;
  } catch {
    return undefined;
  }
}

/** GitHub refuses titles over 256 characters. */
export function driftIssueTitle(stack: string, component: string): string {
  const t = `Drift: ${titleText(component)} in ${titleText(stack)}`;
  return t.length > 256 ? `${t.slice(0, 255)}…` : t;
}

export function driftIssueBody(entry: ReportEntry, o: { commitSha?: string; runUrl?: string }): string {
  const context = [
    `The live infrastructure of ${codeSpan(entry.component)} in stack ${codeSpan(entry.stack)} no longer matches its configuration: ` +
      'a plan of the default branch has changes. Apply the configuration again, or change it to match what is deployed. ' +
      'This issue is updated by every drift run and closed by the first one that finds no changes.',
    '',
  ];
  if (o.commitSha) context.push(`Commit \`${o.commitSha.slice(0, 12)}\`${o.runUrl ? ` · [workflow run](${o.runUrl})` : ''}`, '');
  return renderPlanReport([entry], {
    title: 'atmos-action drift',
    marker: driftMarker(entry.stack, entry.component),
    limit: COMMENT_LIMIT - 1_024,
    measure: (s) => s.length,
    whereFull: `The full plan is in the log of its plan job${o.runUrl ? ` in [this run](${o.runUrl})` : ''}.`,
    context,
  });
}

export type DriftAction = 'opened' | 'updated' | 'unchanged' | 'closed' | 'not-opened' | 'plan-failed';

export interface DriftRow {
  stack: string;
  component: string;
  action: DriftAction;
  issue?: number;
  url?: string;
}

const ACTION_LABEL: Record<DriftAction, string> = {
  opened: '🆕 opened',
  updated: '📝 updated',
  unchanged: '📝 still drifted',
  closed: '✅ closed: no drift',
  'not-opened': '⏸️ drifted, not opened (max-new-issues)',
  'plan-failed': '❌ plan failed: issue left as is',
};

/** The job summary: every instance that has or had an issue, or drifted, or failed; the instances without drift are counted. */
export function driftSummary(rows: readonly DriftRow[], quiet: number): string {
  const lines = rows.map((r) => {
    const issue = r.issue ? (r.url ? `[#${r.issue}](${r.url})` : `#${r.issue}`) : '–';
    return `| ${markdownText(r.stack)} | ${markdownText(r.component)} | ${ACTION_LABEL[r.action]} | ${issue} |`;
  });
  const drifted = rows.filter((r) => r.action === 'opened' || r.action === 'updated' || r.action === 'unchanged' || r.action === 'not-opened').length;
  const head = `### atmos-action drift\n\n${drifted} drifted instance(s), ${quiet} without drift.\n`;
  return rows.length ? `${head}\n| stack | component | drift | issue |\n|---|---|---|---|\n${lines.join('\n')}\n` : head;
}
