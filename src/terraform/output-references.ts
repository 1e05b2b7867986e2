/**
 * Values read when the reading instance runs (docs/atmos-compatibility.md §11.6, docs/stores.md):
 * the typed reads resolution left in its sections (stacks/deferred.ts).
 * - `!terraform.state` reads the state without running terraform where Atmos does (state-readers.ts:
 *   the workdir's file for local state, the clouds' SDKs for s3, gcs and azurerm, else
 *   `terraform state pull`);
 * - `!terraform.output` and `atmos.Component … .outputs` run `terraform output -json` in the read
 *   instance's workdir. Where this run did not run that instance (a plan leg in its own CI job), the
 *   runner gets its workdir ready to read first (`workdirToRead`: provisioned and initialised,
 *   read-only, read-workdir.ts);
 * - `!store`, `!store.get` and `!secret` find their values among the keys the run read (store-reads.ts).
 * Each instance is read once per run per way (concurrent readers share one read).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CloudPorts } from '../ports/cloud.js';
import type { Exec } from '../ports/exec.js';
import { isOutputRead, mapDeferred, readLabel, readTarget, type DeferredRead, type DeferredValue, type InstanceOutputRead } from '../stacks/deferred.js';
import { queryPath, splitDefault } from '../stacks/functions/args.js';
import type { StoreKey, StoreValues } from '../stacks/functions/store-values.js';
import { displayName, instanceKey } from '../stacks/identity.js';
import { withSections } from '../stacks/instance.js';
import { SECTION_FIELDS, type InstanceSections, type SectionField } from '../stacks/instance-sections.js';
import type { Instance } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';
import { buildWorkdirPath } from '../util/paths.js';
import { terraformEnv } from './commands.js';
import { readStateOutputs, type Outputs } from './state-readers.js';
import { readStoreKeys, storeKeyAt, storeValueAt } from './store-reads.js';

/** Outputs (`name → value`, null when the instance has none yet) per read instance and way, for one run. */
export type OutputCache = Map<string, Promise<Outputs>>;

export interface OutputReadContext {
  /** The instance read (resolved on first use); rejects when there is none. */
  find: (component: string, stack: string) => Promise<Instance>;
  basePath: string;
  cache: OutputCache;
  log: { info(m: string): void };
  exec: Exec;
  /** The user's environment terraform runs with (the read instance's `env` section is added). */
  env: Record<string, string | undefined>;
  /** Cloud reads for `!terraform.state` on the s3, gcs and azurerm backends (absent: refused with a clear message). */
  cloud?: CloudPorts;
  /** The run's store values (absent: a `!store` or `!secret` read fails its instance, saying so). */
  values?: StoreValues;
  /**
   * The folder where terraform reads an instance's outputs or state (`output -json`, `state pull`):
   * made ready on demand where this run did not run it. Absent: its workdir, as it is on this machine.
   */
  workdirToRead?: (target: Instance) => Promise<string>;
}

interface Ref {
  way: 'state' | 'output';
  target: Instance;
}

/**
 * The instance with the values it reads at run time filled in (only those in `fields` when given:
 * the rest keep their deferred values). Unchanged when it reads none, or when it also uses
 * something else not evaluated (the runner refuses it for that). Every read that fails is named,
 * in one error.
 */
export async function resolveOutputReferences(instance: Instance, ctx: OutputReadContext, fields?: readonly SectionField[]): Promise<Instance> {
  const r = await readDeferredValues(instance, ctx, fields);
  if (r.errors.length > 0) throw new InstanceError(r.errors.join('; '));
  return r.instance;
}

