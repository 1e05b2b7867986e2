/**
 * `comment` (action `command: comment`): one sticky comment per pull request with every leg's
 * plan. Found again by its hidden marker (all pages of the comment list are read), updated in
 * place, created only when none exists. A comment is a convenience: any API failure comes back as
 * a warning for the caller to print, never as an error.
 */
import { GitHubApiError, type GitHubApi } from '../ports/github.js';
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

export async function upsertPlanComment(req: CommentRequest, api: GitHubApi | undefined): Promise<CommentOutcome> {
  const body = redactSecrets(commentBody(req.entries, req), req.secrets ?? []);
  if (!api) return { status: 'skipped', warning: 'no github-token: the plan comment was not posted (the job summary has the plans)', body };
  const marker = commentMarker(req.markerId);
  try {
    // Ours: starts with the marker and was written by a bot (a person quoting the marker keeps their comment).
    const existing = (await api.listIssueComments(req.repo, req.issue)).find(
      (c) => typeof c.body === 'string' && c.body.startsWith(marker) && c.user?.type !== 'User',
    );
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
