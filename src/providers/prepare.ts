/**
 * The hook a runner calls once before its inits: fill the provider store for the selected
 * instances' lock files, write ONE generated CLI configuration (the store as a `filesystem_mirror`
 * for what it holds, the user's own installation methods for the rest, no plugin cache), and say
 * which environment each instance's terraform runs in. Inits then only link into the store, and
 * every instance's lock file stays byte-identical.
 *
 * Instances without a lock file cannot be known in advance: `aroundInit` runs their inits one at a
 * time (a store-wide lock) with a config that offers the store first without excluding anything,
 * then harvests what they installed into the store; the user is told to commit lock files.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withLock, type LockOptions } from '../lock/lock.js';
import type { Exec } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { providerStorePaths } from '../util/paths.js';
import { CANONICAL_LOCK } from '../workdir/lock-seed.js';
import { storeCliConfig, type InstallationMethod } from './cli-config.js';
import { formatProviderAddress, type ProviderAddress } from './layout.js';
import { sweepScratch } from './entry.js';
import { readLockFile, type LockedProvider } from './lockfile.js';
import type { ProviderTarget } from './targets.js';
import { addStats, emptyStats, ensureStore, lockedPackages, type StoreStats } from './store.js';
import type { TerraformCliConfig, UserCliConfig } from './user-cli-config.js';

export interface PrepareProvidersSettings {
  /** The selected instances: each workdir and the lock file that decides its providers (see targets.ts). */
  targets: ProviderTarget[];
  /** Store root (see providerStoreRoot in util/paths). */
  storeRoot: string;
  /** `terraform`, `tofu` or a path: what installs missing packages. */
  command: string;
  platform: string;
  /** The user's terraform CLI configuration, read once per command: the generated one builds on it. */
  cliConfig: TerraformCliConfig;
  lock?: LockOptions;
}

export interface PrepareProvidersPorts {
  exec: Exec;
  log: Log;
  /** The user's environment (TF_PLUGIN_CACHE_DIR, credentials), passed on to terraform. */
  env: Record<string, string | undefined>;
}

export interface PreparedProviders {
  /** The generated CLI configuration for instances with a lock file; undefined when the store is off. */
  cliConfigFile?: string;
  /** The environment for instances with a lock file: TF_CLI_CONFIG_FILE set, no TF_PLUGIN_CACHE_DIR. */
  env: Record<string, string | undefined>;
  /** The environment for one instance's terraform. */
  envFor(workdir: string): Record<string, string | undefined>;
  /** Wraps one instance's init (or its whole run): serialises and harvests instances without a lock file. */
  aroundInit<T>(workdir: string, init: () => Promise<T>): Promise<T>;
  /** Workdirs without a lock file. */
  lockless: string[];
  /** Providers left to the user's own methods: `<address> <version>: why`. */
  unstorable: string[];
  stats: StoreStats;
}

/** Scratch folders older than this were left by a killed run. */
const SCRATCH_MAX_AGE_MS = 24 * 3600_000;

const PLUGIN_CACHE_ENV = ['TF_PLUGIN_CACHE_DIR', 'TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE'];

function withoutPluginCache(env: Record<string, string | undefined>, cliConfigFile?: string): Record<string, string | undefined> {
  const out = { ...env };
  for (const k of PLUGIN_CACHE_ENV) delete out[k];
  if (cliConfigFile) out.TF_CLI_CONFIG_FILE = cliConfigFile;
  return out;
}

/** Passes the environment through unchanged (the store is off): the runner's own plugin-cache rule applies. */
export function storeOff(env: Record<string, string | undefined>): PreparedProviders {
  return { env, envFor: () => env, aroundInit: (_w, init) => init(), lockless: [], unstorable: [], stats: emptyStats() };
}

