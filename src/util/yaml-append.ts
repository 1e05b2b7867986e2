/** Marks an array that came from an `!append` sequence. Non-enumerable, so JSON output ignores it. */
export const APPEND: unique symbol = Symbol('atmos.append');

export function isAppendList(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[APPEND] === true;
}

export function markAppend<T extends unknown[]>(list: T): T {
  Object.defineProperty(list, APPEND, { value: true, enumerable: false });
  return list;
}
