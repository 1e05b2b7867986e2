/**
 * What plan and apply share: picking the instances, preparing each one's workdir, hashing what
 * apply must find unchanged, and running terraform for one instance inside a log group.
 */
import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import { selectInstances } from '../graph/select.js';
import type { Log } from '../ports/log.js';
import { describeComponent } from '../stacks/describe.js';
import { findInstance, type ResolvedStacks } from '../stacks/resolve.js';
import type { Instance } from '../stacks/types.js';
import { canonicalJson, lockFileHash } from '../terraform/plan-store.js';
import { runInstance, type InstanceRunResult, type RunAction } from '../terraform/run-instance.js';
import { sha256Text } from '../workdir/hash.js';
import { CANONICAL_LOCK } from '../workdir/lock-seed.js';
import { provisionWorkdir } from '../workdir/provision.js';
import { parseGitTimeout } from '../workdir/remote.js';
import type { AppPorts } from './project.js';
import type { ProvisionTarget } from './provision.js';

/** Groups a block of log lines (the action: a foldable group; elsewhere a heading). */
export type LogGroup = <T>(title: string, fn: () => Promise<T>) => Promise<T>;

export interface LegPorts extends AppPorts {
  group?: LogGroup;
}

/** One named instance, or the deployable instances the globs select (abstract ones are never resolved here). */
export function pickInstances(stacks: ResolvedStacks, target: ProvisionTarget): Instance[] {
  return 'component' in target ? [findInstance(stacks, target.component, target.stack)] : selectInstances(stacks.instances, target);
}

/**
 * What apply must find unchanged: the resolved configuration (describe shape, canonical JSON, with
 * the checkout's location taken out so another runner's path compares equal) and the lock file.
 */
export async function instanceFingerprint(instance: Instance, config: AtmosConfig): Promise<{ configSha256: string; lockFileSha256: string | null }> {
  const text = canonicalJson(describeComponent(instance, config)).split(JSON.stringify(config.basePath).slice(1, -1)).join('<base_path>');
  return { configSha256: sha256Text(text), lockFileSha256: await lockFileHash(path.join(instance.componentPath, CANONICAL_LOCK)) };
}

/**
 * Provisions the instance's workdir (always on: terraform never runs in the shared source folder)
 * and runs one action there. With `parallel`, the instance's lines are collected and shown as one
 * group when it ends, so parallel instances never interleave inside a group.
 */
export async function runInWorkdir(
  instance: Instance,
  req: { config: AtmosConfig; action: RunAction; parallel: boolean; planfile?: string; beforeRun?: (workdir: string) => Promise<void> },
  ports: LegPorts,
): Promise<InstanceRunResult> {
  const title = `${req.action} ${instance.stack} / ${instance.component}`;
  const body = async (log: Log): Promise<InstanceRunResult> => {
    let provisioned;
    try {
      provisioned = await provisionWorkdir(
        instance,
        { basePath: req.config.basePath, defaultTtl: req.config.terraform.sourceTtl, gitTimeoutMs: parseGitTimeout(ports.env.ATMOS_ACTION_GIT_TIMEOUT) },
        { exec: ports.exec, log, clock: ports.clock, env: ports.env },
      );
    } catch (e) {
      return failedRun(instance, req.action, `workdir: ${(e as Error).message}`);
    }
    if (req.beforeRun) await req.beforeRun(provisioned.terraformDir);
    return runInstance(
      {
        instance,
        action: req.action,
        workdir: provisioned.terraformDir,
        reprovisioned: provisioned.changed,
        settings: req.config.terraform,
        env: ports.env,
        planfile: req.planfile,
        parallel: req.parallel,
      },
      { exec: ports.exec, log, clock: ports.clock },
    );
  };
  const group = ports.group ?? ((_t, fn) => fn());
  if (!req.parallel) return group(title, () => body(ports.log));
  const lines: [keyof Log, string][] = [];
  const buffered: Log = { debug: (m) => lines.push(['debug', m]), info: (m) => lines.push(['info', m]), warn: (m) => lines.push(['warn', m]), error: (m) => lines.push(['error', m]) };
  const result = await body(buffered);
  await group(`${title}: ${result.status}`, async () => {
    for (const [level, m] of lines) ports.log[level](m);
  });
  return result;
}

export function failedRun(instance: Instance, action: RunAction, reason: string): InstanceRunResult {
  return { instance: `${instance.stack}:${instance.component}`, stack: instance.stack, component: instance.component, action, status: 'failed', reason, durationMs: 0, steps: [] };
}
