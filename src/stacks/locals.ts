/**
 * File-level `locals` (docs/atmos-compatibility.md §11.4): root `locals:` and the `locals` of the
 * `terraform`, `helmfile` and `packer` sections, resolved per file before the file is rendered. A
 * local sees this file's own `settings`, `vars`, `env` (a section's over the root's) and the locals
 * resolved before it (ordered by their `.locals.X` references, ties by name); nothing from imports
 * or importers. A value that is a YAML function (`!env PR`) is evaluated first; templates have
 * Sprig functions only, and missing keys are errors.
 */
import type { AtmosConfig } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { DeferredValue } from './deferred.js';
import { evaluateFunction, type FunctionPorts } from './functions/evaluate.js';
import { stackFileName } from './manifests.js';
import { renderNamePattern } from './names.js';
import { REMOVE } from './section-templates.js';
import type { StackTemplates } from './templating.js';

const EXACT_REF = /^\{\{-?\s*(\.[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*-?\}\}$/;
const LOCAL_REF = /\.locals\.([A-Za-z_][\w]*)/g;
/** The sections whose own `locals` join the file's, in Atmos's order (later wins). */
export const LOCALS_SECTIONS = ['terraform', 'helmfile', 'packer'] as const;

/** The value at a field chain like `.locals.a.b`, or undefined (also for a value that is no plain data, such as a locked version). */
export function lookupChain(data: unknown, chain: string): unknown {
  let cur = data;
  for (const k of chain.slice(1).split('.')) {
    if (!isPlainMap(cur) || !(k in cur)) return undefined;
    cur = cur[k];
  }
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && !isPlainMap(cur)) return undefined;
  return cur;
}

/** `{{ .a.b }}` alone in a string (whitespace allowed): the chain, else undefined. */
export function exactFieldRef(s: string): string | undefined {
  return EXACT_REF.exec(s.trim())?.[1];
}

export function hasLocals(data: Plain): boolean {
  return data.locals !== undefined || LOCALS_SECTIONS.some((s) => mapAt(data, s)?.locals !== undefined);
}

/** A file's resolved `.locals`, and the text of those that read another instance's output at run time. */
export interface FileLocals {
  values: Plain;
  /**
   * `!terraform.output` / `!terraform.state` locals, kept as written: used alone (`"{{ .locals.x }}"`)
   * they reach the component as the function, read when it runs; inside a longer string they cannot.
   */
  runTime: Map<string, string>;
}

/** A local read at run time rendered into a longer string. Never swallowed by the unrendered-file fallback. */
export class RunTimeLocalError extends AtmosError {}

/**
 * The file's `.locals`: global, then the terraform, helmfile and packer scopes (each over the
 * globals), merged in that order. Throws an AtmosError naming the file.
 */
export function resolveFileLocals(data: Plain, file: string, templates: StackTemplates, functions?: FunctionPorts): FileLocals {
  const own = { settings: mapOr(data.settings), vars: mapOr(data.vars), env: mapOr(data.env) };
  const run: LocalsRun = { file, templates, functions, data, runTime: new Map() };
  const global = resolveScope(scope(data.locals, 'locals', file), {}, own, run, 'locals');
  const values = { ...global };
  for (const name of LOCALS_SECTIONS) {
    const section = mapAt(data, name);
    if (!section || section.locals === undefined) continue;
    const sectionOwn = {
      settings: { ...own.settings, ...mapOr(section.settings) },
      vars: { ...own.vars, ...mapOr(section.vars) },
      env: { ...own.env, ...mapOr(section.env) },
    };
    Object.assign(values, resolveScope(scope(section.locals, `${name}.locals`, file), global, sectionOwn, run, `${name}.locals`));
  }
  return { values, runTime: run.runTime };
}

/** Fails when `rendered` (a template's output) embeds a local that is read at run time. */
export function checkRunTimeLocals(locals: FileLocals, rendered: string, at: string, file: string, line?: () => number | undefined): void {
  for (const [text, name] of locals.runTime) {
    if (rendered.includes(text)) {
      throw new RunTimeLocalError(
        `${at}: local ${name} (${text}) is known only when the instance runs; use it alone ("{{ .locals.${name} }}"), not inside a longer string`,
        { file, line: line?.() },
      );
    }
  }
}

interface LocalsRun {
  file: string;
  templates: StackTemplates;
  functions?: FunctionPorts;
  data: Plain;
  runTime: Map<string, string>;
  stack?: string;
}

function mapOr(v: unknown): Plain {
  return isPlainMap(v) ? v : {};
}

function scope(v: unknown, where: string, file: string): Plain {
  if (v === undefined || v === null) return {};
  if (!isPlainMap(v)) throw new AtmosError(`${where} must be a map`, { file });
  return v;
}

function resolveScope(locals: Plain, parent: Plain, own: Plain, run: LocalsRun, where: string): Plain {
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
    if (ready.length === 0) throw new AtmosError(`circular dependency in ${where}: ${cycleOf([...pending], deps)}`, { file: run.file });
    for (const n of ready) {
      done[n] = resolveValue(locals[n], { ...own, locals: done }, run, `${where}.${n}`, n);
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

function resolveValue(v: unknown, data: Plain, run: LocalsRun, at: string, name: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => resolveValue(x, data, run, `${at}[${i}]`, name));
  if (isPlainMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x, data, run, `${at}.${k}`, name)]));
  if (typeof v !== 'string') return v;
  if (v.startsWith('!') && run.functions) {
    const value = localFunction(v, at, name, run);
    if (value !== undefined) return value;
  }
  if (!v.includes('{{')) return v;
  const exact = exactFieldRef(v);
  if (exact !== undefined) {
    const hit = lookupChain(data, exact);
    if (hit !== undefined) return hit;
  }
  let out: string;
  try {
    out = run.templates.render(v, data, 'locals', 'error', at);
  } catch (e) {
    throw new AtmosError(`${at}: ${(e as Error).message}`, { file: run.file, cause: e });
  }
  checkRunTimeLocals({ values: {}, runTime: run.runTime }, out, at, run.file);
  return out;
}

