/**
 * The plan (or apply) report shared by the PR comment and the job summary: a table with one row per
 * instance, then one collapsible section per instance that has something to show, fitted into a
 * size budget. Pure.
 *
 * What a section shows comes from the {@link PlanResult} only: resource addresses, actions and
 * output names, never a value. Terraform's human-readable plan masks values it knows are sensitive,
 * but prints every other value in clear text, and a value can be secret without being marked (a
 * variable without `sensitive = true`, a data source's result). A PR comment is readable by
 * everyone who can read the pull request, so it gets addresses, not values; the values are in the
 * job's log, behind the repository's access rules.
 */
import type { PlanResult } from '../terraform/plan-result.js';
import type { StoredPlanResult } from '../terraform/plan-store.js';
import type { RunStatus } from '../terraform/run-instance.js';
import { codeText, fence, htmlText, markdownText } from '../util/escape.js';

/** One instance's row and section: a stored plan result (or an apply's), with its planfile's hash. */
export type ReportEntry = Omit<StoredPlanResult, 'durationMs'> & { planfileSha256?: string };

export interface ReportOptions {
  title: string;
  /** Prepended as is (the sticky comment's hidden marker). */
  marker?: string;
  /** Placed as is on the line after the marker, and counted in the budget (the comment's hidden review data). */
  hidden?: string;
  /** Size budget of the whole text. */
  limit: number;
  /** Measures a text against `limit` (UTF-16 length for comments, UTF-8 bytes for summaries). */
  measure: (s: string) => number;
  /** One sentence saying where the complete plans are, shown when something had to be cut. */
  whereFull: string;
  /** Extra lines under the title (commit, run link). */
  context?: string[];
}

