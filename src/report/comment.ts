/**
 * The sticky pull-request comment: one per pull request, found again by its hidden marker, and the
 * review record apply checks planfiles against: the full SHA-256 of every planfile it showed, in a
 * hidden HTML comment. Pure.
 */
import { canonicalJson } from '../util/canonical-json.js';
import { hiddenJson } from '../util/escape.js';
import { sha256Text } from '../workdir/hash.js';
import { renderPlanReport, type ReportEntry } from './plan-report.js';

/** GitHub refuses a comment body over 65,536 characters (422). */
export const COMMENT_LIMIT = 65_536;
/**
 * Kept below the limit: GitHub does not say whether it counts code points, UTF-16 units or bytes;
 * UTF-16 length is never below the code-point count, and the margin covers the rest.
 */
const BUDGET = COMMENT_LIMIT - 1_024;
/** The per-planfile list may take this share of the budget; past it, the comment carries one digest over all of them. */
const REVIEW_LIST_BUDGET = BUDGET / 4;

/** The hidden marker; `id` separates several sticky comments on one pull request (e.g. one per workflow). */
export function commentMarker(id = 'plan'): string {
  return `<!-- atmos-action:${id.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}

const REVIEW_PREFIX = '<!-- atmos-action-review ';

/** What the comment showed reviewers, as apply reads it back. */
export type ReviewData = { v: 1; plans: Record<string, string> } | { v: 1; digest: string; count: number };

/** One SHA-256 over every (instance, planfile SHA-256) pair, for comments whose list would not fit. */
export function reviewDigest(pairs: Iterable<readonly [string, string]>): string {
  return sha256Text(canonicalJson([...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** The hidden review line for these entries: every planfile's hash, or the digest when the list is too long. */
export function reviewLine(entries: readonly ReportEntry[]): string {
  const pairs = entries.filter((e) => e.planfileSha256).map((e) => [e.instance, e.planfileSha256!] as const);
  const listed = `${REVIEW_PREFIX}${hiddenJson({ v: 1, plans: Object.fromEntries(pairs) })} -->`;
  if (listed.length <= REVIEW_LIST_BUDGET) return listed;
  return `${REVIEW_PREFIX}${hiddenJson({ v: 1, digest: reviewDigest(pairs), count: pairs.length })} -->`;
}

/** The review data of a comment body we wrote, or null when it carries none (or something we did not write). */
export function parseReviewLine(body: string): ReviewData | null {
  const line = body.split('\n').find((l) => l.startsWith(REVIEW_PREFIX) && l.endsWith(' -->'));
  if (!line) return null;
  try {
    const data = JSON.parse(line.slice(REVIEW_PREFIX.length, -' -->'.length)) as Record<string, unknown>;
    if (data.v !== 1) return null;
    const isHash = (h: unknown) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
    if (typeof data.plans === 'object' && data.plans !== null && Object.values(data.plans).every(isHash)) {
      return { v: 1, plans: data.plans as Record<string, string> };
    }
    if (isHash(data.digest) && typeof data.count === 'number') return { v: 1, digest: data.digest as string, count: data.count };
    return null;
  } catch {
    return null;
  }
}

export function commentBody(entries: readonly ReportEntry[], o: { markerId?: string; commitSha?: string; runUrl?: string }): string {
  const context: string[] = [];
  if (o.commitSha) context.push(`Commit \`${o.commitSha.slice(0, 12)}\`${o.runUrl ? ` · [workflow run](${o.runUrl})` : ''}`, '');
  return renderPlanReport(entries, {
    title: 'atmos-action plan',
    marker: commentMarker(o.markerId),
    hidden: reviewLine(entries),
    limit: BUDGET,
    measure: (s) => s.length,
    whereFull: `The full plans are in the job summary and the log of each plan leg${o.runUrl ? ` of [this run](${o.runUrl})` : ''}, and in its plan artifacts.`,
    context,
  });
}
