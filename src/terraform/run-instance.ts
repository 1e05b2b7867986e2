/**
 * One instance, start to finish, inside its already provisioned workdir: guards, generated files,
 * init, workspace, plan, show, and apply or destroy. Returns a structured result instead of
 * throwing for anything terraform reports, so a caller running many instances can carry on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TerraformSettings } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { Exec, ExecResult } from '../ports/exec.js';
import { maskedLog, type Log } from '../ports/log.js';
import { instanceKey } from '../stacks/identity.js';
import { withSections } from '../stacks/instance.js';
import type { Instance } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';
import type { Secrets } from '../util/secrets.js';
import { stateDumpFiles, terraformOutputDir } from '../util/paths.js';
import { safeJoin } from '../util/safe-path.js';
import { localState } from '../workdir/list.js';
import { applyArgs, initArgs, planArgs, showJsonArgs, terraformEnv, workspaceNewArgs, workspaceSelectArgs, workspaceStep } from './commands.js';
import { generatedFiles, writeGeneratedFiles } from './generate.js';
import { initNeedsReconfigure, recordInit } from './init-record.js';
import { parsePlanJson, summarizePlan, type PlanResult } from './plan-result.js';
import { relayInterruptedOutput, terraformError, terraformProcess } from './process.js';
import { splitSecretVars } from './secret-vars.js';

export type RunAction = 'plan' | 'apply' | 'destroy';
export type RunStatus = 'no-changes' | 'changes' | 'applied' | 'destroyed' | 'failed' | 'skipped';

export interface InstanceRunResult {
  /** {@link instanceKey}: `<stack>:<component>`. */
  instance: string;
  stack: string;
  component: string;
  action: RunAction;
  status: RunStatus;
  /** One sentence a user reads in the results table: what happened, or why not. */
  reason: string;
  plan?: PlanResult;
  /** Absolute path of the plan file this run wrote or applied. */
  planfile?: string;
  durationMs: number;
  /** Wall time of each terraform step, for the overhead figures. */
  steps: { step: string; ms: number; code: number | null; signal?: string }[];
}

export interface RunInstanceRequest {
  instance: Instance;
  action: RunAction;
  /** Where terraform runs: the provisioned workdir (ProvisionResult.terraformDir). Never the source folder. */
  workdir: string;
  /** The workdir's content changed in this run's provision (Atmos then inits with -reconfigure). */
  reprovisioned: boolean;
  /** atmos.yaml `components.terraform` settings. */
  settings: Pick<TerraformSettings, 'autoGenerateBackendFile' | 'initRunReconfigure' | 'initPassVars'> & Partial<Pick<TerraformSettings, 'autoGenerateFiles'>>;
  /** The user's environment (credentials, CLI config); only entry points read process.env. */
  env: Record<string, string | undefined>;
  /** `apply` only: apply this saved plan as is instead of planning afresh (absolute, or relative to the workdir). */
  planfile?: string;
  /** Several instances run at once: see terraformEnv for what that changes. */
  parallel?: boolean;
  /** Cancellation (Ctrl-C, a cancelled CI job): the running step gets SIGTERM, no further step starts. */
  signal?: AbortSignal;
  /** The second signal: the running step is killed (SIGKILL to its process group). */
  forceSignal?: AbortSignal;
  /**
   * Wraps the init step (e.g. a lock so that inits sharing a plugin cache never run at once). The
   * caller that runs many instances decides; a single run passes none.
   */
  initGate?: <T>(init: () => Promise<T>) => Promise<T>;
  color?: boolean;
  /**
   * The run's secret values: masked in every line terraform prints and in the result, and the
   * variables holding one are passed as `TF_VAR_*` instead of written into the varfile.
   */
  secrets?: Secrets;
  /**
   * `apply`/`destroy` of a fresh plan: asked once the plan shows changes, before they are made;
   * anything but true leaves the plan unapplied (as terraform's prompt does). Absent: approved.
   */
  confirm?: (plan: PlanResult) => Promise<boolean>;
}

export interface RunnerPorts {
  exec: Exec;
  /** This instance's log: terraform's lines and the notes about this run go there, as they are. */
  log: Log;
  clock: Clock;
}

