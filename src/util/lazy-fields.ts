/**
 * Objects whose sections are merged only when something reads them: the template data, the naming
 * data and the describe shape of an instance list each section once, in Atmos's key order, and a
 * key marked `lazy` is computed on each read (the section itself is memoised where it is merged).
 */

const READ = Symbol('lazy field');

/** A field computed when it is read. */
export interface LazyField {
  readonly [READ]: () => unknown;
}

export function lazy(read: () => unknown): LazyField {
  return { [READ]: read };
}

/** `fields` as a plain object, in their order; each `lazy` one an enumerable getter. */
export function withLazyFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (isLazy(value)) Object.defineProperty(out, key, { get: value[READ], enumerable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

function isLazy(value: unknown): value is LazyField {
  return typeof value === 'object' && value !== null && READ in value;
}
