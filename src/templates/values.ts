/**
 * How Go values are represented in JavaScript, and the few reflect-like questions the engine asks
 * about them (kind, Go type name, truth, emptiness).
 *
 * Representation (chosen so that data decoded from YAML/JSON can be passed in unchanged):
 * - `undefined`  : Go's invalid reflect.Value — "no value" (a missing map key). Prints `<no value>`.
 * - `null`       : a nil interface (a YAML `~`/`null`). Prints `<nil>` through fmt.
 * - `number`     : `int` when integral, `float64` otherwise. yaml.v3 decodes `3` to int and `3.0` to
 *                  float64; an integral float64 must be boxed as `GoNumber('float64', 3)` (see
 *                  `goFloat`) to keep Go's int/float distinction (it matters for `eq` and `%d`).
 * - `GoNumber`   : a number with an explicit Go type (`int64` from Sprig math, `uint8` from
 *                  `index "abc" 1`, an integral `float64`, ...).
 * - arrays       : `[]interface {}`, or the type in `GO_TYPE` (`[]string` from `splitList`, ...).
 * - plain objects: `map[string]interface {}`, or the type in `GO_TYPE`.
 * - `Date`       : `time.Time`.
 * - functions    : `func` values (for `call`). Registered template functions are not values.
 * - other class instances: Go structs — `.Name` reads a property or calls a method.
 */

export type NumType = 'int' | 'int64' | 'int32' | 'uint8' | 'uint64' | 'float64';

export class GoNumber {
  constructor(
    readonly type: NumType,
    readonly value: number,
  ) {}
  valueOf(): number {
    return this.value;
  }
}

/** A float64, kept float even when integral. */
export function goFloat(n: number): number | GoNumber {
  return Number.isInteger(n) ? new GoNumber('float64', n) : n;
}
export function goInt64(n: number): GoNumber {
  return new GoNumber('int64', n);
}

/** Non-enumerable tag giving an array or object a Go type other than the default. */
export const GO_TYPE: unique symbol = Symbol('go.type');

export function withGoType<T extends object>(v: T, type: string): T {
  Object.defineProperty(v, GO_TYPE, { value: type, enumerable: false, configurable: true });
  return v;
}
export function stringSlice(items: string[]): string[] {
  return withGoType(items, '[]string');
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map' | 'time' | 'func' | 'struct';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function kindOf(v: unknown): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func';
  }
  if (v instanceof GoNumber) return v.type === 'float64' ? 'float' : v.type.startsWith('uint') ? 'uint' : 'int';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Date) return 'time';
  if (v instanceof Map || isPlainObject(v)) return 'map';
  return 'struct';
}

/** Go's type name as `%T` and error messages print it. */
export function goTypeName(v: unknown): string {
  const k = kindOf(v);
  switch (k) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'int':
    case 'uint':
    case 'float':
      return v instanceof GoNumber ? v.type : k === 'int' ? 'int' : 'float64';
    case 'slice':
      return ((v as Record<symbol, string>)[GO_TYPE] as string | undefined) ?? '[]interface {}';
    case 'map':
      return ((v as Record<symbol, string>)[GO_TYPE] as string | undefined) ?? 'map[string]interface {}';
    case 'time':
      return 'time.Time';
    case 'func':
      return 'func(...interface {}) interface {}';
    case 'struct':
      return (v as object).constructor?.name ?? 'struct';
    default:
      return k;
  }
}

/** The numeric value of an int/uint/float kind. */
export function numValue(v: unknown): number {
  return v instanceof GoNumber ? v.value : typeof v === 'bigint' ? Number(v) : (v as number);
}

export function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (isPlainObject(v)) return Object.keys(v).length;
  return undefined;
}

/** Go's `truth`: false for zero numbers, "", empty collections, nil and no value. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'uint':
    case 'float':
      return numValue(v) !== 0;
    case 'string':
    case 'slice':
    case 'map':
      return (lengthOf(v) ?? 0) > 0;
    default:
      return true;
  }
}

/** Sprig's `empty` (used by `default`, `coalesce`, `compact`): Go's falsiness; a struct is never empty. */
export function isEmpty(v: unknown): boolean {
  if (v instanceof Date) return v.getTime() === -62135596800000; // time.Time{}
  return !isTrue(v);
}

/** Sorted keys of a map value, in Go's order (byte order for strings). */
export function mapKeys(m: unknown): string[] {
  const keys = m instanceof Map ? [...m.keys()].map(String) : Object.keys(m as object);
  return keys.sort(compareStrings);
}

export function mapGet(m: unknown, key: string): unknown {
  if (m instanceof Map) return m.has(key) ? m.get(key) : undefined;
  const o = m as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Go compares strings bytewise; for UTF-8 that is code point order.
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i].codePointAt(0)!;
    const y = cb[i].codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}
