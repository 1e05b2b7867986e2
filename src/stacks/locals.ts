/**
 * File-level `locals` (docs/atmos-compatibility.md §11.4): root `locals:` and `terraform.locals`,
 * resolved per file before the file is rendered. A local sees this file's own `settings`, `vars`,
 * `env` and the locals resolved before it (ordered by their `.locals.X` references, ties by
 * name); nothing from imports or importers. Only Sprig functions, missing keys are errors.
 */
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import type { StackTemplates } from './templating.js';

const EXACT_REF = /^\{\{-?\s*(\.[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*-?\}\}$/;
const LOCAL_REF = /\.locals\.([A-Za-z_][\w]*)/g;

/** The value at a field chain like `.locals.a.b`, or undefined. */
export function lookupChain(data: unknown, chain: string): unknown {
  let cur = data;
  for (const k of chain.slice(1).split('.')) {
    if (!isPlainMap(cur) || !(k in cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** `{{ .a.b }}` alone in a string (whitespace allowed): the chain, else undefined. */
export function exactFieldRef(s: string): string | undefined {
  return EXACT_REF.exec(s.trim())?.[1];
}

export function hasLocals(data: Plain): boolean {
  return data.locals !== undefined || mapAt(data, 'terraform')?.locals !== undefined;
}

/** The file's `.locals` (global ∪ terraform scope), resolved. Throws an AtmosError naming the file. */
export function resolveFileLocals(data: Plain, file: string, templates: StackTemplates): Plain {
  const own = { settings: data.settings ?? {}, vars: data.vars ?? {}, env: data.env ?? {} };
  const global = scope(data.locals, 'locals', file);
  const resolvedGlobal = resolveScope(global, {}, own, file, templates, 'locals');
  const tf = mapAt(data, 'terraform');
  const tfLocals = scope(tf?.locals, 'terraform.locals', file);
  if (Object.keys(tfLocals).length === 0) return resolvedGlobal;
  const tfOwn = {
    settings: { ...(own.settings as Plain), ...(mapAt(tf, 'settings') ?? {}) },
    vars: { ...(own.vars as Plain), ...(mapAt(tf, 'vars') ?? {}) },
    env: own.env,
  };
  return { ...resolvedGlobal, ...resolveScope(tfLocals, resolvedGlobal, tfOwn, file, templates, 'terraform.locals') };
}

function scope(v: unknown, where: string, file: string): Plain {
  if (v === undefined || v === null) return {};
  if (!isPlainMap(v)) throw new AtmosError(`${where} must be a map`, { file });
  return v;
}

function resolveScope(locals: Plain, parent: Plain, own: Plain, file: string, templates: StackTemplates, where: string): Plain {
  const names = Object.keys(locals);
  const deps = new Map<string, Set<string>>();
  for (const n of names) {
    const found = new Set<string>();
    for (const m of JSON.stringify(locals[n]).matchAll(LOCAL_REF)) if (m[1] !== n && m[1] in locals) found.add(m[1]);
    deps.set(n, found);
  }
  const done: Plain = { ...parent };
  const pending = new Set(names);
  while (pending.size) {
    const ready = [...pending].filter((n) => [...deps.get(n)!].every((d) => !pending.has(d))).sort();
    if (ready.length === 0) throw new AtmosError(`circular dependency in ${where}: ${cycleOf([...pending], deps)}`, { file });
    for (const n of ready) {
      done[n] = resolveValue(locals[n], { ...own, locals: done }, templates, `${where}.${n}`, file);
      pending.delete(n);
    }
  }
  return done;
}

function cycleOf(pending: string[], deps: Map<string, Set<string>>): string {
  const start = pending.sort()[0];
  const path = [start];
  let cur = start;
  for (;;) {
    cur = [...deps.get(cur)!].filter((d) => pending.includes(d)).sort()[0];
    const at = path.indexOf(cur);
    if (at >= 0) return [...path.slice(at), cur].join(' → ');
    path.push(cur);
  }
}

function resolveValue(v: unknown, data: Plain, templates: StackTemplates, at: string, file: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => resolveValue(x, data, templates, `${at}[${i}]`, file));
  if (isPlainMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x, data, templates, `${at}.${k}`, file)]));
  if (typeof v !== 'string' || !v.includes('{{')) return v;
  const exact = exactFieldRef(v);
  if (exact !== undefined) {
    const hit = lookupChain(data, exact);
    if (hit !== undefined) return hit;
  }
  try {
    return templates.render(v, data, 'locals', 'error', at);
  } catch (e) {
    throw new AtmosError(`${at}: ${(e as Error).message}`, { file, cause: e });
  }
}
