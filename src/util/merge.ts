import { isAppendList, markAppend } from './yaml.js';

/**
 * Deep merge with Atmos's rules (mergo.Merge with WithOverride):
 * - map + map → recurse;
 * - any other pair → the later value replaces, across types, including null, "", 0 and false;
 * - lists by strategy: replace (default), append (dst then src), merge (element-wise: maps at
 *   the same index deep-merge, otherwise dst[i] is kept; extra src elements are appended);
 * - a list tagged `!append` appends whatever the strategy.
 * Empty or null top-level inputs are skipped.
 *
 * Values are treated as immutable: the result shares unchanged subtrees with its inputs instead
 * of deep-copying them (resolving 10,000 instances copies nothing it does not change), so no
 * caller may mutate a merged value in place.
 */

export type Plain = Record<string, unknown>;

/** How lists merge (atmos.yaml `settings.list_merge_strategy`). */
export type ListMergeStrategy = 'replace' | 'append' | 'merge';

export function isPlainMap(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The one empty result, shared (and frozen, so an accidental write fails loudly instead of leaking). */
const EMPTY: Plain = Object.freeze({}) as Plain;

export function deepMerge(inputs: readonly unknown[], strategy: ListMergeStrategy = 'replace'): Plain {
  let first: Plain | undefined;
  let maps: Plain[] | undefined;
  for (const input of inputs) {
    if (!isPlainMap(input) || isEmptyMap(input)) continue;
    if (first === undefined) first = input;
    else if (maps === undefined) maps = [first, input];
    else maps.push(input);
  }
  if (maps) return mergeMaps(maps, strategy);
  return first ?? EMPTY;
}

/** deepMerge of three layers without allocating when at most one of them has content (the common case). */
export function merge3(a: unknown, b: unknown, c: unknown, strategy: ListMergeStrategy): Plain {
  const ha = isPlainMap(a) && !isEmptyMap(a);
  const hb = isPlainMap(b) && !isEmptyMap(b);
  const hc = isPlainMap(c) && !isEmptyMap(c);
  if (!hb && !hc) return ha ? (a as Plain) : EMPTY;
  if (!ha && !hc) return b as Plain;
  if (!ha && !hb) return c as Plain;
  return deepMerge([a, b, c], strategy);
}

function isEmptyMap(m: Plain): boolean {
  for (const _k in m) return false;
  return true;
}

/**
 * Merges several maps at once (one new object per level instead of one per pair). Keys keep the
 * order a pairwise left-to-right merge would give them.
 */
function mergeMaps(maps: Plain[], strategy: ListMergeStrategy): Plain {
  const out: Plain = {};
  for (let i = 0; i < maps.length; i++) {
    for (const k of Object.keys(maps[i])) {
      if (k in out) continue;
      out[k] = mergeKey(maps, i, k, strategy);
    }
  }
  return out;
}

/** Value of key `k` folded over maps[from..]: maps gather and merge, anything else replaces. */
function mergeKey(maps: Plain[], from: number, k: string, strategy: ListMergeStrategy): unknown {
  let acc: unknown = maps[from][k];
  let pending: Plain[] | undefined;
  for (let j = from + 1; j < maps.length; j++) {
    const m = maps[j];
    if (!(k in m)) continue;
    const v = m[k];
    if (isPlainMap(v) && isPlainMap(acc)) {
      if (isEmptyMap(v)) continue;
      if (pending) pending.push(v);
      else if (isEmptyMap(acc)) acc = v;
      else pending = [acc, v];
      continue;
    }
    // A non-map replaces whatever maps gathered so far.
    pending = undefined;
    acc = Array.isArray(v) && Array.isArray(acc) ? mergeLists(acc, v, strategy) : v;
  }
  return pending ? mergeMaps(pending, strategy) : acc;
}

/**
 * What deepMerge gives a key from the maps that hold it, `values` being their values in merge
 * order: lets a caller merge one key of many maps on its own (imports.ts merges each component
 * definition of a stack when it is first read).
 */
export function mergeValues(values: readonly unknown[], strategy: ListMergeStrategy = 'replace'): unknown {
  if (values.length === 0) return undefined;
  const holders = values.map((v) => ({ v }));
  return mergeKey(holders, 0, 'v', strategy);
}

function mergeLists(dst: unknown[], src: unknown[], strategy: ListMergeStrategy): unknown[] {
  if (isAppendList(src)) {
    // The result appends when merged again only if it is appends all the way down: `[a] + !append [b]`
    // replaces like `[a]` would. This keeps merging associative (resolve.ts groups layers).
    const out = [...dst, ...src];
    return isAppendList(dst) ? markAppend(out) : out;
  }
  switch (strategy) {
    case 'append':
      return [...dst, ...src];
    case 'merge': {
      const out = dst.slice();
      src.forEach((s, i) => {
        if (i >= dst.length) out.push(s);
        else if (isPlainMap(dst[i]) && isPlainMap(s)) out[i] = deepMerge([dst[i], s], strategy);
      });
      return out;
    }
    default:
      return src;
  }
}

/** Map at `key` of `m`, or undefined when absent or not a map. */
export function mapAt(m: unknown, key: string): Plain | undefined {
  if (!isPlainMap(m)) return undefined;
  const v = m[key];
  return isPlainMap(v) ? v : undefined;
}

/** Deep structural equality of plain YAML values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainMap(a)) {
    if (!isPlainMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
