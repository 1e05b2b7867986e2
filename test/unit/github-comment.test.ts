import { upsertPlanComment } from '../../src/app/comment.js';
import { GitHubApiError } from '../../src/ports/github.js';
import { nextLink, nodeGitHub } from '../../src/ports/node-github.js';
import { commentMarker, parseReviewLine } from '../../src/report/comment.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { manyEntries } from '../helpers/plans.js';

/** The sticky comment through the real fetch adapter against the loopback GitHub API. */
let api: GitHubApiFake;
beforeEach(async () => {
  api = await startGitHubApi();
});
afterEach(() => api.close());

const REPO = 'acme/infra';
const request = (entries = manyEntries(5), secrets: string[] = []) => ({ repo: REPO, issue: 7, entries, commitSha: 'c0ffee'.repeat(7), secrets });

describe('the sticky comment on a pull request', () => {
  it('is created once, then updated in place on the next run (never duplicated)', async () => {
    const gh = nodeGitHub({ apiUrl: api.url, token: api.token });
    const first = await upsertPlanComment(request(manyEntries(5)), gh);
    expect(first.status).toBe('created');
    const second = await upsertPlanComment(request(manyEntries(8)), gh);
    expect(second).toMatchObject({ status: 'updated', id: (first as { id: number }).id });
    const third = await upsertPlanComment(request(manyEntries(8)), gh);
    expect(third.status).toBe('unchanged');
    const comments = api.comments(REPO, 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('8 instance(s)');
    expect(api.calls().filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });

  it('finds its comment beyond the first 100 by following the Link header', async () => {
    api.seedComments(
      REPO,
      7,
      Array.from({ length: 180 }, (_, i) => `review comment ${i}`),
    );
    const [old] = api.seedComments(REPO, 7, [`${commentMarker()}\nan older plan`], 'github-actions[bot]');
    api.seedComments(
      REPO,
      7,
      Array.from({ length: 40 }, (_, i) => `later comment ${i}`),
    );
    const out = await upsertPlanComment(request(), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(out).toMatchObject({ status: 'updated', id: old!.id });
    expect(api.comments(REPO, 7)).toHaveLength(221);
    // Who we are (GET /user, refused to the workflow token: github-actions[bot]), then pages of 100, 100, 21.
    expect(api.calls().filter((c) => c.startsWith('GET'))).toEqual(['GET /user', ...Array(3).fill('GET /repos/acme/infra/issues/7/comments')]);
  });

  it("never takes over a person's comment that happens to start with the marker", async () => {
    const [quoted] = api.seedComments(REPO, 7, [`${commentMarker()}\nlook at this old plan`], 'octocat');
    const out = await upsertPlanComment(request(), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(out.status).toBe('created');
    expect(api.comments(REPO, 7).find((c) => c.id === quoted!.id)!.body).toBe(`${commentMarker()}\nlook at this old plan`);
  });

  it("never edits another bot's comment that starts with our marker (GitHub would answer 403): it posts its own", async () => {
    const [other] = api.seedComments(REPO, 7, [`${commentMarker()}\nsomeone else's report`], 'other-bot[bot]');
    const out = await upsertPlanComment(request(), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(out.status).toBe('created');
    expect(api.calls().filter((c) => c.startsWith('PATCH'))).toEqual([]);
    expect(api.comments(REPO, 7).find((c) => c.id === other!.id)!.body).toBe(`${commentMarker()}\nsomeone else's report`);
    // The next run finds its own comment, not the other bot's.
    const again = await upsertPlanComment(request(manyEntries(6)), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(again).toMatchObject({ status: 'updated', id: (out as { id: number }).id });
  });

  it('with a personal token, its comments are the ones by the login GET /user names', async () => {
    const [mine] = api.seedComments(REPO, 7, [`${commentMarker()}\nan older plan`], api.userLogin);
    api.seedComments(REPO, 7, [`${commentMarker()}\nquoted by a bot`], 'github-actions[bot]');
    const out = await upsertPlanComment(request(), nodeGitHub({ apiUrl: api.url, token: api.userToken }));
    expect(out).toMatchObject({ status: 'updated', id: mine!.id });
  });

  it('carries every planfile’s full SHA-256 in a hidden line that no name can close or forge', async () => {
    const entries = manyEntries(3);
    entries[0] = { ...entries[0]!, instance: 'dev:x --> <h1>', component: 'x --> <h1>' };
    const out = await upsertPlanComment(request(entries), nodeGitHub({ apiUrl: api.url, token: api.token }));
    const body = api.comments(REPO, 7)[0]!.body;
    expect(out.status).toBe('created');
    expect(body.match(/-->/g)).toHaveLength(2); // the marker's and the review line's, nothing else
    expect(parseReviewLine(body)).toEqual({
      v: 1,
      plans: Object.fromEntries(entries.filter((e) => e.planfileSha256).map((e) => [e.instance, e.planfileSha256])),
    });
  });

  it('keeps a 300-instance plan under the limit, so GitHub accepts it', async () => {
    const out = await upsertPlanComment(request(manyEntries(300)), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(out.status).toBe('created');
    expect(api.comments(REPO, 7)[0]!.body.length).toBeLessThanOrEqual(65_536);
  });

  it('takes registered secrets out of the body: the runner masks logs, not API calls', async () => {
    const entries = manyEntries(1);
    entries[0] = { ...entries[0]!, status: 'failed', reason: 'Error: auth with token s3cr3t-value failed' };
    await upsertPlanComment(request(entries, ['s3cr3t-value']), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(api.comments(REPO, 7)[0]!.body).not.toContain('s3cr3t-value');
  });

  it.each([
    ['no token', undefined, /no github-token/],
    ['a wrong token', 'ghs_wrong', /401 Bad credentials.*pull-requests: write/],
    ['a read-only token', 'readonly', /403 Resource not accessible by integration/],
  ])('with %s it warns and goes on', async (_what, token, warning) => {
    const gh = token === undefined ? undefined : nodeGitHub({ apiUrl: api.url, token: token === 'readonly' ? api.readOnlyToken : token });
    const out = await upsertPlanComment(request(), gh);
    expect(out.status).toBe('skipped');
    expect((out as { warning: string }).warning).toMatch(warning);
    expect(api.comments(REPO, 7)).toHaveLength(0);
  });

  it('a 5xx or an unreachable API is a warning, too', async () => {
    api.failWith(502);
    const out = await upsertPlanComment(request(), nodeGitHub({ apiUrl: api.url, token: api.token }));
    expect(out).toMatchObject({ status: 'skipped', warning: expect.stringMatching(/502 Server Error/) });
    api.failWith(null);
    await api.close();
    const down = await upsertPlanComment(request(), nodeGitHub({ apiUrl: api.url, token: api.token, timeoutMs: 2000 }));
    expect(down).toMatchObject({ status: 'skipped', warning: expect.stringMatching(/no answer/) });
    api = await startGitHubApi(); // for afterEach
  });
});

describe('the fetch adapter', () => {
  it('reports GitHub’s 422 for a body over 65,536 characters with its message', async () => {
    const gh = nodeGitHub({ apiUrl: api.url, token: api.token });
    const err = await gh.createIssueComment(REPO, 7, 'x'.repeat(65_537)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBe(422);
    expect((err as Error).message).toMatch(/Validation Failed.*Body is too long \(maximum is 65536 characters\)/);
    expect((err as Error).message).not.toContain(api.token);
  });

  it('reads the next page from a Link header', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
