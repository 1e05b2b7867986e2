/**
 * The Gomplate (v3) functions Atmos installs, as far as stacks use them: the `strings`, `conv`,
 * `data`, `coll`, `test` and `math` namespaces (called as `strings.Title "x"`: the namespace is a
 * zero-argument function returning an object whose methods are the functions) and their aliases.
 * Datasources, files, network, cloud and time functions are not provided.
 */
import * as YAML from 'yaml';
import { goFunc, type GoFunc } from './funcs.js';
import { goQuote } from './numfmt.js';
import { camelToLower, goTitle } from './sprig/case.js';
import { deepEqual, kindName, parseFloatGo, parseIntBase0, strval, trimCutset } from './sprig/common.js';
import { marshalJson } from './sprig/json.js';
import { GoNumber, goFloat, goInt64, goTypeName, isPlainObject, isTrue, kindOf, mapGet, mapKeys, numValue, stringSlice } from './values.js';
import { decodeYamlForTemplates } from './yaml-data.js';

type Dict = Record<string, unknown>;

/** gomplate conv.ToString: nil is "nil", strings as is, the rest through fmt.Sprint. */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  return strval(v);
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const k = kindOf(v);
  if (k === 'int' || k === 'uint' || k === 'float') return numValue(v) === 1;
  if (typeof v === 'string') return parseBool(v);
  return false;
}
function parseBool(s: string): boolean {
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s) || ['yes', 'on'].includes(s.toLowerCase());
}

function toInt64(v: unknown): number {
  const k = kindOf(v);
  if (k === 'int' || k === 'uint') return numValue(v);
  if (k === 'float') return Math.trunc(numValue(v));
  if (k === 'bool') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    const i = parseIntBase0(s);
    if (i !== undefined) return i;
    const f = parseFloatGo(s);
    return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : 0;
  }
  return 0;
}
function toFloat64(v: unknown): number {
  const k = kindOf(v);
  if (k === 'int' || k === 'uint' || k === 'float') return numValue(v);
  if (k === 'bool') return v ? 1 : 0;
  if (typeof v === 'string') return parseFloatGo(v.trim()) ?? parseIntBase0(v.trim()) ?? 0;
  return 0;
}
const isFloatish = (v: unknown) => kindOf(v) === 'float' || (typeof v === 'string' && /[.eE]/.test(v) && parseFloatGo(v) !== undefined);

function indent(width: number, ind: string, s: string): string {
  if (width <= 0) return s;
  const pad = ind.repeat(width);
  let out = '';
  let bol = true;
  for (const c of s) {
    if (bol && c !== '\n') out += pad;
    out += c;
    bol = c === '\n';
  }
  return out;
}

/** A namespace: `strings.Title` calls method Title of what `strings` returns. */
class Namespace {
  constructor(methods: Record<string, (...a: unknown[]) => unknown>) {
    Object.assign(this, methods);
  }
}

function list(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Error(`wrong type for value; expected []interface {}; got ${goTypeName(v)} (${what})`);
}

function yamlOut(v: unknown): string {
  const plain = (x: unknown): unknown => {
    if (x instanceof GoNumber) return x.value;
    if (Array.isArray(x)) return x.map(plain);
    if (isPlainObject(x)) return Object.fromEntries(mapKeys(x).map((k) => [k, plain(mapGet(x, k))]));
    return x;
  };
  return YAML.stringify(plain(v), { indent: 2, indentSeq: true, lineWidth: 0, sortMapEntries: true });
}

function parseObject(s: string, what: 'object' | 'array'): unknown {
  let out: unknown;
  try {
    out = decodeYamlForTemplates(s);
  } catch (e) {
    throw new Error(`unable to unmarshal ${what} ${s}: ${(e as Error).message}`);
  }
  if (what === 'object' && !isPlainObject(out)) throw new Error(`unable to unmarshal object ${s}: not a map`);
  if (what === 'array' && !Array.isArray(out)) throw new Error(`unable to unmarshal array ${s}: not a list`);
  return out;
}

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

