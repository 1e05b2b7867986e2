/** The action's plan, comment and apply commands: typed inputs and ports in, outputs through the ports. */
import path from 'node:path';
import { apply } from '../app/apply.js';
import { upsertPlanComment } from '../app/comment.js';
import type { LogGroup } from '../app/plan-legs.js';
import { plan } from '../app/plan.js';
import type { Project } from '../app/project.js';
import type { CacheStore } from '../ports/cache.js';
import type { Place } from '../ports/log.js';
import type { Instance } from '../stacks/types.js';
import type { GitHubApi } from '../ports/github.js';
import type { ReportEntry } from '../report/plan-report.js';
import { reviewedPlansSummary } from '../report/action-summary.js';
import { applyLevelsSummary, applyTrustWarnings, planSummary, planSummaryOutput } from '../report/plan-summary.js';
import { instanceKey } from '../stacks/identity.js';
import { readPlansDir, type PlansDir, type StoredPlan } from '../terraform/plan-store.js';
import type { InstanceRunResult } from '../terraform/run-instance.js';
import { AtmosError } from '../util/errors.js';
import { defaultPlansDir } from '../util/paths.js';
import type { ApplyInputs, ApplyMatrixInputs, CommentInputs, FindPlansInputs, PlanInputs, ToolVersionInputs } from './inputs.js';
import type { Tool } from '../config/tool.js';
import { sharedCredentials } from '../graph/credentials.js';
import { assertOutputFits, legsOf } from '../graph/matrix.js';
import { toolVersions, VERSION_FILES } from '../app/tool-versions.js';
import { applyLevels, findReviewedPlanRun } from '../app/find-plans.js';
import { findReviewedPlans, mergedPullRequest, type ReviewedPlans } from '../app/review-record.js';
import type { ActionPorts } from './run.js';

/** What the adapter knows about the run on GitHub (all optional off GitHub). */
export interface GitHubContext {
  /** `owner/name`. */
  repository?: string;
  sha?: string;
  /** The pull request of the triggering event, if any. */
  pullRequest?: number;
  /** Link to this workflow run. */
  runUrl?: string;
  /** The head commit of the triggering pull_request event. */
  headSha?: string;
  /** The base commit of the triggering pull_request event (`matrix` with `affected`: the default base). */
  baseSha?: string;
  /** RUNNER_TEMP (or the system temp folder). */
  runnerTemp: string;
}

export interface LegActionPorts extends ActionPorts {
  github: GitHubContext;
  /** Builds the API client for a token. */
  githubApi(token: string): GitHubApi;
  group?: LogGroup;
  /** Keeps the provider store between runs (the Actions cache). */
  cache?: CacheStore;
}

function plansDirOf(raw: string, ports: LegActionPorts): string {
  return raw ? path.resolve(ports.workspace, raw) : defaultPlansDir(ports.github.runnerTemp);
}

function entryOf(p: StoredPlan): ReportEntry {
  return { ...p.result, planfileSha256: p.meta.planfileSha256 };
}

/** Every entry of the plans directory for the comment: plans as they are, anything else as a failed row naming it. */
export function dirEntries(dir: PlansDir): ReportEntry[] {
  const broken = dir.problems.map((p): ReportEntry => {
    const stack = p.stack ?? '?';
    const component = p.component ?? p.entry;
    return { instance: instanceKey({ stack, component }), stack, component, status: 'failed', reason: `${p.entry}: ${p.problem}` };
  });
  return [...dir.plans.map(entryOf), ...broken].sort((a, b) => (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0));
}

/** GitHub shows at most 10 error annotations per step; the rest are counted in one line. */
const MAX_ANNOTATIONS = 9;

