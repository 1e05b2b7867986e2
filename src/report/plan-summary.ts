/** Job summaries of plan, comment and apply: the same report as the comment, within GitHub's 1 MiB per step. Pure. */
import { renderPlanReport, type ReportEntry } from './plan-report.js';

/** The runner drops a step summary over 1 MiB (it does not truncate it); the margin leaves room for other lines. */
const SUMMARY_BUDGET = 1024 * 1024 - 16 * 1024;

export function planSummary(entries: readonly ReportEntry[], o: { title: string; commitSha?: string }): string {
  return renderPlanReport(entries, {
    title: o.title,
    limit: SUMMARY_BUDGET,
    measure: (s) => Buffer.byteLength(s, 'utf8'),
    whereFull: 'The full plans are in the log of each instance (one log group per instance) and in the plan artifacts.',
    context: o.commitSha ? [`Commit \`${o.commitSha.slice(0, 12)}\``, ''] : [],
  });
}
