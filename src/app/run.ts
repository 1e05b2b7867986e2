/**
 * `plan`, `apply`, `destroy` over one instance or a selection: resolve, select, check the terraform
 * binary once, build the dependency DAG among the selected instances, and run each instance (its
 * workdir provisioned first, always) through the one scheduler. Shared by the CLI and the action.
 */
import os from 'node:os';
import { schedule, type ScheduleNode } from '../graph/schedule.js';
import { emptySelectionWarnings, selectInstances } from '../graph/select.js';
import { findInstance } from '../stacks/resolve.js';
import type { Instance } from '../stacks/types.js';
import { findTerraform } from '../terraform/binary.js';
import { instanceKey, refusal, runInstance, type InstanceRunResult, type RunAction } from '../terraform/run-instance.js';
import { resolveOutputReferences, type OutputCache } from '../terraform/output-references.js';
import type { RunReport } from '../report/run.js';
import { AtmosError } from '../util/errors.js';
import { assertDistinctWorkdirs, buildWorkdirPath } from '../util/paths.js';
import { provisionWorkdir } from '../workdir/provision.js';
import { parseGitTimeout } from '../workdir/remote.js';
import { oneAtATime, pluginCachePolicy, type PrepareInit } from './prepare-init.js';
import { providerStoreEnabled, providerStorePrepareInit } from './provider-store-init.js';
import type { ProvisionTarget } from './provision.js';
import { loadProjectWithValues, runSecrets, valueReaders } from './cloud-values.js';
import type { AppPorts, ProjectSettings } from './project.js';

export type RunTarget = ProvisionTarget;
export type { RunReport };

export interface RunSettings extends ProjectSettings {
  action: RunAction;
  target: RunTarget;
  /** Instances running at once; default: the CPU count. */
  parallelism?: number;
  /** Run every independent instance after a failure (dependents of it are skipped). Default: fail fast. */
  keepGoing?: boolean;
  /** `apply` of one instance: apply this saved plan as is. */
  planfile?: string;
  /**
   * `apply` of reviewed plans (the action): instance key → absolute planfile, applied as is. Narrows
   * the selection to these instances; dependency order among them is kept.
   */
  planfiles?: ReadonlyMap<string, string>;
  color?: boolean;
  /** First Ctrl-C / SIGTERM: running terraform gets SIGTERM (it releases its state lock), nothing new starts. */
  signal?: AbortSignal;
  /** Second signal: running terraform is killed. */
  forceSignal?: AbortSignal;
  /** How inits get their providers; default: the provider store ({@link providerStorePrepareInit}), or {@link pluginCachePolicy} when it is off. */
  prepareInit?: PrepareInit;
  /** The provider store on or off; default: on unless ATMOS_ACTION_PROVIDER_STORE=off. */
  providerStore?: boolean;
  /** Where the provider store lives; default: see providerStoreRoot. */
  providerStoreRoot?: string;
}

/** Thrown inside the scheduler so that a failed instance counts as a failure for its dependents. */
class InstanceFailed extends Error {
  constructor(readonly result: InstanceRunResult) {
    super(result.reason);
  }
}

const label = (i: Pick<Instance, 'stack' | 'component'>) => `${i.component}@${i.stack}`;

/** Scheduler nodes: edges only among the selected instances; destroy turns them around. */
export function runGraph(instances: readonly Instance[], action: RunAction, log: AppPorts['log']): ScheduleNode<Instance>[] {
  const selected = new Set(instances.map(instanceKey));
  const deps = new Map<string, string[]>(instances.map((i) => [instanceKey(i), []]));
  for (const i of instances) {
    for (const d of i.dependsOn) {
      const dk = instanceKey(d);
      if (!selected.has(dk)) {
        log.info(`${label(i)} depends on ${label(d)}, which is not selected: not waiting for it`);
        continue;
      }
      // Destroy runs in reverse: a dependent is destroyed before what it depends on.
      if (action === 'destroy') deps.get(dk)!.push(instanceKey(i));
      else deps.get(instanceKey(i))!.push(dk);
    }
  }
  return instances.map((i) => ({ key: instanceKey(i), deps: deps.get(instanceKey(i)), value: i }));
}

