/**
 * The provider store across CI runs: restore it from the cache port before a run, save it after.
 * Key `<prefix>-<terraform|tofu>-<os>-<arch>-<sha256 of the lock files, sorted by path>`, restore
 * key the same without the hash (the newest store of this tool and platform: most packages are
 * usually still the same). Saved only when the exact key missed and the store gained or lost
 * packages, so a warm run uploads nothing. Cache trouble is a warning, never a failure: the store
 * then just fills itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CacheStore } from '../ports/cache.js';
import type { Log } from '../ports/log.js';
import { toolOf } from '../config/tool.js';
import { selectedInstances, type Selection } from '../graph/select.js';
import { storeCacheKey, terraformPlatform } from '../providers/layout.js';
import { providerTarget } from '../providers/targets.js';
import { buildWorkdirPath, providerStorePaths } from '../util/paths.js';
import type { Project } from './project.js';

export const DEFAULT_PROVIDER_CACHE_PREFIX = 'atmos-action-providers';

export interface ProviderCacheSettings {
  storeRoot: string;
  /** The lock files that decide the store's content (ProviderTarget.lockFile of the selected instances). */
  lockFiles: readonly string[];
  /** Lock-file paths in the key are taken relative to this (the repository's base path), so the key is the same on every machine. */
  basePath: string;
  tool: 'terraform' | 'tofu';
  /** Terraform's platform, e.g. `linux_amd64`. */
  platform: string;
  prefix?: string;
}

/**
 * The settings for one run's selection, as the runner will see it: the store's location
 * (EnvSettings.providerStore), the lock files `providerTarget` finds for each selected deployable instance, the
 * tool most of them run. The entry point calls this, restores, runs, then saves.
 */
export function providerCacheSettingsFor(project: Project, run: { target: Selection; storeRoot: string; prefix?: string }): ProviderCacheSettings {
  const config = project.config;
  const instances = selectedInstances(project, run.target);
  const lockFiles = instances
    .map((i) => providerTarget(i, buildWorkdirPath(config.basePath, i.stack, i.component)).lockFile)
    .filter((f): f is string => f !== null);
  const tools = instances.map((i) => toolOf(i.command || 'terraform'));
  return {
    storeRoot: run.storeRoot,
    lockFiles,
    basePath: config.basePath,
    tool: tools.filter((x) => x === 'tofu').length > tools.length / 2 ? 'tofu' : 'terraform',
    platform: terraformPlatform(process.platform, process.arch),
    prefix: run.prefix,
  };
}

export interface ProviderCachePorts {
  cache: CacheStore;
  log: Log;
}

export interface RestoredProviderStore {
  key: string;
  restorePrefix: string;
  hit: 'exact' | 'prefix' | 'miss';
  /** The store's packages right after the restore, to tell whether the run changed it. */
  contents: string;
}

/**
 * The cache paths: the packages only. Sentinels stay local on purpose: a package that comes from
 * a cache is hashed once by the next run before anything uses it, so a tampered cache entry can
 * never pass as verified. Locks, scratch space and generated configs belong to one machine.
 */
export function providerCachePaths(storeRoot: string): string[] {
  return [providerStorePaths(storeRoot).packages];
}

export function providerStoreKey(s: ProviderCacheSettings): { key: string; restorePrefix: string } {
  const lockFiles = [...new Set(s.lockFiles)]
    .filter((f) => fs.existsSync(f))
    .map((f) => ({ path: path.relative(s.basePath, f).split(path.sep).join('/'), content: fs.readFileSync(f) }));
  const [os, arch] = s.platform.split('_') as [string, string];
  return storeCacheKey({ prefix: s.prefix ?? DEFAULT_PROVIDER_CACHE_PREFIX, tool: s.tool, os, arch, lockFiles });
}

/** The packages the store holds (`<host>/<ns>/<type>/<version>/<os>_<arch>`), one per line. */
function storeContents(storeRoot: string): string {
  let level = [''];
  for (let depth = 0; depth < 5; depth++) {
    level = level.flatMap((rel) => {
      try {
        const abs = path.join(providerStorePaths(storeRoot).packages, rel);
        return fs
          .readdirSync(abs, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => (rel ? `${rel}/${d.name}` : d.name));
      } catch {
        return [];
      }
    });
  }
  return level.sort().join('\n');
}

export async function restoreProviderStore(s: ProviderCacheSettings, ports: ProviderCachePorts): Promise<RestoredProviderStore> {
  const { key, restorePrefix } = providerStoreKey(s);
  let hit: RestoredProviderStore['hit'] = 'miss';
  try {
    const r = await ports.cache.restore(providerCachePaths(s.storeRoot), key, [restorePrefix]);
    hit = r.hit;
    if (r.hit === 'miss' && r.reason)
      ports.log.warn(`provider store not restored from the ${ports.cache.kind} cache (${r.reason}); providers are installed instead`);
    else if (r.hit !== 'miss') ports.log.info(`provider store restored from the ${ports.cache.kind} cache (${r.hit} hit: ${r.key})`);
  } catch (e) {
    ports.log.warn(`provider store not restored from the ${ports.cache.kind} cache (${(e as Error).message}); providers are installed instead`);
  }
  return { key, restorePrefix, hit, contents: storeContents(s.storeRoot) };
}

export type ProviderStoreSave = 'saved' | 'exists' | 'skipped' | 'unchanged' | 'exact-hit';

export async function saveProviderStore(
  s: Pick<ProviderCacheSettings, 'storeRoot'>,
  restored: RestoredProviderStore,
  ports: ProviderCachePorts,
): Promise<ProviderStoreSave> {
  if (restored.hit === 'exact') return 'exact-hit';
  if (storeContents(s.storeRoot) === restored.contents) return 'unchanged';
  try {
    const r = await ports.cache.save(providerCachePaths(s.storeRoot), restored.key);
    if (r.status === 'skipped') ports.log.warn(`provider store not saved to the ${ports.cache.kind} cache (${r.reason ?? 'unknown reason'})`);
    else if (r.status === 'saved') ports.log.info(`provider store saved to the ${ports.cache.kind} cache as ${restored.key}`);
    return r.status;
  } catch (e) {
    ports.log.warn(`provider store not saved to the ${ports.cache.kind} cache (${(e as Error).message})`);
    return 'skipped';
  }
}
