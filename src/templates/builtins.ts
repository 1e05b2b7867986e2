/** The functions every Go template has (text/template/funcs.go), with Go's errors. */
import { sprint, sprintln } from './fmt.js';
import { sprintf } from './printf.js';
import type { GoFunc } from './funcs.js';
import { GoNumber, goTypeName, isTrue, kindOf, lengthOf, mapGet, numValue } from './values.js';

const builtin = (params: GoFunc['params'], fn: GoFunc['fn'], variadic?: GoFunc['variadic']): GoFunc => ({
  params,
  fn,
  variadic,
  builtin: true,
});

type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: unknown): [BasicKind, boolean] {
  const k = kindOf(v);
  switch (k) {
    case 'bool':
    case 'int':
    case 'uint':
    case 'float':
    case 'string':
      return [k, true];
    default:
      return ['invalid', false];
  }
}

const comparable = (v: unknown) => {
  const k = kindOf(v);
  return k !== 'slice' && k !== 'map' && k !== 'func';
};

/** reflect.Value.Kind for canCompare: no value is "invalid". */
const reflectKind = (v: unknown) => (v === undefined ? 'invalid' : kindOf(v));

/** Go 1.19's eq: basic kinds compare by value; other kinds only when comparable. */
export function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  const a = arg1 === null ? undefined : arg1;
  if (arg2.length === 0) throw new Error('missing argument for comparison');
  const [k1] = basicKind(a);
  for (const raw of arg2) {
    const b = raw === null ? undefined : raw;
    const [k2] = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truth = numValue(a) === numValue(b);
      else if (a !== undefined && b !== undefined) throw new Error('incompatible types for comparison');
    } else if (k1 === 'invalid') {
      const ka = reflectKind(a);
      const kb = reflectKind(b);
      if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
        throw new Error(`non-comparable types ${sprintf('%s', [a])}: ${goTypeName(a)}, ${goTypeName(b)}: ${sprintf('%v', [b])}`);
      }
      if (a === undefined || b === undefined) truth = a === b;
      else {
        if (!comparable(b)) throw new Error(`non-comparable type ${sprintf('%s', [b])}: ${goTypeName(b)}`);
        truth = a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
      }
    } else if (k1 === 'int' || k1 === 'uint' || k1 === 'float') truth = numValue(a) === numValue(b);
    else truth = a === b;
    if (truth) return true;
  }
  return false;
}

export function lt(arg1: unknown, arg2: unknown): boolean {
  const a = arg1 === null ? undefined : arg1;
  const b = arg2 === null ? undefined : arg2;
  const [k1, ok1] = basicKind(a);
  if (!ok1) throw new Error('invalid type for comparison');
  const [k2, ok2] = basicKind(b);
  if (!ok2) throw new Error('invalid type for comparison');
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return numValue(a) < numValue(b);
    throw new Error('incompatible types for comparison');
  }
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return numValue(a) < numValue(b);
}

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid' || k === 'nil') throw new Error('cannot index slice/array with nil');
  if (k !== 'int' && k !== 'uint') throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  const x = numValue(index);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

export function indexValue(item: unknown, ...indexes: unknown[]): unknown {
  let v: unknown = item === null ? undefined : item;
  if (v === undefined) throw new Error('index of untyped nil');
  for (const raw of indexes) {
    const index = raw === null ? undefined : raw;
    if (v === null) throw new Error('index of nil pointer');
    const k = kindOf(v);
    if (k === 'slice' || k === 'string') {
      const len: number = lengthOf(v)!;
      const x = indexArg(index, len);
      if (x === len) throw new Error(`reflect: ${k} index out of range`);
      v = k === 'string' ? new GoNumber('uint8', Buffer.from(v as string, 'utf8')[x]) : (v as unknown[])[x];
    } else if (k === 'map') {
      if (index === undefined) throw new Error('value is nil; should be of type string');
      if (typeof index !== 'string') throw new Error(`value has type ${goTypeName(index)}; should be string`);
      const got = mapGet(v, index);
      v = got === undefined ? (goTypeName(v) === 'map[string]string' ? '' : null) : got;
    } else throw new Error(`can't index item of type ${goTypeName(v)}`);
  }
  return v;
}

export function sliceValue(item: unknown, ...indexes: unknown[]): unknown {
  const v = item === null ? undefined : item;
  if (v === undefined) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(v);
  if (k === 'string' && indexes.length === 3) throw new Error('cannot 3-index slice a string');
  if (k !== 'string' && k !== 'slice') throw new Error(`can't slice item of type ${goTypeName(v)}`);
  const len = lengthOf(v)!;
  const idx = [0, len, len];
  indexes.forEach((ix, i) => (idx[i] = indexArg(ix === null ? undefined : ix, len)));
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (k === 'string')
    return Buffer.from(v as string, 'utf8')
      .subarray(idx[0], idx[1])
      .toString('utf8');
  const out = (v as unknown[]).slice(idx[0], idx[1]);
  return copyType(v, out);
}

function copyType(from: unknown, to: unknown[]): unknown[] {
  for (const s of Object.getOwnPropertySymbols(from as object)) {
    Object.defineProperty(to, s, { value: (from as Record<symbol, unknown>)[s], enumerable: false });
  }
  return to;
}

function length(item: unknown): number {
  if (item === undefined || item === null) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  const n = lengthOf(item);
  if (n === undefined) throw new Error(`len of type ${goTypeName(item)}`);
  return n;
}

/** The text html/js/urlquery escape: one string argument as is, else fmt.Sprint of all. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  // (Go's printableValue: a nil argument prints as <no value> here, unlike in print)
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === '\0' ? '\uFFFD' : c === '"' ? '&#34;' : c === "'" ? '&#39;' : c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;',
  );
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const toPrintArgs = (args: unknown[]) => args.map((a) => (a === undefined ? null : a));

export const BUILTINS: Record<string, GoFunc> = {
  and: builtin(['value'], () => undefined, 'value'),
  or: builtin(['value'], () => undefined, 'value'),
  not: builtin(['value'], (a: unknown) => !isTrue(a)),
  eq: builtin(['value'], eq, 'value'),
  ne: builtin(['value', 'value'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: builtin(['value', 'value'], lt),
  le: builtin(['value', 'value'], (a: unknown, b: unknown) => lt(a, b) || eq(a, b)),
  gt: builtin(['value', 'value'], (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b))),
  ge: builtin(['value', 'value'], (a: unknown, b: unknown) => !lt(a, b)),
  len: builtin(['value'], length),
  index: builtin(['value'], indexValue, 'value'),
  slice: builtin(['value'], sliceValue, 'value'),
  print: builtin([], (...a: unknown[]) => sprint(toPrintArgs(a)), 'any'),
  printf: builtin(['string'], (f: string, ...a: unknown[]) => sprintf(f, toPrintArgs(a)), 'any'),
  println: builtin([], (...a: unknown[]) => sprintln(toPrintArgs(a)), 'any'),
  html: builtin([], (...a: unknown[]) => htmlEscape(evalArgs(a)), 'any'),
  js: builtin([], (...a: unknown[]) => jsEscape(evalArgs(a)), 'any'),
  urlquery: builtin([], (...a: unknown[]) => queryEscape(evalArgs(a)), 'any'),
  call: builtin(
    ['value'],
    (fn: unknown, ...args: unknown[]) => {
      if (fn === undefined || fn === null) throw new Error('call of nil');
      if (typeof fn !== 'function') throw new Error(`non-function of type ${goTypeName(fn)}`);
      const r = fn(...args.map((a) => (a === undefined ? null : a)));
      return r === undefined ? null : r;
    },
    'value',
  ),
};
