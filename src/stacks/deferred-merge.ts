/**
 * Atmos's deferred merge of YAML function values (docs/atmos-compatibility.md §2.3): where a
 * layer of a section holds a function (`!template`, `!env`, `!exec`, `!terraform.output`, ...),
 * Atmos does not let the plain merge decide that place. It resolves the function first, then
 * deep-merges every layer's value there, lowest first: a base's `!template` map under a
 * component's map gives the union, not the component's map alone, and the other way round.
 *
 * The layers are Atmos's four: the stack (root and terraform sections, merged), the bases
 * (merged), the component, its overrides. Only maps are walked, as Atmos walks them: a function
 * inside a list item merges as the list does.
 */
import type { ListMergeStrategy } from '../config/types.js';
import { deepMerge, isPlainMap } from '../util/merge.js';
import { splitTag } from './functions/args.js';
import { REMOVE } from './section-templates.js';

/** The functions Atmos resolves before merging (not `!include`, `!literal`: parse time; not `!unset`, `!append`: structural). */
const RESOLVED_BEFORE_MERGE = new Set([
  'template',
  'terraform.output',
  'terraform.state',
  'store.get',
  'store',
  'exec',
  'env',
  'labels',
  'labels.keys',
  'labels.values',
  'tags',
]);

/** One place whose value is merged from the layers after their functions are resolved. */
export interface DeferredMerge {
  /** Keys from the section's top (`['template_config']`). */
  readonly path: readonly string[];
  /** The value each layer that sets it has there, lowest first (functions unresolved). */
  readonly layers: readonly unknown[];
}

/** Whether `v` is a function string Atmos resolves before it merges the place. */
export function isMergedAfterResolving(v: unknown): boolean {
  if (typeof v !== 'string' || v[0] !== '!') return false;
  const tagged = splitTag(v);
  return tagged !== undefined && RESOLVED_BEFORE_MERGE.has(tagged[0]);
}

/** Per layer object (shared by many instances): where it holds such a function, outermost only. */
const pathsOfLayer = new WeakMap<object, string[][]>();

function functionPaths(layer: unknown): string[][] {
  if (!isPlainMap(layer)) return [];
  let paths = pathsOfLayer.get(layer);
  if (!paths) {
    paths = [];
    for (const [k, v] of Object.entries(layer)) {
      if (isMergedAfterResolving(v)) paths.push([k]);
      else if (isPlainMap(v)) for (const p of functionPaths(v)) paths.push([k, ...p]);
    }
    pathsOfLayer.set(layer, paths);
  }
  return paths;
}

function valueAt(layer: unknown, path: readonly string[]): unknown {
  let v = layer;
  for (const k of path) {
    if (!isPlainMap(v)) return undefined;
    v = v[k];
  }
  return v;
}

/**
 * The places of a section that need the deferred merge, given its layers lowest first: those
 * where a layer holds a function and another layer sets a value too. A place whose last value is
 * a plain scalar is left out: it wins whatever the others resolve to, as in the plain merge.
 */
export function findDeferredMerges(layers: readonly unknown[]): DeferredMerge[] {
  const all = layers.flatMap(functionPaths);
  if (all.length === 0) return [];
  const keyOf = (p: readonly string[]) => p.join('\u0000');
  const seen = new Set<string>();
  const out: DeferredMerge[] = [];
  // Outermost first: a place inside one already merged is merged with it.
  for (const path of all.sort((a, b) => a.length - b.length)) {
    const key = keyOf(path);
    if (seen.has(key) || path.some((_, i) => i > 0 && seen.has(keyOf(path.slice(0, i))))) continue;
    seen.add(key);
    const values = layers.map((l) => valueAt(l, path)).filter((v) => v !== undefined && v !== null);
    if (values.length < 2) continue;
    const last = values[values.length - 1];
    if (!isMergedAfterResolving(last) && (typeof last !== 'object' || last === null)) continue;
    out.push({ path, layers: values });
  }
  return out;
}

/**
 * The value of a place from its layers' resolved values, lowest first: maps deep-merge, lists
 * follow the list merge strategy, anything else replaces. An `!unset` drops what is under it.
 */
export function mergeResolved(values: readonly unknown[], strategy: ListMergeStrategy): unknown {
  const kept = values.slice(values.lastIndexOf(REMOVE) + 1);
  if (kept.length === 0) return REMOVE;
  return kept.reduce((lower, higher) => mergeTwo(lower, higher, strategy));
}

/** A map written in YAML (not a resolved value such as an output read, which replaces like a scalar). */
function isYamlMap(v: unknown): v is Record<string, unknown> {
  if (!isPlainMap(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function mergeTwo(lower: unknown, higher: unknown, strategy: ListMergeStrategy): unknown {
  if (isYamlMap(lower) && isYamlMap(higher)) {
    const out: Record<string, unknown> = { ...lower };
    for (const [k, v] of Object.entries(higher)) out[k] = k in lower ? mergeTwo(lower[k], v, strategy) : v;
    return out;
  }
  if (Array.isArray(lower) && Array.isArray(higher)) return deepMerge([{ v: lower }, { v: higher }], strategy).v;
  return higher;
}
