/** Gomplate's conversions (its conv package), shared by the namespaces. */
import { parseFloatGo, parseIntBase0, strval } from '../sprig/common.js';
import { goTypeName, kindOf, numValue } from '../values.js';

/** gomplate conv.ToString: nil is "nil", strings as is, the rest through fmt.Sprint. */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  return strval(v);
}

export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const k = kindOf(v);
  if (k === 'int' || k === 'uint' || k === 'float') return numValue(v) === 1;
  if (typeof v === 'string') return parseBool(v);
  return false;
}
export function parseBool(s: string): boolean {
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s) || ['yes', 'on'].includes(s.toLowerCase());
}

export function toInt64(v: unknown): number {
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
export function toFloat64(v: unknown): number {
  const k = kindOf(v);
  if (k === 'int' || k === 'uint' || k === 'float') return numValue(v);
  if (k === 'bool') return v ? 1 : 0;
  if (typeof v === 'string') return parseFloatGo(v.trim()) ?? parseIntBase0(v.trim()) ?? 0;
  return 0;
}
export const isFloatish = (v: unknown) => kindOf(v) === 'float' || (typeof v === 'string' && /[.eE]/.test(v) && parseFloatGo(v) !== undefined);

/** A namespace: `strings.Title` calls method Title of what `strings` returns. */
export class Namespace {
  constructor(methods: Record<string, (...a: unknown[]) => unknown>) {
    Object.assign(this, methods);
  }
}

export function list(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Error(`wrong type for value; expected []interface {}; got ${goTypeName(v)} (${what})`);
}