export function gomplateFuncs(): Record<string, GoFunc> {
  const strings = new Namespace({
    Title: (s) => goTitle(toStr(s).toLowerCase()),
    ToUpper: (s) => toStr(s).toUpperCase(),
    ToLower: (s) => toStr(s).toLowerCase(),
    TrimSpace: (s) => toStr(s).trim(),
    Trim: (cut, s) => trimCutset(toStr(s), toStr(cut)),
    TrimPrefix: (p, s) => (toStr(s).startsWith(toStr(p)) ? toStr(s).slice(toStr(p).length) : toStr(s)),
    TrimSuffix: (p, s) => (toStr(p) && toStr(s).endsWith(toStr(p)) ? toStr(s).slice(0, -toStr(p).length) : toStr(s)),
    Trunc: (n, s) => {
      const str = toStr(s);
      const len = toInt64(n);
      return len < 0 || Buffer.byteLength(str) <= len ? str : Buffer.from(str).subarray(0, len).toString('utf8');
    },
    Abbrev: (...a) => {
      const width = toInt64(a[a.length - 2]);
      const s = toStr(a[a.length - 1]);
      if (s.length <= width) return s;
      const offset = a.length === 3 ? toInt64(a[0]) : 0;
      if (offset <= 4) return s.slice(0, width - 3) + '...';
      const start = Math.min(offset, s.length - (width - 3));
      return '...' + s.slice(start, start + width - 6) + '...';
    },
    Quote: (s) => goQuote(toStr(s)),
    Squote: (s) => `'${toStr(s).replace(/'/g, "''")}'`,
    ShellQuote: (s) => {
      const q = (x: string) => `'${x.replace(/'/g, `'"'"'`)}'`;
      return Array.isArray(s) ? s.map((x) => q(toStr(x))).join(' ') : q(toStr(s));
    },
    Split: (sep, s) => stringSlice(toStr(sep) === '' ? [...toStr(s)] : toStr(s).split(toStr(sep))),
    SplitN: (sep, n, s) => {
      const parts = toStr(s).split(toStr(sep));
      const c = toInt64(n);
      if (c === 0) return stringSlice([]);
      return stringSlice(c > 0 && parts.length > c ? [...parts.slice(0, c - 1), parts.slice(c - 1).join(toStr(sep))] : parts);
    },
    Contains: (sub, s) => toStr(s).includes(toStr(sub)),
    HasPrefix: (p, s) => toStr(s).startsWith(toStr(p)),
    HasSuffix: (p, s) => toStr(s).endsWith(toStr(p)),
    ReplaceAll: (o, n, s) => toStr(s).split(toStr(o)).join(toStr(n)),
    Repeat: (n, s) => {
      const c = toInt64(n);
      if (c < 0) throw new Error(`negative count ${c}`);
      return toStr(s).repeat(c);
    },
    Indent: (...a) => {
      const input = toStr(a[a.length - 1]);
      if (a.length === 2) return typeof a[0] === 'string' ? indent(1, a[0], input) : indent(toInt64(a[0]), ' ', input);
      if (a.length === 3) return indent(toInt64(a[0]), toStr(a[1]), input);
      return indent(1, ' ', input);
    },
    Sort: (l) => stringSlice(list(l, 'strings.Sort').map(toStr).sort()),
    SnakeCase: (s) => camelToLower(toStr(s), '_'),
    KebabCase: (s) => camelToLower(toStr(s), '-'),
    CamelCase: (s) => {
      const words = toStr(s).trim().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
    },
    RuneCount: (...a) => [...a.map(toStr).join('')].length,
  });
  const conv = new Namespace({
    Bool: (s) => parseBool(toStr(s)),
    ToBool: toBool,
    ToString: toStr,
    ToStrings: (...a) => stringSlice(a.map(toStr)),
    ToInt: (v) => toInt64(v),
    ToInt64: (v) => goInt64(toInt64(v)),
    ToFloat64: (v) => goFloat(toFloat64(v)),
    Atoi: (s) => {
      const t = toStr(s);
      if (!/^[+-]?\d+$/.test(t)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(t)}: invalid syntax`);
      return Number(t);
    },
    ParseInt: (s, base) => {
      const t = toStr(s);
      const b = toInt64(base);
      const v = b === 0 ? parseIntBase0(t) : /^[+-]?[0-9a-z]+$/i.test(t) ? parseInt(t, b) : NaN;
      if (v === undefined || Number.isNaN(v)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(t)}: invalid syntax`);
      return goInt64(v);
    },
    ParseFloat: (s) => {
      const v = parseFloatGo(toStr(s));
      if (v === undefined) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(toStr(s))}: invalid syntax`);
      return goFloat(v);
    },
    Default: (def, v) => (isTrue(v) ? v : def),
    Join: (l, sep) => list(l, 'conv.Join').map(toStr).join(toStr(sep)),
    Has: (m, key) => has(m, key),
    Slice: (...a) => a,
  });
  const data = new Namespace({
    JSON: (s) => parseObject(toStr(s), 'object'),
    JSONArray: (s) => parseObject(toStr(s), 'array'),
    YAML: (s) => parseObject(toStr(s), 'object'),
    YAMLArray: (s) => parseObject(toStr(s), 'array'),
    ToJSON: (v) => marshalJson(v, false),
    ToJSONPretty: (ind, v) => marshalJson(v, false, toStr(ind)),
    ToYAML: yamlOut,
  });
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
      return Object.fromEntries(a.slice(0, -1).map(toStr).filter((k) => k in m).map((k) => [k, m[k]]));
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
  const ns = (o: Namespace) => goFunc([], () => o);
  const m = (o: Namespace, name: string) => {
    const f = (o as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    return goFunc([], (...a: unknown[]) => f(...a), 'any');
  };
  return {
    strings: ns(strings),
    conv: ns(conv),
    data: ns(data),
    coll: ns(coll),
    test: ns(test),
    math: ns(math),
    // aliases (gomplate's own top-level names)
    replaceAll: m(strings, 'ReplaceAll'),
    title: m(strings, 'Title'),
    toUpper: m(strings, 'ToUpper'),
    toLower: m(strings, 'ToLower'),
    trimSpace: m(strings, 'TrimSpace'),
    indent: m(strings, 'Indent'),
    quote: m(strings, 'Quote'),
    squote: m(strings, 'Squote'),
    shellQuote: m(strings, 'ShellQuote'),
    bool: m(conv, 'Bool'),
    join: m(conv, 'Join'),
    default: m(conv, 'Default'),
    json: m(data, 'JSON'),
    jsonArray: m(data, 'JSONArray'),
    yaml: m(data, 'YAML'),
    yamlArray: m(data, 'YAMLArray'),
    toJSON: m(data, 'ToJSON'),
    toJSONPretty: m(data, 'ToJSONPretty'),
    toYAML: m(data, 'ToYAML'),
    has: m(coll, 'Has'),
    slice: m(coll, 'Slice'),
    dict: m(coll, 'Dict'),
    keys: m(coll, 'Keys'),
    values: m(coll, 'Values'),
    append: m(coll, 'Append'),
    prepend: m(coll, 'Prepend'),
    uniq: m(coll, 'Uniq'),
    reverse: m(coll, 'Reverse'),
    merge: m(coll, 'Merge'),
    sort: m(coll, 'Sort'),
    flatten: m(coll, 'Flatten'),
    assert: m(test, 'Assert'),
    fail: m(test, 'Fail'),
    required: m(test, 'Required'),
    ternary: m(test, 'Ternary'),
    kind: m(test, 'Kind'),
    isKind: m(test, 'IsKind'),
  };
}

function has(m: unknown, key: unknown): boolean {
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
