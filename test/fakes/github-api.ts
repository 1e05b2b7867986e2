import { json, startLoopback, type LoopbackRequest, type LoopbackResponse, type RecordedRequest } from './loopback.js';
import { actionsRoutes, blobRoute, createActionsState, type ActionsState } from './github-actions-api.js';
import { DOCS, ghError, page } from './github-rest.js';
import { createIssuesState, issuesRoutes, type IssuesState } from './github-issues-api.js';

/**
 * A loopback fake of the GitHub REST API, for what the action does with it: who a token is
 * (`GET /user`), issue comments on a pull request (list with pagination, create, update), the pull
 * requests of a commit (`GET /repos/{o}/{r}/commits/{sha}/pulls`) and, for apply after merge,
 * workflow runs and their artifacts (see github-actions-api.ts). Point `GITHUB_API_URL` (or
 * Octokit's `baseUrl`) at `url`.
 *
 * Identities: `token` and `readOnlyToken` are app installation tokens like the workflow's
 * GITHUB_TOKEN: they comment as `github-actions[bot]`, and `GET /user` answers them 403 "Resource not
 * accessible by integration", as GitHub does. `userToken` is a personal access token of
 * `userLogin` (a `User`): it comments as that login, and `GET /user` names it.
 *
 * GitHub's behaviour modelled: `per_page` (default 30, at most 100) and `page`, with a `Link` header
 * (`prev`/`next`/`last`/`first`) when there is more than one page; 201 + `Location` on create; 422
 * "Validation Failed" when a body is missing or longer than 65,536 characters (counted in code
 * points, as GitHub's Ruby validation does — an inference); 401 without a token or with an unknown
 * one, 403 "Resource not accessible by integration" for a read-only token writing; 404 with GitHub's
 * error shape for anything else. Every repository is treated as private (reads need a token too).
 */
export interface GitHubApiFake {
  /** GITHUB_API_URL (no trailing slash, like api.github.com). */
  url: string;
  /** A token allowed to read and write. */
  token: string;
  /** A token allowed to read only (a fork's GITHUB_TOKEN, or `permissions: pull-requests: read`). */
  readOnlyToken: string;
  /** A personal access token (read and write) of {@link userLogin}. */
  userToken: string;
  userLogin: string;
  requests: RecordedRequest[];
  /** `METHOD /path` of every request, in order. */
  calls(): string[];
  /** The comments of an issue or pull request as they are now, oldest first. */
  comments(repo: string, issue: number): IssueComment[];
  /** Adds comments (e.g. 120 of them, to force pagination, or an earlier sticky comment). */
  seedComments(repo: string, issue: number, bodies: string[], user?: string): IssueComment[];
  /** Answer `status` with GitHub's error body instead of serving; `times` limits it, null stops it. */
  failWith(status: number | null, options?: { times?: number }): void;
  /** Workflow runs and artifacts state (seed runs and artifacts there). */
  actions: ActionsState;
  /** Adds a pull request (`merge_commit_sha` set and `merged_at` set when merged) for `GET …/commits/{sha}/pulls`. */
  addPullRequest(repo: string, pr: { number: number; headSha: string; mergeCommitSha?: string }): void;
  /** Edits a comment's body as someone with write access can in the web UI (no API identity check). */
  editComment(repo: string, id: number, body: string): void;
  /** Issues (drift issues): seed and inspect them there (github-issues-api.ts). */
  issues: IssuesState;
  close(): Promise<void>;
}

export interface IssueComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
  author_association: string;
}

export const COMMENT_BODY_LIMIT = 65_536;
const BOT = 'github-actions[bot]';

