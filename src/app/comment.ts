/**
 * `comment` (action `command: comment`): one sticky comment per pull request with every leg's
 * plan. Found again by its hidden marker and by its author, which must be the identity the token
 * acts as (all pages of the comment list are read), updated in place, created only when none
 * exists. A comment is a convenience: any API failure comes back as a warning for the caller to
 * print, never as an error.
 */
import { GitHubApiError, type GitHubApi, type IssueComment } from '../ports/github.js';
import { commentBody, commentMarker } from '../report/comment.js';
import type { ReportEntry } from '../report/plan-report.js';
import { redactSecrets } from '../util/redact.js';

export type CommentOutcome =
  { status: 'created' | 'updated' | 'unchanged'; id: number; url?: string; body: string } | { status: 'skipped'; warning: string; body: string };

export interface CommentRequest {
  repo: string;
  issue: number;
  entries: ReportEntry[];
  markerId?: string;
  commitSha?: string;
  runUrl?: string;
  /** Taken out of the body before it is sent: the runner masks logs, not API calls. */
  secrets?: readonly string[];
}

/** The author of comments posted with the workflow's GITHUB_TOKEN (an app installation token, which `GET /user` refuses). */
export const WORKFLOW_TOKEN_AUTHOR = 'github-actions[bot]';

/**
 * Who comments with this token: the login `GET /user` names (a personal or app user token), else,
 * when GitHub refuses that call with 403 as it does for installation tokens, the workflow token's
 * `github-actions[bot]`.
 */
export async function commentAuthor(api: GitHubApi): Promise<string> {
  try {
    return await api.authenticatedLogin();
  } catch (e) {
    if (e instanceof GitHubApiError && e.status === 403) return WORKFLOW_TOKEN_AUTHOR;
    throw e;
  }
}

/** Our sticky comments: they start with the marker and were written by our identity (another bot's or a person's never is). */
export function ownComments(comments: readonly IssueComment[], marker: string, author: string): IssueComment[] {
  return comments.filter((c) => typeof c.body === 'string' && c.body.startsWith(marker) && c.user?.login === author);
}

export async function upsertPlanComment(req: CommentRequest, api: GitHubApi | undefined): Promise<CommentOutcome> {
  const body = redactSecrets(commentBody(req.entries, req), req.secrets ?? []);
  if (!api) return { status: 'skipped', warning: 'no github-token: the plan comment was not posted (the job summary has the plans)', body };
  const marker = commentMarker(req.markerId);
  try {
    const author = await commentAuthor(api);
    const [existing] = ownComments(await api.listIssueComments(req.repo, req.issue), marker, author);
    if (existing) {
      if (existing.body === body) return { status: 'unchanged', id: existing.id, url: existing.html_url, body };
      const c = await api.updateIssueComment(req.repo, existing.id, body);
      return { status: 'updated', id: c.id, url: c.html_url, body };
    }
    const c = await api.createIssueComment(req.repo, req.issue, body);
    return { status: 'created', id: c.id, url: c.html_url, body };
  } catch (e) {
    const hint =
      e instanceof GitHubApiError && (e.status === 401 || e.status === 403)
        ? ' (the token needs pull-requests: write; on pull requests from forks it is read-only)'
        : '';
    return { status: 'skipped', warning: `the plan comment was not posted: ${(e as Error).message}${hint}`, body };
  }
}
