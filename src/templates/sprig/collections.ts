/** Sprig's list and dict functions (list.go, dict.go). */
import { goFunc, type GoFunc } from '../funcs.js';
import { goTypeName, isPlainObject, kindOf, stringSlice, withGoType } from '../values.js';
import { asList, copyDeep, deepEqual, empty, reflectKind, strval, toInt64 } from './common.js';

type Dict = Record<string, unknown>;

/** Sprig's strslice (toStrings): nils dropped, everything else through strval. */
export function toStrings(v: unknown): string[] {
  if (Array.isArray(v)) return stringSlice(v.filter((x) => x !== null && x !== undefined).map(strval));
  if (v === null || v === undefined) return stringSlice([]);
  return stringSlice([strval(v)]);
}

const intSlice = (xs: number[]) => withGoType(xs, '[]int');

function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...p: number[]): string {
  let inc = 1;
  switch (p.length) {
    case 1: {
      const [end] = p;
      if (end < 1) inc = -1;
      return untilStep(1, end + inc, inc).join(' ');
    }
    case 2: {
      const [start, end] = p;
      const step = end < start ? -1 : 1;
      return untilStep(start, end + step, step).join(' ');
    }
    case 3: {
      const [start, step, end] = p;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      return untilStep(start, end + inc, step).join(' ');
    }
    default:
      return '';
  }
}

/**
 * mergo.Merge / MergeWithOverwrite on map[string]interface{} (what Sprig's merge functions call):
 * nested maps merge; otherwise the destination keeps a non-empty value unless overwriting.
 */
function mergeInto(dst: Dict, src: Dict, overwrite: boolean): void {
  for (const k of Object.keys(src)) {
    const s = src[k];
    const has = Object.prototype.hasOwnProperty.call(dst, k);
    const d = dst[k];
    if (s === null || s === undefined) {
      if (overwrite) dst[k] = null;
      continue;
    }
    if (isPlainObject(s) && has && isPlainObject(d)) {
      mergeInto(d, s, overwrite);
      continue;
    }
    if (overwrite || !has || empty(d)) dst[k] = s;
  }
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const dict = ps[ps.length - 1];
  if (!isPlainObject(dict)) throw new Error(`interface conversion: interface {} is ${goTypeName(dict)}, not map[string]interface {}`);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    return k;
  });
  let cur: Dict = dict;
  for (let i = 0; i < keys.length; i++) {
    if (!Object.prototype.hasOwnProperty.call(cur, keys[i])) return def;
    const step = cur[keys[i]];
    if (i === keys.length - 1) return step;
    if (!isPlainObject(step)) throw new Error(`interface conversion: interface {} is ${goTypeName(step)}, not map[string]interface {}`);
    cur = step;
  }
  return def;
}

const m = (d: unknown): Dict => (d ?? {}) as Dict;