/** {@link resolveOutputReferences}, with the reads that failed left deferred and their errors listed. */
export async function readDeferredValues(
  instance: Instance,
  ctx: OutputReadContext,
  fields?: readonly SectionField[],
): Promise<{ instance: Instance; errors: string[] }> {
  if (instance.reads.length === 0 || instance.unsupported.length > 0) return { instance, errors: [] };
  const sections = fields ? SECTION_FIELDS.filter(([f]) => fields.includes(f)) : SECTION_FIELDS;
  const within = (at: string) => sections.some(([, name]) => at === name || at.startsWith(`${name}.`) || at.startsWith(`${name}[`));
  const reads = instance.reads.filter(({ path: at }) => !fields || within(at));
  if (reads.length === 0) return { instance, errors: [] };

  // First the reads (async, shared): instances' outputs, and the store keys not read yet (one batch per store).
  const refs = new Map<DeferredRead, Ref | Error>();
  const keys = new Map<DeferredRead, StoreKey | InstanceError>();
  const outputs = new Map<string, Outputs | Error>();
  const outputReads = reads.filter((r): r is { path: string; read: InstanceOutputRead } => isOutputRead(r.read));
  await Promise.all(outputReads.map(async ({ path: at, read }) => void refs.set(read, await toRef(read, ctx, at).catch((e: Error) => e))));
  const pending: Promise<void>[] = [];
  for (const { read } of outputReads) {
    const r = refs.get(read)!;
    if (r instanceof Error) continue;
    const k = readKey(r);
    if (outputs.has(k)) continue;
    outputs.set(k, null);
    pending.push(
      readOutputs(r, ctx).then(
        (o) => void outputs.set(k, o),
        (e: Error) => void outputs.set(k, e),
      ),
    );
  }
  for (const { path: at, read } of reads) if (!isOutputRead(read) && !keys.has(read)) keys.set(read, storeKeyAt(instance, at, read, ctx.values));
  const storeKeys = [...keys.values()].filter((k): k is StoreKey => !(k instanceof InstanceError));
  if (storeKeys.length > 0) pending.push(readStoreKeys(ctx.values!, storeKeys, ctx.log));
  await Promise.all(pending);

  const valueOf = (read: DeferredRead, at: string): unknown => {
    if (!isOutputRead(read)) return storeValueAt(instance, at, read, keys.get(read) ?? storeKeyAt(instance, at, read, ctx.values), ctx.values);
    const r = refs.get(read);
    if (r === undefined) throw new InstanceError(`${at}: ${readLabel(read)} was not read`);
    if (r instanceof Error) throw r;
    const outs = outputs.get(readKey(r))!;
    if (outs instanceof Error) throw outs;
    return evaluate(read.expression, outs, r.way, `${at}: ${readLabel(read)}`);
  };
  const errors: string[] = [];
  const replaced: Partial<Record<keyof InstanceSections, unknown>> = {};
  for (const [field, name] of sections) {
    const before = instance[field];
    const after = mapDeferred(
      before,
      (v: DeferredValue, at: string) => {
        try {
          const whole = v.whole;
          if (whole) return valueOf(whole, at);
          return v.parts
            .map((p) => {
              if (typeof p === 'string') return p;
              const x = valueOf(p, at);
              return typeof x === 'string' ? x : JSON.stringify(x);
            })
            .join('');
        } catch (e) {
          if (!(e instanceof InstanceError)) throw e;
          if (!errors.includes(e.message)) errors.push(e.message);
          return v;
        }
      },
      name,
    );
    if (after !== before) replaced[field] = after;
  }
  const left = fields ? instance.reads.filter((r) => !within(r.path)) : [];
  return { instance: withSections(instance, replaced as Partial<InstanceSections>, { reads: left }), errors };
}

async function toRef(read: InstanceOutputRead, ctx: OutputReadContext, where: string): Promise<Ref> {
  const { component, stack, way } = readTarget(read);
  let target: Instance;
  try {
    target = await ctx.find(component, stack);
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
    p = r.way === 'output' ? terraformOutputs(r.target, ctx) : readStateOutputs(r.target, ctx);
    ctx.cache.set(k, p);
  }
  return p;
}

/** `terraform output -json` in the read instance's workdir, in its workspace; not logged (outputs may be sensitive). */
async function terraformOutputs(target: Instance, ctx: OutputReadContext): Promise<Outputs> {
  const workdir = ctx.workdirToRead ? await ctx.workdirToRead(target) : buildWorkdirPath(ctx.basePath, target.stack, target.component);
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