/** Why this instance must not run this action, or null. Checked before anything is written. */
export function refusal(req: Pick<RunInstanceRequest, 'instance' | 'action' | 'workdir'>): { status: 'skipped' | 'failed'; reason: string } | null {
  const i = req.instance;
  // Atmos checks enabled before anything else: a disabled instance is a quiet skip, even an abstract one.
  if (!i.enabled) return { status: 'skipped', reason: 'disabled (metadata.enabled: false)' };
  if (i.abstract) return { status: 'failed', reason: 'abstract component (metadata.type: abstract): never deployed' };
  if (i.locked && req.action !== 'plan') {
    return { status: 'failed', reason: `locked (metadata.locked: true): ${req.action} is refused; plan is allowed` };
  }
  if (i.unsupported.length > 0) {
    const list = i.unsupported.map((u) => `${u.path} = ${u.value}${u.file ? ` (${u.file}${u.line ? `:${u.line}` : ''})` : ''}`).join(', ');
    return { status: 'failed', reason: `uses what atmos-action does not evaluate yet (${list}); running it would pass the raw text to terraform` };
  }
  if (path.resolve(req.workdir) === path.resolve(i.componentPath)) {
    return { status: 'failed', reason: `refusing to run terraform in the shared source folder ${i.componentPath}; run it in the instance's workdir` };
  }
  if (i.backendType === '' || i.backendType === 'local') {
    const state = localState(i.componentPath);
    if (state.length > 0) {
      return {
        status: 'failed',
        reason:
          `the source folder ${i.componentPath} holds local state (${state.join(', ')}); state is never silently forked into a workdir: ` +
          'move it to a remote backend, or into the workdir yourself, then run again',
      };
    }
  }
  return null;
}

/** Runs one action for one instance. Throws only for programming errors; terraform's failures come back as status 'failed'. */
export async function runInstance(req: RunInstanceRequest, ports: RunnerPorts): Promise<InstanceRunResult> {
  const started = ports.clock.now().getTime();
  const i = req.instance;
  const result: InstanceRunResult = {
    instance: instanceKey(i),
    stack: i.stack,
    component: i.component,
    action: req.action,
    status: 'failed',
    reason: '',
    durationMs: 0,
    steps: [],
  };
  const finish = (status: RunStatus, reason: string): InstanceRunResult => {
    result.status = status;
    result.reason = req.secrets ? req.secrets.scrub(reason) : reason;
    result.durationMs = ports.clock.now().getTime() - started;
    return result;
  };

  const refused = refusal(req);
  if (refused) return finish(refused.status, refused.reason);
  if (!fs.existsSync(req.workdir)) return finish('failed', `the workdir ${req.workdir} does not exist; provision it first`);

  try {
    return await steps(req, req.secrets ? { ...ports, log: maskedLog(ports.log, req.secrets) } : ports, result, finish);
  } catch (e) {
    if (e instanceof AtmosError) return finish('failed', e.message);
    throw e;
  }
}

type Finish = (status: RunStatus, reason: string) => InstanceRunResult;

