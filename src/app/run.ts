/**
 * `plan`, `apply`, `destroy` over one instance or a selection: resolve, select, check the terraform
 * binary once, build the dependency DAG among the selected instances, and run each instance (its
 * workdir provisioned first, always) through the one scheduler. Shared by the CLI and the action.
 */
import os from 'node:os';
import { authWarnings } from '../graph/credentials.js';
import { instanceGraph, reversed, scheduleNodes } from '../graph/instance-graph.js';
import { schedule } from '../graph/schedule.js';
import { isOneInstance, selectedInstances, selectionWarnings, type Selection } from '../graph/select.js';
import { prefixedLog, type Log } from '../ports/log.js';
import { displayName, instanceKey, logPrefix, type InstanceId } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { findTerraform } from '../terraform/binary.js';
import { refusal, runInstance, type InstanceRunResult, type RunAction } from '../terraform/run-instance.js';
import { resolveOutputReferences, type OutputCache, type OutputReadContext } from '../terraform/output-references.js';
import { approvalQuestion, type RunReport } from '../report/run.js';
import type { PlanResult } from '../terraform/plan-result.js';
import { AtmosError } from '../util/errors.js';
import { assertDistinctWorkdirs, buildWorkdirPath } from '../util/paths.js';
import { refuseSecretNames } from '../util/secrets.js';
import { provisionWorkdir } from '../workdir/provision.js';
import { generateFileNames } from '../terraform/generate-section.js';
import { oneAtATime, pluginCachePolicy, type PrepareInit } from './prepare-init.js';
import { providerStorePrepareInit } from './provider-store-init.js';
import { resolveWithValues } from './cloud-values.js';
import type { AppPorts, Project } from './project.js';
import { finder, readInitTargets, readRunStoreKeys, readWorkdirs } from './run-reads.js';

export type { RunReport };

/**
 * The log of one instance's lines (its terraform output, its provision, its output reads). The
 * entry point decides how they are told apart: the CLI prefixes them, the action groups them.
 */
export type InstanceLogs = (instance: InstanceId) => Log;

export interface RunPorts extends AppPorts {
  /** Default: the run's log, each line prefixed with the instance's {@link logPrefix} when several instances run. */
  instanceLog?: InstanceLogs;
}

export interface RunSettings {
  action: RunAction;
  target: Selection;
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
  /** The provider store off for this run (CLI `--no-provider-store`); default: EnvSettings.providerStore. */
  providerStore?: false;
  /**
   * How `apply` of fresh plans and `destroy` are approved (the CLI): `--auto-approve`, and the
   * terminal to ask on. Absent: the caller approved them (the action applies reviewed plans only).
   */
  approval?: Approval;
}

/** The approval of changes nobody has reviewed, as terraform and Atmos ask for it. */
export interface Approval {
  autoApprove: boolean;
  /** Asks one question and returns the answer; absent when there is no terminal. */
  ask?: (question: string) => Promise<string>;
}

/** Thrown inside the scheduler so that a failed instance counts as a failure for its dependents. */
class InstanceFailed extends Error {
  constructor(readonly result: InstanceRunResult) {
    super(result.reason);
  }
}

