import { upsertPlanComment } from '../../src/app/comment.js';
import { findReviewedPlanRun } from '../../src/app/find-plans.js';
import { findReviewedPlans, mergedPullRequest, reviewProblem } from '../../src/app/review-record.js';
import { nodeGitHub } from '../../src/ports/node-github.js';
import { commentMarker, reviewLine } from '../../src/report/comment.js';
import type { StoredPlan } from '../../src/terraform/plan-store.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { manyEntries } from '../helpers/plans.js';

/** The review record and the run of the reviewed plans, through the fetch adapter against the loopback GitHub API. */
let api: GitHubApiFake;
beforeEach(async () => {
  api = await startGitHubApi();
});
afterEach(() => api.close());

const REPO = 'acme/infra';
const gh = () => nodeGitHub({ apiUrl: api.url, token: api.token });
/** A stored plan of the instance `id` (stack and component, as the plan store keys it) with the planfile `planfileSha256`. */
const stored = (id: { stack: string; component: string }, planfileSha256: string) =>
  ({ meta: { instance: `${id.stack}:${id.component}`, stack: id.stack, component: id.component, planfileSha256 } }) as StoredPlan;

describe('the review record apply checks against', () => {
  it('is the hashes of our own sticky comment; a person’s comment with the marker and forged hashes is not it', async () => {
    const entries = manyEntries(4);
    // A pull request author posts a look-alike first, listing the hash of a plan nobody reviewed.
    const forged = { ...entries[0]!, planfileSha256: 'f'.repeat(64) };
    api.seedComments(REPO, 7, [`${commentMarker()}\n${reviewLine([forged])}\nlooks just like ours`], 'mallory');
    await expect(findReviewedPlans(gh(), { repo: REPO, pullRequest: 7 })).rejects.toThrow(
      /pull request #7 has no plan comment by github-actions\[bot\]: nothing shows what was reviewed, so nothing is applied/,
    );
    await upsertPlanComment({ repo: REPO, issue: 7, entries }, gh());
    const reviewed = await findReviewedPlans(gh(), { repo: REPO, pullRequest: 7 });
    expect(reviewed.source).toMatch(/^the plan comment of pull request #7 \(https:\/\/github.com\/acme\/infra\/pull\/7#issuecomment-\d+\)$/);
    const first = entries[0]!;
    expect(reviewProblem(reviewed, stored(first, first.planfileSha256!), [])).toBeNull();
    expect(reviewProblem(reviewed, stored(first, 'f'.repeat(64)), [])).toMatch(
      /its planfile \(ffffffffffff…\) is not the one the plan comment of pull request #7 .* showed/,
    );
    expect(reviewProblem(reviewed, stored({ stack: 'dev', component: 'never-shown' }, 'a'.repeat(64)), [])).toMatch(
      /does not list this plan: it was not reviewed/,
    );
  });

  it('two comments of ours with the marker, or one without hashes, are refused', async () => {
    api.seedComments(REPO, 8, [`${commentMarker()}\nno hashes here`], 'github-actions[bot]');
    await expect(findReviewedPlans(gh(), { repo: REPO, pullRequest: 8 })).rejects.toThrow(/carries no planfile hashes/);
    api.seedComments(REPO, 8, [`${commentMarker()}\nand another`], 'github-actions[bot]');
    await expect(findReviewedPlans(gh(), { repo: REPO, pullRequest: 8 })).rejects.toThrow(/has 2 plan comments by github-actions\[bot\]/);
  });

  it('past the list budget it carries one digest over the whole set, and apply compares the whole plans directory', async () => {
    const entries = manyEntries(600, 0);
    await upsertPlanComment({ repo: REPO, issue: 9, entries }, gh());
    const reviewed = await findReviewedPlans(gh(), { repo: REPO, pullRequest: 9 });
    expect(reviewed.data).toEqual({ v: 1, digest: expect.stringMatching(/^[0-9a-f]{64}$/), count: entries.filter((e) => e.planfileSha256).length });
    const all = entries.filter((e) => e.planfileSha256).map((e) => stored(e, e.planfileSha256!));
    expect(reviewProblem(reviewed, all[0]!, all)).toBeNull();
    const changed = [stored(all[0]!.meta, 'f'.repeat(64)), ...all.slice(1)];
    expect(reviewProblem(reviewed, changed[0]!, changed)).toMatch(/is not the set the plan comment of pull request #9 .* showed \(\d+ planfiles, by digest\)/);
  });

  it('the merged pull request of a push is the one GitHub lists as merged by that commit', async () => {
    const merge = 'a'.repeat(40);
    api.addPullRequest(REPO, { number: 12, headSha: 'b'.repeat(40), mergeCommitSha: merge });
    api.addPullRequest(REPO, { number: 13, headSha: merge }); // an open pull request whose head is that commit
    expect(await mergedPullRequest(gh(), REPO, merge)).toBe(12);
    await expect(mergedPullRequest(gh(), REPO, 'c'.repeat(40))).rejects.toThrow(/no pull request was merged as commit cccccccccccc/);
  });
});

describe('find-plans', () => {
  const head = 'f'.repeat(40);
  const run = (prs: number[]) => {
    const r = api.actions.addRun(REPO, {
      head_sha: head,
      pull_requests: prs.map((number) => ({ number, head: { ref: 'x', sha: head }, base: { ref: 'main', sha: 'b' } })),
    });
    api.actions.addArtifact(REPO, r.id, 'atmos-plans-0', Buffer.from('zip'));
    return r.id;
  };

  it("picks the event's pull request when two pull requests have plan runs at one head commit", async () => {
    const mine = run([7]);
    const other = run([8]); // newer, another pull request with the same head commit
    expect((await findReviewedPlanRun(gh(), { repo: REPO, headSha: head, pullRequest: 7 })).runId).toBe(mine);
    expect((await findReviewedPlanRun(gh(), { repo: REPO, headSha: head, pullRequest: 8 })).runId).toBe(other);
    await expect(findReviewedPlanRun(gh(), { repo: REPO, headSha: head })).rejects.toThrow(/cannot be told apart: .* belong to pull requests #7, #8/);
  });

  it('refuses to guess when a run names several pull requests, or none (a fork)', async () => {
    run([7, 8]);
    await expect(findReviewedPlanRun(gh(), { repo: REPO, headSha: head, pullRequest: 7 })).rejects.toThrow(/cannot be told apart/);
    const fork = api.actions.addRun(REPO, { head_sha: 'e'.repeat(40) });
    api.actions.addArtifact(REPO, fork.id, 'atmos-plans-0', Buffer.from('zip'));
    await expect(findReviewedPlanRun(gh(), { repo: REPO, headSha: 'e'.repeat(40), pullRequest: 7 })).rejects.toThrow(/name no pull request \(from a fork\?\)/);
  });
});