async function steps(req: RunInstanceRequest, ports: RunnerPorts, result: InstanceRunResult, finish: Finish): Promise<InstanceRunResult> {
  const i = req.instance;
  const style = { color: req.color };
  const { env: baseEnv, notes } = terraformEnv({ userEnv: req.env, componentEnv: i.env, parallel: req.parallel ?? false });
  for (const n of notes) ports.log.info(n);
  const vars = splitSecretVars(i.vars, req.secrets);
  const env = { ...baseEnv, ...vars.env };

  const written = await writeGeneratedFiles(
    req.workdir,
    generatedFiles(vars.fileVars === i.vars ? i : withSections(i, { vars: vars.fileVars }, {}), {
      autoGenerateBackendFile: req.settings.autoGenerateBackendFile,
      autoGenerateFiles: req.settings.autoGenerateFiles,
    }),
  );
  const backendFile = written.find((w) => w.kind === 'backend');

  const tfOptions = {
    command: i.command || 'terraform',
    cwd: req.workdir,
    env,
    signal: req.signal,
    forceSignal: req.forceSignal,
    where: `component ${i.component} in stack ${i.stack}`,
    outputDir: terraformOutputDir(req.workdir),
    stateDumpFiles: () => stateDumpFiles(req.workdir, os.tmpdir(), instanceKey(i), ports.clock.now().toISOString().replace(/[:.]/g, '-')),
  };
  await relayInterruptedOutput(ports.log, tfOptions);
  const tf = terraformProcess(ports.exec, ports.log, tfOptions);
  const step = async (name: string, args: string[], quiet = false) => {
    const t0 = ports.clock.now().getTime();
    // Once cancelled, no further step starts: the step reports the cancellation as its own end.
    const r: ExecResult = req.signal?.aborted ? { code: null, signal: 'SIGTERM', stdout: '', stderr: '' } : await tf.run(args, { quiet });
    result.steps.push({ step: name, ms: ports.clock.now().getTime() - t0, code: r.code, ...(r.signal ? { signal: r.signal } : {}) });
    return r;
  };

  const reconfigure = req.settings.initRunReconfigure || req.reprovisioned || initNeedsReconfigure(req.workdir, backendFile?.path);
  const initRun = () => step('init', initArgs({ ...style, reconfigure, varfile: req.settings.initPassVars ? i.varfileName : undefined }));
  const init = await (req.initGate ? req.initGate(initRun) : initRun());
  if (init.code !== 0) return finish('failed', terraformError(init, 'init'));
  await recordInit(req.workdir, backendFile?.path);

  const ws = workspaceStep(i.backendType, i.backend, env);
  if (ws.select) {
    let sel = await step('workspace', workspaceSelectArgs(i.workspace, style));
    if (sel.code !== 0) sel = await step('workspace', workspaceNewArgs(i.workspace, style));
    if (sel.code !== 0) return finish('failed', terraformError(sel, `workspace ${i.workspace}`));
  }

  if (req.action === 'apply' && req.planfile) {
    const planfile = path.resolve(req.workdir, req.planfile);
    result.planfile = planfile;
    const plan = await show(step, planfile);
    if (typeof plan === 'string') return finish('failed', plan);
    result.plan = plan;
    const apply = await step('apply', applyArgs(planfile, style));
    if (apply.code !== 0) return finish('failed', terraformError(apply, 'apply'));
    return finish('applied', `applied the saved plan (${summarizePlan(plan)})`);
  }

  const planfile = safeJoin(req.workdir, i.planfileName, 'planfile name');
  result.planfile = planfile;
  // A failed plan must never leave an older plan behind for a later apply to pick up.
  await fs.promises.rm(planfile, { force: true });
  const destroy = req.action === 'destroy';
  const planRun = await step('plan', planArgs({ ...style, planfile: i.planfileName, varfile: i.varfileName, destroy }));
  if (planRun.code !== 0 && planRun.code !== 2) return finish('failed', terraformError(planRun, destroy ? 'plan -destroy' : 'plan'));
  const plan = await show(step, planfile);
  if (typeof plan === 'string') return finish('failed', plan);
  result.plan = plan;
  const changes = planRun.code === 2 || plan.hasChanges;

  if (req.action === 'plan') return finish(changes ? 'changes' : 'no-changes', changes ? summarizePlan(plan) : 'no changes');
  if (!changes) return finish('no-changes', destroy ? 'nothing to destroy' : 'no changes');
  if (req.confirm && !(await req.confirm(plan))) {
    return finish('failed', `not ${destroy ? 'destroyed' : 'applied'}: the answer was not "yes" (the plan stays in ${i.planfileName})`);
  }

  const apply = await step(destroy ? 'destroy' : 'apply', applyArgs(i.planfileName, style));
  if (apply.code !== 0) return finish('failed', terraformError(apply, destroy ? 'destroy' : 'apply'));
  // An applied plan is stale; removing it keeps anyone from trying to apply it twice.
  await fs.promises.rm(planfile, { force: true });
  result.planfile = undefined;
  return finish(destroy ? 'destroyed' : 'applied', summarizePlan(plan));
}

type Step = (name: string, args: string[], quiet?: boolean) => Promise<ExecResult>;

/** `show -json` → PlanResult, or the failure sentence. Its stdout holds values and is never logged. */
async function show(step: Step, planfile: string): Promise<PlanResult | string> {
  if (!fs.existsSync(planfile)) return `the plan file ${planfile} does not exist`;
  const r = await step('show', showJsonArgs(planfile), true);
  if (r.code !== 0) return terraformError(r, 'show');
  return parsePlanJson(r.stdout);
}
