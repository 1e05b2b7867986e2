/**
 * The provider store: makes sure it holds every (provider, version, platform) that the given lock
 * files name, each installed once per machine. The hit path takes no lock (sentinel + stat
 * fingerprint, see entry.ts); a miss takes the package's own lock, checks again (another process may
 * have installed it meanwhile), then fills it from a seed (the user's plugin cache, read only, or a
 * workdir's own `.terraform/providers` when harvesting) or by asking terraform to install it in a
 * scratch folder. Every source is hashed by our own code against the lock file before it is
 * renamed into place; a corrupted entry is removed and reinstalled, never used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withLock, type LockOptions } from '../lock/lock.js';
import type { Log } from '../ports/log.js';
import { AtmosError } from '../util/errors.js';
import { cheapHit, discardEntry, entryName, publishEntry, recordVerified, scratchDir, storeEntry, verifiedHash, type StoreEntry } from './entry.js';
import { installWithTerraform, type TerraformInstaller } from './install.js';
import { formatProviderAddress, unpackedPackageDir } from './layout.js';
import type { LockedProvider } from './lockfile.js';

/** What a run did to the store; `extractions` is what the benchmark calls packages unpacked. */
export interface StoreStats {
  /** Packages found verified without a lock. */
  hits: number;
  /** Packages whose files changed (e.g. restored from a cache) and were re-hashed and found good. */
  rehashed: number;
  /** Packages installed by terraform in a scratch folder. */
  installs: number;
  /** Packages copied from the user's plugin cache. */
  seeded: number;
  /** Packages taken from a workdir that had no lock file. */
  harvested: number;
  /** Entries that failed verification and were removed. */
  corrupted: number;
  /** Packages written into the store: installs + seeded + harvested. */
  extractions: number;
}

export const emptyStats = (): StoreStats => ({ hits: 0, rehashed: 0, installs: 0, seeded: 0, harvested: 0, corrupted: 0, extractions: 0 });

export function addStats(into: StoreStats, s: StoreStats): StoreStats {
  for (const k of Object.keys(into) as (keyof StoreStats)[]) into[k] += s[k];
  return into;
}

export interface StoreOptions {
  root: string;
  platform: string;
  log: Log;
  /** Read-only folders in terraform's unpacked layout to copy from before installing (plugin caches). */
  seeds?: string[];
  /** How to install what no seed holds; without it a miss stays a miss (harvest). */
  installer?: TerraformInstaller;
  /** Lock timing (tests shorten the stale window). */
  lock?: LockOptions;
  /** Counted as `harvested` instead of `seeded`. */
  seedKind?: 'seeded' | 'harvested';
}

export type PackageOutcome = 'hit' | 'rehashed' | 'installed' | 'seeded' | 'harvested' | 'unverifiable' | 'missing';

/** The `h1:` hashes a lock file accepts. Without one, no unpacked package can be verified (a lock file made on another OS). */
export const h1Set = (p: LockedProvider): Set<string> => new Set(p.hashes.filter((h) => h.startsWith('h1:')));

async function copyVerified(seedDir: string, root: string, acceptable: Set<string>): Promise<{ dir: string; h1: string } | null> {
  if (!fs.existsSync(seedDir) || !(await verifiedHash(seedDir, acceptable))) return null;
  const scratch = await scratchDir(root, 'seed');
  const dir = path.join(scratch, 'pkg');
  // Copy, never move: the seed belongs to the user (or to a workdir) and may be in use.
  await fs.promises.cp(await fs.promises.realpath(seedDir), dir, { recursive: true, preserveTimestamps: true });
  // The seed may have changed while we copied (a terraform writing its own cache): check the copy.
  const h1 = await verifiedHash(dir, acceptable);
  if (h1) return { dir, h1 };
  await fs.promises.rm(scratch, { recursive: true, force: true });
  return null;
}

