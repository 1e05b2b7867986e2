import * as cache from '@actions/cache';
import { hitKind, keyProblem, type CacheStore, type RestoreOutcome, type SaveOutcome } from './cache.js';

/**
 * CacheStore over `@actions/cache` (the only module that imports it). The library picks the
 * service from the environment the runner gives JavaScript actions: cache service v2 (Twirp at
 * `ACTIONS_RESULTS_URL`, archives in Azure Blob) when `ACTIONS_CACHE_SERVICE_V2` is set, which is
 * what github.com sets today; the legacy v1 REST API at `ACTIONS_CACHE_URL` otherwise and on GHES.
 *
 * The library already swallows service errors (it logs them through @actions/core as warnings or
 * errors and returns "nothing"), so this adapter only has to turn its return values into outcomes
 * and catch what it does throw (invalid keys, no path to save).
 */
export function actionsCacheStore(): CacheStore {
  return {
    kind: 'actions-cache',

    async restore(paths, primaryKey, restoreKeys = []): Promise<RestoreOutcome> {
      const problem = keyProblem([primaryKey, ...restoreKeys]);
      if (problem) return { hit: 'miss', reason: problem };
      if (!cache.isFeatureAvailable()) return { hit: 'miss', reason: 'the Actions cache service is not available in this environment' };
      try {
        const matched = await cache.restoreCache([...paths], primaryKey, [...restoreKeys]);
        if (matched === undefined) return { hit: 'miss' };
        return { hit: hitKind(primaryKey, matched), key: matched };
      } catch (e) {
        return { hit: 'miss', reason: messageOf(e) };
      }
    },

    async save(paths, key): Promise<SaveOutcome> {
      const problem = keyProblem([key]);
      if (problem) return { status: 'skipped', reason: problem };
      if (!cache.isFeatureAvailable()) return { status: 'skipped', reason: 'the Actions cache service is not available in this environment' };
      try {
        // A lookup first: in a matrix, every leg that missed at the start wants to save the same key at
        // the end; all but the first would archive the whole store only to be refused.
        if (await existsExactly(paths, key)) return { status: 'exists' };
        const id = await cache.saveCache([...paths], key);
        if (id !== -1) return { status: 'saved' };
        // -1 covers both "someone else holds this key" and service trouble; the lookup tells them apart.
        if (await existsExactly(paths, key)) return { status: 'exists' };
        return { status: 'skipped', reason: 'the cache service did not store the entry (its warning above says why)' };
      } catch (e) {
        return { status: 'skipped', reason: messageOf(e) };
      }
    },
  };
}

async function existsExactly(paths: readonly string[], key: string): Promise<boolean> {
  // restoreCache also matches the key as a prefix, so only an equal key counts.
  const found = await cache.restoreCache([...paths], key, [], { lookupOnly: true });
  return found !== undefined && hitKind(key, found) === 'exact';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
