/**
 * `apply` (action `command: apply`): apply exactly the plans that were reviewed. Nothing is planned
 * afresh. Every stored plan is checked first (planfile SHA-256, decryption, resolved configuration
 * and lock file unchanged, instance still there and not locked); if any check fails, nothing is
 * applied and each difference is reported. Then the planfiles are applied in dependency order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { schedule } from '../graph/schedule.js';
import { findInstance } from '../stacks/resolve.js';
import type { Instance } from '../stacks/types.js';
import { loadPlanfile, planDrift, readPlansDir, type StoredPlan } from '../terraform/plan-store.js';
import type { InstanceRunResult } from '../terraform/run-instance.js';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';
import { safeJoin } from '../util/safe-path.js';
import { instanceFingerprint, pickInstances, runInWorkdir, type LegPorts } from './plan-legs.js';
import type { ProvisionTarget } from './provision.js';
import { loadProject, type ProjectSettings } from './project.js';

export interface ApplySettings extends ProjectSettings {
  plansDir: string;
  /** Only the plans of these instances (one job per instance); default every plan in the directory. */
  target?: ProvisionTarget;
  parallelism: number;
  encryptionKey?: string;
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

export async function apply(settings: ApplySettings, ports: LegPorts): Promise<ApplyOutcome> {
  let stored = readPlansDir(settings.plansDir);
  if (stored.length === 0) throw new AtmosError(`no plans in ${settings.plansDir}: download the plan artifacts there first`);
  const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, includeAbstract: false });
  if (settings.target) {
    const wanted = new Set(pickInstances(stacks, settings.target).map((i) => `${i.stack}:${i.component}`));
    stored = stored.filter((s) => wanted.has(s.meta.instance));
    if (stored.length === 0) throw new AtmosError(`no plan in ${settings.plansDir} for the selected instance(s)`);
  }

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
      check.instance = findInstance(stacks, s.meta.component, s.meta.stack);
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
  const keys = new Set(todo.map((c) => c.stored.meta.instance));
  // Order inside one apply: an instance waits for the instances it depends on that are applied in this same step.
  const nodes = todo.map((c) => ({
    key: c.stored.meta.instance,
    deps: c.instance!.dependsOn.map((d) => `${d.stack}:${d.component}`).filter((k) => keys.has(k) && k !== c.stored.meta.instance),
    value: c,
  }));
  const parallel = settings.parallelism > 1 && nodes.length > 1;
  const runs = await schedule(
    nodes,
    async (c) => {
      const r = await runInWorkdir(
        c.instance!,
        {
          config,
          action: 'apply',
          parallel,
          planfile: c.instance!.planfileName,
          // The reviewed planfile goes where terraform would have written it, replacing anything there.
          beforeRun: async (workdir) => {
            const target = safeJoin(workdir, c.instance!.planfileName, 'planfile name');
            await fs.promises.mkdir(path.dirname(target), { recursive: true });
            await atomicWriteFile(target, c.planfile!, 0o600);
          },
        },
        ports,
      );
      // A failed apply skips the instances that depend on it (the scheduler's keep-going policy).
      if (r.status === 'failed') throw new FailedRun(r);
      return r;
    },
    { parallelism: settings.parallelism, failFast: false },
  );
  const results = runs.map((r, i): InstanceRunResult => {
    if (r.status === 'ok') return r.value;
    if (r.status === 'failed' && r.error instanceof FailedRun) return r.error.result;
    const m = todo[i]!.stored.meta;
    const reason = r.status === 'failed' ? `${(r.error as Error)?.message ?? String(r.error)}` : r.reason;
    return { instance: m.instance, stack: m.stack, component: m.component, action: 'apply', status: r.status === 'failed' ? 'failed' : 'skipped', reason, durationMs: 0, steps: [] };
  });
  return { checks, refused: false, results };
}

class FailedRun extends Error {
  constructor(readonly result: InstanceRunResult) {
    super(result.reason);
  }
}
