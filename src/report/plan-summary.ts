/** Job summaries of plan, comment and apply: the same report as the comment, within GitHub's 1 MiB per step. Pure. */
import { markdownText } from '../util/escape.js';
import { renderPlanReport, type ReportEntry } from './plan-report.js';

/** The runner drops a step summary over 1 MiB (it does not truncate it); the margin leaves room for other lines. */
const SUMMARY_BUDGET = 1024 * 1024 - 16 * 1024;

/** `warnings` are shown under the title, each as a GitHub alert. */
export function planSummary(entries: readonly ReportEntry[], o: { title: string; commitSha?: string; warnings?: readonly string[] }): string {
  return renderPlanReport(entries, {
    title: o.title,
    limit: SUMMARY_BUDGET,
    measure: (s) => Buffer.byteLength(s, 'utf8'),
    whereFull: 'The full plans are in the log of each instance (one log group per instance) and in the plan artifacts.',
    context: [...(o.warnings ?? []).flatMap((w) => ['> [!WARNING]', `> ${w}`, '']), ...(o.commitSha ? [`Commit \`${o.commitSha.slice(0, 12)}\``, ''] : [])],
  });
}

/** What an apply could not vouch for, one sentence each: the log shows them as warnings, the summary as alerts. */
export function applyTrustWarnings(o: { sealed: boolean; reviewChecked: boolean }): string[] {
  const out: string[] = [];
  if (!o.sealed) {
    out.push(
      'The plans are not authenticated: without encryption-key, anyone who can write the plan artifacts could have changed a planfile ' +
        'together with its metadata. Set the same encryption-key secret on plan and apply.',
    );
  }
  if (!o.reviewChecked) {
    out.push(
      "The planfiles were not checked against the pull request's plan comment, because apply has no github-token. " +
        'Give apply a github-token (pull-requests: read) so that only the planfiles reviewers saw are applied.',
    );
  }
  return out;
}

/** The apply order across jobs, level by level (at most a few hundred rows: one job per instance). */
export function applyLevelsSummary(levels: readonly (readonly { stack: string; component: string }[])[]): string {
  if (levels.length === 0) return '### atmos-action apply order\n\nNo reviewed plan has changes: nothing to apply.\n';
  const rows = levels.flatMap((l, i) => l.map((e) => `| ${i + 1} | ${markdownText(e.stack)} | ${markdownText(e.component)} |`));
  return `### atmos-action apply order\n\n| level | stack | component |\n|---|---|---|\n${rows.join('\n')}\n`;
}

/** The `summary` output: per instance its counts and status (no addresses: outputs may be logged anywhere). */
export function planSummaryOutput(entries: readonly ReportEntry[]): string {
  return JSON.stringify(
    entries.map((e) => ({
      instance: e.instance,
      stack: e.stack,
      component: e.component,
      status: e.status,
      add: e.plan?.counts.add ?? 0,
      change: e.plan?.counts.change ?? 0,
      destroy: e.plan?.counts.destroy ?? 0,
      replace: e.plan?.counts.replace ?? 0,
    })),
  );
}