const STATUS_LABEL: Record<RunStatus, string> = {
  changes: '📝 changes',
  'no-changes': '✅ no changes',
  applied: '🚀 applied',
  destroyed: '🗑️ destroyed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

function counts(e: ReportEntry): string {
  if (!e.plan) return '–';
  const c = e.plan.counts;
  return `${c.add + c.replace} / ${c.change} / ${c.destroy + c.replace}`;
}

function row(e: ReportEntry): string {
  const hash = e.planfileSha256 ? `\`${e.planfileSha256.slice(0, 12)}\`` : '–';
  return `| ${markdownText(e.stack)} | ${markdownText(e.component)} | ${counts(e)} | ${STATUS_LABEL[e.status]} | ${hash} |`;
}

/** `+ addr` lines in diff notation: what the plan does, by address. */
export function planLines(p: PlanResult): string[] {
  const lines: string[] = [];
  for (const a of p.replace) lines.push(`! ${a} (replace)`);
  for (const a of p.add) lines.push(`+ ${a}`);
  for (const a of p.change) lines.push(`! ${a}`);
  for (const a of p.destroy) lines.push(`- ${a}`);
  for (const a of p.forget) lines.push(`# ${a} (forget: removed from state, not destroyed)`);
  for (const a of p.import) lines.push(`# ${a} (import)`);
  for (const m of p.moved) lines.push(`# ${m.from} → ${m.to} (moved)`);
  for (const o of p.outputs)
    lines.push(`${o.action === 'create' ? '+' : o.action === 'delete' ? '-' : '!'} output.${o.name}${o.sensitive ? ' (sensitive)' : ''}`);
  return lines;
}

/** The instance as it sits in a `<summary>` (HTML: Markdown escapes would not apply there). */
const summaryName = (e: ReportEntry) => `${htmlText(e.stack)} / ${htmlText(e.component)}`;

function section(e: ReportEntry): string | undefined {
  const name = summaryName(e);
  if (e.status === 'failed') {
    const reason = codeText(e.reason);
    const f = fence(reason);
    return `<details open><summary>❌ <b>${name}</b>: failed</summary>\n\n${f}\n${reason}\n${f}\n\n</details>\n`;
  }
  if (!e.plan || !e.plan.hasChanges) return undefined;
  const body = codeText(planLines(e.plan).join('\n'));
  const f = fence(body);
  const c = e.plan.counts;
  const what = `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace ? `, ${c.replace} to replace` : ''}`;
  return `<details><summary><b>${name}</b>: ${what}</summary>\n\n${f}diff\n${body}\n${f}\n\n</details>\n`;
}

function stub(e: ReportEntry): string {
  return `<details><summary><b>${summaryName(e)}</b>: ${STATUS_LABEL[e.status]} (too large for this report)</summary></details>\n`;
}

/**
 * The report within `limit`: the table is kept whole when it fits; sections are cut largest first
 * (to a one-line stub, then dropped), and a note says where the full plans are.
 */
export function renderPlanReport(entries: readonly ReportEntry[], o: ReportOptions): string {
  const changed = entries.filter((e) => e.status === 'changes' || e.status === 'applied' || e.status === 'destroyed').length;
  const failed = entries.filter((e) => e.status === 'failed').length;
  const quiet = entries.filter((e) => e.status === 'no-changes').length;
  const head =
    [
      ...(o.marker ? [o.marker] : []),
      ...(o.hidden ? [o.hidden] : []),
      `### ${o.title}`,
      '',
      ...(o.context ?? []),
      `${entries.length} instance(s): ${changed} with changes, ${quiet} without, ${failed} failed.`,
      '',
    ].join('\n') + '\n';
  let rows = entries.map(row);
  const tableHead = '| stack | component | add / change / destroy | status | planfile |\n|---|---|---|---|---|\n';
  const sections = entries.map(section);
  const note = `\n> [!NOTE]\n> This report was shortened to fit. ${o.whereFull}\n`;

  const table = () => `${tableHead}${rows.join('\n')}\n\n`;
  const fixed = () => o.measure(head) + o.measure(table()) + o.measure(note);
  // The table itself too large (thousands of instances): keep the failures and changes first.
  if (fixed() > o.limit) {
    const order = entries.map((e, i) => i).sort((a, b) => rank(entries[a]!) - rank(entries[b]!) || a - b);
    const keep = new Set<number>();
    let used = o.measure(head) + o.measure(tableHead) + o.measure(note) + 200;
    for (const i of order) {
      const n = o.measure(rows[i]!) + 1;
      if (used + n > o.limit) break;
      used += n;
      keep.add(i);
    }
    const omitted = entries.length - keep.size;
    rows = rows.filter((_, i) => keep.has(i));
    rows.push(`| …and ${omitted} more instance(s) | | | | |`);
    return `${head}${table()}${note}`;
  }

  // Sections are joined by line breaks, and those count against the budget too.
  const sep = o.measure('\n');
  const shown = sections.slice();
  const sizes = shown.map((s) => (s ? o.measure(s) : 0));
  let present = shown.filter(Boolean).length;
  let sum = sizes.reduce((a, b) => a + b, 0);
  const total = () => fixed() + sum + Math.max(0, present - 1) * sep;
  if (total() - o.measure(note) <= o.limit) return `${head}${table()}${shown.filter(Boolean).join('\n')}`;
  const bySize = shown
    .map((s, i) => i)
    .filter((i) => shown[i])
    .sort((a, b) => sizes[b]! - sizes[a]!);
  for (const i of bySize) {
    if (total() <= o.limit) break;
    const short = stub(entries[i]!);
    sum += o.measure(short) - sizes[i]!;
    sizes[i] = o.measure(short);
    shown[i] = short;
  }
  for (const i of bySize) {
    if (total() <= o.limit) break;
    sum -= sizes[i]!;
    present--;
    shown[i] = undefined;
  }
  return `${head}${table()}${shown.filter(Boolean).join('\n')}${note}`;
}

function rank(e: ReportEntry): number {
  return e.status === 'failed' ? 0 : e.status === 'changes' || e.status === 'applied' || e.status === 'destroyed' ? 1 : 2;
}
