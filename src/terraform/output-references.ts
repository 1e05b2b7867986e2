/**
 * Output references resolved when the reading instance runs (docs/atmos-compatibility.md §11.6):
 * `!terraform.state`, `!terraform.output` and `.outputs` of `atmos.Component`. The instance they
 * read has run first (it is a dependency), so:
 * - `!terraform.state` reads the state directly from the read instance's workdir (local backend),
 *   without running terraform, as Atmos does;
 * - `!terraform.output` and `atmos.Component` run `terraform output -json` in that workdir.
 * Each instance is read once per run per way (concurrent readers share one read).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Exec } from '../ports/exec.js';
import type { ObjectReader } from '../ports/object-store.js';
import { readLabel, readTarget, type DeferredRead } from '../stacks/deferred.js';
import { queryPath, splitDefault } from '../stacks/functions/args.js';
import { displayName, instanceKey } from '../stacks/identity.js';
import { withReadsReplaced } from '../stacks/instance.js';
import type { Instance } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';
import { buildWorkdirPath } from '../util/paths.js';
import { terraformEnv } from './commands.js';

type Outputs = Record<string, unknown> | null;
/** Outputs (`name → value`, null when the instance has none yet) per read instance and way, for one run. */
export type OutputCache = Map<string, Promise<Outputs>>;

export interface OutputReadContext {
  /** The instance read (resolved on first use); throws when there is none. */
  find: (component: string, stack: string) => Instance;
  basePath: string;
  cache: OutputCache;
  log: { info(m: string): void };
  exec: Exec;
  /** The user's environment terraform runs with (the read instance's `env` section is added). */
  env: Record<string, string | undefined>;
  /** S3 reads for `!terraform.state` on the s3 backend (absent: refused with a clear message). */
  s3?: ObjectReader;
}

interface Ref {
  way: 'state' | 'output';
  target: Instance;
}

/**
 * The instance with the values it reads at run time filled in. Unchanged when it reads none, or
 * when it also uses something else not evaluated (the runner refuses it for that).
 */
export async function resolveOutputReferences(instance: Instance, ctx: OutputReadContext): Promise<Instance> {
  if (instance.reads.length === 0 || instance.unsupported.length > 0) return instance;
  // First the reads (async, shared), then the substitution (sync walk).
  const refs = new Map<DeferredRead, Ref>();
  const outputs = new Map<string, Outputs>();
  const pending: Promise<void>[] = [];
  for (const { path: at, read } of instance.reads) {
    const r = toRef(read, ctx, at);
    refs.set(read, r);
    const k = readKey(r);
    if (outputs.has(k)) continue;
    outputs.set(k, null);
    pending.push(readOutputs(r, ctx).then((o) => void outputs.set(k, o)));
  }
  await Promise.all(pending);

  return withReadsReplaced(instance, (read, at) => {
    const r = refs.get(read) ?? toRef(read, ctx, at);
    return { value: evaluate(read.expression, outputs.get(readKey(r))!, r.way, `${at}: ${readLabel(read)}`) };
  });
}

function toRef(read: DeferredRead, ctx: OutputReadContext, where: string): Ref {
  const { component, stack, way } = readTarget(read);
  let target: Instance;
  try {
    target = ctx.find(component, stack);
  } catch {
    throw new InstanceError(
      `${where}: ${read.kind === 'atmos.Component' ? 'atmos.Component' : `!${read.kind}`} reads ${component} in stack ${stack}, which does not exist`,
    );
  }
  return { target, way };
}

const readKey = (r: Ref) => `${r.way} ${instanceKey(r.target)}`;

function readOutputs(r: Ref, ctx: OutputReadContext): Promise<Outputs> {
  const k = readKey(r);
  let p = ctx.cache.get(k);
  if (!p) {
    p =
      r.way === 'output'
        ? terraformOutputs(r.target, ctx)
        : r.target.backendType === 's3'
          ? s3StateOutputs(r.target, ctx)
          : Promise.resolve().then(() => stateOutputs(r.target, ctx));
    ctx.cache.set(k, p);
  }
  return p;
}

function stateOutputs(target: Instance, ctx: OutputReadContext): Outputs {
  if (target.backendType !== '' && target.backendType !== 'local') {
    throw new InstanceError(
      `reading the state of ${target.component} in stack ${target.stack} from its ${target.backendType} backend is not supported yet (local and s3 backends only)`,
    );
  }
  const workdir = buildWorkdirPath(ctx.basePath, target.stack, target.component);
  const file = typeof target.backend.path === 'string' && target.backend.path !== '' ? target.backend.path : 'terraform.tfstate';
  const ws = target.workspace;
  const statePath = ws && ws !== 'default' ? path.join(workdir, 'terraform.tfstate.d', ws, file) : path.join(workdir, file);
  const outputs = fs.existsSync(statePath) ? outputsOfState(fs.readFileSync(statePath, 'utf8')) : null;
  ctx.log.info(`read the state of ${displayName(target)} from ${path.relative(ctx.basePath, statePath)}${outputs ? '' : ' (not provisioned)'}`);
  return outputs;
}