/** One annotation per failed instance, on its stack manifest when known. Returns how many failed. */
function annotateFailures(
  entries: readonly { stack: string; component: string; status: string; reason: string }[],
  verb: string,
  ports: ActionPorts,
  placeOf: (key: string) => Place | undefined,
): number {
  const failed = entries.filter((e) => e.status === 'failed');
  for (const e of failed.slice(0, MAX_ANNOTATIONS)) {
    const place = placeOf(instanceKey(e));
    ports.annotate(new AtmosError(`${verb} ${e.stack}/${e.component}: ${e.reason}`, { file: place?.file, line: place?.line, kind: 'instance' }));
  }
  if (failed.length > MAX_ANNOTATIONS) {
    ports.annotate(new AtmosError(`${failed.length - MAX_ANNOTATIONS} more instance(s) failed: see the job summary`, { kind: 'instance' }));
  }
  return failed.length;
}

export async function runPlan(inputs: PlanInputs, project: Project, ports: LegActionPorts): Promise<boolean> {
  const plansDir = plansDirOf(inputs.plansDir, ports);
  const stored = await plan(
    project,
    { target: inputs.target, plansDir, parallelism: inputs.parallelism, commitSha: ports.github.sha ?? '', encryptionKey: inputs.encryptionKey },
    ports,
  );
  const entries = stored.map(entryOf);
  ports.setOutput('plans-dir', plansDir);
  ports.setOutput('has-changes', String(entries.some((e) => e.status === 'changes')));
  ports.setOutput('summary', planSummaryOutput(entries));
  ports.summary(planSummary(entries, { title: 'atmos-action plan', commitSha: ports.github.sha }));
  ports.log.info(`${entries.length} instance(s) planned into ${plansDir}${inputs.encryptionKey ? ' (planfiles encrypted)' : ''}`);
  return (
    annotateFailures(
      entries,
      'plan',
      ports,
      placesOf(
        project,
        stored.map((p) => ({ stored: p, instance: { component: p.meta.component, stackFilePath: p.stackFilePath } })),
      ),
    ) === 0
  );
}

export async function runComment(inputs: CommentInputs, ports: LegActionPorts): Promise<boolean> {
  const plansDir = plansDirOf(inputs.plansDir, ports);
  const entries = dirEntries(readPlansDir(plansDir));
  if (entries.length === 0) ports.log.warn(`no plans in ${plansDir}: download every plan leg's artifact there first`);
  const issue = inputs.pullRequest ?? ports.github.pullRequest;
  ports.summary(planSummary(entries, { title: 'atmos-action plan', commitSha: ports.github.sha }));
  if (!issue || !ports.github.repository) {
    ports.log.info('not a pull request (and no pull-request input): no comment posted; the job summary has the plans');
    return true;
  }
  const outcome = await upsertPlanComment(
    {
      repo: ports.github.repository,
      issue,
      entries,
      markerId: inputs.commentId,
      commitSha: ports.github.sha,
      runUrl: ports.github.runUrl,
      secrets: ports.secrets?.values() ?? [],
    },
    inputs.githubToken ? ports.githubApi(inputs.githubToken) : undefined,
  );
  if (outcome.status === 'skipped') {
    ports.log.warn(outcome.warning);
  } else {
    ports.log.info(`plan comment ${outcome.status}${outcome.url ? `: ${outcome.url}` : ''} (${outcome.body.length} characters)`);
    ports.setOutput('comment-id', String(outcome.id));
  }
  ports.setOutput('has-changes', String(entries.some((e) => e.status === 'changes')));
  return true;
}