export async function runInstances(runSettings: RunSettings, ports: AppPorts): Promise<RunReport> {
  const t0 = ports.clock.now().getTime();
  // A caller's own signals win; otherwise the entry point's cancellation (the action's) applies.
  const settings: RunSettings = {
    ...runSettings,
    signal: runSettings.signal ?? ports.cancellation?.signal,
    forceSignal: runSettings.forceSignal ?? ports.cancellation?.forceSignal,
  };
  const t = settings.target;
  const one = 'component' in t;
  // Store and secret values are read for the instances this run runs (the others show them unread).
  const secrets = runSecrets(ports);
  const reads = valueReaders(t, settings.planfiles);
  const { config, stacks } = await loadProjectWithValues(
    { cwd: settings.cwd, env: ports.env, log: ports.log, execSync: ports.execSync, includeAbstract: false, reads },
    ports,
    secrets,
  );
  const picked = one ? [findInstance(stacks, t.component, t.stack)] : selectInstances(stacks.instances, { stacks: t.stacks, components: t.components });
  const instances = settings.planfiles ? picked.filter((i) => settings.planfiles!.has(instanceKey(i))) : picked;
  if (settings.planfiles && settings.action !== 'apply') throw new AtmosError('saved plans are applied with action apply only');
  if (settings.planfile && (!one || settings.action !== 'apply'))
    throw new AtmosError('--planfile applies the saved plan of one instance: apply <component> -s <stack> --planfile FILE');
  if (instances.length === 0) {
    const why = one ? [] : emptySelectionWarnings(stacks.instances, t);
    throw new AtmosError(`no deployable instance matches the selection${why.length ? `: ${why.join('; ')}` : ''}`);
  }
  assertDistinctWorkdirs(instances);

  // Before anything starts: a cycle, a missing binary.
  const nodes = runGraph(instances, settings.action, ports.log);
  const runnable = instances.filter(
    (i) => !refusal({ instance: i, action: settings.action, workdir: buildWorkdirPath(config.basePath, i.stack, i.component) }),
  );
  for (const command of new Set(runnable.map((i) => i.command || 'terraform'))) {
    const users = runnable.filter((i) => (i.command || 'terraform') === command);
    findTerraform(
      command,
      ports.env,
      settings.cwd,
      users.length === 1 ? `component ${users[0]!.component} in stack ${users[0]!.stack}` : `${users.length} selected instances`,
    );
  }

  const parallelism = Math.max(1, settings.parallelism ?? os.availableParallelism());
  const parallel = Math.min(parallelism, instances.length) > 1;
  const defaultPrepare = providerStoreEnabled(ports.env, settings.providerStore)
    ? providerStorePrepareInit({ basePath: config.basePath, storeRoot: settings.providerStoreRoot }, ports)
    : pluginCachePolicy;
  const prepared = await (settings.prepareInit ?? defaultPrepare)({ parallel, env: ports.env, instances: runnable });
  for (const n of prepared.notes) ports.log.info(n);
  const initGate = prepared.serializeInits ? oneAtATime() : undefined;
  const many = instances.length > 1;
  const provisionOpts = {
    basePath: config.basePath,
    defaultTtl: config.terraform.sourceTtl,
    gitTimeoutMs: parseGitTimeout(ports.env.ATMOS_ACTION_GIT_TIMEOUT),
  };

  const outputCache: OutputCache = new Map();
  const work = async (selected: Instance): Promise<InstanceRunResult> => {
    const started = ports.clock.now().getTime();
    // Output references are read now: the instances they read (its dependencies) have run.
    let instance: Instance;
    try {
      instance = await resolveOutputReferences(selected, {
        all: stacks.instances,
        basePath: config.basePath,
        cache: outputCache,
        log: prefixed(ports.log, many ? `[${label(selected)}] ` : undefined),
        exec: ports.exec,
        env: ports.env,
        cloud: ports.cloud,
      });
    } catch (e) {
      throw new InstanceFailed(failedResult(selected, settings.action, (e as Error).message, ports.clock.now().getTime() - started));
    }
    const prefix = many ? `[${label(instance)}] ` : undefined;
    const request = {
      instance,
      action: settings.action,
      settings: config.terraform,
      env: prepared.envFor?.(instance) ?? prepared.env,
      planfile: settings.planfiles?.get(instanceKey(instance)) ?? settings.planfile,
      parallel,
      prefix,
      signal: settings.signal,
      forceSignal: settings.forceSignal,
      initGate: prepared.gateFor?.(instance) ?? initGate,
      color: settings.color,
      secrets,
    };
    let result: InstanceRunResult;
    const workdir = buildWorkdirPath(config.basePath, instance.stack, instance.component);
    if (refusal({ instance, action: settings.action, workdir })) {
      result = await runInstance({ ...request, workdir, reprovisioned: false }, ports);
    } else {
      // Isolation is the point: every instance runs in its own workdir, whatever provision.workdir.enabled says.
      let wd;
      try {
        wd = await provisionWorkdir(instance, provisionOpts, { ...ports, log: prefixed(ports.log, prefix) });
      } catch (e) {
        throw new InstanceFailed(failedResult(instance, settings.action, `provision failed: ${(e as Error).message}`, ports.clock.now().getTime() - started));
      }
      const provisionMs = ports.clock.now().getTime() - started;
      result = await runInstance({ ...request, workdir: wd.terraformDir, reprovisioned: wd.changed }, ports);
      result.steps.unshift({ step: 'provision', ms: provisionMs, code: 0 });
      result.durationMs += provisionMs;
    }
    if (result.status === 'failed') throw new InstanceFailed(result);
    return result;
  };

  const outcome = await schedule(nodes, work, { parallelism, failFast: !settings.keepGoing, signal: settings.signal });
  const results = outcome.map((r, idx): InstanceRunResult => {
    const i = instances[idx]!;
    if (r.status === 'ok') return r.value;
    if (r.status === 'skipped') return { ...failedResult(i, settings.action, `${r.reason.replace(/^not started: /, '')}`, 0), status: 'skipped' };
    if (r.error instanceof InstanceFailed) return r.error.result;
    return failedResult(i, settings.action, (r.error as Error)?.message ?? String(r.error), r.durationMs);
  });
  return {
    action: settings.action,
    // Nothing that leaves the run holds a secret value (reasons quote terraform; addresses may hold keys).
    results: results.map((r) => secrets.scrub(r)),
    parallelism,
    wallMs: ports.clock.now().getTime() - t0,
    cancelled: settings.signal?.aborted ?? false,
    ...(prepared.providers ? { providers: prepared.providers } : {}),
  };
}

function failedResult(i: Instance, action: RunAction, reason: string, durationMs: number): InstanceRunResult {
  return { instance: instanceKey(i), stack: i.stack, component: i.component, action, status: 'failed', reason, durationMs, steps: [] };
}

function prefixed(log: AppPorts['log'], prefix: string | undefined): AppPorts['log'] {
  if (!prefix) return log;
  return { debug: (m) => log.debug(prefix + m), info: (m) => log.info(prefix + m), warn: (m) => log.warn(prefix + m), error: (m) => log.error(prefix + m) };
}
