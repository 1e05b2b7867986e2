/**
 * The GitHub REST API, as far as the action uses it: who the token is, the comments of a pull
 * request, the pull request a merge commit came from, the workflow runs whose artifacts hold the
 * plans reviewed on it, and the drift issues. The adapter is `node-github.ts`.
 */

export interface IssueComment {
  id: number;
  body: string;
  html_url?: string;
  user?: { login?: string; type?: string } | null;
}

export interface WorkflowRunRef {
  id: number;
  head_sha: string;
  event: string;
  conclusion: string | null;
  created_at: string;
  pull_requests: { number: number }[];
}

export interface PullRequestRef {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
}

export interface ArtifactRef {
  id: number;
  name: string;
  expired: boolean;
}

export interface IssueRef {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  html_url?: string;
  /** Set when the "issue" is a pull request (the issues API lists both). */
  pull_request?: unknown;
}

export interface GitHubApi {
  /** The login the token acts as (`GET /user`); GitHub answers 403 for an app installation token, the workflow's GITHUB_TOKEN included. */
  authenticatedLogin(): Promise<string>;
  /** The pull requests a commit belongs to (`GET /repos/{repo}/commits/{sha}/pulls`): for a merge commit, the one merged. */
  listCommitPulls(repo: string, sha: string): Promise<PullRequestRef[]>;
  /** Every comment of an issue or pull request, oldest first, all pages. */
  listIssueComments(repo: string, issue: number): Promise<IssueComment[]>;
  createIssueComment(repo: string, issue: number, body: string): Promise<IssueComment>;
  updateIssueComment(repo: string, id: number, body: string): Promise<IssueComment>;
  /** Workflow runs newest first, filtered as the API filters (`event`, `status`, `head_sha`, `branch`); at most `max`. */
  listWorkflowRuns(repo: string, filter: Record<string, string>, max?: number): Promise<WorkflowRunRef[]>;
  listRunArtifacts(repo: string, runId: number): Promise<ArtifactRef[]>;
  /** Issues (and pull requests) with every one of `labels` (comma separated) in `state`, all pages. */
  listIssues(repo: string, filter: { state: 'open' | 'closed' | 'all'; labels?: string }): Promise<IssueRef[]>;
  createIssue(repo: string, issue: { title: string; body: string; labels: string[] }): Promise<IssueRef>;
  updateIssue(
    repo: string,
    issue: number,
    patch: { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned' },
  ): Promise<IssueRef>;
}

/** A failed API call: the status (0 when no answer came) and GitHub's message. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}
