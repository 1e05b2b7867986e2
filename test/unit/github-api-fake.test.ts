import { startGitHubApi, type GitHubApiFake, type IssueComment } from '../fakes/github-api.js';

/**
 * The GitHub REST fake must answer as GitHub does, or the comment tests built on it prove nothing:
 * pagination a client can follow by `Link`, the 422 at 65,536 characters, auth failures, 5xx.
 */
let api: GitHubApiFake;
beforeEach(async () => {
  api = await startGitHubApi();
});
afterEach(() => api.close());

const REPO = 'acme/infra';
const call = (path: string, init: { method?: string; token?: string | null; body?: unknown } = {}) =>
  fetch(path.startsWith('http') ? path : `${api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/vnd.github+json',
      ...(init.token === null ? {} : { authorization: `token ${init.token ?? api.token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

/** Follows rel="next" like Octokit's paginate. */
async function listAll(issue: number, perPage?: number): Promise<{ bodies: string[]; pages: number }> {
  let url: string | undefined = `${api.url}/repos/${REPO}/issues/${issue}/comments${perPage ? `?per_page=${perPage}` : ''}`;
  const bodies: string[] = [];
  let pages = 0;
  while (url) {
    const res = await call(url);
    expect(res.status).toBe(200);
    bodies.push(...((await res.json()) as IssueComment[]).map((c) => c.body));
    pages++;
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  }
  return { bodies, pages };
}

describe('GitHub REST fake: issue comments', () => {
  it('pages 75 comments by 30 by default (3 pages), and by per_page, with next/last links', async () => {
    api.seedComments(
      REPO,
      7,
      Array.from({ length: 75 }, (_, i) => `c${i}`),
    );
    expect(await listAll(7)).toEqual({ bodies: Array.from({ length: 75 }, (_, i) => `c${i}`), pages: 3 });
    expect((await listAll(7, 100)).pages).toBe(1);

    const res = await call(`/repos/${REPO}/issues/7/comments?per_page=10&page=2`);
    const link = res.headers.get('link')!;
    expect(link).toContain('page=3>; rel="next"');
    expect(link).toContain('page=8>; rel="last"');
    expect(link).toContain('page=1>; rel="prev"');
    expect((await call(`/repos/${REPO}/issues/8/comments`)).headers.get('link')).toBeNull();
  });

  it('creates (201 + Location) and updates in place (same id, new body, later updated_at)', async () => {
    const created = await call(`/repos/${REPO}/issues/7/comments`, { method: 'POST', body: { body: '<!-- marker --> v1' } });
    expect(created.status).toBe(201);
    const c = (await created.json()) as IssueComment;
    expect(created.headers.get('location')).toBe(c.url);
    expect(c.user.login).toBe('github-actions[bot]');

    const updated = await call(`/repos/${REPO}/issues/comments/${c.id}`, { method: 'PATCH', body: { body: '<!-- marker --> v2' } });
    expect(updated.status).toBe(200);
    expect(api.comments(REPO, 7)).toEqual([expect.objectContaining({ id: c.id, body: '<!-- marker --> v2' })]);
    expect(api.comments(REPO, 7)[0].updated_at > c.updated_at).toBe(true);
    expect(api.calls()).toEqual([`POST /repos/${REPO}/issues/7/comments`, `PATCH /repos/${REPO}/issues/comments/${c.id}`]);
    expect((await call(`/repos/${REPO}/issues/comments/999`, { method: 'PATCH', body: { body: 'x' } })).status).toBe(404);
  });

  it("accepts 65,536 characters and refuses 65,537 with GitHub's 422 body, on create and update", async () => {
    const ok = await call(`/repos/${REPO}/issues/7/comments`, { method: 'POST', body: { body: 'x'.repeat(65_536) } });
    expect(ok.status).toBe(201);
    const tooLong = await call(`/repos/${REPO}/issues/7/comments`, { method: 'POST', body: { body: 'x'.repeat(65_537) } });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }],
    });
    const { id } = (await ok.json()) as IssueComment;
    expect((await call(`/repos/${REPO}/issues/comments/${id}`, { method: 'PATCH', body: { body: 'é'.repeat(65_537) } })).status).toBe(422);
    expect(api.comments(REPO, 7)).toHaveLength(1);
  });

  it('answers 401 without a token or with a wrong one, 403 to a read-only token writing', async () => {
    expect((await call(`/repos/${REPO}/issues/7/comments`, { token: null })).status).toBe(401);
    const bad = await call(`/repos/${REPO}/issues/7/comments`, { token: 'ghs_wrong' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ message: 'Bad credentials' });
    expect((await call(`/repos/${REPO}/issues/7/comments`, { token: api.readOnlyToken })).status).toBe(200);
    const denied = await call(`/repos/${REPO}/issues/7/comments`, { method: 'POST', token: api.readOnlyToken, body: { body: 'x' } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    expect(api.comments(REPO, 7)).toEqual([]);
  });

  it('knows who a token is: GET /user names a personal token’s login and refuses an installation token (403), whose comments are github-actions[bot]’s', async () => {
    const me = await call('/user', { token: api.userToken });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ login: api.userLogin, type: 'User' });
    const app = await call('/user');
    expect(app.status).toBe(403);
    expect(await app.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    await call(`/repos/${REPO}/issues/7/comments`, { method: 'POST', body: { body: 'by the workflow token' } });
    await call(`/repos/${REPO}/issues/7/comments`, { method: 'POST', token: api.userToken, body: { body: 'by a person' } });
    expect(api.comments(REPO, 7).map((c) => [c.user.login, c.user.type])).toEqual([
      ['github-actions[bot]', 'Bot'],
      [api.userLogin, 'User'],
    ]);
    // An integration cannot edit a comment of another account.
    const [, theirs] = api.comments(REPO, 7);
    expect((await call(`/repos/${REPO}/issues/comments/${theirs!.id}`, { method: 'PATCH', body: { body: 'x' } })).status).toBe(403);
  });

  it('lists the pull requests of a commit: the one merged as that commit, and open ones with it as head', async () => {
    api.addPullRequest(REPO, { number: 3, headSha: 'a'.repeat(40), mergeCommitSha: 'b'.repeat(40) });
    api.addPullRequest(REPO, { number: 4, headSha: 'b'.repeat(40) });
    const res = await call(`/repos/${REPO}/commits/${'b'.repeat(40)}/pulls`);
    expect(((await res.json()) as { number: number; merged_at: string | null }[]).map((p) => [p.number, p.merged_at !== null])).toEqual([
      [3, true],
      [4, false],
    ]);
  });

  it('answers 5xx while failing, then serves again', async () => {
    api.failWith(502, { times: 2 });
    expect((await call(`/repos/${REPO}/issues/7/comments`)).status).toBe(502);
    expect((await call(`/repos/${REPO}/issues/7/comments`)).status).toBe(502);
    expect((await call(`/repos/${REPO}/issues/7/comments`)).status).toBe(200);
    expect(api.requests.map((r) => r.status)).toEqual([502, 502, 200]);
  });
});

