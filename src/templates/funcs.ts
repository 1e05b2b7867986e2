/**
 * How template functions are described: Go checks each argument against the function's parameter
 * types (`wrong type for value; expected string; got int`), so a function carries its signature.
 */

/**
 * Parameter types: `any` is Go's `interface{}` (a missing value arrives as `null`); `value` is
 * `reflect.Value` (used by builtins; a missing value arrives as `undefined`); the rest are the Go
 * types of the same name (`map` = `map[string]interface {}`, `slice` = `[]interface {}`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a Go function value is called with whatever
   its parameter list converts to; `any[]` is the one type every such JavaScript function is
   assignable to. */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'int64' | 'float64' | 'bool' | 'map' | 'slice' | '[]string';

export interface GoFunc {
  readonly params: readonly ParamType[];
  /** element type of a trailing `...` parameter */
  readonly variadic?: ParamType;
  /** throws to report an error ("error calling NAME: message") */
  readonly fn: (...args: any[]) => unknown;
  /** builtins may return `undefined` (no value); other results of `undefined` become nil */
  readonly builtin?: boolean;
}

/**
 * Functions by name. A plain JavaScript function is taken as `func(...interface{}) interface{}`.
 */
export type FuncMap = Record<string, GoFunc | ((...args: any[]) => unknown)>;

export function goFunc(params: readonly ParamType[], fn: (...args: any[]) => unknown, variadic?: ParamType): GoFunc {
  return { params, fn, variadic };
}

export function toGoFunc(f: GoFunc | ((...args: any[]) => unknown)): GoFunc {
  return typeof f === 'function' ? { params: [], variadic: 'any', fn: f } : f;
}

export const GO_TYPE_NAMES: Record<ParamType, string> = {
  any: 'interface {}',
  value: 'reflect.Value',
  string: 'string',
  int: 'int',
  int64: 'int64',
  float64: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  slice: '[]interface {}',
  '[]string': '[]string',
};

/** Go's canBeNil for a parameter type. */
export function canBeNil(t: ParamType): boolean {
  return t === 'any' || t === 'value' || t === 'map' || t === 'slice' || t === '[]string';
}