/** Runs the target's instances of `project` (resolved once, shared with the caller). */
export async function runInstances(project: Project, runSettings: RunSettings, ports: RunPorts): Promise<RunReport> {
  const t0 = ports.clock.now().getTime();
  // A caller's own signals win; otherwise the entry point's cancellation (the action's) applies.
  const settings: RunSettings = {
    ...runSettings,
    signal: runSettings.signal ?? ports.cancellation?.signal,
    forceSignal: runSettings.forceSignal ?? ports.cancellation?.forceSignal,
  };
  const config = project.config;
  const t = settings.target;
  const one = isOneInstance(t);
  // Resolved with the atmos.Store values their templates read (the only values read while resolving).
  const planned = settings.planfiles && ((id: InstanceId) => settings.planfiles!.has(instanceKey(id)));
  const picked = await resolveWithValues(project, () => selectedInstances(project, t, planned || undefined), ports.log);
  const instances = planned ? picked.filter(planned) : picked;
  if (settings.planfiles && settings.action !== 'apply') throw new AtmosError('saved plans are applied with action apply only');
  if (settings.planfile && (!one || settings.action !== 'apply'))
    throw new AtmosError('--planfile applies the saved plan of one instance: apply <component> -s <stack> --planfile FILE');
  if (instances.length === 0) {
    const why = selectionWarnings(project, t);
    throw new AtmosError(`no deployable instance matches the selection${why.length ? `: ${why.join('; ')}` : ''}`);
  }
  refuseSecretNames(instances, ports.secrets);
  assertDistinctWorkdirs(instances);
  const confirmFor = approvalOf(settings, config.terraform.applyAutoApprove);
  for (const w of authWarnings(instances, config)) ports.log.warn(w.message, w.where);

  // Before anything starts: a cycle, a missing binary. Edges only among the selected instances.
  const graph = instanceGraph(
    instances,
    (i) => i.dependsOn,
    (i, d) => ports.log.info(`${displayName(i)} depends on ${displayName(d)}, which is not selected: not waiting for it`),
  );
  // Destroy runs in reverse: a dependent is destroyed before what it depends on.
  const nodes = scheduleNodes(settings.action === 'destroy' ? reversed(graph) : graph);
  const runnable = instances.filter(
    (i) => !refusal({ instance: i, action: settings.action, workdir: buildWorkdirPath(config.basePath, i.stack, i.component) }),
  );
  for (const command of new Set(runnable.map((i) => i.command || 'terraform'))) {
    const users = runnable.filter((i) => (i.command || 'terraform') === command);
    findTerraform(
      command,
      ports.env,
      project.cwd,
      users.length === 1 ? `component ${users[0]!.component} in stack ${users[0]!.stack}` : `${users.length} selected instances`,
    );
  }

  const parallelism = Math.max(1, settings.parallelism ?? os.availableParallelism());
  const parallel = Math.min(parallelism, instances.length) > 1;
  const store = ports.envSettings.providerStore;
  const defaultPrepare =
    store.enabled && settings.providerStore !== false ? providerStorePrepareInit({ basePath: config.basePath, store }, ports) : pluginCachePolicy;
  const cliConfig = ports.envSettings.terraformCliConfig();
  const running = new Set(instances.map(instanceKey));
  // Instances read with terraform where this run does not run them get their providers with the run's.
  const initTargets = await readInitTargets(project, runnable, running, ports.log);
  const prepared = await (settings.prepareInit ?? defaultPrepare)({ parallel, env: ports.env, instances: [...runnable, ...initTargets], cliConfig });
  for (const n of prepared.notes) ports.log.info(n);
  const initGate = prepared.serializeInits ? oneAtATime() : undefined;
  const many = instances.length > 1;
  const instanceLog: InstanceLogs = ports.instanceLog ?? ((id) => (many ? prefixedLog(ports.log, logPrefix(id)) : ports.log));
  const provisionOpts = {
    basePath: config.basePath,
    defaultTtl: config.terraform.sourceTtl,
    vendorBasePath: config.vendorBasePath,
    generated: config.terraform.autoGenerateFiles ? generateFileNames : undefined,
    gitTimeoutMs: ports.envSettings.gitTimeoutMs,
  };

  // Every store key the instances read, at once: one batch per store, each key once per run.
  await readRunStoreKeys(project, runnable, ports.log);
  const outputCache: OutputCache = new Map();
  const context = (reader: Instance, log: Log): OutputReadContext => ({
    // The instances read are resolved when first read (usually the reader's own manifest holds them).
    find: finder(project, reader, log),
    basePath: config.basePath,
    cache: outputCache,
    log,
    exec: ports.exec,
    env: ports.env,
    cloud: ports.cloud,
    values: project.values,
    workdirToRead: (target) => reads.workdirToRead(target, log),
  });
  const reads = readWorkdirs(
    { project, running, provision: provisionOpts, terraform: config.terraform, prepared, initGate, signal: settings.signal, context },
    ports,
  );
  const work = async (selected: Instance): Promise<InstanceRunResult> => {
    const started = ports.clock.now().getTime();
    const log = instanceLog(selected);
    // Run-time values are read now: the instances whose outputs it reads (its dependencies) have run.
    let instance: Instance;
    try {
      instance = await resolveOutputReferences(selected, context(selected, log));
    } catch (e) {
      throw new InstanceFailed(failedResult(selected, settings.action, (e as Error).message, ports.clock.now().getTime() - started));
    }
    const request = {
      instance,
      action: settings.action,
      settings: config.terraform,
      env: prepared.envFor?.(instance) ?? prepared.env,
      planfile: settings.planfiles?.get(instanceKey(instance)) ?? settings.planfile,
      parallel,
      signal: settings.signal,
      forceSignal: settings.forceSignal,
      initGate: prepared.gateFor?.(instance) ?? initGate,
      color: settings.color,
      secrets: project.secrets,
      confirm: confirmFor?.(instance),
    };
    let result: InstanceRunResult;
    const workdir = buildWorkdirPath(config.basePath, instance.stack, instance.component);
    if (refusal({ instance, action: settings.action, workdir })) {
      result = await runInstance({ ...request, workdir, reprovisioned: false }, { ...ports, log });
    } else {
      // Isolation is the point: every instance runs in its own workdir, whatever provision.workdir.enabled says.
      let wd;
      try {
        wd = await provisionWorkdir(instance, provisionOpts, { ...ports, log, githubToken: ports.envSettings.githubToken });
      } catch (e) {
        throw new InstanceFailed(failedResult(instance, settings.action, `provision failed: ${(e as Error).message}`, ports.clock.now().getTime() - started));
      }
      reads.ranHere(instance, wd.terraformDir);
      const provisionMs = ports.clock.now().getTime() - started;
      result = await runInstance({ ...request, workdir: wd.terraformDir, reprovisioned: wd.changed }, { ...ports, log });
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
    results: results.map((r) => project.secrets.scrubValue(r)),
    parallelism,
    wallMs: ports.clock.now().getTime() - t0,
    cancelled: settings.signal?.aborted ?? false,
    ...(prepared.providers ? { providers: prepared.providers } : {}),
  };
}

/**
 * Whether this run's changes need approving, and how (docs/terraform.md, "Approval"): `apply` of
 * fresh plans (not a saved or reviewed one) unless `--auto-approve` or atmos.yaml's
 * `apply_auto_approve`; `destroy` unless `--auto-approve` (the setting covers apply only, as in
 * Atmos). With a terminal, each instance's plan is asked about once it shows changes, one question
 * at a time; without one, the run is refused before anything starts.
 */
function approvalOf(settings: RunSettings, applyAutoApprove: boolean): ((i: Instance) => (plan: PlanResult) => Promise<boolean>) | undefined {
  const a = settings.approval;
  const action = settings.action;
  if (!a || a.autoApprove || action === 'plan' || settings.planfile || settings.planfiles) return undefined;
  if (action === 'apply' && applyAutoApprove) return undefined;
  const ask = a.ask;
  if (!ask) {
    throw new AtmosError(
      action === 'apply'
        ? 'apply asks before applying a plan nobody has reviewed, and there is no terminal to ask on: give --auto-approve, ' +
            'set components.terraform.apply_auto_approve: true in atmos.yaml, or apply a reviewed plan with --planfile'
        : 'destroy asks before destroying anything, and there is no terminal to ask on: give --auto-approve',
    );
  }
  const oneQuestion = oneAtATime();
  return (i) => async (plan) => (await oneQuestion(() => ask(approvalQuestion(action, i, plan)))).trim() === 'yes';
}

function failedResult(i: Instance, action: RunAction, reason: string, durationMs: number): InstanceRunResult {
  return { instance: instanceKey(i), stack: i.stack, component: i.component, action, status: 'failed', reason, durationMs, steps: [] };
}
