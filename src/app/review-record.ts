/**
 * The review record: the sticky comment of the merged pull request, which showed reviewers every
 * planfile's SHA-256 (report/comment.ts writes it into a hidden line). Apply reads it back and
 * applies a planfile only when its hash is the one the comment showed, so what is applied is what
 * was reviewed, not merely what an artifact holds.
 */
import type { GitHubApi } from '../ports/github.js';
import { commentMarker, parseReviewLine, reviewDigest, type ReviewData } from '../report/comment.js';
import { instanceKey } from '../stacks/identity.js';
import type { StoredPlan } from '../terraform/plan-store.js';
import { AtmosError } from '../util/errors.js';
import { commentAuthor, ownComments } from './comment.js';

/** What the comment showed, and where it is, for messages. */
export interface ReviewedPlans {
  /** "the plan comment of pull request #7 (<url>)". */
  source: string;
  data: ReviewData;
}

/**
 * The pull request a merge belongs to: the event's, or the one GitHub lists as merged by this
 * commit. Zero or several is an error: apply must know whose review it checks.
 */
export async function mergedPullRequest(api: GitHubApi, repo: string, mergeSha: string): Promise<number> {
  const merged = (await api.listCommitPulls(repo, mergeSha)).filter((p) => p.merged_at && p.merge_commit_sha === mergeSha);
  if (merged.length === 1) return merged[0]!.number;
  if (merged.length === 0) {
    throw new AtmosError(`no pull request was merged as commit ${mergeSha.slice(0, 12)}: run apply on the merge (or pass the input pull-request)`);
  }
  throw new AtmosError(`commit ${mergeSha.slice(0, 12)} merged pull requests ${merged.map((p) => `#${p.number}`).join(', ')}: pass the input pull-request`);
}

/** The review record of a pull request: our one sticky comment (marker and author both ours) and the hashes it carries. */
export async function findReviewedPlans(api: GitHubApi, req: { repo: string; pullRequest: number; markerId?: string }): Promise<ReviewedPlans> {
  const author = await commentAuthor(api);
  const ours = ownComments(await api.listIssueComments(req.repo, req.pullRequest), commentMarker(req.markerId), author);
  const where = `pull request #${req.pullRequest}`;
  if (ours.length === 0) {
    throw new AtmosError(
      `${where} has no plan comment by ${author}: nothing shows what was reviewed, so nothing is applied (did the comment job run on its last commit?)`,
    );
  }
  if (ours.length > 1) {
    throw new AtmosError(
      `${where} has ${ours.length} plan comments by ${author} with the same marker: it is not clear which one was reviewed, so nothing is applied`,
    );
  }
  const data = parseReviewLine(ours[0]!.body);
  if (!data) throw new AtmosError(`the plan comment of ${where} carries no planfile hashes (it was written by an older release, or edited): plan again`);
  return { source: `the plan comment of ${where}${ours[0]!.html_url ? ` (${ours[0]!.html_url})` : ''}`, data };
}

/** Why `plan` must not be applied by the review record, or null. `all` is every plan of the directory (the digest covers them all). */
export function reviewProblem(reviewed: ReviewedPlans, plan: StoredPlan, all: readonly StoredPlan[]): string | null {
  const mine = plan.meta.planfileSha256;
  if ('plans' in reviewed.data) {
    const shown = reviewed.data.plans[instanceKey(plan.meta)];
    if (!shown) return `${reviewed.source} does not list this plan: it was not reviewed`;
    if (shown !== mine) return `its planfile (${mine?.slice(0, 12)}…) is not the one ${reviewed.source} showed (${shown.slice(0, 12)}…)`;
    return null;
  }
  const pairs = all.filter((p) => p.meta.planfileSha256).map((p) => [instanceKey(p.meta), p.meta.planfileSha256!] as const);
  if (pairs.length !== reviewed.data.count || reviewDigest(pairs) !== reviewed.data.digest) {
    return `the plans directory (${pairs.length} planfiles) is not the set ${reviewed.source} showed (${reviewed.data.count} planfiles, by digest)`;
  }
  return null;
}
