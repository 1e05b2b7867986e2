/** The action's drift-issues command: the plans directory in, one issue per drifted instance out. */
import path from 'node:path';
import { syncDriftIssues } from '../app/drift-issues.js';
import { driftSummary } from '../report/drift.js';
import { readPlansDir } from '../terraform/plan-store.js';
import { AtmosError } from '../util/errors.js';
import { defaultPlansDir } from '../util/paths.js';
import type { DriftIssuesInputs } from './inputs.js';
import { dirEntries, type LegActionPorts } from './legs.js';

export async function runDriftIssues(inputs: DriftIssuesInputs, ports: LegActionPorts): Promise<boolean> {
  const plansDir = inputs.plansDir ? path.resolve(ports.workspace, inputs.plansDir) : defaultPlansDir(ports.github.runnerTemp);
  if (!ports.github.repository) throw new AtmosError('command drift-issues needs GITHUB_REPOSITORY (it runs in a workflow)');
  // A folder that is not a complete plan is a failed row (its issue is left as it is), never dropped.
  const entries = dirEntries(readPlansDir(plansDir));
  if (entries.length === 0) throw new AtmosError(`no plans in ${plansDir}: download every plan leg's artifact there first`);
  const outcome = await syncDriftIssues(ports.githubApi(inputs.githubToken), {
    repo: ports.github.repository,
    entries,
    label: inputs.issueLabel,
    maxNew: inputs.maxNewIssues,
    commitSha: ports.github.sha,
    runUrl: ports.github.runUrl,
    // Every registered secret (the entry point registers the token); without a registry, the token at least.
    secrets: ports.secrets?.values() ?? [inputs.githubToken],
  });
  for (const r of outcome.rows) ports.log.info(`${r.component} in ${r.stack}: ${r.action}${r.issue ? ` (#${r.issue})` : ''}`);
  const notOpened = outcome.rows.filter((r) => r.action === 'not-opened').length;
  if (notOpened) ports.log.warn(`${notOpened} drifted instance(s) got no issue: at most ${inputs.maxNewIssues} are opened per run (input max-new-issues)`);
  const failed = outcome.rows.filter((r) => r.action === 'plan-failed').length;
  if (failed) ports.log.warn(`${failed} plan(s) failed: their drift is unknown and their issues were left as they are`);
  const drifted = outcome.rows.filter((r) => ['opened', 'updated', 'unchanged', 'not-opened'].includes(r.action));
  ports.setOutput('has-changes', String(drifted.length > 0));
  ports.setOutput('issues', JSON.stringify(outcome.rows.map((r) => ({ stack: r.stack, component: r.component, action: r.action, issue: r.issue ?? null }))));
  ports.summary(driftSummary(outcome.rows, outcome.quiet));
  return true;
}
