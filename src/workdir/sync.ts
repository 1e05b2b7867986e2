/**
 * Incremental one-way sync, source folder → workdir (docs/atmos-compatibility.md §6.3), with a per-file manifest so
 * the no-change path reads no file contents.
 *
 * What a file must look like to count as unchanged without reading it:
 *  - source side: size, mtime, ctime, inode and permission bits all equal to what the manifest
 *    recorded when it last hashed the file, and the file's mtime is older than the previous sync's
 *    start by more than RACY_MS ("racy git": a write in the same timestamp tick as our stat would
 *    otherwise be invisible). Anything else is re-hashed (SHA-256).
 *  - workdir side: size, mtime, ctime and inode equal to what we recorded right after we wrote or
 *    verified the copy, and the source hash equal to the recorded one. ctime cannot be set from
 *    user space, so an edit to the copy (even one that restores the mtime) is noticed.
 * The manifest is only passed in when the previous provision completed (its sentinel exists);
 * after a crash every file is compared by content.
 * This trusts that nothing rewrites a file and restores size, mtime, ctime and inode (which takes
 * changing the system clock), and that the filesystem's timestamps advance within RACY_MS.
 *
 * Longer than 300 lines on purpose: the walk, the compare-or-copy pass and the removal pass share
 * the manifest, the trust rules above and the "first change" hook; split apart, each rule would be
 * checked in one file and relied on in another.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempNameFor } from '../util/atomic-fs.js';
import { schedule } from '../graph/schedule.js';
import { AtmosError } from '../util/errors.js';
import { ATMOS_DIR } from '../util/paths.js';
import { sha256File, contentHash } from './hash.js';
import { SOURCE_LIMITS, sourceGuard, type SourceLimits } from './source-guard.js';
import { entryMode, entrySha, manifestEntry, sameCopy, sameSource, type Manifest, type ManifestEntry } from './metadata.js';

/** Directories never synced, at any depth, either way: metadata, terraform's data dir, workspace state. */
export const EXCLUDED_DIRS: ReadonlySet<string> = new Set([ATMOS_DIR, '.terraform', 'terraform.tfstate.d']);
/**
 * Root-level files never synced either way: local state, its lock, the backup of the last save, and
 * `errored.tfstate`, which terraform writes when it cannot save state and asks the user to
 * `terraform state push`: deleting it would lose resources terraform created.
 */
export const EXCLUDED_ROOT_FILES: ReadonlySet<string> = new Set([
  'terraform.tfstate',
  'terraform.tfstate.backup',
  'errored.tfstate',
  '.terraform.tfstate.lock.info',
]);
/** Any file with this suffix (the canonical lock file and per-instance ones) is managed by the lock-file seeding, not the sync. */
export const LOCK_FILE_SUFFIX = '.terraform.lock.hcl';

/** Generous bound on filesystem timestamp granularity (FAT: 2 s; ext4/xfs/apfs: a clock tick). */
export const RACY_MS = 2000;

export function isExcludedDir(name: string): boolean {
  return EXCLUDED_DIRS.has(name);
}

/** `rel` uses forward slashes. */
export function isExcludedFile(rel: string): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  return name.endsWith(LOCK_FILE_SUFFIX) || (!rel.includes('/') && EXCLUDED_ROOT_FILES.has(name));
}

export interface SyncOptions {
  /** The previous sync's manifest; pass it only when that sync completed. */
  manifest: Manifest | null;
  /** Leaves source paths out (remote include/exclude globs, `.git`); `rel` uses `/`. */
  include?: (rel: string, isDir: boolean) => boolean;
  /** Workdir-only files to keep instead of deleting (plan files a later apply needs). */
  preserve?: (rel: string) => boolean;
  /**
   * Workdir-only files that are regenerated after every provision (backend.tf.json, varfile):
   * deleted like any file not in the source, so a stale one never lingers, but not reported and
   * not counted as a change.
   */
  regenerated?: (rel: string) => boolean;
  /** Called once, before the first change to the workdir (the provisioner clears its sentinel there). */
  beforeFirstChange?: () => Promise<void>;
  /** Called after each file is copied (progress reporting; tests use it to stop a process mid-copy). */
  afterCopy?: (rel: string) => Promise<void> | void;
  concurrency?: number;
  /** Bounds on the source walk (symlink fan-out); defaults SOURCE_LIMITS. */
  limits?: Partial<SourceLimits>;
}