/** The review record apply checks against, or undefined without a token (the caller then says the check was skipped). */
async function reviewRecord(inputs: ApplyInputs, ports: LegActionPorts): Promise<ReviewedPlans | undefined> {
  if (!inputs.githubToken) return undefined;
  const repo = ports.github.repository;
  if (!repo) throw new AtmosError('apply with github-token checks the plans against the pull request: GITHUB_REPOSITORY is not set');
  const api = ports.githubApi(inputs.githubToken);
  const sha = ports.github.sha;
  try {
    let pullRequest = inputs.pullRequest ?? ports.github.pullRequest;
    if (pullRequest === undefined) {
      if (!sha) throw new AtmosError('apply with github-token needs the merged pull request: run it on the merge, or pass the input pull-request');
      pullRequest = await mergedPullRequest(api, repo, sha);
    }
    const reviewed = await findReviewedPlans(api, { repo, pullRequest, markerId: inputs.commentId });
    ports.log.info(`checking every planfile against ${reviewed.source}`);
    return reviewed;
  } catch (e) {
    if (e instanceof AtmosError) throw e;
    // Fail closed: without the record, nothing shows what was reviewed.
    throw new AtmosError(`the plan comment could not be read, so nothing is applied: ${(e as Error).message} (run again once the API answers)`, { cause: e });
  }
}

export async function runApply(inputs: ApplyInputs, project: Project, ports: LegActionPorts): Promise<boolean> {
  const plansDir = plansDirOf(inputs.plansDir, ports);
  const reviewed = await reviewRecord(inputs, ports);
  const warnings = applyTrustWarnings({ sealed: inputs.encryptionKey !== undefined, reviewChecked: reviewed !== undefined });
  for (const w of warnings) ports.log.warn(w);
  let only: Set<string> | undefined;
  if (inputs.fromLevel > 1) {
    // The levels before were applied by their own jobs; the same plans give the same levels.
    const levels = applyLevels(project, { plansDir, target: inputs.target });
    only = new Set(levels.slice(inputs.fromLevel - 1).flatMap((l) => l.map((leg) => leg.instance)));
    ports.log.info(`${only.size} instance(s) in dependency level(s) ${inputs.fromLevel}–${levels.length}, applied in order`);
    if (only.size === 0) {
      ports.setOutput('summary', '[]');
      ports.summary(`### atmos-action apply\n\nNothing at dependency level ${inputs.fromLevel} or deeper.\n`);
      return true;
    }
  }
  const outcome = await apply(
    project,
    {
      plansDir,
      target: inputs.target,
      parallelism: inputs.parallelism,
      encryptionKey: inputs.encryptionKey,
      only,
      scratchRoot: ports.github.runnerTemp,
      reviewed,
    },
    ports,
  );
  if (outcome.refused) {
    const bad = outcome.checks.filter((c) => c.problems.length);
    const entries: ReportEntry[] = outcome.checks.map((c) => ({
      ...c.stored.result,
      status: c.problems.length ? 'failed' : c.stored.result.status,
      reason: c.problems.length ? `not applied: ${c.problems.join('; ')}` : c.stored.result.reason,
      planfileSha256: c.stored.meta.planfileSha256,
    }));
    annotateFailures(entries, 'apply refused for', ports, placesOf(project, bad));
    ports.summary(planSummary(entries, { title: 'atmos-action apply: refused, nothing applied', commitSha: ports.github.sha, warnings }));
    ports.setOutput('summary', planSummaryOutput(entries));
    ports.log.error(`nothing applied: ${bad.length} of ${outcome.checks.length} reviewed plan(s) no longer match (see the annotations)`);
    return false;
  }
  const byInstance = new Map<string, InstanceRunResult>(outcome.results.map((r) => [instanceKey(r), r]));
  const entries: ReportEntry[] = outcome.checks.map((c) => {
    const r = byInstance.get(instanceKey(c.stored.meta));
    return r
      ? { ...r, plan: r.plan ?? c.stored.result.plan, planfileSha256: c.stored.meta.planfileSha256 }
      : { ...entryOf(c.stored), reason: 'nothing to apply' };
  });
  ports.setOutput('summary', planSummaryOutput(entries));
  ports.summary(planSummary(entries, { title: 'atmos-action apply', commitSha: ports.github.sha, warnings }));
  return annotateFailures(entries, 'apply', ports, placesOf(project, outcome.checks)) === 0;
}