export async function startGitHubApi(options: { token?: string; readOnlyToken?: string } = {}): Promise<GitHubApiFake> {
  const token = options.token ?? 'ghs_fakeWriteToken0000000000000000000000';
  const readOnlyToken = options.readOnlyToken ?? 'ghs_fakeReadToken00000000000000000000000';
  const userToken = 'ghp_fakePersonalToken000000000000000000000';
  const userLogin = 'octo-deployer';
  const pulls: { repo: string; number: number; headSha: string; mergeCommitSha?: string }[] = [];
  const byIssue = new Map<string, IssueComment[]>();
  let nextId = 1_000_000_001;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let fault: { status: number; times: number } | undefined;
  let origin = '';
  const actions = createActionsState(() => origin);
  const issues = createIssuesState();

  const list = (repo: string, issue: number) => {
    const k = `${repo.toLowerCase()}#${issue}`;
    if (!byIssue.has(k)) byIssue.set(k, []);
    return byIssue.get(k)!;
  };
  const now = () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const makeComment = (repo: string, issue: number, body: string, login: string): IssueComment => {
    const id = nextId++;
    const at = now();
    return {
      id,
      node_id: `IC_fake${id}`,
      url: `${origin}/repos/${repo}/issues/comments/${id}`,
      html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${origin}/repos/${repo}/issues/${issue}`,
      body,
      user: { login, id: login === BOT ? 41898282 : 1000 + login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: at,
      updated_at: at,
      author_association: login === BOT ? 'NONE' : 'MEMBER',
    };
  };
  const findComment = (repo: string, id: number) => {
    for (const [k, items] of byIssue) if (k.startsWith(`${repo.toLowerCase()}#`)) for (const c of items) if (c.id === id) return c;
    return undefined;
  };

  const server = await startLoopback((req) => {
    if (fault) {
      const { status } = fault;
      if (--fault.times <= 0) fault = undefined;
      return json(status, status === 503 ? { message: 'Service Unavailable' } : { message: 'Server Error' });
    }
    const blob = blobRoute(req, actions);
    if (blob) return blob;
    const auth = authOf(req, { [token]: 'write', [readOnlyToken]: 'read', [userToken]: 'user' });
    if (auth === 'none') return ghError(401, 'Requires authentication', DOCS);
    if (auth === 'bad') return ghError(401, 'Bad credentials', DOCS);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (write && auth === 'read') return ghError(403, 'Resource not accessible by integration', DOCS);
    const login = auth === 'user' ? userLogin : BOT;

    if (req.path === '/user' && req.method === 'GET') {
      if (auth !== 'user') return ghError(403, 'Resource not accessible by integration', `${DOCS}/users/users#get-the-authenticated-user`);
      return json(200, { login: userLogin, id: 583231, type: 'User' });
    }
    const pullsOf = /^\/repos\/([^/]+\/[^/]+)\/commits\/([0-9a-f]{40})\/pulls$/.exec(req.path);
    if (pullsOf && req.method === 'GET') {
      const found = pulls
        .filter((p) => p.repo === pullsOf[1]!.toLowerCase() && (p.headSha === pullsOf[2] || p.mergeCommitSha === pullsOf[2]))
        .map((p) => ({
          number: p.number,
          state: p.mergeCommitSha ? 'closed' : 'open',
          merged_at: p.mergeCommitSha ? '2026-01-02T00:00:00Z' : null,
          merge_commit_sha: p.mergeCommitSha ?? null,
          head: { sha: p.headSha, ref: 'feature' },
          base: { ref: 'main' },
        }));
      return page(req, origin, found);
    }

    let m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(req.path);
    if (m && req.method === 'GET') return page(req, origin, list(m[1], Number(m[2])));
    if (m && req.method === 'POST') {
      const problem = bodyProblem(req, 'create-an-issue-comment');
      if (problem) return problem;
      const c = makeComment(m[1], Number(m[2]), bodyOf(req)!, login);
      list(m[1], Number(m[2])).push(c);
      return json(201, c, { location: c.url });
    }
    m = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(req.path);
    if (m && req.method === 'PATCH') {
      const c = findComment(m[1], Number(m[2]));
      if (!c) return ghError(404, 'Not Found', `${DOCS}/issues/comments#update-an-issue-comment`);
      // Another account's comment: GitHub refuses an integration's edit.
      if (c.user.login !== login) return ghError(403, 'Resource not accessible by integration', `${DOCS}/issues/comments#update-an-issue-comment`);
      const problem = bodyProblem(req, 'update-an-issue-comment');
      if (problem) return problem;
      c.body = bodyOf(req)!;
      c.updated_at = now();
      return json(200, c);
    }
    const answer = issuesRoutes(req, issues, origin) ?? actionsRoutes(req, actions, origin);
    return answer ?? ghError(404, 'Not Found', DOCS);
  });
  origin = server.origin;

  return {
    url: origin,
    token,
    readOnlyToken,
    userToken,
    userLogin,
    requests: server.requests,
    calls: () => server.requests.map((r) => `${r.method} ${r.path}`),
    comments: (repo, issue) => list(repo, issue).map((c) => ({ ...c })),
    seedComments: (repo, issue, bodies, user = 'someone') =>
      bodies.map((b) => {
        const c = makeComment(repo, issue, b, user);
        list(repo, issue).push(c);
        return { ...c };
      }),
    failWith(status, opts = {}) {
      fault = status === null ? undefined : { status, times: opts.times ?? Infinity };
    },
    actions: { addRun: actions.addRun, addArtifact: actions.addArtifact },
    addPullRequest: (repo, pr) => void pulls.push({ repo: repo.toLowerCase(), ...pr }),
    editComment(repo, id, body) {
      const c = findComment(repo, id);
      if (!c) throw new Error(`no comment ${id} in ${repo}`);
      c.body = body;
      c.updated_at = now();
    },
    issues: { issues: issues.issues, seedIssue: issues.seedIssue },
    close: server.close,
  };
}

type Auth = 'write' | 'read' | 'user';

function authOf(req: LoopbackRequest, tokens: Record<string, Auth>): Auth | 'none' | 'bad' {
  const header = req.headers.authorization;
  if (!header) return 'none';
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
  return (m && tokens[m[1]!]) || 'bad';
}

function bodyOf(req: LoopbackRequest): string | undefined {
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as { body?: unknown };
    return typeof parsed.body === 'string' ? parsed.body : undefined;
  } catch {
    return undefined;
  }
}

function bodyProblem(req: LoopbackRequest, anchor: string): LoopbackResponse | undefined {
  const docs = `${DOCS}/issues/comments#${anchor}`;
  const body = bodyOf(req);
  if (body === undefined) return json(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: docs, status: '422' });
  if ([...body].length > COMMENT_BODY_LIMIT) {
    return json(422, {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)` }],
      documentation_url: docs,
      status: '422',
    });
  }
  return undefined;
}
