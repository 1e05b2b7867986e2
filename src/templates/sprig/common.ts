/** Helpers shared by the Sprig functions: Go's reflect kinds, spf13/cast conversions, DeepEqual. */
import { formatTime, formatValue } from '../fmt.js';
import { parseGoInt as parseIntBase0 } from '../literals.js';
import { GoNumber, goTypeName, isEmpty, isPlainObject, kindOf, mapGet, mapKeys, numValue } from '../values.js';

/** A Go nil-pointer panic, as a function called with a nil interface hits it. */
export const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** reflect.TypeOf(v).Kind().String(), panicking on nil like Sprig does. */
export function reflectKind(v: unknown): string {
  if (v === null || v === undefined) throw new Error(NIL_DEREF);
  return kindName(v);
}

/** reflect.Value.Kind().String() (Sprig's kindOf). */
export function kindName(v: unknown): string {
  if (v === null || v === undefined) return 'invalid';
  if (v instanceof GoNumber) return v.type;
  const k = kindOf(v);
  switch (k) {
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'time':
    case 'struct':
      return 'struct';
    default:
      return k;
  }
}

/** Sprig's strval: strings as is, everything else through `%v`. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return formatTime(v);
  return formatValue(v === undefined ? null : v);
}

export function asList(v: unknown, what: string): unknown[] {
  const k = reflectKind(v);
  if (k !== 'slice') throw new Error(`Cannot ${what} type ${k}`);
  return v as unknown[];
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    switch (s[i - 1]) {
      case '.':
        if (foundZero) return s.slice(0, i - 1);
        break;
      case '0':
        foundZero = true;
        break;
      default:
        return s;
    }
  }
  return s;
}

/** strconv.ParseInt(s, 0, 64), or undefined: Go's integer literal syntax. */
export { parseIntBase0 };

/** strconv.ParseFloat(s, 64), or undefined. */
export function parseFloatGo(s: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  return undefined;
}

/** cast.ToInt64 (errors become 0). */
export function toInt64(v: unknown): number {
  switch (kindOf(v)) {
    case 'int':
    case 'uint':
      return numValue(v);
    case 'float':
      return Math.trunc(numValue(v));
    case 'string':
      return parseIntBase0(trimZeroDecimal(v as string)) ?? 0;
    case 'bool':
      return v ? 1 : 0;
    default:
      return 0;
  }
}

/** cast.ToFloat64 (errors become 0). */
export function toFloat64(v: unknown): number {
  switch (kindOf(v)) {
    case 'int':
    case 'uint':
    case 'float':
      return numValue(v);
    case 'string':
      return parseFloatGo(v as string) ?? 0;
    case 'bool':
      return v ? 1 : 0;
    default:
      return 0;
  }
}

/** reflect.DeepEqual over the value model (types must match too). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (goTypeName(a) !== goTypeName(b)) return false;
  const k = kindOf(a);
  if (k === 'int' || k === 'uint' || k === 'float') return numValue(a) === numValue(b);
  if (k === 'time') return (a as Date).getTime() === (b as Date).getTime();
  if (k === 'slice') {
    const x = a as unknown[];
    const y = b as unknown[];
    return x.length === y.length && x.every((e, i) => deepEqual(e, y[i]));
  }
  if (k === 'map') {
    const ka = mapKeys(a);
    const kb = mapKeys(b);
    return ka.length === kb.length && ka.every((key, i) => key === kb[i] && deepEqual(mapGet(a, key), mapGet(b, key)));
  }
  return false;
}

export const empty = (v: unknown): boolean => isEmpty(v === undefined ? null : v);

export function copyDeep(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(copyDeep);
    for (const s of Object.getOwnPropertySymbols(v)) Object.defineProperty(out, s, { value: (v as never)[s], enumerable: false });
    return out;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = copyDeep(v[k]);
    for (const s of Object.getOwnPropertySymbols(v)) Object.defineProperty(out, s, { value: (v as never)[s], enumerable: false });
    return out;
  }
  if (v instanceof Date) return new Date(v.getTime());
  return v;
}

/** strings.Trim(s, cutset). */
export function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const rs = [...s];
  let a = 0;
  let b = rs.length;
  while (a < b && set.has(rs[a])) a++;
  while (b > a && set.has(rs[b - 1])) b--;
  return rs.slice(a, b).join('');
}