export interface SyncResult {
  added: string[];
  updated: string[];
  removed: string[];
  /** Files left as they were. */
  unchanged: number;
  /** Files whose content had to be read (source or copy) to decide. */
  hashed: number;
  changed: boolean;
  manifest: Manifest;
  /** True when the manifest holds new information and should be saved. */
  manifestDirty: boolean;
}

interface Entry {
  abs: string;
  st: fs.Stats;
}

interface Tree {
  files: Map<string, Entry>;
  /** Directories (relative, `/`), parents before children. */
  dirs: string[];
  /** Workdir only: non-regular entries (symlinks, sockets) that a sync must replace or remove. */
  others: Map<string, Entry>;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Walks a tree with synchronous readdir/stat (an order of magnitude cheaper per entry than the
 * promise API, which is what keeps the no-change path cheap), yielding to the event loop every few
 * thousand entries so lock refresh timers keep running on huge trees.
 */
async function walk(root: string, opts: { followLinks: boolean; include?: (rel: string, isDir: boolean) => boolean; limits?: SourceLimits }): Promise<Tree> {
  const tree: Tree = { files: new Map(), dirs: [], others: new Map() };
  const seenDirs = new Set<string>();
  let budget = 2000;
  const rootAbs = path.resolve(root);
  const source = opts.followLinks ? sourceGuard(rootAbs, opts.limits ?? SOURCE_LIMITS) : null;
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    let id = '';
    if (opts.followLinks) {
      // Symlinked directories are followed; a link back up the tree must not loop forever.
      const st = fs.statSync(absDir);
      id = `${st.dev}:${st.ino}`;
      if (seenDirs.has(id)) throw new AtmosError(`symlink loop in the component folder at ${absDir}`, { file: absDir });
      seenDirs.add(id);
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absDir, { withFileTypes: true });
    } catch (e) {
      throw new AtmosError(`cannot read folder ${absDir}: ${(e as Error).message}`, { file: absDir, cause: e, kind: 'instance' });
    }
    const subdirs: [string, string][] = [];
    for (const d of entries) {
      if (--budget <= 0) {
        budget = 2000;
        await yieldToLoop();
      }
      // Excluded names are never synced either way, whatever they are: a `.terraform` that is a link
      // to a shared cache (or a file) is left alone, never followed, replaced or deleted.
      if (isExcludedDir(d.name)) continue;
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      // absDir is already normalised and d.name has no separator: plain concatenation is exact
      // (and path.join's normalisation is a measurable share of the no-change path).
      const abs = absDir + path.sep + d.name;
      let isDir = d.isDirectory();
      let st: fs.Stats | undefined;
      source?.countEntry();
      // A Dirent of unknown type (some filesystems) is looked at with lstat, so a link is never missed.
      let from = abs;
      if (source && (d.isSymbolicLink() || (!isDir && !d.isFile() && fs.lstatSync(abs).isSymbolicLink()))) {
        // A link that would be left out anyway (`.terraform` linked to a cache, an excluded path) is
        // not followed, so it is neither copied nor refused.
        if (isExcludedDir(d.name) || (opts.include && !opts.include(rel, true) && !opts.include(rel, false))) continue;
        // Walk on from the link's real target: paths stay short however many links lead there.
        ({ st, real: from } = source.followLink(abs, rel));
        isDir = st.isDirectory();
      }
      if (isDir) {
        if (isExcludedDir(d.name)) continue;
        if (opts.include && !opts.include(rel, true)) continue;
        subdirs.push([from, rel]);
        continue;
      }
      if (isExcludedFile(rel)) continue;
      if (opts.include && !opts.include(rel, false)) continue;
      st ??= opts.followLinks ? fs.statSync(abs) : fs.lstatSync(abs);
      if (st.isFile()) source?.countBytes(st.size);
      if (st.isFile()) tree.files.set(rel, { abs: from, st });
      else if (!opts.followLinks) tree.others.set(rel, { abs, st });
      // Source sockets/fifos/devices are not part of a Terraform module: skipped.
    }
    for (const [abs, rel] of subdirs) {
      tree.dirs.push(rel);
      await visit(abs, rel);
    }
    if (id) seenDirs.delete(id);
  };
  await visit(source ? source.rootReal : rootAbs, '');
  return tree;
}

const perm = (st: fs.Stats) => st.mode & 0o7777;