describe('GitHub REST fake: workflow runs and artifacts', () => {
  it('finds the latest successful plan run of a PR head and downloads its artifact through the 302', async () => {
    const older = api.actions.addRun(REPO, { head_sha: 'aaa' });
    api.actions.addArtifact(REPO, older.id, 'plans-leg-1', Buffer.from('old zip'));
    const run = api.actions.addRun(REPO, {
      head_sha: 'bbb',
      pull_requests: [{ number: 7, head: { ref: 'feature', sha: 'bbb' }, base: { ref: 'main', sha: 'm' } }],
    });
    api.actions.addArtifact(REPO, run.id, 'plans-leg-1', Buffer.from('PK fake zip'));
    api.actions.addRun(REPO, { head_sha: 'bbb', conclusion: 'failure' });

    const runs = (await (await call(`/repos/${REPO}/actions/workflows/plan.yml/runs?head_sha=bbb&status=success`)).json()) as {
      total_count: number;
      workflow_runs: { id: number }[];
    };
    expect(runs.total_count).toBe(1);
    expect(runs.workflow_runs[0].id).toBe(run.id);

    const arts = (await (await call(`/repos/${REPO}/actions/runs/${run.id}/artifacts`)).json()) as { artifacts: { archive_download_url: string }[] };
    const zip = await call(arts.artifacts[0].archive_download_url);
    expect(zip.status).toBe(200);
    expect(Buffer.from(await zip.arrayBuffer()).toString()).toBe('PK fake zip');
  });
});
