/**
 * `!terraform.output` / `!terraform.state` when the reading instance runs
 * (docs/atmos-compatibility.md §11.6): the instance it reads has run first (it is a dependency),
 * so its outputs are read from its state, each state once per run. The local backend is read
 * directly from the read instance's workdir; other backends are refused with a clear message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ResolvedInstance, type InstanceFields } from '../stacks/instance.js';
import { queryPath } from '../stacks/functions/args.js';
import { mapStrings } from '../stacks/section-templates.js';
import type { Instance } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';
import { buildWorkdirPath } from '../util/paths.js';

const MARKER = /^!(terraform\.(?:output|state)) (\S+) (\S+) (.+) \(unresolved: read at run time\)$/;
const FIELDS = ['vars', 'env', 'settings', 'providers', 'backend'] as const;

/** Outputs (`name → value`) of each read instance's state, or null when it has none, for one run. */
export type OutputCache = Map<string, Record<string, unknown> | null>;

/**
 * The instance with its output references replaced by values. Unchanged when it has none, or when
 * it also uses something else not evaluated (the runner refuses it for that).
 */
export function resolveOutputReferences(instance: Instance, all: readonly Instance[], basePath: string, cache: OutputCache, log: { info(m: string): void }): Instance {
  const refs = instance.unsupported.filter((u) => u.kind === 'output-reference');
  if (refs.length === 0 || refs.length !== instance.unsupported.length) return instance;
  const fields = { ...(instance as unknown as InstanceFields), unsupported: [] } as InstanceFields;
  for (const f of FIELDS) {
    (fields as unknown as Record<string, unknown>)[f] = mapStrings(instance[f], (s, at) => {
      const m = MARKER.exec(s);
      if (!m) return undefined;
      const [, fn, component, stack, expression] = m;
      const target = all.find((i) => i.component === component && i.stack === stack);
      if (!target) throw new InstanceError(`${f}.${at}: !${fn} reads ${component} in stack ${stack}, which does not exist`);
      const outputs = stateOutputs(target, basePath, cache, log);
      return evaluate(expression, outputs, `${f}.${at}: !${fn} ${component} ${stack} ${expression}`);
    });
  }
  return new ResolvedInstance(fields);
}

function stateOutputs(target: Instance, basePath: string, cache: OutputCache, log: { info(m: string): void }): Record<string, unknown> | null {
  const key = `${target.stack}\u0000${target.component}`;
  if (cache.has(key)) return cache.get(key)!;
  if (target.backendType !== '' && target.backendType !== 'local') {
    throw new InstanceError(`reading outputs of ${target.component} in stack ${target.stack} from its ${target.backendType} backend is not supported yet (local backends only)`);
  }
  const workdir = buildWorkdirPath(basePath, target.stack, target.component);
  const file = typeof target.backend.path === 'string' && target.backend.path !== '' ? target.backend.path : 'terraform.tfstate';
  const ws = target.workspace;
  const statePath = ws && ws !== 'default' ? path.join(workdir, 'terraform.tfstate.d', ws, file) : path.join(workdir, file);
  let outputs: Record<string, unknown> | null = null;
  if (fs.existsSync(statePath)) {
    const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as { outputs?: Record<string, { value: unknown }> };
    outputs = Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
  }
  log.info(`read the outputs of ${target.component}@${target.stack} from ${path.relative(basePath, statePath)}${outputs ? '' : ' (not provisioned)'}`);
  cache.set(key, outputs);
  return outputs;
}

/** The YQ expressions real stacks use: `.a.b[0]` paths and a `// default`. */
function evaluate(expression: string, outputs: Record<string, unknown> | null, what: string): unknown {
  const [pathExpr, ...rest] = expression.split('//');
  const fallback = rest.length ? parseDefault(rest.join('//').trim()) : undefined;
  if (outputs === null) {
    if (fallback !== undefined) return fallback;
    throw new InstanceError(`${what}: the instance it reads has no state yet (not provisioned); apply it first or add a \`// default\``);
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