/** Runs `fn` over `items`, `n` at a time; after a failure nothing new starts, and the first error is thrown once the running ones finished. */
async function pool<T extends string>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  const results = await schedule(
    items.map((key) => ({ key, value: key })),
    fn,
    { parallelism: n, failFast: true },
  );
  const failed = results.find((r) => r.status === 'failed');
  if (failed) throw failed.error;
}

function fsError(what: string, file: string, e: unknown): AtmosError {
  return new AtmosError(`${what} ${file}: ${(e as Error).message}`, { file, cause: e });
}

/** Syncs `src` into `dst` (which must exist). See the module comment for what "unchanged" trusts. */
export async function syncTree(src: string, dst: string, opts: SyncOptions): Promise<SyncResult> {
  const startedAt = Date.now();
  const prev = opts.manifest;
  const srcTree = await walk(src, { followLinks: true, include: opts.include, limits: { ...SOURCE_LIMITS, ...opts.limits } });
  const dstTree = await walk(dst, { followLinks: false });

  const result: SyncResult = {
    added: [],
    updated: [],
    removed: [],
    unchanged: 0,
    hashed: 0,
    changed: false,
    manifest: { version: 2, started_at_ms: startedAt, files: {}, content_hash: '' },
    manifestDirty: !prev,
  };
  let firstChange: Promise<void> | null = null;
  const mutate = async () => {
    result.changed = true;
    firstChange ??= opts.beforeFirstChange ? opts.beforeFirstChange() : Promise.resolve();
    await firstChange;
  };

  // 1. Directories: make the source's folders exist (parents first), replacing a file in the way.
  const srcDirSet = new Set(srcTree.dirs);
  const dstDirSet = new Set(dstTree.dirs);
  for (const rel of srcTree.dirs) {
    if (dstDirSet.has(rel)) continue;
    await mutate();
    const abs = path.join(dst, rel);
    try {
      if (dstTree.files.has(rel) || dstTree.others.has(rel)) {
        await fs.promises.rm(abs, { force: true });
        dstTree.files.delete(rel);
        dstTree.others.delete(rel);
        result.removed.push(rel);
      }
      await fs.promises.mkdir(abs, { recursive: true });
    } catch (e) {
      throw fsError('cannot create folder', abs, e);
    }
  }

  // 2. Files: decide per file, copy what differs.
  const prevStart = prev?.started_at_ms ?? 0;
  const entries: Record<string, ManifestEntry> = result.manifest.files;
  // Fast path, synchronous and allocation-free: a file whose source and copy both still match the
  // manifest keeps its manifest entry as is. Only the rest goes through the async pool below.
  const toCheck: string[] = [];
  for (const [rel, s] of srcTree.files) {
    const old = prev?.files[rel];
    const d = dstTree.files.get(rel);
    if (
      old &&
      d &&
      sameSource(old, s.st) &&
      entryMode(old) === perm(s.st) &&
      s.st.mtimeMs < prevStart - RACY_MS &&
      sameCopy(old, d.st) &&
      perm(d.st) === entryMode(old)
    ) {
      entries[rel] = old;
      result.unchanged++;
    } else {
      toCheck.push(rel);
    }
  }
  await pool(toCheck, opts.concurrency ?? 16, async (rel) => {
    const s = srcTree.files.get(rel)!;
    const old = prev?.files[rel];
    const mode = perm(s.st);
    let sha: string;
    if (old && sameSource(old, s.st) && entryMode(old) === mode && s.st.mtimeMs < prevStart - RACY_MS) {
      sha = entrySha(old);
    } else {
      result.hashed++;
      result.manifestDirty = true;
      try {
        sha = await sha256File(s.abs);
      } catch (e) {
        throw fsError('cannot read', s.abs, e);
      }
    }
    const dAbs = path.join(dst, rel);
    const d = dstTree.files.get(rel);
    let dStat: fs.Stats | undefined = d?.st;
    let action: 'added' | 'updated' | 'mode' | null = null;
    if (!d) {
      action = dstTree.others.has(rel) || dstDirSet.has(rel) ? 'updated' : 'added';
    } else {
      let same: boolean;
      if (old && sameCopy(old, d.st) && entrySha(old) === sha) same = true;
      else if (d.st.size !== s.st.size) same = false;
      else {
        result.hashed++;
        result.manifestDirty = true;
        same = (await sha256File(d.abs).catch(() => '')) === sha;
      }
      if (!same) action = 'updated';
      else if (perm(d.st) !== mode) action = 'mode';
    }
    if (action === 'mode') {
      await mutate();
      try {
        await fs.promises.chmod(dAbs, mode);
        dStat = await fs.promises.lstat(dAbs);
      } catch (e) {
        throw fsError('cannot change the mode of', dAbs, e);
      }
      result.updated.push(rel);
    } else if (action) {
      await mutate();
      if (!d && (dstTree.others.has(rel) || dstDirSet.has(rel))) {
        // A symlink or folder where the source has a file: replace it.
        await fs.promises.rm(dAbs, { recursive: true, force: true });
      }
      dStat = await copyFileInto(s.abs, dAbs, mode, action === 'added');
      (action === 'added' ? result.added : result.updated).push(rel);
      await opts.afterCopy?.(rel);
    } else {
      result.unchanged++;
    }
    if (action) result.manifestDirty = true;
    entries[rel] = manifestEntry(s.st, mode, sha, dStat!);
  });

  // 3. Remove what left the source (never excluded paths: they were not walked; never preserved files).
  for (const [rel, e] of [...dstTree.files, ...dstTree.others]) {
    if (srcTree.files.has(rel) || srcDirSet.has(rel)) continue;
    if (opts.preserve?.(rel)) continue;
    const quiet = opts.regenerated?.(rel) ?? false;
    if (!quiet) await mutate();
    try {
      await fs.promises.rm(e.abs, { force: true });
    } catch (err) {
      throw fsError('cannot delete', e.abs, err);
    }
    if (!quiet) result.removed.push(rel);
  }
  // Folders that left the source, deepest first; one still holding excluded or preserved content stays.
  for (const rel of [...dstTree.dirs].reverse()) {
    if (srcDirSet.has(rel)) continue;
    try {
      await fs.promises.rmdir(path.join(dst, rel));
      await mutate();
    } catch {
      // ENOTEMPTY: it holds .terraform/ or a preserved file; leave it.
    }
  }

  if (result.changed) result.manifestDirty = true;
  // Reuse the previous content hash when nothing changed and every hash came from the manifest.
  result.manifest.content_hash =
    !result.manifestDirty && prev?.content_hash ? prev.content_hash : contentHash(Object.entries(entries).map(([rel, e]) => [rel, entrySha(e)]));
  if (!result.manifestDirty) result.manifest.started_at_ms = prevStart;
  for (const list of [result.added, result.updated, result.removed]) list.sort();
  return result;
}

