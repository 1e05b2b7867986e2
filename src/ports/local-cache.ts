import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { hitKind, keyProblem, type CacheStore, type RestoreOutcome, type SaveOutcome } from './cache.js';

export interface LocalCacheOptions {
  /** Where entries live; created on first save. */
  dir: string;
  /** Base for relative `paths` (the Actions cache uses the workspace). Default: the process's cwd. */
  workspace?: string;
  clock?: Clock;
}

interface EntryMeta {
  key: string;
  version: string;
  paths: string[];
  /** Which of `paths` existed at save time (the others are skipped on restore). */
  present: boolean[];
  createdAt: string;
}

const ENTRIES = 'entries';
const META = 'meta.json';

/**
 * CacheStore off GitHub: each entry is a directory copy under `<dir>/entries/<id>/`, where id hashes
 * the key and the paths (the key itself never becomes a path). Same rules as the Actions cache
 * (immutable keys, paths-bound entries, exact → prefix → restore keys, newest wins).
 *
 * Atomic: an entry is assembled in a temp dir beside its final place and renamed into it; rename
 * onto an existing entry fails, so of two concurrent saves of one key exactly one wins and the other
 * reports `exists`. Restoring into an absent path is a copy to a temp sibling plus a rename; into an
 * existing directory it copies over, like extracting a tar archive. Paths are literal (no globs).
 */
export function localDirectoryCache(options: LocalCacheOptions): CacheStore {
  const entriesDir = path.join(options.dir, ENTRIES);
  const clock = options.clock ?? systemClock;
  const resolve = (p: string) => path.resolve(options.workspace ?? process.cwd(), p);

  return {
    kind: 'local-directory',

    async restore(paths, primaryKey, restoreKeys = []): Promise<RestoreOutcome> {
      const problem = keyProblem([primaryKey, ...restoreKeys]);
      if (problem) return { hit: 'miss', reason: problem };
      try {
        const version = versionOf(paths);
        const entries = (await readEntries(entriesDir)).filter((e) => e.meta.version === version);
        const found = pick(entries, [primaryKey, ...restoreKeys]);
        if (!found) return { hit: 'miss' };
        for (const [i, p] of paths.entries()) {
          if (found.meta.present[i]) await copyInto(path.join(found.dir, 'data', String(i)), resolve(p));
        }
        return { hit: hitKind(primaryKey, found.meta.key), key: found.meta.key };
      } catch (e) {
        return { hit: 'miss', reason: `local cache ${options.dir}: ${messageOf(e)}` };
      }
    },

    async save(paths, key): Promise<SaveOutcome> {
      const problem = keyProblem([key]);
      if (problem) return { status: 'skipped', reason: problem };
      if (paths.length === 0) return { status: 'skipped', reason: 'no path to save' };
      const version = versionOf(paths);
      const final = path.join(entriesDir, entryId(key, version));
      if (await exists(path.join(final, META))) return { status: 'exists' };
      const present = await Promise.all(paths.map((p) => exists(resolve(p))));
      if (!present.some(Boolean)) return { status: 'skipped', reason: `none of the paths exists: ${paths.join(', ')}` };
      let tmp: string | undefined;
      try {
        await fs.mkdir(entriesDir, { recursive: true });
        tmp = await fs.mkdtemp(path.join(entriesDir, '.tmp-'));
        for (const [i, p] of paths.entries()) {
          if (present[i]) await fs.cp(resolve(p), path.join(tmp, 'data', String(i)), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
        }
        const meta: EntryMeta = { key, version, paths: [...paths], present, createdAt: clock.now().toISOString() };
        await fs.writeFile(path.join(tmp, META), JSON.stringify(meta, null, 2) + '\n');
        try {
          await fs.rename(tmp, final);
        } catch (e) {
          if (isCode(e, 'ENOTEMPTY', 'EEXIST')) return { status: 'exists' };
          throw e;
        }
        tmp = undefined;
        return { status: 'saved' };
      } catch (e) {
        return { status: 'skipped', reason: `local cache ${options.dir}: ${messageOf(e)}` };
      } finally {
        if (tmp) await fs.rm(tmp, { recursive: true, force: true });
      }
    },
  };
}

/** Same inputs as the Actions cache's version stamp (the paths, in order), so the same calls hit and miss alike. */
function versionOf(paths: readonly string[]): string {
  return createHash('sha256').update(paths.join('|')).digest('hex');
}

function entryId(key: string, version: string): string {
  return createHash('sha256').update(`${version}\0${key}`).digest('hex').slice(0, 40);
}

interface Entry {
  dir: string;
  meta: EntryMeta;
}

async function readEntries(entriesDir: string): Promise<Entry[]> {
  let names: string[];
  try {
    names = await fs.readdir(entriesDir);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return [];
    throw e;
  }
  const out: Entry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue; // temp dirs of saves in progress
    const dir = path.join(entriesDir, name);
    try {
      out.push({ dir, meta: JSON.parse(await fs.readFile(path.join(dir, META), 'utf8')) as EntryMeta });
    } catch {
      // not an entry (or a damaged one): never restore from it
    }
  }
  return out;
}

/** Each key exactly, then as a prefix (newest first), in order: the Actions cache's matching order. */
function pick(entries: Entry[], keys: readonly string[]): Entry | undefined {
  const newestFirst = [...entries].sort((a, b) => b.meta.createdAt.localeCompare(a.meta.createdAt));
  for (const k of keys) {
    const found = newestFirst.find((e) => e.meta.key === k) ?? newestFirst.find((e) => e.meta.key.startsWith(k));
    if (found) return found;
  }
  return undefined;
}

async function copyInto(from: string, to: string): Promise<void> {
  const copy = { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, force: true } as const;
  if (await exists(to)) {
    await fs.cp(from, to, copy);
    return;
  }
  await fs.mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.restore-${randomBytes(6).toString('hex')}`;
  try {
    await fs.cp(from, tmp, copy);
    await fs.rename(tmp, to);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    // Someone else restored it meanwhile: copy over their result, as for an existing target.
    if (isCode(e, 'ENOTEMPTY', 'EEXIST')) await fs.cp(from, to, copy);
    else throw e;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function isCode(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && codes.includes((e as { code?: string }).code ?? '');
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
