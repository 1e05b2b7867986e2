import { json, type LoopbackRequest, type LoopbackResponse } from './loopback.js';
import { DOCS, ghError, page } from './github-rest.js';

/**
 * The issues part of the GitHub REST fake, for drift issues:
 * - `GET /repos/{o}/{r}/issues` with `state` (open by default, closed, all) and `labels` (comma
 *   separated, every one must be on the issue), newest first, paginated; pull requests are listed
 *   too (with a `pull_request` field), as GitHub does;
 * - `POST /repos/{o}/{r}/issues` (`title` required; `body` at most 65,536 characters; `labels` by
 *   name, created on first use) → 201;
 * - `PATCH /repos/{o}/{r}/issues/{n}` (`title`, `body`, `state`, `state_reason`) → 200, 404 for an
 *   unknown issue, 422 for a bad state.
 * Comments on issues go through the comment routes of github-api.ts.
 */
export interface Issue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: { name: string }[];
  user: { login: string; type: 'Bot' | 'User' };
  html_url: string;
  created_at: string;
  pull_request?: { url: string };
}

export interface IssuesState {
  issues(repo: string): Issue[];
  seedIssue(repo: string, fields: Partial<Omit<Issue, 'labels'>> & { labels?: string[] }): Issue;
}

export function createIssuesState(): IssuesState & { byRepo: Map<string, Issue[]>; next: () => number; now: () => string } {
  const byRepo = new Map<string, Issue[]>();
  let n = 100;
  let clock = Date.parse('2026-02-01T00:00:00Z');
  const list = (repo: string) => {
    const k = repo.toLowerCase();
    if (!byRepo.has(k)) byRepo.set(k, []);
    return byRepo.get(k)!;
  };
  const state = {
    byRepo,
    next: () => n++,
    now: () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    issues: (repo: string) => list(repo).map((i) => ({ ...i, labels: [...i.labels] })),
    seedIssue(repo: string, f: Partial<Omit<Issue, 'labels'>> & { labels?: string[] }): Issue {
      const number = state.next();
      const issue: Issue = {
        number,
        title: f.title ?? `issue ${number}`,
        body: f.body ?? null,
        state: f.state ?? 'open',
        state_reason: f.state_reason ?? null,
        labels: (f.labels ?? []).map((name) => ({ name })),
        user: f.user ?? { login: 'someone', type: 'User' },
        html_url: `https://github.com/${repo}/issues/${number}`,
        created_at: state.now(),
        ...(f.pull_request ? { pull_request: f.pull_request } : {}),
      };
      list(repo).push(issue);
      return { ...issue };
    },
  };
  return state;
}

function parseBody(req: LoopbackRequest): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(req.body.toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const invalid = (message: string) =>
  json(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'invalid', message }], documentation_url: DOCS });

export function issuesRoutes(req: LoopbackRequest, s: ReturnType<typeof createIssuesState>, origin: string): LoopbackResponse | undefined {
  let m = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(req.path);
  if (m && req.method === 'GET') {
    const wanted = req.query.get('state') ?? 'open';
    const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
    const items = s
      .issues(m[1]!)
      .filter((i) => wanted === 'all' || i.state === wanted)
      .filter((i) => labels.every((l) => i.labels.some((x) => x.name.toLowerCase() === l.toLowerCase())))
      .reverse();
    return page(req, origin, items);
  }
  if (m && req.method === 'POST') {
    const b = parseBody(req);
    if (!b || typeof b.title !== 'string' || !b.title) return invalid('title is required');
    if (typeof b.body === 'string' && [...b.body].length > 65_536) return invalid('body is too long (maximum is 65536 characters)');
    const issue = s.seedIssue(m[1]!, {
      title: b.title,
      body: typeof b.body === 'string' ? b.body : null,
      labels: Array.isArray(b.labels) ? b.labels.map(String) : [],
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    return json(201, issue, { location: `${origin}/repos/${m[1]}/issues/${issue.number}` });
  }
  m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(req.path);
  if (m && req.method === 'PATCH') {
    const issue = s.byRepo.get(m[1]!.toLowerCase())?.find((i) => i.number === Number(m![2]));
    if (!issue) return ghError(404, 'Not Found', `${DOCS}/issues/issues#update-an-issue`);
    const b = parseBody(req) ?? {};
    if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed') return invalid('state is not included in the list');
    if (typeof b.title === 'string') issue.title = b.title;
    if (typeof b.body === 'string') issue.body = b.body;
    if (b.state === 'open' || b.state === 'closed') issue.state = b.state;
    if (typeof b.state_reason === 'string') issue.state_reason = b.state_reason;
    return json(200, issue);
  }
  return undefined;
}