function outputsOfState(text: string): Record<string, unknown> {
  const state = JSON.parse(text) as { outputs?: Record<string, { value: unknown }> };
  return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
}

/**
 * The s3 backend's state object, read without terraform as Atmos does: `key`, or
 * `<workspace_key_prefix>/<workspace>/<key>` for a named workspace; credentials from the
 * environment (static keys, optionally a session token); `endpoint` / `endpoints.s3` and
 * `use_path_style` / `force_path_style` for S3-compatible stores.
 */
async function s3StateOutputs(target: Instance, ctx: OutputReadContext): Promise<Outputs> {
  const b = target.backend as Record<string, unknown>;
  const label = displayName(target);
  const { env } = terraformEnv({ userEnv: ctx.env, componentEnv: target.env, parallel: false });
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const bucket = str(b.bucket);
  const region = str(b.region) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!bucket || !region) throw new InstanceError(`reading the state of ${label}: its s3 backend needs \`bucket\` and \`region\``);
  if (!ctx.s3) throw new InstanceError(`reading the state of ${label} from s3 is not available here`);
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    throw new InstanceError(
      `reading the state of ${label} from s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (profiles and role_arn are not supported yet)`,
    );
  }
  const file = str(b.key) ?? 'terraform.tfstate';
  const ws = target.workspace;
  const key = ws && ws !== 'default' ? `${str(b.workspace_key_prefix) ?? 'env:'}/${ws}/${file}` : file;
  const endpoints = b.endpoints && typeof b.endpoints === 'object' ? (b.endpoints as Record<string, unknown>) : {};
  const endpoint = str(endpoints.s3) ?? str(b.endpoint);
  const pathStyle = b.use_path_style === true || b.force_path_style === true;
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN };
  const r = await ctx.s3.get({ bucket, key, region, endpoint, pathStyle, credentials });
  const where = `s3://${bucket}/${key}`;
  if (r.status === 404) {
    ctx.log.info(`read the state of ${label} from ${where} (not provisioned)`);
    return null;
  }
  if (r.status !== 200) throw new InstanceError(`reading the state of ${label} from ${where} failed: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  ctx.log.info(`read the state of ${label} from ${where}`);
  return outputsOfState(r.body);
}

/** `terraform output -json` in the read instance's workdir, in its workspace; not logged (outputs may be sensitive). */
async function terraformOutputs(target: Instance, ctx: OutputReadContext): Promise<Outputs> {
  const workdir = buildWorkdirPath(ctx.basePath, target.stack, target.component);
  const label = displayName(target);
  if (!fs.existsSync(path.join(workdir, '.terraform'))) {
    ctx.log.info(`read the outputs of ${label}: its workdir is not initialised (not provisioned)`);
    return null;
  }
  const { env } = terraformEnv({ userEnv: ctx.env, componentEnv: target.env, parallel: false });
  if (target.workspace && target.workspace !== 'default') env.TF_WORKSPACE = target.workspace;
  const command = target.command || 'terraform';
  const r = await ctx.exec.run(command, ['output', '-json'], { cwd: workdir, env });
  if (r.code !== 0) {
    throw new InstanceError(`reading the outputs of ${label} (${command} output -json) failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  const parsed = JSON.parse(r.stdout || '{}') as Record<string, { value: unknown }>;
  const outputs = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  const none = Object.keys(outputs).length === 0;
  ctx.log.info(`read the outputs of ${label} with ${command} output -json${none ? ' (none: not provisioned)' : ''}`);
  return none ? null : outputs;
}

/** The YQ expressions real stacks use: `.a.b[0]` paths and a `// default`. */
function evaluate(expression: string, outputs: Outputs, way: Ref['way'], what: string): unknown {
  const { path: pathExpr, fallback } = splitDefault(expression);
  if (outputs === null) {
    if (fallback !== undefined) return fallback;
    const why = way === 'state' ? 'has no state yet' : 'has no outputs yet';
    throw new InstanceError(`${what}: the instance it reads ${why} (not provisioned); apply it first or add a \`// default\``);
  }
  const cur = queryPath(outputs, pathExpr);
  if (cur === undefined) throw new InstanceError(`${what}: the YQ expression is not supported (only paths like .a.b[0] and // default)`);
  if (cur === null) return fallback ?? null;
  return cur;
}