/**
 * A YAML function in a local, evaluated as Atmos does there: no component (so `!env` reads the
 * environment only), the stack this file names. Undefined: not a function (the text is kept).
 */
function localFunction(v: string, at: string, name: string, run: LocalsRun): unknown {
  const unsupported: { path: string; value: string }[] = [];
  let value: unknown;
  try {
    value = evaluateFunction(v, at, {
      get stack() {
        return (run.stack ??= localsStack(run));
      },
      component: '',
      where: 'file-level local',
      componentEnv: {},
      ports: run.functions!,
      unsupported,
    });
  } catch (e) {
    throw new AtmosError((e as Error).message, { file: run.file, cause: e });
  }
  if (unsupported.length > 0) throw new AtmosError(`${at}: ${v}: this YAML function is not supported in locals yet`, { file: run.file });
  if (value === REMOVE) throw new AtmosError(`${at}: !unset removes nothing in locals (Atmos fails on it too)`, { file: run.file });
  if (value instanceof DeferredValue) {
    run.runTime.set(v, name);
    return v;
  }
  return value;
}

/** The stack YAML functions in a file's locals belong to: the file's `name`, else its own vars named by the name template or pattern, else its file name. */
function localsStack(run: LocalsRun): string {
  const config: AtmosConfig = run.templates.config;
  const { data } = run;
  if (typeof data.name === 'string' && data.name !== '') return data.name;
  const vars = mapOr(data.vars);
  if (config.stacks.nameTemplate) {
    try {
      const missing = config.templates.ignoreMissingTemplateValues ? 'default' : 'error';
      const out = run.templates.render(config.stacks.nameTemplate, { vars }, 'full', missing, 'name_template');
      if (out !== '' && !out.includes('{{') && !out.includes('}}')) return out;
    } catch {
      // as in Atmos: fall back to the pattern, then the file name
    }
  }
  const byPattern = config.stacks.namePattern ? renderNamePattern(config.stacks.namePattern, (k) => vars[k]) : undefined;
  return byPattern ?? stackFileName(config.stacks.basePath, run.file);
}
