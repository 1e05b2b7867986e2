/**
 * For apply after merge: which workflow run holds the plans reviewed on the pull request, and in
 * which order their instances must be applied when each gets its own job.
 */
import { graphLevels, instanceGraph } from '../graph/instance-graph.js';
import { selectedInstances, selectionManifests, type Selection } from '../graph/select.js';
import type { GitHubApi, WorkflowRunRef } from '../ports/github.js';
import { toolOf, type Tool } from '../config/tool.js';
import { instanceCredentials } from '../graph/credentials.js';
import { entryManifest, soleManifestRule } from '../graph/matrix.js';
import { instanceKey, type InstanceId } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { assertCompletePlans, readPlansDir } from '../terraform/plan-store.js';
import { AtmosError } from '../util/errors.js';
import type { Project } from './project.js';

/** Name prefix of the plan legs' artifacts (the reusable plan workflow names them `atmos-plans-<group>.<leg>`). */
export const PLAN_ARTIFACT_PREFIX = 'atmos-plans-';

/** The artifact name prefix of a group's plans; without a group, every plan artifact. */
export function planArtifactPrefix(group?: string): string {
  return group ? `${PLAN_ARTIFACT_PREFIX}${group}.` : PLAN_ARTIFACT_PREFIX;
}

/**
 * The newest successful pull_request run of the pull request's last commit that uploaded plan
 * artifacts. Plans of an older commit are never picked: what is applied must be what was merged.
 * Runs are matched to the pull request by number (another pull request with the same head commit
 * has runs too); when that cannot be told (no number given and runs of several pull requests, a
 * run listing several, or runs listing none: pull requests from forks), it refuses rather than guess.
 */
export async function findReviewedPlanRun(
  api: GitHubApi,
  req: { repo: string; headSha: string; pullRequest?: number; group?: string },
): Promise<{ runId: number; artifacts: string[] }> {
  const prefix = planArtifactPrefix(req.group);
  const runs = await api.listWorkflowRuns(req.repo, { event: 'pull_request', status: 'success', head_sha: req.headSha }, 50);
  const withPlans: { run: WorkflowRunRef; artifacts: string[]; expired: boolean }[] = [];
  for (const run of runs) {
    const artifacts = (await api.listRunArtifacts(req.repo, run.id)).filter((a) => a.name.startsWith(prefix));
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
  throw new AtmosError(`no successful plan run with ${prefix}* artifacts for the last commit ${req.headSha.slice(0, 12)} of ${pr}: nothing reviewed to apply`);
}

export interface ApplyLeg {
  stack: string;
  component: string;
  instance: string;
  /**
   * The instance's top-level manifest, relative to the project's directory (posix), as in a matrix
   * entry; empty when unknown or when several manifests define it.
   */
  manifest: string;
  /** What the leg installs (graph/matrix.ts MatrixEntry.tool). */
  tool: Tool;
  /** `settings.integrations.github.gitops.role.apply` and `...artifact-storage.region`, when set. */
  role_apply?: string;
  region?: string;
}

/**
 * The instances with changes in the plans directory, in dependency levels: level n holds the
 * instances whose dependencies (within the set) are all in levels before it. One job per instance,
 * one matrix per level, each level's job waiting for the previous one: that is how the order is kept
 * across jobs.
 */
export function applyLevels(project: Project, settings: { plansDir: string; target?: Selection }): ApplyLeg[][] {
  const selected = settings.target ? new Set(selectedInstances(project, settings.target).map(instanceKey)) : undefined;
  const manifest = selectionManifests(project, settings.target);
  const resolved = new Map<string, Instance | undefined>();
  // Only the instances with changes are resolved (and what they read), each once.
  const instanceOf = (id: InstanceId): Instance | undefined => {
    const key = instanceKey(id);
    if (!resolved.has(key)) {
      try {
        resolved.set(key, project.stacks.instance(id.component, id.stack, { manifest }));
      } catch {
        // An instance that no longer resolves: its apply job says so (the apply refuses it).
        resolved.set(key, undefined);
      }
    }
    return resolved.get(key);
  };
  const dir = readPlansDir(settings.plansDir);
  assertCompletePlans(dir, settings.plansDir);
  // The matrix's rule (decision 40): a level entry names a manifest only when it alone defines the instance.
  const soleManifest = dir.plans.length ? soleManifestRule(project.stacks.instanceNames()) : () => false;
  const todo = dir.plans
    .filter((p) => p.result.status === 'changes' && (!selected || selected.has(instanceKey(p.meta))))
    .map((p): ApplyLeg => {
      const leg: ApplyLeg = { stack: p.meta.stack, component: p.meta.component, instance: instanceKey(p.meta), manifest: '', tool: 'terraform' };
      const instance = instanceOf(p.meta);
      if (instance) {
        const credentials = instanceCredentials(instance);
        leg.manifest = entryManifest(instance, project.cwd, soleManifest);
        leg.tool = toolOf(instance.command);
        if (credentials.roleApply) leg.role_apply = credentials.roleApply;
        if (credentials.region) leg.region = credentials.region;
      }
      return leg;
    });
  // However deep: the reusable apply workflow runs the first levels as one job per instance and
  // the rest in one job, in order (the apply command's from-level).
  return graphLevels(instanceGraph(todo, (leg) => instanceOf(leg)?.dependsOn ?? []));
}
