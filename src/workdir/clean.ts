/**
 * `workdir clean` and the action's `command: clean`. Never deletes a workdir that holds local
 * Terraform state or whose lock is held, unless forced; says which it skipped and why.
 * A workdir is removed by renaming it into `.workdir/.trash/` first (atomic), so no reader ever
 * sees a half-deleted workdir that still looks provisioned.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LockTimeoutError, processAlive, withLock, type LockOptions } from '../lock/lock.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import { AtmosError } from '../util/errors.js';
import { atmosDir, buildWorkdirPath, scratchOwnerPid, workdirLockKeyFromName, workdirRoot, workdirTmpRoot, workdirTrashRoot } from '../util/paths.js';
import { ensureStateDir, guardStatePath } from './guard.js';
import { describeWorkdirFolder, scanWorkdirTree, type WorkdirInfo } from './list.js';
import { formatDuration, parseTtl } from './ttl.js';

export type CleanRequest = ({ mode: 'instances'; instances: { stack: string; component: string }[] } | { mode: 'all' } | { mode: 'expired'; ttl: string }) & {
  /** List what would go, delete nothing. */
  dryRun?: boolean;
  /** Delete even with local state or a held lock. */
  force?: boolean;
};

export interface CleanEntry {
  name: string;
  path: string;
  stack: string;
  component: string;
  /** Why it was picked (expired: "last accessed 3d ago"). */
  why?: string;
}

export interface CleanResult {
  dryRun: boolean;
  /** Deleted (or, with dryRun, would be deleted). */
  removed: CleanEntry[];
  skipped: (CleanEntry & { reasons: string[] })[];
  /** Requested instances that have no workdir. */
  missing: { stack: string; component: string }[];
  /** Leftovers collected: scratch folders of processes that are gone, and trash of an interrupted clean. */
  collected: { scratch: number; trash: number };
}

export interface CleanPorts {
  log: Log;
  clock: Clock;
}

function entryOf(w: WorkdirInfo, why?: string): CleanEntry {
  return { name: w.name, path: w.path, stack: w.stack, component: w.component, ...(why ? { why } : {}) };
}

/** Last use as Atmos judges it: last_accessed, else updated_at, else created_at, else the folder's mtime. */
function lastUse(w: WorkdirInfo): Date | null {
  for (const t of [w.last_accessed, w.updated_at, w.created_at]) {
    const d = t ? new Date(t) : null;
    if (d && !Number.isNaN(d.getTime())) return d;
  }
  return null;
}

export async function cleanWorkdirs(basePath: string, request: CleanRequest, ports: CleanPorts, opts: { lock?: LockOptions } = {}): Promise<CleanResult> {
  const result: CleanResult = { dryRun: !!request.dryRun, removed: [], skipped: [], missing: [], collected: { scratch: 0, trash: 0 } };
  const root = workdirRoot(basePath);
  const tree = scanWorkdirTree(basePath); // refuses a root reached through a link
  const candidates: { info: WorkdirInfo; why?: string }[] = [];

  if (request.mode === 'instances') {
    for (const i of request.instances) {
      const abs = buildWorkdirPath(basePath, i.stack, i.component);
      guardStatePath(basePath, abs, 'workdir');
      if (!fs.existsSync(abs)) {
        result.missing.push({ stack: i.stack, component: i.component });
        continue;
      }
      const info = describeWorkdirFolder(basePath, path.relative(root, abs).split(path.sep).join('/'), opts.lock?.staleMs);
      // The folder may predate metadata; the request tells us whose it is.
      info.stack ||= i.stack;
      info.component ||= i.component;
      candidates.push({ info });
    }
  } else {
    const ttl = request.mode === 'expired' ? parseTtl(request.ttl, '--ttl') : null;
    const now = ports.clock.now();
    for (const link of tree.links) {
      // Never followed, never counted as a workdir; said, so a committed link does not go unnoticed.
      const p = `${path.posix.join('.workdir/terraform', link)}`;
      result.skipped.push({ name: link, path: p, stack: '', component: '', reasons: ['is a symbolic link, not a workdir; not followed (remove it by hand)'] });
      ports.log.warn(`${p}: skipped: a symbolic link, not a workdir; not followed`);
    }
    for (const name of tree.workdirs) {
      const info = describeWorkdirFolder(basePath, name, opts.lock?.staleMs);
      if (!ttl) {
        candidates.push({ info });
        continue;
      }
      const used = lastUse(info);
      const age = used ? now.getTime() - used.getTime() : Infinity;
      if (ttl.always || age > ttl.ms) {
        candidates.push({ info, why: used ? `last used ${formatDuration(age)} ago` : 'last use unknown' });
      }
    }
  }

  for (const { info, why } of candidates) {
    const reasons: string[] = [];
    if (info.local_state.length) reasons.push(`holds local Terraform state (${info.local_state.join(', ')})`);
    if (info.locked) {
      const o = info.lock_owner;
      reasons.push(`its lock is held${o ? ` by pid ${o.pid} on ${o.host} since ${o.since}` : ''}`);
    }
    if (reasons.length && !request.force) {
      result.skipped.push({ ...entryOf(info, why), reasons });
      ports.log.warn(`workdir ${info.path}: skipped: ${reasons.join('; ')} (use --force to delete anyway)`);
      continue;
    }
    if (request.dryRun) {
      result.removed.push(entryOf(info, why));
      continue;
    }
    const remove = () => removeWorkdir(basePath, info.absPath);
    // The lock key follows from the folder name, so even a workdir without metadata is removed only under its lock.
    const key = workdirLockKeyFromName(basePath, info.name);
    await ensureStateDir(basePath, path.dirname(key), 'lock folder');
    try {
      // Do not wait: a provision that started after we looked makes this workdir busy again.
      await withLock(key, remove, { ...opts.lock, waitMs: 0 });
    } catch (e) {
      if (!(e instanceof LockTimeoutError)) throw e;
      if (!request.force) {
        result.skipped.push({ ...entryOf(info, why), reasons: [`its lock was taken while cleaning${e.owner ? ` (by pid ${e.owner.pid})` : ''}`] });
        ports.log.warn(`workdir ${info.path}: skipped: its lock was taken while cleaning`);
        continue;
      }
      await remove();
    }
    result.removed.push(entryOf(info, why));
    ports.log.info(`workdir ${info.path}: removed${why ? ` (${why})` : ''}`);
  }

  if (!request.dryRun) {
    result.collected = await collectLeftovers(basePath, ports.log, ports.clock.now().getTime());
    // Folders emptied by the removals (stack sub-folders).
    if (request.mode === 'all') pruneEmptyDirs(root);
  }
  return result;
}