async function fill(e: StoreEntry, p: LockedProvider, o: StoreOptions, acceptable: Set<string>): Promise<PackageOutcome> {
  for (const seed of o.seeds ?? []) {
    const got = await copyVerified(unpackedPackageDir(seed, p.address, p.version, o.platform), o.root, acceptable);
    if (got) {
      await publishEntry(e, got.dir, got.h1);
      await fs.promises.rm(path.dirname(got.dir), { recursive: true, force: true });
      return o.seedKind ?? 'seeded';
    }
  }
  if (!o.installer) return 'missing';
  const scratch = await scratchDir(o.root, 'install');
  try {
    const installed = await installWithTerraform(o.installer, p, o.platform, scratch);
    const real = await fs.promises.realpath(installed);
    let dir = installed;
    if (real !== installed) {
      // Linked from the user's unpacked mirror: copy it, the mirror is not ours to move.
      dir = path.join(scratch, 'pkg');
      await fs.promises.cp(real, dir, { recursive: true, preserveTimestamps: true });
    }
    const h1 = await verifiedHash(dir, acceptable);
    if (!h1) {
      throw new AtmosError(`${entryName(e)}: the package terraform installed does not match any h1: hash in the lock file (line ${p.line}); not stored`, {
        kind: 'instance',
      });
    }
    await publishEntry(e, dir, h1);
    return 'installed';
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true });
  }
}

/** Makes one package present and verified in the store; see the file comment. */
export async function ensurePackage(p: LockedProvider, o: StoreOptions): Promise<{ outcome: PackageOutcome; corrupted: boolean }> {
  const acceptable = h1Set(p);
  if (acceptable.size === 0) return { outcome: 'unverifiable', corrupted: false };
  const e = storeEntry(o.root, p.address, p.version, o.platform);
  if (await cheapHit(e, acceptable)) return { outcome: 'hit', corrupted: false };
  return withLock(
    e.lockKey,
    async () => {
      if (await cheapHit(e, acceptable)) return { outcome: 'hit' as const, corrupted: false };
      let corrupted = false;
      if (fs.existsSync(e.dir)) {
        const h1 = await verifiedHash(e.dir, acceptable);
        if (h1) {
          await recordVerified(e, h1);
          return { outcome: 'rehashed' as const, corrupted };
        }
        o.log.warn(`provider store: ${entryName(e)} does not match the lock file's h1: hashes (corrupted or partial); removing and reinstalling it`);
        corrupted = true;
      }
      // Also clears a sentinel left without its package (an interrupted removal).
      await discardEntry(o.root, e);
      return { outcome: await fill(e, p, o, acceptable), corrupted };
    },
    { ...o.lock, onWait: () => o.log.debug(`provider store: waiting for another process installing ${entryName(e)}`) },
  );
}

/** One entry per (address, version), all hashes any lock file accepts for it merged. */
export function lockedPackages(lockFiles: LockedProvider[][]): LockedProvider[] {
  const byKey = new Map<string, LockedProvider>();
  for (const p of lockFiles.flat()) {
    const k = `${p.source} ${p.version}`;
    const prev = byKey.get(k);
    if (prev) byKey.set(k, { ...prev, hashes: [...new Set([...prev.hashes, ...p.hashes])] });
    else byKey.set(k, p);
  }
  return [...byKey.values()].sort((a, b) => (a.source + a.version < b.source + b.version ? -1 : 1));
}

export interface EnsureResult {
  stats: StoreStats;
  outcomes: { provider: LockedProvider; outcome: PackageOutcome | 'failed'; error?: string }[];
}

/**
 * Ensures every package; a package that cannot be stored is reported (and left to the user's own
 * installation methods), never fatal. Packages are handled one after another: installs are network
 * or disk bound, and different processes still fill different packages at the same time.
 */
export async function ensureStore(packages: LockedProvider[], o: StoreOptions): Promise<EnsureResult> {
  const stats = emptyStats();
  const outcomes: EnsureResult['outcomes'] = [];
  for (const p of packages) {
    try {
      const { outcome, corrupted } = await ensurePackage(p, o);
      outcomes.push({ provider: p, outcome });
      if (corrupted) stats.corrupted++;
      if (outcome === 'hit') stats.hits++;
      else if (outcome === 'rehashed') stats.rehashed++;
      else if (outcome === 'installed') stats.installs++;
      else if (outcome === 'seeded') stats.seeded++;
      else if (outcome === 'harvested') stats.harvested++;
    } catch (err) {
      outcomes.push({ provider: p, outcome: 'failed', error: (err as Error).message });
      o.log.warn(`provider store: ${formatProviderAddress(p.address)} ${p.version}: ${(err as Error).message}`);
    }
  }
  stats.extractions = stats.installs + stats.seeded + stats.harvested;
  return { stats, outcomes };
}
