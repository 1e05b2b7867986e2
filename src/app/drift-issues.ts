/**
 * `drift-issues` (action `command: drift-issues`): after a scheduled plan of the default branch,
 * keep one open GitHub issue per drifted instance. An instance whose plan has changes gets its issue
 * opened (or updated in place); one whose plan has none gets its issue closed with a note; a failed
 * plan leaves its issue as it is (nothing is known). Issues are found by the drift label and the
 * hidden marker naming the instance, so renaming an issue or editing its text around the marker
 * keeps it found. Only labelled issues are read: GitHub drops labels set by people without
 * triage access, so nobody outside the team can plant an issue that a run would take as its own.
 */
import type { GitHubApi, IssueRef } from '../ports/github.js';
import { driftIssueBody, driftIssueTitle, parseDriftMarker, type DriftRow } from '../report/drift.js';
import type { ReportEntry } from '../report/plan-report.js';
import { redactSecrets } from '../util/redact.js';

export interface DriftRequest {
  repo: string;
  /** Every planned instance of the run (the plans directory). */
  entries: readonly ReportEntry[];
  label: string;
  /** New issues opened in one run at most; 0 means no limit. */
  maxNew: number;
  commitSha?: string;
  runUrl?: string;
  /** Taken out of every body before it is sent. */
  secrets?: readonly string[];
}

export interface DriftOutcome {
  rows: DriftRow[];
  /** Instances planned without changes and without an issue to close. */
  quiet: number;
}

const key = (stack: string, component: string) => `${stack}\n${component}`;

export async function syncDriftIssues(api: GitHubApi, req: DriftRequest): Promise<DriftOutcome> {
  const open = new Map<string, IssueRef[]>();
  for (const issue of await api.listIssues(req.repo, { state: 'open', labels: req.label })) {
    const who = issue.pull_request ? undefined : parseDriftMarker(issue.body);
    if (!who) continue;
    const k = key(who.stack, who.component);
    open.set(k, [...(open.get(k) ?? []), issue]);
  }
  const rows: DriftRow[] = [];
  let quiet = 0;
  let opened = 0;
  const close = async (issue: IssueRef, why: string) => {
    await api.createIssueComment(req.repo, issue.number, redactSecrets(why, req.secrets ?? []));
    await api.updateIssue(req.repo, issue.number, { state: 'closed', state_reason: 'completed' });
  };
  const run = req.runUrl ? ` ([workflow run](${req.runUrl}))` : '';
  for (const e of req.entries) {
    // Oldest first: a duplicate (two runs racing) is closed in favour of the first.
    const [issue, ...duplicates] = (open.get(key(e.stack, e.component)) ?? []).sort((a, b) => a.number - b.number);
    const row = (action: DriftRow['action'], i?: IssueRef) => rows.push({ stack: e.stack, component: e.component, action, issue: i?.number, url: i?.html_url });
    if (e.status === 'changes') {
      for (const d of duplicates) await close(d, `Closed as a duplicate of #${issue!.number}.`);
      const title = redactSecrets(driftIssueTitle(e.stack, e.component), req.secrets ?? []);
      const body = redactSecrets(driftIssueBody(e, req), req.secrets ?? []);
      if (issue) {
        if (issue.body === body && issue.title === title) row('unchanged', issue);
        else row('updated', await api.updateIssue(req.repo, issue.number, { title, body }));
      } else if (req.maxNew > 0 && opened >= req.maxNew) {
        row('not-opened');
      } else {
        opened++;
        row('opened', await api.createIssue(req.repo, { title, body, labels: [req.label] }));
      }
    } else if (e.status === 'no-changes') {
      if (!issue) {
        quiet++;
        continue;
      }
      for (const i of [issue, ...duplicates])
        await close(i, `No drift any more: the plan of commit \`${(req.commitSha ?? '').slice(0, 12)}\` has no changes${run}.`);
      row('closed', issue);
    } else if (e.status === 'failed') {
      row('plan-failed', issue);
    }
  }
  return { rows, quiet };
}
