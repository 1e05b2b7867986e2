/**
 * For apply after merge: which workflow run holds the plans reviewed on the pull request, and in
 * which order their instances must be applied when each gets its own job.
 */
import type { GitHubApi } from '../ports/github.js';
import { findInstance } from '../stacks/resolve.js';
import { readPlansDir } from '../terraform/plan-store.js';
import { AtmosError } from '../util/errors.js';
import { pickInstances } from './plan-legs.js';
import { loadProject, type AppPorts, type ProjectSettings } from './project.js';
import type { ProvisionTarget } from './provision.js';

/** Name prefix of the plan legs' artifacts (the reusable plan workflow names them `atmos-plans-<leg>`). */
export const PLAN_ARTIFACT_PREFIX = 'atmos-plans-';

/**
 * The newest successful pull_request run for the pull request's last commit that uploaded plan
 * artifacts. Plans of an older commit are never picked: what is applied must be what was merged.
 */
export async function findReviewedPlanRun(
  api: GitHubApi,
  req: { repo: string; headSha: string; pullRequest?: number },
): Promise<{ runId: number; artifacts: string[] }> {
  const runs = await api.listWorkflowRuns(req.repo, { event: 'pull_request', status: 'success', head_sha: req.headSha }, 50);
  for (const run of runs) {
    const artifacts = (await api.listRunArtifacts(req.repo, run.id)).filter((a) => a.name.startsWith(PLAN_ARTIFACT_PREFIX));
    if (artifacts.some((a) => a.expired)) {
      throw new AtmosError(`the plan artifacts of run ${run.id} have expired: plan the pull request again`);
    }
    if (artifacts.length) return { runId: run.id, artifacts: artifacts.map((a) => a.name).sort() };
  }
  const pr = req.pullRequest ? `pull request #${req.pullRequest}` : 'the pull request';
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
  const todo = readPlansDir(settings.plansDir).filter((p) => p.result.status === 'changes' && (!selected || selected.has(p.meta.instance)));
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