/** A scratch folder whose name we did not make (an older version's) is removed once it is this old. */
const FOREIGN_SCRATCH_MS = 24 * 3_600_000;

/**
 * Scratch folders of fetches whose process is gone (never one whose process still runs), and
 * whatever an interrupted clean left in the trash. Both roots are checked for links first: a
 * linked `.workdir/.trash` must not make us delete the link's target.
 */
async function collectLeftovers(basePath: string, log: Log, nowMs: number): Promise<{ scratch: number; trash: number }> {
  const collected = { scratch: 0, trash: 0 };
  for (const [root, kind] of [
    [workdirTmpRoot(basePath), 'scratch'],
    [workdirTrashRoot(basePath), 'trash'],
  ] as const) {
    guardStatePath(basePath, root, `${kind} folder`);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of entries) {
      const abs = path.join(root, d.name);
      if (kind === 'scratch') {
        const pid = scratchOwnerPid(d.name);
        if (pid !== null ? processAlive(pid) : nowMs - (fs.lstatSync(abs, { throwIfNoEntry: false })?.mtimeMs ?? 0) < FOREIGN_SCRATCH_MS) continue;
      }
      try {
        await fs.promises.rm(abs, { recursive: true, force: true });
        collected[kind]++;
      } catch (e) {
        log.warn(`${abs}: could not remove leftover ${kind}: ${(e as Error).message}`);
      }
    }
    // The scratch root stays: a provision may be about to create its folder there.
    if (kind === 'trash') await fs.promises.rmdir(root).catch(() => {});
  }
  if (collected.scratch || collected.trash) {
    log.info(`collected ${collected.scratch} stale scratch folder(s) and ${collected.trash} trash folder(s) left by interrupted runs`);
  }
  return collected;
}

async function removeWorkdir(basePath: string, abs: string): Promise<void> {
  const trash = path.join(workdirTrashRoot(basePath), `${path.basename(abs)}-${randomBytes(4).toString('hex')}`);
  guardStatePath(basePath, abs, 'workdir');
  await ensureStateDir(basePath, path.dirname(trash), 'trash folder');
  try {
    await fs.promises.rename(abs, trash);
  } catch (e) {
    throw new AtmosError(`cannot remove workdir ${abs}: ${(e as Error).message}`, { file: abs, cause: e });
  }
  await fs.promises.rm(trash, { recursive: true, force: true });
  await fs.promises.rmdir(path.dirname(trash)).catch(() => {});
}

/** Removes empty folders below `dir`, never descending into a workdir (a skipped one must stay untouched). */
function pruneEmptyDirs(dir: string): boolean {
  if (fs.existsSync(atmosDir(dir))) return false;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const d of entries) {
    if (!(d.isDirectory() && pruneEmptyDirs(path.join(dir, d.name)))) empty = false;
  }
  if (empty) {
    try {
      fs.rmdirSync(dir);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}
