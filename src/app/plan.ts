/** `plan` (action `command: plan`): plan the selected instances into the plans directory. */
import { selectedInstances, type Selection } from '../graph/select.js';
import { instanceKey } from '../stacks/identity.js';
import { assertWritablePlansDir, writePlanFolder, type StoredPlan } from '../terraform/plan-store.js';
import { fingerprintCache, instanceFingerprint, runGrouped, withProviderStore, type LegPorts } from './plan-legs.js';
import { resolveWithValues } from './cloud-values.js';
import type { Project } from './project.js';

export interface PlanSettings {
  target: Selection;
  /** Where the instance folders go (created if needed). */
  plansDir: string;
  parallelism: number;
  /** The commit planned (recorded in each folder's metadata). */
  commitSha: string;
  /** Seal planfiles with this key before they are stored. */
  encryptionKey?: string;
}

/**
 * Plans every selected instance through the runner (dependency order, `parallelism` at a time,
 * keep-going); each gets its folder in the plans directory, a failed or skipped one too (without a
 * planfile), so the comment and apply see every instance.
 */
export async function plan(project: Project, settings: PlanSettings, ports: LegPorts): Promise<(StoredPlan & { stackFilePath: string })[]> {
  await assertWritablePlansDir(settings.plansDir);
  const config = project.config;
  const selected = await resolveWithValues(project, () => selectedInstances(project, settings.target), ports.log);
  const instances = new Map(selected.map((i) => [instanceKey(i), i]));
  const report = await withProviderStore(project, settings, ports, () =>
    runGrouped(
      project,
      { action: 'plan', target: settings.target, parallelism: settings.parallelism, keepGoing: true },
      instances.size,
      () => `plan ${[...instances.keys()].join(', ')}`,
      ports,
    ),
  );
  const out: (StoredPlan & { stackFilePath: string })[] = [];
  const cache = fingerprintCache(config);
  for (const run of report.results) {
    const instance = instances.get(run.instance)!;
    const stored = await writePlanFolder(settings.plansDir, {
      meta: {
        instance: run.instance,
        stack: run.stack,
        component: run.component,
        commitSha: settings.commitSha,
        ...(await instanceFingerprint(instance, config, cache)),
        terraformVersion: run.plan?.terraformVersion ?? null,
        stackFile: instance.stackFile,
        createdAt: ports.clock.now().toISOString(),
      },
      result: {
        instance: run.instance,
        stack: run.stack,
        component: run.component,
        status: run.status,
        reason: run.reason,
        plan: run.plan,
        durationMs: run.durationMs,
      },
      planfile: run.status === 'changes' || run.status === 'no-changes' ? run.planfile : undefined,
      encryptionKey: settings.encryptionKey,
    });
    out.push({ ...stored, stackFilePath: instance.stackFilePath });
  }
  return out;
}
