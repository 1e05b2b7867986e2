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
 *
 * The library is loaded on first use, with a dynamic import: it is half of the action's bundle
 * (the Azure storage SDK, protobuf runtime, tar/zstd helpers), and most commands (`matrix`,
 * `describe`, `comment`, ...) never touch the cache. The bundler puts it in a separate chunk next to
 * `dist/action/index.js`, which such commands never read.
 */
export function actionsCacheStore(): CacheStore {
  return {
    kind: 'actions-cache',

    async restore(paths, primaryKey, restoreKeys = []): Promise<RestoreOutcome> {
      const problem = keyProblem([primaryKey, ...restoreKeys]);
      if (problem) return { hit: 'miss', reason: problem };
      const cache = await actionsCache();
      if ('unavailable' in cache) return { hit: 'miss', reason: cache.unavailable };
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
      const cache = await actionsCache();
      if ('unavailable' in cache) return { status: 'skipped', reason: cache.unavailable };
      try {
        // A lookup first: in a matrix, every leg that missed at the start wants to save the same key at
        // the end; all but the first would archive the whole store only to be refused.
        if (await existsExactly(cache, paths, key)) return { status: 'exists' };
        const id = await cache.saveCache([...paths], key);
        if (id !== -1) return { status: 'saved' };
        // -1 covers both "someone else holds this key" and service trouble; the lookup tells them apart.
        if (await existsExactly(cache, paths, key)) return { status: 'exists' };
        return { status: 'skipped', reason: 'the cache service did not store the entry (its warning above says why)' };
      } catch (e) {
        return { status: 'skipped', reason: messageOf(e) };
      }
    },
  };
}

type ActionsCache = typeof import('@actions/cache');

/** `@actions/cache` when the service is configured; otherwise why not (a library that cannot load counts as a service that is down). */
async function actionsCache(): Promise<ActionsCache | { unavailable: string }> {
  try {
    const cache = await import(/* webpackChunkName: "actions-cache" */ '@actions/cache');
    return cache.isFeatureAvailable() ? cache : { unavailable: 'the Actions cache service is not available in this environment' };
  } catch (e) {
    return { unavailable: `@actions/cache could not be loaded: ${messageOf(e)}` };
  }
}

async function existsExactly(cache: ActionsCache, paths: readonly string[], key: string): Promise<boolean> {
  // restoreCache also matches the key as a prefix, so only an equal key counts.
  const found = await cache.restoreCache([...paths], key, [], { lookupOnly: true });
  return found !== undefined && hitKind(key, found) === 'exact';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
