import { findReviewedPlanRun, planArtifactPrefix } from '../../src/app/find-plans.js';
import { nodeGitHub } from '../../src/ports/node-github.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';

/** Two plan.yml calls in one run upload `atmos-plans-<group>.<leg>`: apply finds its own group's run only. */
const REPO = 'acme/infra';
const HEAD = 'a'.repeat(40);
let api: GitHubApiFake;
beforeAll(async () => {
  api = await startGitHubApi();
});
afterAll(() => api.close());

it("a group's artifacts are found by their prefix, never another group's whose name starts the same", async () => {
  const dev = api.actions.addRun(REPO, { head_sha: HEAD, event: 'pull_request' });
  api.actions.addArtifact(REPO, dev.id, 'atmos-plans-dev.0', Buffer.from('zip'));
  api.actions.addArtifact(REPO, dev.id, 'atmos-plans-dev.1', Buffer.from('zip'));
  const devEu = api.actions.addRun(REPO, { head_sha: HEAD, event: 'pull_request' });
  api.actions.addArtifact(REPO, devEu.id, 'atmos-plans-dev-eu.0', Buffer.from('zip'));
  const github = nodeGitHub({ apiUrl: api.url, token: api.token });

  expect(planArtifactPrefix('dev')).toBe('atmos-plans-dev.');
  expect(await findReviewedPlanRun(github, { repo: REPO, headSha: HEAD, group: 'dev' })).toEqual({
    runId: dev.id,
    artifacts: ['atmos-plans-dev.0', 'atmos-plans-dev.1'],
  });
  expect((await findReviewedPlanRun(github, { repo: REPO, headSha: HEAD, group: 'dev-eu' })).runId).toBe(devEu.id);
  // Without a group: the newest run with any plan artifact.
  expect((await findReviewedPlanRun(github, { repo: REPO, headSha: HEAD })).runId).toBe(devEu.id);
  await expect(findReviewedPlanRun(github, { repo: REPO, headSha: HEAD, group: 'prod' })).rejects.toThrow(
    /no successful plan run with atmos-plans-prod\.\* artifacts for the last commit aaaaaaaaaaaa/,
  );
});
