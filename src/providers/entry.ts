/**
 * One package in the provider store: where it lives, how a reader checks it without a lock, and
 * how a writer publishes it. A package is trusted only with its sentinel (`verified/…/<platform>.json`),
 * written after the package was hashed by our own code and renamed into place. The sentinel records
 * the verified `h1:` and a stat fingerprint (relative path, size, mtime of every file), so the
 * lock-free hit path costs a few `stat` calls; any change to a file changes the fingerprint and
 * sends the reader to the locked path, which re-hashes, and removes the entry if it no longer matches.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeSentinel } from '../lock/lock.js';
import { providerStorePaths } from '../util/paths.js';
import { safeJoin } from '../util/safe-path.js';
import { h1HashOfDirectory } from './hash.js';
import { checkProviderVersion, formatProviderAddress, unpackedPackageDir, type ProviderAddress } from './layout.js';

export interface StoreEntry {
  address: ProviderAddress;
  version: string;
  platform: string;
  /** The unpacked package: what terraform links to. */
  dir: string;
  sentinel: string;
  lockKey: string;
}

export function storeEntry(root: string, address: ProviderAddress, version: string, platform: string): StoreEntry {
  const p = providerStorePaths(root);
  const dir = unpackedPackageDir(p.packages, address, version, platform);
  // Same validated parts as the package path, so nothing from a lock file can leave these folders.
  const rel = path.relative(p.packages, dir);
  return {
    address,
    version: checkProviderVersion(version),
    platform,
    dir,
    sentinel: `${safeJoin(p.verified, rel, 'store entry')}.json`,
    lockKey: safeJoin(p.locks, rel, 'store entry'),
  };
}

export function entryName(e: Pick<StoreEntry, 'address' | 'version' | 'platform'>): string {
  return `${formatProviderAddress(e.address)} ${e.version} (${e.platform})`;
}

/** Relative path, size and mtime of every file below `dir`, sorted: changes whenever a file is rewritten. */
export async function statFingerprint(dir: string): Promise<string> {
  const rows: string[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const d of await fs.promises.readdir(abs, { withFileTypes: true })) {
      const a = path.join(abs, d.name);
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(a, r);
      else {
        const st = await fs.promises.lstat(a);
        rows.push(`${r}\0${st.isSymbolicLink() ? 'l' : 'f'}\0${st.size}\0${Math.round(st.mtimeMs)}\0${st.mode & 0o777}`);
      }
    }
  };
  await walk(dir, '');
  return rows.sort().join('\n');
}

interface Sentinel {
  h1: string;
  fingerprint: string;
}

function readSentinel(file: string): Sentinel | null {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Sentinel>;
    return typeof s.h1 === 'string' && typeof s.fingerprint === 'string' ? (s as Sentinel) : null;
  } catch {
    return null;
  }
}

/** The lock-free check: sentinel present, its `h1:` is one the lock file accepts, and no file changed since. */
export async function cheapHit(e: StoreEntry, acceptable: ReadonlySet<string>): Promise<boolean> {
  const s = readSentinel(e.sentinel);
  if (!s || !acceptable.has(s.h1)) return false;
  try {
    return (await statFingerprint(e.dir)) === s.fingerprint;
  } catch {
    return false;
  }
}

/** Full check (under the entry's lock): hashes the package; returns its `h1:` when the lock file accepts it. */
export async function verifiedHash(dir: string, acceptable: ReadonlySet<string>): Promise<string | null> {
  try {
    const h1 = await h1HashOfDirectory(dir);
    return acceptable.has(h1) ? h1 : null;
  } catch {
    return null;
  }
}

export async function recordVerified(e: StoreEntry, h1: string): Promise<void> {
  await writeSentinel(e.sentinel, { h1, fingerprint: await statFingerprint(e.dir) });
}

/** A fresh scratch folder inside the store (same filesystem as the packages). */
export async function scratchDir(root: string, what: string): Promise<string> {
  const tmp = providerStorePaths(root).tmp;
  await fs.promises.mkdir(tmp, { recursive: true });
  return fs.promises.mkdtemp(path.join(tmp, `${what}-${randomBytes(3).toString('hex')}-`));
}

/** Moves a bad or half-written entry out of the way (one rename), then deletes it; its sentinel first. */
export async function discardEntry(root: string, e: StoreEntry): Promise<void> {
  await fs.promises.rm(e.sentinel, { force: true });
  if (!fs.existsSync(e.dir)) return;
  const trash = await scratchDir(root, 'trash');
  await fs.promises.rename(e.dir, path.join(trash, 'pkg'));
  await fs.promises.rm(trash, { recursive: true, force: true });
}

/**
 * Publishes a verified package by renaming it into place. Renaming onto an existing, non-empty
 * directory fails, so a verified entry is never overwritten (callers hold the entry's lock and
 * discarded any bad entry first).
 */
export async function publishEntry(e: StoreEntry, from: string, h1: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(e.dir), { recursive: true });
  await fs.promises.rename(from, e.dir);
  await recordVerified(e, h1);
}

/**
 * Removes scratch folders older than `maxAgeMs` (left by a killed install; a live one is younger,
 * since an install never takes that long). Best effort: a folder another process removes first is fine.
 */
export async function sweepScratch(root: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  const tmp = providerStorePaths(root).tmp;
  let removed = 0;
  let names: string[];
  try {
    names = await fs.promises.readdir(tmp);
  } catch {
    return 0;
  }
  for (const name of names) {
    const p = path.join(tmp, name);
    try {
      if (now - (await fs.promises.lstat(p)).mtimeMs < maxAgeMs) continue;
      await fs.promises.rm(p, { recursive: true, force: true });
      removed++;
    } catch {
      // gone already
    }
  }
  return removed;
}
