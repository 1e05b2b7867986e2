/**
 * The GitHub API port over Node's global `fetch`: no client library, one request per call, pages
 * followed through the `Link` header (`rel="next"`) as GitHub documents. Errors become
 * {@link GitHubApiError} with GitHub's message; the token never appears in one.
 */
import { GitHubApiError, type ArtifactRef, type GitHubApi, type IssueComment, type IssueRef, type PullRequestRef, type WorkflowRunRef } from './github.js';

export interface NodeGitHubOptions {
  /** GITHUB_API_URL (https://api.github.com, or a GHES `/api/v3`). */
  apiUrl: string;
  token: string;
  /** Per request; GitHub answers in well under a second. */
  timeoutMs?: number;
}

/** The `next` URL of a Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

export function nodeGitHub(o: NodeGitHubOptions): GitHubApi {
  const base = o.apiUrl.replace(/\/+$/, '');
  const request = async (method: string, url: string, body?: unknown): Promise<{ json: unknown; link: string | null }> => {
    let res: Response;
    try {
      res = await fetch(url.startsWith('http') ? url : `${base}${url}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${o.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'atmos-action',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      });
    } catch (e) {
      throw new GitHubApiError(0, `${method} ${url.replace(base, '')}: no answer (${(e as Error).message})`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const j = json as { message?: string; errors?: { message?: string }[] } | undefined;
      const detail = [j?.message, ...(j?.errors ?? []).map((x) => x.message)].filter(Boolean).join(': ') || res.statusText;
      throw new GitHubApiError(res.status, `${method} ${url.replace(base, '').split('?')[0]}: ${res.status} ${detail}`);
    }
    return { json, link: res.headers.get('link') };
  };
  const all = async <T>(first: string, pick: (json: unknown) => T[], max = Infinity): Promise<T[]> => {
    const out: T[] = [];
    for (let url: string | undefined = first; url && out.length < max;) {
      const r = await request('GET', url);
      out.push(...pick(r.json));
      url = nextLink(r.link);
    }
    return out.slice(0, max);
  };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  return {
    authenticatedLogin: async () => {
      const login = ((await request('GET', '/user')).json as { login?: unknown } | undefined)?.login;
      if (typeof login !== 'string') throw new GitHubApiError(200, 'GET /user: the answer has no login');
      return login;
    },
    listCommitPulls: (repo, sha) => all(`/repos/${repo}/commits/${sha}/pulls?per_page=100`, (j) => j as PullRequestRef[]),
    listIssueComments: (repo, issue) => all(`/repos/${repo}/issues/${issue}/comments?per_page=100`, (j) => j as IssueComment[]),
    createIssueComment: async (repo, issue, body) => (await request('POST', `/repos/${repo}/issues/${issue}/comments`, { body })).json as IssueComment,
    updateIssueComment: async (repo, id, body) => (await request('PATCH', `/repos/${repo}/issues/comments/${id}`, { body })).json as IssueComment,
    listWorkflowRuns: (repo, filter, max = 100) =>
      all(`/repos/${repo}/actions/runs?${q({ ...filter, per_page: '100' })}`, (j) => (j as { workflow_runs: WorkflowRunRef[] }).workflow_runs, max),
    listRunArtifacts: (repo, runId) => all(`/repos/${repo}/actions/runs/${runId}/artifacts?per_page=100`, (j) => (j as { artifacts: ArtifactRef[] }).artifacts),
    listIssues: (repo, filter) =>
      all(`/repos/${repo}/issues?${q({ state: filter.state, ...(filter.labels ? { labels: filter.labels } : {}), per_page: '100' })}`, (j) => j as IssueRef[]),
    createIssue: async (repo, issue) => (await request('POST', `/repos/${repo}/issues`, issue)).json as IssueRef,
    updateIssue: async (repo, issue, patch) => (await request('PATCH', `/repos/${repo}/issues/${issue}`, patch)).json as IssueRef,
  };
}
