/** Gomplate's `coll`, `test` and `math` namespaces. */
import { deepEqual, kindName, parseIntBase0 } from '../sprig/common.js';
import { GoNumber, goFloat, goInt64, goTypeName, isPlainObject, kindOf, mapGet, mapKeys, numValue, stringSlice } from '../values.js';
import { Namespace, isFloatish, list, toBool, toFloat64, toInt64, toStr } from './conv.js';

type Dict = Record<string, unknown>;

function sortList(key: string, l: unknown[]): unknown[] {
  const keyOf = (x: unknown) => (key ? mapGet(x, key) : x);
  return [...l].sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
    return numValue(x) - numValue(y);
  });
}

function flatten(l: unknown[], depth: number): unknown[] {
  return l.flatMap((x) => (Array.isArray(x) && depth !== 0 ? flatten(x, depth - 1) : [x]));
}

function numericOp(args: unknown[], op: (a: number, b: number) => number): number | GoNumber {
  const r = args.map((a) => (isFloatish(a) ? toFloat64(a) : toInt64(a))).reduce(op);
  return args.some(isFloatish) ? goFloat(r) : goInt64(r);
}

export function collNamespaces(): { coll: Namespace; test: Namespace; math: Namespace } {
  const coll = new Namespace({
    Slice: (...a) => a,
    Has: (m, key) => has(m, key),
    Dict: (...a) => {
      const d: Dict = {};
      for (let i = 0; i < a.length; i += 2) d[toStr(a[i])] = i + 1 < a.length ? a[i + 1] : '';
      return d;
    },
    Keys: (...ms) => stringSlice(ms.flatMap((m) => mapKeys(m))),
    Values: (...ms) => ms.flatMap((m) => mapKeys(m).map((k) => mapGet(m, k))),
    Append: (v, l) => [...list(l, 'coll.Append'), v],
    Prepend: (v, l) => [v, ...list(l, 'coll.Prepend')],
    Uniq: (l) => list(l, 'coll.Uniq').reduce<unknown[]>((acc, x) => (acc.some((y) => deepEqual(x, y)) ? acc : [...acc, x]), []),
    Reverse: (l) => [...list(l, 'coll.Reverse')].reverse(),
    Merge: (dst, ...srcs) => {
      const out: Dict = {};
      for (const m of [...srcs].reverse()) deepAssign(out, m as Dict);
      deepAssign(out, dst as Dict);
      return out;
    },
    Sort: (...a) => (a.length === 2 ? sortList(toStr(a[0]), list(a[1], 'coll.Sort')) : sortList('', list(a[0], 'coll.Sort'))),
    Flatten: (...a) => (a.length === 2 ? flatten(list(a[1], 'coll.Flatten'), toInt64(a[0])) : flatten(list(a[0], 'coll.Flatten'), -1)),
    Pick: (...a) => {
      const m = a[a.length - 1] as Dict;
      return Object.fromEntries(
        a
          .slice(0, -1)
          .map(toStr)
          .filter((k) => k in m)
          .map((k) => [k, m[k]]),
      );
    },
    Omit: (...a) => {
      const m = a[a.length - 1] as Dict;
      const omit = new Set(a.slice(0, -1).map(toStr));
      return Object.fromEntries(Object.entries(m).filter(([k]) => !omit.has(k)));
    },
    Index: (...a) => {
      let cur = a[a.length - 1];
      for (const ix of a.slice(0, -1)) {
        if (Array.isArray(cur)) {
          const i = toInt64(ix);
          if (i < 0 || i >= cur.length) throw new Error(`index out of range: ${i}`);
          cur = cur[i];
        } else if (isPlainObject(cur)) {
          const k = toStr(ix);
          if (!(k in cur)) throw new Error(`map has no key ${k}`);
          cur = cur[k];
        } else throw new Error(`can't index item of type ${goTypeName(cur)}`);
      }
      return cur;
    },
  });
  const test = new Namespace({
    Assert: (...a) => {
      if (!toBool(a[a.length - 1])) throw new Error(a.length === 2 ? `assertion failed: ${toStr(a[0])}` : 'assertion failed');
      return '';
    },
    Fail: (...a) => {
      throw new Error(a.length ? `template generation failed: ${toStr(a[0])}` : 'template generation failed');
    },
    Required: (...a) => {
      const v = a[a.length - 1];
      const msg = a.length === 2 ? toStr(a[0]) : 'can not render template: a required value was not set';
      if (v === null || v === undefined || v === '') throw new Error(msg);
      return v;
    },
    Ternary: (t, f, c) => (toBool(c) ? t : f),
    Kind: (v) => kindName(v),
    IsKind: (k, v) => (toStr(k) === 'number' ? ['int', 'float64', 'int64', 'uint64'].includes(kindName(v)) : toStr(k) === kindName(v)),
  });
  const math = new Namespace({
    Add: (...a) => numericOp(a, (x, y) => x + y),
    Sub: (a, b) => numericOp([a, b], (x, y) => x - y),
    Mul: (...a) => numericOp(a, (x, y) => x * y),
    Div: (a, b) => {
      if (toFloat64(b) === 0) throw new Error('error: division by 0');
      return goFloat(toFloat64(a) / toFloat64(b));
    },
    Rem: (a, b) => goInt64(toInt64(a) % toInt64(b)),
    Pow: (a, b) => (isFloatish(a) || isFloatish(b) ? goFloat(toFloat64(a) ** toFloat64(b)) : goInt64(toInt64(a) ** toInt64(b))),
    Max: (...a) => numericOp(a, (x, y) => Math.max(x, y)),
    Min: (...a) => numericOp(a, (x, y) => Math.min(x, y)),
    Abs: (a) => (isFloatish(a) ? goFloat(Math.abs(toFloat64(a))) : goInt64(Math.abs(toInt64(a)))),
    Floor: (a) => goFloat(Math.floor(toFloat64(a))),
    Ceil: (a) => goFloat(Math.ceil(toFloat64(a))),
    Round: (a) => goFloat(Math.sign(toFloat64(a)) * Math.round(Math.abs(toFloat64(a)))),
    IsInt: (a) => kindOf(a) === 'int' || (typeof a === 'string' && parseIntBase0(a) !== undefined),
    IsFloat: (a) => kindOf(a) === 'float' || (typeof a === 'string' && isFloatish(a)),
    IsNum: (a) => ['int', 'uint', 'float'].includes(kindOf(a)),
  });
  return { coll, test, math };
}

export function has(m: unknown, key: unknown): boolean {
  if (Array.isArray(m)) return m.some((x) => deepEqual(x, key) || x === key);
  if (isPlainObject(m)) return Object.prototype.hasOwnProperty.call(m, toStr(key));
  return false;
}

function deepAssign(dst: Dict, src: Dict): void {
  for (const k of Object.keys(src ?? {})) {
    const s = src[k];
    if (isPlainObject(s) && isPlainObject(dst[k])) {
      const copy: Dict = { ...dst[k] };
      deepAssign(copy, s);
      dst[k] = copy;
    } else dst[k] = s;
  }
}
