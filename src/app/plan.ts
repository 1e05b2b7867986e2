/** `plan` (action `command: plan`): plan the selected instances into the plans directory. */
import { schedule } from '../graph/schedule.js';
import { writePlanFolder, type StoredPlan } from '../terraform/plan-store.js';
import { instanceFingerprint, pickInstances, runInWorkdir, type LegPorts } from './plan-legs.js';
import { loadProject, type ProjectSettings } from './project.js';
import type { ProvisionTarget } from './provision.js';

export interface PlanSettings extends ProjectSettings {
  target: ProvisionTarget;
  /** Where the instance folders go (created if needed). */
  plansDir: string;
  parallelism: number;
  /** The commit planned (recorded in each folder's metadata). */
  commitSha: string;
  /** Seal planfiles with this key before they are stored. */
  encryptionKey?: string;
}

/**
 * Plans every selected instance, `parallelism` at a time; each gets its folder in the plans
 * directory, a failed plan too (without a planfile), so the comment and apply see every instance.
 */
export async function plan(settings: PlanSettings, ports: LegPorts): Promise<(StoredPlan & { stackFilePath: string })[]> {
  const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, includeAbstract: false });
  const instances = pickInstances(stacks, settings.target);
  const parallel = settings.parallelism > 1 && instances.length > 1;
  const nodes = instances.map((instance) => ({ key: `${instance.stack}:${instance.component}`, value: instance }));
  const results = await schedule(
    nodes,
    async (instance) => {
      const run = await runInWorkdir(instance, { config, action: 'plan', parallel }, ports);
      const fp = await instanceFingerprint(instance, config);
      const stored = await writePlanFolder(settings.plansDir, {
        meta: {
          instance: run.instance,
          stack: instance.stack,
          component: instance.component,
          commitSha: settings.commitSha,
          ...fp,
          terraformVersion: run.plan?.terraformVersion,
          stackFile: instance.stackFile,
          createdAt: ports.clock.now().toISOString(),
        },
        result: { instance: run.instance, stack: run.stack, component: run.component, status: run.status, reason: run.reason, plan: run.plan, durationMs: run.durationMs },
        planfile: run.status === 'changes' || run.status === 'no-changes' ? run.planfile : undefined,
        encryptionKey: settings.encryptionKey,
      });
      return { ...stored, stackFilePath: instance.stackFilePath };
    },
    { parallelism: settings.parallelism, failFast: false },
  );
  return results.map((r) => {
    if (r.status === 'ok') return r.value;
    throw r.status === 'failed' ? r.error : new Error(r.reason);
  });
}