export function collectionFuncs(): Record<string, GoFunc> {
  const A = 'any' as const;
  const listFn = (name: string, what: string, f: (l: unknown[]) => unknown): [string, GoFunc][] => {
    const g = (l: unknown) => f(asList(l, what));
    const mustName = 'must' + name[0].toUpperCase() + name.slice(1);
    return [
      [name, goFunc([A], g)],
      [mustName, goFunc([A], g)],
    ];
  };
  const entries: [string, GoFunc][] = [
    ...listFn('first', 'find first on', (l) => (l.length ? l[0] : null)),
    ...listFn('last', 'find last on', (l) => (l.length ? l[l.length - 1] : null)),
    ...listFn('rest', 'find rest on', (l) => l.slice(1)),
    ...listFn('initial', 'find initial on', (l) => l.slice(0, -1)),
    ...listFn('reverse', 'find reverse on', (l) => [...l].reverse()),
    ...listFn('compact', 'compact on', (l) => l.filter((x) => !empty(x))),
    ...listFn('uniq', 'find uniq on', (l) => l.reduce<unknown[]>((acc, x) => (acc.some((y) => deepEqual(x, y)) ? acc : [...acc, x]), [])),
  ];
  const push = (l: unknown, v: unknown) => [...asList(l, 'push on'), v];
  const prepend = (l: unknown, v: unknown) => [v, ...asList(l, 'prepend on')];
  const without = (l: unknown, ...omit: unknown[]) => asList(l, 'find without on').filter((x) => !omit.some((o) => deepEqual(x, o)));
  const has = (needle: unknown, hay: unknown) => {
    if (hay === null || hay === undefined) return false;
    return asList(hay, 'find has on').some((x) => deepEqual(needle, x));
  };
  const slice = (l: unknown, ...idx: unknown[]) => {
    const k = reflectKind(l);
    if (k !== 'slice') throw new Error(`list should be type of slice or array but ${k}`);
    const list = l as unknown[];
    if (list.length === 0) return null;
    const start = idx.length > 0 ? toInt64(idx[0]) : 0;
    const end = idx.length > 1 ? toInt64(idx[1]) : list.length;
    if (start < 0 || end > list.length || start > end) {
      throw new Error(`reflect: slice index out of range`);
    }
    const out = list.slice(start, end);
    return goTypeName(l) === '[]interface {}' ? out : withGoType(out, goTypeName(l));
  };
  const chunk = (size: number, l: unknown) => {
    const list = asList(l, 'chunk');
    const out: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return withGoType(out, '[][]interface {}');
  };
  return {
    ...Object.fromEntries(entries),
    list: goFunc([], (...v: unknown[]) => v, A),
    tuple: goFunc([], (...v: unknown[]) => v, A),
    append: goFunc([A, A], push),
    push: goFunc([A, A], push),
    mustAppend: goFunc([A, A], push),
    mustPush: goFunc([A, A], push),
    prepend: goFunc([A, A], prepend),
    mustPrepend: goFunc([A, A], prepend),
    without: goFunc([A], without, A),
    mustWithout: goFunc([A], without, A),
    has: goFunc([A, A], has),
    mustHas: goFunc([A, A], has),
    slice: goFunc([A], slice, A),
    mustSlice: goFunc([A], slice, A),
    chunk: goFunc(['int', A], chunk),
    mustChunk: goFunc(['int', A], chunk),
    concat: goFunc(
      [],
      (...lists: unknown[]) => {
        const out: unknown[] = [];
        for (const l of lists) {
          const k = reflectKind(l);
          if (k !== 'slice') throw new Error(`Cannot concat type ${k} as list`);
          out.push(...(l as unknown[]));
        }
        return out.length ? out : null;
      },
      A,
    ),
    sortAlpha: goFunc([A], (l: unknown) => {
      if (kindOf(l) !== 'slice') return stringSlice([strval(l)]);
      return stringSlice([...toStrings(l)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }),
    join: goFunc(['string', A], (sep: string, v: unknown) => toStrings(v).join(sep)),
    toStrings: goFunc([A], toStrings),
    until: goFunc(['int'], (n: number) => intSlice(untilStep(0, n, n < 0 ? -1 : 1))),
    untilStep: goFunc(['int', 'int', 'int'], (a: number, b: number, s: number) => intSlice(untilStep(a, b, s))),
    seq: goFunc([], seq, 'int'),
    // dicts
    dict: goFunc(
      [],
      (...v: unknown[]) => {
        const d: Dict = {};
        for (let i = 0; i < v.length; i += 2) d[strval(v[i])] = i + 1 < v.length ? v[i + 1] : '';
        return d;
      },
      A,
    ),
    get: goFunc(['map', 'string'], (d: Dict | null, k: string) => (d && Object.prototype.hasOwnProperty.call(d, k) ? d[k] : '')),
    set: goFunc(['map', 'string', A], (d: Dict | null, k: string, v: unknown) => {
      if (!d) throw new Error('assignment to entry in nil map');
      d[k] = v;
      return d;
    }),
    unset: goFunc(['map', 'string'], (d: Dict | null, k: string) => {
      if (d) delete d[k];
      return d;
    }),
    hasKey: goFunc(['map', 'string'], (d: Dict | null, k: string) => !!d && Object.prototype.hasOwnProperty.call(d, k)),
    pluck: goFunc(['string'], (k: string, ...ds: (Dict | null)[]) => ds.filter((d) => d && k in d).map((d) => d![k]), 'map'),
    keys: goFunc([], (...ds: (Dict | null)[]) => stringSlice(ds.flatMap((d) => Object.keys(m(d)))), 'map'),
    values: goFunc(['map'], (d: Dict | null) => Object.values(m(d))),
    pick: goFunc(['map'], (d: Dict | null, ...keys: string[]) => Object.fromEntries(keys.filter((k) => k in m(d)).map((k) => [k, m(d)[k]])), 'string'),
    omit: goFunc(['map'], (d: Dict | null, ...keys: string[]) => Object.fromEntries(Object.entries(m(d)).filter(([k]) => !keys.includes(k))), 'string'),
    merge: goFunc(['map'], (dst: Dict | null, ...srcs: (Dict | null)[]) => mergeAll(dst, srcs, false), 'map'),
    mustMerge: goFunc(['map'], (dst: Dict | null, ...srcs: (Dict | null)[]) => mergeAll(dst, srcs, false), 'map'),
    mergeOverwrite: goFunc(['map'], (dst: Dict | null, ...srcs: (Dict | null)[]) => mergeAll(dst, srcs, true), 'map'),
    mustMergeOverwrite: goFunc(['map'], (dst: Dict | null, ...srcs: (Dict | null)[]) => mergeAll(dst, srcs, true), 'map'),
    deepCopy: goFunc([A], (v: unknown) => {
      if (v === null) throw new Error('deepCopy error: copystructure: nil');
      return copyDeep(v);
    }),
    mustDeepCopy: goFunc([A], copyDeep),
    dig: goFunc([], dig, A),
  };
}

function mergeAll(dst: Dict | null, srcs: (Dict | null)[], overwrite: boolean): unknown {
  const d = dst ?? {};
  for (const s of srcs) if (s) mergeInto(d, s, overwrite);
  return d;
}
