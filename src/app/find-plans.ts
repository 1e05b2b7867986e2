/**
 * For apply after merge: which workflow run holds the plans reviewed on the pull request, and in
 * which order their instances must be applied when each gets its own job.
 */
import type { GitHubApi, WorkflowRunRef } from '../ports/github.js';
import { findInstance } from '../stacks/resolve.js';
import { assertCompletePlans, readPlansDir } from '../terraform/plan-store.js';
import { AtmosError } from '../util/errors.js';
import { pickInstances } from './plan-legs.js';
import { loadProject, type AppPorts, type ProjectSettings } from './project.js';
import type { ProvisionTarget } from './provision.js';

/** Name prefix of the plan legs' artifacts (the reusable plan workflow names them `atmos-plans-<leg>`). */
export const PLAN_ARTIFACT_PREFIX = 'atmos-plans-';

/**
 * The newest successful pull_request run of the pull request's last commit that uploaded plan
 * artifacts. Plans of an older commit are never picked: what is applied must be what was merged.
 * Runs are matched to the pull request by number (another pull request with the same head commit
 * has runs too); when that cannot be told (no number given and runs of several pull requests, a
 * run listing several, or runs listing none: pull requests from forks), it refuses rather than guess.
 */
export async function findReviewedPlanRun(
  api: GitHubApi,
  req: { repo: string; headSha: string; pullRequest?: number },
): Promise<{ runId: number; artifacts: string[] }> {
  const runs = await api.listWorkflowRuns(req.repo, { event: 'pull_request', status: 'success', head_sha: req.headSha }, 50);
  const withPlans: { run: WorkflowRunRef; artifacts: string[]; expired: boolean }[] = [];
  for (const run of runs) {
    const artifacts = (await api.listRunArtifacts(req.repo, run.id)).filter((a) => a.name.startsWith(PLAN_ARTIFACT_PREFIX));
    if (artifacts.length) withPlans.push({ run, artifacts: artifacts.map((a) => a.name).sort(), expired: artifacts.some((a) => a.expired) });
  }
  const pr = req.pullRequest ? `pull request #${req.pullRequest}` : 'the pull request';
  const numbers = (r: WorkflowRunRef) => r.pull_requests.map((p) => p.number);
  const candidates = req.pullRequest === undefined ? withPlans : withPlans.filter((c) => numbers(c.run).includes(req.pullRequest!));
  const owners = new Set(candidates.flatMap((c) => numbers(c.run)));
  const unknown = withPlans.filter((c) => numbers(c.run).length === 0);
  const ambiguous = (why: string) =>
    new AtmosError(`the plans for commit ${req.headSha.slice(0, 12)} cannot be told apart: ${why}; pass the run to apply (plan-run-id) yourself`);
  if (candidates.length && owners.size > 1) {
    const prs = [...owners].sort((a, b) => a - b).map((n) => `#${n}`);
    throw ambiguous(`run(s) ${candidates.map((c) => c.run.id).join(', ')} belong to pull requests ${prs.join(', ')}`);
  }
  const chosen = candidates[0];
  if (chosen?.expired) throw new AtmosError(`the plan artifacts of run ${chosen.run.id} have expired: plan the pull request again`);
  if (chosen) return { runId: chosen.run.id, artifacts: chosen.artifacts };
  if (unknown.length) throw ambiguous(`run(s) ${unknown.map((c) => c.run.id).join(', ')} name no pull request (from a fork?)`);
  throw new AtmosError(
    `no successful plan run with ${PLAN_ARTIFACT_PREFIX}* artifacts for the last commit ${req.headSha.slice(0, 12)} of ${pr}: nothing reviewed to apply`,
  );
}

export interface ApplyLeg {
  stack: string;
  component: string;
  instance: string;
}

/** At most this many levels of dependencies across apply jobs (the reusable apply workflow has one job per level). */
export const MAX_APPLY_LEVELS = 4;

/**
 * The instances with changes in the plans directory, in dependency levels: level n holds the
 * instances whose dependencies (within the set) are all in levels before it. One job per instance,
 * one matrix per level, each level's job waiting for the previous one: that is how the order is kept
 * across jobs.
 */
export function applyLevels(
  settings: ProjectSettings & { plansDir: string; target?: ProvisionTarget },
  ports: Pick<AppPorts, 'env' | 'log' | 'execSync'>,
): ApplyLeg[][] {
  const { stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, execSync: ports.execSync, includeAbstract: false });
  const selected = settings.target ? new Set(pickInstances(stacks, settings.target).map((i) => `${i.stack}:${i.component}`)) : undefined;
  const dir = readPlansDir(settings.plansDir);
  assertCompletePlans(dir, settings.plansDir);
  const todo = dir.plans.filter((p) => p.result.status === 'changes' && (!selected || selected.has(p.meta.instance)));
  const keys = new Set(todo.map((p) => p.meta.instance));
  const deps = new Map<string, string[]>();
  for (const p of todo) {
    let found: string[] = [];
    try {
      found = findInstance(stacks, p.meta.component, p.meta.stack).dependsOn.map((d) => `${d.stack}:${d.component}`);
    } catch {
      // An instance that no longer resolves: its apply job says so (the apply refuses it).
    }
    deps.set(
      p.meta.instance,
      found.filter((k) => keys.has(k) && k !== p.meta.instance),
    );
  }
  const level = new Map<string, number>();
  const visit = (k: string, path: string[]): number => {
    if (level.has(k)) return level.get(k)!;
    if (path.includes(k)) throw new AtmosError(`dependency cycle: ${[...path, k].join(' → ')}`);
    const l = Math.max(-1, ...deps.get(k)!.map((d) => visit(d, [...path, k]))) + 1;
    level.set(k, l);
    return l;
  };
  const levels: ApplyLeg[][] = [];
  for (const p of todo) (levels[visit(p.meta.instance, [])] ??= []).push({ stack: p.meta.stack, component: p.meta.component, instance: p.meta.instance });
  if (levels.length > MAX_APPLY_LEVELS) {
    throw new AtmosError(
      `the plans need ${levels.length} levels of dependent applies; the one-job-per-instance apply supports ${MAX_APPLY_LEVELS}: apply them in one job (the apply command keeps the order itself)`,
    );
  }
  return levels;
}