/**
 * Copies one file. An existing file is replaced atomically (temp + rename): the destination is the
 * old file or the complete new one, and a process killed mid-copy leaves at worst a `.name.tmp-*`
 * file that the next sync deletes as not in the source. A new file is written in place (half the
 * syscalls on a first provision): if the process dies mid-write, the sentinel is missing, so the
 * next sync compares it by content and replaces it. Reflinks where the filesystem supports them.
 */
async function copyFileInto(srcAbs: string, dstAbs: string, mode: number, isNew: boolean): Promise<fs.Stats> {
  if (isNew) {
    try {
      await fs.promises.copyFile(srcAbs, dstAbs, fs.constants.COPYFILE_FICLONE | fs.constants.COPYFILE_EXCL);
      let st = await fs.promises.lstat(dstAbs);
      if (perm(st) !== mode) {
        await fs.promises.chmod(dstAbs, mode);
        st = await fs.promises.lstat(dstAbs);
      }
      return st;
    } catch (e) {
      // EEXIST: something appeared since the walk; fall back to replacing it atomically.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(`cannot copy ${srcAbs} to`, dstAbs, e);
    }
  }
  const tmp = tempNameFor(dstAbs);
  try {
    await fs.promises.copyFile(srcAbs, tmp, fs.constants.COPYFILE_FICLONE);
    // copyFile keeps the source mode on Linux/macOS, but not everywhere (and not through some
    // mounts); the mode is part of "same file", so make sure.
    const st = await fs.promises.lstat(tmp);
    if (perm(st) !== mode) await fs.promises.chmod(tmp, mode);
    await fs.promises.rename(tmp, dstAbs);
    // rename keeps the inode, size and times: the stat to record is the temp file's (ctime moves on rename on some filesystems, so re-stat).
    return await fs.promises.lstat(dstAbs);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw fsError(`cannot copy ${srcAbs} to`, dstAbs, e);
  }
}
