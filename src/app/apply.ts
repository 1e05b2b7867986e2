/**
 * `apply` (action `command: apply`): apply exactly the plans that were reviewed. Nothing is planned
 * afresh. Every stored plan is checked first (planfile SHA-256, decryption, resolved configuration
 * and lock file unchanged, instance still there and not locked); if any check fails, nothing is
 * applied and each difference is reported. Then the planfiles are applied in dependency order.
 */
import fs from 'node:fs';
import { selectedInstances, selectionManifest, type Selection } from '../graph/select.js';
import { instanceKey } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { loadPlanfile, planDrift, readPlansDir, type StoredPlan } from '../terraform/plan-store.js';
import type { InstanceRunResult } from '../terraform/run-instance.js';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';
import { planFilePath } from '../util/paths.js';
import { instanceFingerprint, runGrouped, withProviderStore, type LegPorts } from './plan-legs.js';
import { resolveWithValues } from './cloud-values.js';
import type { Project } from './project.js';

export interface ApplySettings {
  plansDir: string;
  /** Only the plans of these instances (one job per instance); default every plan in the directory. */
  target?: Selection;
  parallelism: number;
  encryptionKey?: string;
  /** Only these instances (`stack:component`): the dependency levels one job applies. */
  only?: ReadonlySet<string>;
}

export interface ApplyCheck {
  stored: StoredPlan;
  instance?: Instance;
  /** Why this plan must not be applied; empty when it may. */
  problems: string[];
  planfile?: Buffer;
}

export interface ApplyOutcome {
  /** Every stored plan with what the checks found. */
  checks: ApplyCheck[];
  /** True when a check failed: then nothing was applied. */
  refused: boolean;
  /** One per stored plan that had changes (empty when refused). */
  results: InstanceRunResult[];
}

export async function apply(project: Project, settings: ApplySettings, ports: LegPorts): Promise<ApplyOutcome> {
  let stored = readPlansDir(settings.plansDir);
  if (stored.length === 0) throw new AtmosError(`no plans in ${settings.plansDir}: download the plan artifacts there first`);
  const config = project.config;
  if (settings.target) {
    const wanted = new Set(selectedInstances(project, settings.target).map(instanceKey));
    stored = stored.filter((s) => wanted.has(instanceKey(s.meta)));
    if (stored.length === 0) throw new AtmosError(`no plan in ${settings.plansDir} for the selected instance(s)`);
  }
  if (settings.only) stored = stored.filter((s) => settings.only!.has(instanceKey(s.meta)));

  const checks: ApplyCheck[] = [];
  for (const s of stored) {
    const check: ApplyCheck = { stored: s, problems: [] };
    checks.push(check);
    if (s.result.status === 'no-changes' || s.result.status === 'skipped') continue;
    if (s.result.status !== 'changes') {
      check.problems.push(`the plan ${s.result.status}: ${s.result.reason}`);
      continue;
    }
    try {
      const manifest = selectionManifest(project, settings.target);
      check.instance = await resolveWithValues(project, () => project.stacks.instance(s.meta.component, s.meta.stack, { manifest }), ports.log);
    } catch (e) {
      check.problems.push(`the instance no longer resolves: ${(e as Error).message}`);
      continue;
    }
    if (check.instance.locked) check.problems.push('locked (metadata.locked: true): apply is refused');
    check.problems.push(...planDrift(s.meta, await instanceFingerprint(check.instance, config)));
    try {
      check.planfile = loadPlanfile(s, settings.encryptionKey);
    } catch (e) {
      check.problems.push((e as Error).message.replace(`${s.meta.instance}: `, ''));
    }
  }
  if (checks.some((c) => c.problems.length)) return { checks, refused: true, results: [] };

  const todo = checks.filter((c) => c.instance && c.planfile);
  if (todo.length === 0) return { checks, refused: false, results: [] };
  // Exactly the verified bytes are applied: written beside the stored plan, removed afterwards.
  const planfiles = new Map<string, string>();
  try {
    for (const c of todo) {
      const file = planFilePath(c.stored.folder, 'applying');
      await atomicWriteFile(file, c.planfile!, 0o600);
      planfiles.set(instanceKey(c.stored.meta), file);
    }
    const target = settings.target ?? { stacks: [], components: [] };
    const report = await withProviderStore(project, { target }, ports, () =>
      runGrouped(
        project,
        { action: 'apply', target, planfiles, parallelism: settings.parallelism, keepGoing: true },
        todo.length,
        () => `apply ${[...planfiles.keys()].join(', ')}`,
        ports,
      ),
    );
    const results = report.results;
    return { checks, refused: false, results };
  } finally {
    for (const file of planfiles.values()) await fs.promises.rm(file, { force: true });
  }
}
