/**
 * The Gomplate (v3) functions Atmos installs, as far as stacks use them: the `strings`, `conv`,
 * `data`, `coll`, `test` and `math` namespaces (called as `strings.Title "x"`: the namespace is a
 * zero-argument function returning an object whose methods are the functions) and their aliases.
 * Datasources, files, network, cloud and time functions are not provided.
 */
import * as YAML from 'yaml';
import { goFunc, type GoFunc } from '../funcs.js';
import { goQuote } from '../numfmt.js';
import { camelToLower, goTitle } from '../sprig/case.js';
import { parseFloatGo, parseIntBase0, trimCutset } from '../sprig/common.js';
import { marshalJson } from '../sprig/json.js';
import { GoNumber, goFloat, goInt64, isPlainObject, isTrue, mapGet, mapKeys, stringSlice } from '../values.js';
import { decodeYamlForTemplates } from '../yaml-data.js';
import { collNamespaces, has } from './coll.js';
import { Namespace, list, parseBool, toBool, toFloat64, toInt64, toStr } from './conv.js';

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
    throw new Error(`unable to unmarshal ${what} ${s}: ${(e as Error).message}`, { cause: e });
  }
  if (what === 'object' && !isPlainObject(out)) throw new Error(`unable to unmarshal object ${s}: not a map`);
  if (what === 'array' && !Array.isArray(out)) throw new Error(`unable to unmarshal array ${s}: not a list`);
  return out;
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
      const words = toStr(s)
        .trim()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
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
  const { coll, test, math } = collNamespaces();
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
