import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { LoopbackRequest, LoopbackResponse } from './loopback.js';
import { ghError, page } from './github-rest.js';

/**
 * The workflow-run part of the GitHub REST fake: what "apply after merge" needs to find the plans
 * reviewed on a pull request (the artifacts of the PR's last plan run) and download them.
 *
 * - `GET /repos/{o}/{r}/actions/runs` and `…/actions/workflows/{file or id}/runs`, newest first,
 *   filtered by `event`, `branch`, `status` (a status or a conclusion), `head_sha`; paginated,
 *   `{total_count, workflow_runs}`;
 * - `GET /repos/{o}/{r}/actions/runs/{id}`;
 * - `GET /repos/{o}/{r}/actions/runs/{id}/artifacts` (filter `name`), `{total_count, artifacts}`;
 * - `GET /repos/{o}/{r}/actions/artifacts/{id}/zip`: 302 to a signed, short-lived blob URL (no token
 *   needed there, as on GitHub); 410 once the artifact has expired.
 */
export interface WorkflowRun {
  id: number;
  name: string;
  path: string;
  workflow_id: number;
  head_branch: string;
  head_sha: string;
  event: string;
  status: string;
  conclusion: string | null;
  run_number: number;
  run_attempt: number;
  created_at: string;
  updated_at: string;
  html_url: string;
  pull_requests: { number: number; head: { ref: string; sha: string }; base: { ref: string; sha: string } }[];
  repository: { full_name: string };
}

export interface Artifact {
  id: number;
  node_id: string;
  name: string;
  size_in_bytes: number;
  url: string;
  archive_download_url: string;
  expired: boolean;
  created_at: string;
  expires_at: string;
  updated_at: string;
  digest: string;
  workflow_run: { id: number; head_branch: string; head_sha: string };
}

export interface ActionsState {
  /** Adds a completed run (newest so far); fields override the defaults. */
  addRun(repo: string, fields: Partial<WorkflowRun> & { head_sha: string }): WorkflowRun;
  /** Attaches an artifact whose zip download serves `zip`. */
  addArtifact(repo: string, runId: number, name: string, zip: Buffer, options?: { expired?: boolean }): Artifact;
}

interface Stored {
  repo: string;
  runs: WorkflowRun[];
  artifacts: { repo: string; artifact: Artifact; zip: Buffer }[];
}

const BLOBS = '/_fake-blobs/artifacts/';

export function createActionsState(originOf: () => string): ActionsState & { stored: Stored[] } {
  const stored: Stored[] = [];
  let nextRunId = 7_000_000_001;
  let nextArtifactId = 3_000_000_001;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const at = () => new Date((clock += 60_000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const repoState = (repo: string) => {
    let s = stored.find((x) => x.repo === repo.toLowerCase());
    if (!s) stored.push((s = { repo: repo.toLowerCase(), runs: [], artifacts: [] }));
    return s;
  };
  return {
    stored,
    addRun(repo, fields) {
      const id = nextRunId++;
      const when = at();
      const run: WorkflowRun = {
        id,
        name: 'plan',
        path: '.github/workflows/plan.yml',
        workflow_id: 161_335,
        head_branch: 'feature',
        event: 'pull_request',
        status: 'completed',
        conclusion: 'success',
        run_number: repoState(repo).runs.length + 1,
        run_attempt: 1,
        created_at: when,
        updated_at: when,
        html_url: `https://github.com/${repo}/actions/runs/${id}`,
        pull_requests: [],
        repository: { full_name: repo },
        ...fields,
      };
      repoState(repo).runs.unshift(run);
      return run;
    },
    addArtifact(repo, runId, name, zip, options = {}) {
      const run = repoState(repo).runs.find((r) => r.id === runId);
      if (!run) throw new Error(`no run ${runId} in ${repo}`);
      const id = nextArtifactId++;
      const when = at();
      const url = `${originOf()}/repos/${repo}/actions/artifacts/${id}`;
      const artifact: Artifact = {
        id,
        node_id: `MDg6QXJ0aWZhY3Q${id}`,
        name,
        size_in_bytes: zip.length,
        url,
        archive_download_url: `${url}/zip`,
        expired: options.expired ?? false,
        created_at: when,
        updated_at: when,
        expires_at: new Date(clock + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        digest: `sha256:${createHash('sha256').update(zip).digest('hex')}`,
        workflow_run: { id: run.id, head_branch: run.head_branch, head_sha: run.head_sha },
      };
      repoState(repo).artifacts.push({ repo: repo.toLowerCase(), artifact, zip });
      return artifact;
    },
  };
}

const signingKey = randomBytes(16);
const sign = (id: number) => createHmac('sha256', signingKey).update(String(id)).digest('hex');

/** The signed download behind the 302; served without a token, before the API's auth check. */
export function blobRoute(req: LoopbackRequest, state: { stored: Stored[] }): LoopbackResponse | undefined {
  if (!req.path.startsWith(BLOBS)) return undefined;
  const id = Number(req.path.slice(BLOBS.length));
  const found = state.stored.flatMap((s) => s.artifacts).find((a) => a.artifact.id === id);
  if (!found || req.query.get('sig') !== sign(id))
    return { status: 403, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>AuthenticationFailed</Code></Error>' };
  return { status: 200, headers: { 'content-type': 'application/zip' }, body: found.zip };
}

/** The /actions routes, or undefined when the path is not one of them. */
export function actionsRoutes(req: LoopbackRequest, state: { stored: Stored[] }, origin: string): LoopbackResponse | undefined {
  if (req.method !== 'GET') return undefined;
  const repoOf = (full: string) => state.stored.find((s) => s.repo === full.toLowerCase()) ?? { repo: full, runs: [], artifacts: [] };

  let m = /^\/repos\/([^/]+\/[^/]+)\/actions\/(?:workflows\/([^/]+)\/)?runs$/.exec(req.path);
  if (m) {
    const q = req.query;
    const workflow = m[2];
    const runs = repoOf(m[1]).runs.filter(
      (r) =>
        (!workflow || String(r.workflow_id) === workflow || r.path.endsWith(`/${workflow}`)) &&
        (!q.get('event') || r.event === q.get('event')) &&
        (!q.get('branch') || r.head_branch === q.get('branch')) &&
        (!q.get('head_sha') || r.head_sha === q.get('head_sha')) &&
        (!q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status')),
    );
    return page(req, origin, runs, (slice, total) => ({ total_count: total, workflow_runs: slice }));
  }
  m = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)$/.exec(req.path);
  if (m) {
    const run = repoOf(m[1]).runs.find((r) => r.id === Number(m![2]));
    return run ? { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(run) } : ghError(404, 'Not Found');
  }
  m = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/artifacts$/.exec(req.path);
  if (m) {
    const name = req.query.get('name');
    const items = repoOf(m[1])
      .artifacts.map((a) => a.artifact)
      .filter((a) => a.workflow_run.id === Number(m![2]) && (!name || a.name === name));
    return page(req, origin, items, (slice, total) => ({ total_count: total, artifacts: slice }));
  }
  m = /^\/repos\/([^/]+\/[^/]+)\/actions\/artifacts\/(\d+)\/zip$/.exec(req.path);
  if (m) {
    const found = repoOf(m[1]).artifacts.find((a) => a.artifact.id === Number(m![2]));
    if (!found) return ghError(404, 'Not Found');
    if (found.artifact.expired) return ghError(410, 'Artifact has expired');
    return { status: 302, headers: { location: `${origin}${BLOBS}${found.artifact.id}?sig=${sign(found.artifact.id)}` } };
  }
  return undefined;
}
