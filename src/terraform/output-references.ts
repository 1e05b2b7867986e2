/**
 * Output references resolved when the reading instance runs (docs/atmos-compatibility.md §11.6):
 * `!terraform.state`, `!terraform.output` and `.outputs` of `atmos.Component`. The instance they
 * read has run first (it is a dependency), so:
 * - `!terraform.state` reads the state without running terraform where Atmos does (state-readers.ts:
 *   the workdir's file for local state, the clouds' SDKs for s3, gcs and azurerm);
 * - `!terraform.output` and `atmos.Component` run `terraform output -json` in that workdir.
 * Each instance is read once per run per way (concurrent readers share one read).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CloudPorts } from '../ports/cloud.js';
import type { Exec } from '../ports/exec.js';
import { ResolvedInstance, type InstanceFields } from '../stacks/instance.js';
import { queryPath } from '../stacks/functions/args.js';
import { mapStrings } from '../stacks/section-templates.js';
import type { Instance } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';
import { buildWorkdirPath } from '../util/paths.js';
import { terraformEnv } from './commands.js';
import { readStateOutputs } from './state-readers.js';

const SUFFIX = ' (unresolved: read at run time)';
/** A whole value that is one reference (its type survives: a list stays a list). */
const WHOLE = /^(!terraform\.output|!terraform\.state|atmos\.Component) (\S+) (\S+) (.+) \(unresolved: read at run time\)$/;
/** atmos.Component references inside a longer rendered string (the template interpolated them). */
const INSIDE = /atmos\.Component (\S+) (\S+) (\.[\w-]+) \(unresolved: read at run time\)/g;
const FIELDS = ['vars', 'env', 'settings', 'providers', 'backend'] as const;

type Outputs = Record<string, unknown> | null;
/** Outputs (`name → value`, null when the instance has none yet) per read instance and way, for one run. */
export type OutputCache = Map<string, Promise<Outputs>>;

export interface OutputReadContext {
  all: readonly Instance[];
  basePath: string;
  cache: OutputCache;
  log: { info(m: string): void };
  exec: Exec;
  /** The user's environment terraform runs with (the read instance's `env` section is added). */
  env: Record<string, string | undefined>;
  /** Cloud reads for `!terraform.state` on the s3, gcs and azurerm backends (absent: refused with a clear message). */
  cloud?: CloudPorts;
}

interface Ref {
  way: 'state' | 'output';
  fn: string;
  target: Instance;
}

/**
 * The instance with its output references replaced by values. Unchanged when it has none, or when
 * it also uses something else not evaluated (the runner refuses it for that).
 */
export async function resolveOutputReferences(instance: Instance, ctx: OutputReadContext): Promise<Instance> {
  const refs = instance.unsupported.filter((u) => u.kind === 'output-reference');
  if (refs.length === 0 || refs.length !== instance.unsupported.length) return instance;
  // First the reads (async, shared), then the substitution (sync walk).
  const outputs = new Map<string, Outputs>();
  const pending: Promise<void>[] = [];
  const need = (r: Ref) => {
    const k = readKey(r);
    if (outputs.has(k)) return;
    outputs.set(k, null);
    pending.push(read(r, ctx).then((o) => void outputs.set(k, o)));
  };
  for (const f of FIELDS) {
    mapStrings(instance[f], (s, at) => {
      for (const r of referencesIn(s, `${f}.${at}`, ctx.all)) need(r);
      return undefined;
    });
  }
  await Promise.all(pending);

  const fields = { ...(instance as unknown as InstanceFields), unsupported: [] } as InstanceFields;
  for (const f of FIELDS) {
    (fields as unknown as Record<string, unknown>)[f] = mapStrings(instance[f], (s, at) => {
      if (!s.includes(SUFFIX)) return undefined;
      const where = `${f}.${at}`;
      const m = whole(s);
      if (m) {
        const [, fn, component, stack, expression] = m;
        const r = toRef(fn, component, stack, ctx.all, where);
        return evaluate(expression, outputs.get(readKey(r))!, r.way, `${where}: ${fn} ${component} ${stack} ${expression}`);
      }
      return s.replace(INSIDE, (_all, component: string, stack: string, expression: string) => {
        const r = toRef('atmos.Component', component, stack, ctx.all, where);
        const v = evaluate(expression, outputs.get(readKey(r))!, r.way, `${where}: atmos.Component ${component} ${stack} ${expression}`);
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
    });
  }
  return new ResolvedInstance(fields);
}

/** The parts of a value that is exactly one reference (an atmos.Component one names a single output). */
function whole(s: string): RegExpExecArray | null {
  const m = WHOLE.exec(s);
  return m && (m[1] !== 'atmos.Component' || /^\.[\w-]+$/.test(m[4])) ? m : null;
}

function referencesIn(s: string, where: string, all: readonly Instance[]): Ref[] {
  if (!s.includes(SUFFIX)) return [];
  const m = whole(s);
  if (m) return [toRef(m[1], m[2], m[3], all, where)];
  return [...s.matchAll(INSIDE)].map((x) => toRef('atmos.Component', x[1], x[2], all, where));
}

function toRef(fn: string, component: string, stack: string, all: readonly Instance[], where: string): Ref {
  const target = all.find((i) => i.component === component && i.stack === stack);
  if (!target) throw new InstanceError(`${where}: ${fn} reads ${component} in stack ${stack}, which does not exist`);
  return { fn, target, way: fn === '!terraform.state' ? 'state' : 'output' };
}

const readKey = (r: Ref) => `${r.way}\u0000${r.target.stack}\u0000${r.target.component}`;

function read(r: Ref, ctx: OutputReadContext): Promise<Outputs> {
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
  const workdir = buildWorkdirPath(ctx.basePath, target.stack, target.component);
  const label = `${target.component}@${target.stack}`;
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
  const [pathExpr, ...rest] = expression.split('//');
  const fallback = rest.length ? parseDefault(rest.join('//').trim()) : undefined;
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

function parseDefault(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.replace(/^'(.*)'$/, '$1');
  }
}
