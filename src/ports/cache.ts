/**
 * Cache port: save a set of paths under a key, restore them later by that key or by a key prefix.
 *
 * Semantics follow the GitHub Actions cache, so that the same caller code is right on and off
 * GitHub:
 * - keys are immutable: a second save of a key stores nothing and reports `exists`;
 * - an entry is bound to its `paths` (the exact strings, in order): restoring with other paths
 *   misses, as the Actions cache does through its version stamp;
 * - restore tries the primary key exactly, then as a prefix, then each restore key (exactly, then
 *   as a prefix); among several prefix matches the newest entry wins.
 *
 * Error policy (as actions/cache): caching is an optimisation, never a reason to fail a run.
 * Adapters never throw for service or filesystem trouble and add no log lines of their own: they
 * return an outcome with a `reason`, and the caller decides what to tell the user (a warning,
 * typically). (@actions/cache itself still logs its own warnings through @actions/core.)
 */
export interface CacheStore {
  /** Short name for messages, e.g. `actions-cache` or `local-directory`. */
  readonly kind: string;
  restore(paths: readonly string[], primaryKey: string, restoreKeys?: readonly string[]): Promise<RestoreOutcome>;
  save(paths: readonly string[], key: string): Promise<SaveOutcome>;
}

export type RestoreOutcome =
  | { hit: 'exact' | 'prefix'; key: string }
  /** `reason` is set when the miss comes from a problem (unavailable service, invalid key, I/O error), not from an absent entry. */
  | { hit: 'miss'; reason?: string };

export interface SaveOutcome {
  /** `saved`: stored now. `exists`: the key is already taken (immutable). `skipped`: not stored, see `reason`. */
  status: 'saved' | 'exists' | 'skipped';
  reason?: string;
}

/** Limits the Actions cache enforces on keys; both adapters apply them so local runs catch what GitHub would refuse. */
export const MAX_KEY_LENGTH = 512;
export const MAX_KEYS = 10;

/** Why these keys would be refused, or undefined when they are acceptable. */
export function keyProblem(keys: readonly string[]): string | undefined {
  if (keys.length > MAX_KEYS) return `at most ${MAX_KEYS} keys (primary + restore keys) are allowed, got ${keys.length}`;
  for (const k of keys) {
    if (k.length === 0) return 'a cache key is empty';
    if (k.length > MAX_KEY_LENGTH) return `cache key ${JSON.stringify(k.slice(0, 40))}… is longer than ${MAX_KEY_LENGTH} characters`;
    if (k.includes(',')) return `cache key ${JSON.stringify(k)} contains a comma`;
  }
  return undefined;
}

/** How a matched key relates to the primary key; case-insensitive like actions/cache's own hit test. */
export function hitKind(primaryKey: string, matchedKey: string): 'exact' | 'prefix' {
  return primaryKey.localeCompare(matchedKey, undefined, { sensitivity: 'accent' }) === 0 ? 'exact' : 'prefix';
}
