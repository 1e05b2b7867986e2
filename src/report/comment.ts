/** The sticky pull-request comment: one per pull request, found again by its hidden marker. Pure. */
import { renderPlanReport, type ReportEntry } from './plan-report.js';

/** GitHub refuses a comment body over 65,536 characters (422). */
export const COMMENT_LIMIT = 65_536;
/**
 * Kept below the limit: GitHub does not say whether it counts code points, UTF-16 units or bytes;
 * UTF-16 length is never below the code-point count, and the margin covers the rest.
 */
const BUDGET = COMMENT_LIMIT - 1_024;

/** The hidden marker; `id` separates several sticky comments on one pull request (e.g. one per workflow). */
export function commentMarker(id = 'plan'): string {
  return `<!-- atmos-action:${id.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

export function commentBody(entries: readonly ReportEntry[], o: { markerId?: string; commitSha?: string; runUrl?: string }): string {
  const context: string[] = [];
  if (o.commitSha) context.push(`Commit \`${o.commitSha.slice(0, 12)}\`${o.runUrl ? ` · [workflow run](${o.runUrl})` : ''}`, '');
  return renderPlanReport(entries, {
    title: 'atmos-action plan',
    marker: commentMarker(o.markerId),
    limit: BUDGET,
    measure: (s) => s.length,
    whereFull: `The full plans are in the job summary and the log of each plan leg${o.runUrl ? ` of [this run](${o.runUrl})` : ''}, and in its plan artifacts.`,
    context,
  });
}