/** Where the instance of each plan is written (for the annotations of its failure), found only when asked. */
function placesOf(
  project: Project,
  plans: readonly { stored: StoredPlan; instance?: Pick<Instance, 'component' | 'stackFilePath'> }[],
): (key: string) => Place | undefined {
  const byKey = new Map(plans.map((p) => [instanceKey(p.stored.meta), p.instance]));
  return (key) => {
    const instance = byKey.get(key);
    return instance?.stackFilePath ? project.stacks.placeOf(instance) : undefined;
  };
}

export async function runFindPlans(inputs: FindPlansInputs, ports: LegActionPorts): Promise<boolean> {
  const headSha = inputs.headSha ?? ports.github.headSha;
  if (!ports.github.repository || !headSha) {
    throw new AtmosError('command find-plans runs on a pull_request event (e.g. closed and merged), or needs the input head-sha');
  }
  const found = await findReviewedPlanRun(ports.githubApi(inputs.githubToken), {
    repo: ports.github.repository,
    headSha,
    pullRequest: ports.github.pullRequest,
    group: inputs.group,
  });
  ports.log.info(`the reviewed plans are in run ${found.runId}: ${found.artifacts.join(', ')}`);
  ports.setOutput('run-id', String(found.runId));
  ports.summary(reviewedPlansSummary({ ...found, headSha }));
  return true;
}

export function runApplyMatrix(inputs: ApplyMatrixInputs, project: Project, ports: LegActionPorts): boolean {
  const levels = applyLevels(project, { plansDir: plansDirOf(inputs.plansDir, ports), target: inputs.target });
  const split = inputs.levelJobs ?? levels.length;
  const deeper = levels.slice(split).flat();
  // Checked before any output is set: a job that cannot get one set of credentials must not start.
  const shared = sharedCredentials(
    deeper.map((l) => ({ key: l.instance, role: l.role_apply, region: l.region })),
    { role: inputs.awsRole, region: inputs.awsRegion },
    `the ${deeper.length} instance(s) of dependency levels ${split + 1}–${levels.length}`,
  );
  if (inputs.toolVersions.resolve) setToolVersionOutputs(levels.flat(), inputs.toolVersions, project.cwd, ports);
  // A level with more instances than GitHub runs jobs in one matrix is packed (graph/pack.ts).
  const levelsJson = JSON.stringify(levels.slice(0, split).map((level) => ({ include: legsOf(level, inputs.maxLegs) })));
  assertOutputFits(levelsJson, levels.slice(0, split).flat().length, 'levels');
  ports.setOutput('levels', levelsJson);
  ports.setOutput('depth', String(levels.length));
  ports.setOutput('aws-role', shared.role ?? '');
  ports.setOutput('aws-region', shared.region ?? '');
  ports.log.info(
    `${levels.flat().length} instance(s) to apply in ${levels.length} level(s)` +
      (deeper.length ? `: levels 1–${split} one job per instance, levels ${split + 1}–${levels.length} (${deeper.length}) in one job, in order` : ''),
  );
  ports.summary(applyLevelsSummary(levels));
  return true;
}

/** Outputs terraform-version / opentofu-version: the version of each tool the instances run, '' for a tool none runs. */
export function setToolVersionOutputs(
  instances: readonly { stack: string; component: string; tool: Tool }[],
  inputs: ToolVersionInputs,
  cwd: string,
  ports: Pick<ActionPorts, 'workspace' | 'setOutput' | 'log'>,
): void {
  const needed = new Map<Tool, string>();
  for (const i of instances) if (!needed.has(i.tool)) needed.set(i.tool, `component ${i.component} in stack ${i.stack}`);
  const found = toolVersions(needed, { cwd, root: ports.workspace, inputs: { terraform: inputs.terraform, tofu: inputs.tofu } });
  for (const [tool, v] of Object.entries(found)) ports.log.info(`${VERSION_FILES[tool as Tool].label} ${v.version} (from ${v.from})`);
  ports.setOutput('terraform-version', found.terraform?.version ?? '');
  ports.setOutput('opentofu-version', found.tofu?.version ?? '');
}