async function writeConfig(root: string, text: string): Promise<string> {
  const file = path.join(providerStorePaths(root).cliConfigs, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.tfrc`);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  // Content-addressed: concurrent runs with the same configuration write the same bytes.
  await atomicWriteFile(file, text);
  return file;
}

export async function prepareProviders(settings: PrepareProvidersSettings, ports: PrepareProvidersPorts): Promise<PreparedProviders> {
  if ('problem' in settings.cliConfig.parsed) {
    ports.log.warn(`provider store off: ${settings.cliConfig.parsed.problem}`);
    return storeOff(ports.env);
  }
  const user: UserCliConfig = settings.cliConfig.parsed;
  const packagesDir = providerStorePaths(settings.storeRoot).packages;
  // Terraform refuses a filesystem_mirror that does not exist, even an empty one.
  await fs.promises.mkdir(packagesDir, { recursive: true });
  await sweepScratch(settings.storeRoot, SCRATCH_MAX_AGE_MS);
  const header = '# Generated by atmos-action: your CLI configuration without its plugin cache.\n';
  const scratchConfig = await writeConfig(
    settings.storeRoot,
    user.methods ? storeCliConfig({ store: packagesDir, stored: [], methods: user.methods, extra: user.extra }) : header + user.extra,
  );
  const seeds = [ports.env.TF_PLUGIN_CACHE_DIR, user.pluginCacheDir].filter((s): s is string => !!s).map((s) => path.resolve(s));
  const base = { root: settings.storeRoot, platform: settings.platform, log: ports.log, lock: settings.lock };

  const lockless: string[] = [];
  const locks: LockedProvider[][] = [];
  for (const { workdir, lockFile } of settings.targets) {
    if (!lockFile) {
      lockless.push(workdir);
      continue;
    }
    try {
      locks.push(await readLockFile(lockFile));
    } catch (e) {
      ports.log.warn(`provider store: ${(e as Error).message}; this instance installs its providers itself, one at a time`);
      lockless.push(workdir);
    }
  }
  const packages = lockedPackages(locks);
  const installer = { exec: ports.exec, command: settings.command, env: withoutPluginCache(ports.env), cliConfigFile: scratchConfig };
  const { stats, outcomes } = await ensureStore(packages, { ...base, seeds, installer });

  // A provider goes to the store only when every version the lock files name is there.
  const ok = new Set(['hit', 'rehashed', 'installed', 'seeded']);
  const unstorable = outcomes
    .filter((o) => !ok.has(o.outcome))
    .map(
      (o) =>
        `${o.provider.source} ${o.provider.version}: ${o.outcome === 'unverifiable' ? `the lock file has no h1: hash for ${settings.platform}` : (o.error ?? o.outcome)}`,
    );
  const badSources = new Set(outcomes.filter((o) => !ok.has(o.outcome)).map((o) => o.provider.source));
  const stored: ProviderAddress[] = packages.filter((p) => !badSources.has(p.source)).map((p) => p.address);
  for (const u of unstorable) ports.log.warn(`provider store: ${u}; installed per instance by your own installation methods`);

  const methods: InstallationMethod[] = user.methods ?? [{ kind: 'direct' }];
  const cliConfigFile = await writeConfig(settings.storeRoot, storeCliConfig({ store: packagesDir, stored, methods, extra: user.extra }));
  const env = withoutPluginCache(ports.env, cliConfigFile);
  let locklessEnv = env;
  if (lockless.length) {
    const text = storeCliConfig({ store: packagesDir, stored: [], methods: [{ kind: 'filesystem_mirror', path: packagesDir }, ...methods], extra: user.extra });
    locklessEnv = withoutPluginCache(ports.env, await writeConfig(settings.storeRoot, text));
    ports.log.warn(
      `${lockless.length} instance(s) have no .terraform.lock.hcl, so their providers cannot be known in advance: their inits run one at a time. ` +
        'Commit lock files (terraform providers lock) to make inits parallel and reproducible.',
    );
  }
  const locklessSet = new Set(lockless.map((w) => path.resolve(w)));
  const serialKey = path.join(providerStorePaths(settings.storeRoot).locks, 'lockless-init');

  const prepared: PreparedProviders = {
    cliConfigFile,
    env,
    envFor: (wd) => (locklessSet.has(path.resolve(wd)) ? locklessEnv : env),
    lockless,
    unstorable,
    stats,
    aroundInit: async (wd, init) => {
      if (!locklessSet.has(path.resolve(wd))) return init();
      return withLock(
        serialKey,
        async () => {
          const r = await init();
          await harvest(wd);
          return r;
        },
        settings.lock,
      );
    },
  };

  const harvest = async (wd: string) => {
    const file = path.join(wd, CANONICAL_LOCK);
    if (!fs.existsSync(file)) return;
    try {
      const got = await ensureStore(lockedPackages([await readLockFile(file)]), {
        ...base,
        seeds: [path.join(wd, '.terraform', 'providers')],
        seedKind: 'harvested',
      });
      addStats(prepared.stats, got.stats);
      if (got.stats.harvested) ports.log.info(`provider store: harvested ${got.stats.harvested} package(s) from ${wd}`);
    } catch (e) {
      ports.log.warn(`provider store: could not harvest from ${wd}: ${(e as Error).message}`);
    }
  };

  ports.log.info(
    `provider store ${settings.storeRoot}: ${packages.length} package(s), ${stats.hits + stats.rehashed} present, ${stats.extractions} installed` +
      (stored.length ? ` (${[...new Set(stored.map(formatProviderAddress))].join(', ')} served from the store)` : ''),
  );
  return prepared;
}
