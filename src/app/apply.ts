/**
 * `apply` (action `command: apply`): apply exactly the plans that were reviewed. Nothing is planned
 * afresh. Every stored plan is checked first (the plans directory holds nothing but complete plan
 * folders; planfile SHA-256, seal, and the hash the pull request's comment showed; resolved
 * configuration, code, lock file and terraform version unchanged; instance still there and not
 * locked); if any check fails, nothing is applied and each difference is reported. Then the
 * planfiles are applied in dependency order.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { selectedInstances, selectionManifests, type Selection } from '../graph/select.js';
import { processAlive } from '../lock/lock.js';
import { instanceKey } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { parseVersionJson, versionArgs } from '../terraform/commands.js';
import { planDrift } from '../terraform/plan-drift.js';
import { loadPlanfile } from '../terraform/plan-seal.js';
import { assertCompletePlans, readPlansDir, type StoredPlan } from '../terraform/plan-store.js';
import type { InstanceRunResult } from '../terraform/run-instance.js';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';
import { applyScratchOwnerPid, applyScratchPath } from '../util/paths.js';
import { fingerprintCache, instanceFingerprint, runGrouped, withProviderStore, type LegPorts } from './plan-legs.js';
import { resolveWithValues } from './cloud-values.js';
import type { Project } from './project.js';
import { reviewProblem, type ReviewedPlans } from './review-record.js';

export interface ApplySettings {
  plansDir: string;
  /** Only the plans of these instances (one job per instance); default every plan in the directory. */
  target?: Selection;
  parallelism: number;
  encryptionKey?: string;
  /** Only these instances (`stack:component`): the dependency levels one job applies. */
  only?: ReadonlySet<string>;
  /** Where the decrypted planfiles are kept while they are applied (RUNNER_TEMP in the action). */
  scratchRoot: string;
  /** The planfile hashes the pull request's sticky comment showed its reviewers; absent: that check is not made. */
  reviewed?: ReviewedPlans;
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

/** Removes the scratch folders of earlier applies whose process is gone (killed before it could clean up). */
export async function sweepApplyScratch(root: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = applyScratchOwnerPid(name);
    if (pid !== null && pid !== process.pid && !processAlive(pid)) await fs.promises.rm(path.join(root, name), { recursive: true, force: true });
  }
}

/** The terraform version each distinct command reports (`version -json`), null when it cannot tell. */
async function terraformVersions(commands: Iterable<string>, cwd: string, ports: LegPorts): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const command of new Set(commands)) {
    const r = await ports.exec.run(command, versionArgs(), { cwd, env: ports.env }).catch(() => undefined);
    out.set(command, r && r.code === 0 ? parseVersionJson(r.stdout) : null);
  }
  return out;
}

export async function apply(project: Project, settings: ApplySettings, ports: LegPorts): Promise<ApplyOutcome> {
  await sweepApplyScratch(settings.scratchRoot);
  const dir = readPlansDir(settings.plansDir);
  assertCompletePlans(dir, settings.plansDir);
  let stored = dir.plans;
  if (stored.length === 0) throw new AtmosError(`no plans in ${settings.plansDir}: download the plan artifacts there first`);
  const config = project.config;
  if (settings.target) {
    const wanted = new Set(selectedInstances(project, settings.target).map(instanceKey));
    stored = stored.filter((s) => wanted.has(instanceKey(s.meta)));
    if (stored.length === 0) throw new AtmosError(`no plan in ${settings.plansDir} for the selected instance(s)`);
  }
  if (settings.only) stored = stored.filter((s) => settings.only!.has(instanceKey(s.meta)));

  const checks: ApplyCheck[] = [];
  const cache = fingerprintCache(config);
  for (const s of stored) {
    const check: ApplyCheck = { stored: s, problems: [] };
    checks.push(check);
    if (s.result.status === 'no-changes' || s.result.status === 'skipped') continue;
    if (s.result.status !== 'changes') {
      check.problems.push(`the plan ${s.result.status}: ${s.result.reason}`);
      continue;
    }
    try {
      const manifest = selectionManifests(project, settings.target);
      check.instance = await resolveWithValues(project, () => project.stacks.instance(s.meta.component, s.meta.stack, { manifest }), ports.log);
    } catch (e) {
      check.problems.push(`the instance no longer resolves: ${(e as Error).message}`);
      continue;
    }
    if (check.instance.locked) check.problems.push('locked (metadata.locked: true): apply is refused');
    const review = settings.reviewed ? reviewProblem(settings.reviewed, s, dir.plans) : null;
    if (review) check.problems.push(review);
    try {
      check.planfile = loadPlanfile(s, settings.encryptionKey);
    } catch (e) {
      check.problems.push((e as Error).message.replace(`${s.meta.instance}: `, ''));
    }
  }
  // The code and the terraform version: one `version` per distinct command, one walk per folder.
  const versions = await terraformVersions(
    checks.filter((c) => c.instance).map((c) => c.instance!.command || 'terraform'),
    project.cwd,
    ports,
  );
  for (const c of checks.filter((x) => x.instance)) {
    const now = { ...(await instanceFingerprint(c.instance!, config, cache)), terraformVersion: versions.get(c.instance!.command || 'terraform') ?? null };
    c.problems.push(...planDrift(c.stored.meta, now));
  }
  if (checks.some((c) => c.problems.length)) return { checks, refused: true, results: [] };

  const todo = checks.filter((c) => c.instance && c.planfile);
  if (todo.length === 0) return { checks, refused: false, results: [] };
  // Exactly the verified bytes are applied: written into a private folder of this process, removed
  // afterwards on every path (a killed process's folder is swept by the next apply).
  const scratch = applyScratchPath(settings.scratchRoot, process.pid, randomBytes(6).toString('hex'));
  const planfiles = new Map<string, string>();
  try {
    await fs.promises.mkdir(scratch, { recursive: true, mode: 0o700 });
    for (const c of todo) {
      const file = path.join(scratch, `${path.basename(c.stored.folder)}.tfplan`);
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
    return { checks, refused: false, results: report.results };
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}
