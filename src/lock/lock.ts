/**
 * Cross-process locks and "work finished" sentinels: the one place that knows how processes
 * coordinate on the filesystem. It knows nothing about workdirs, terraform or providers;
 * callers own the work and choose the lock and sentinel paths.
 *
 * Built on proper-lockfile (an atomic `mkdir` of `<key>.lock`, whose mtime the holder refreshes
 * every stale/2). A holder that dies (SIGKILL, OOM, runner cancelled) stops refreshing, so after
 * the stale window its lock is taken over. Waiting is bounded and always longer than the stale
 * window, so a dead holder can never make a waiter time out, while a live holder that really
 * hangs produces a clear error instead of a job stuck forever.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';

export interface LockOptions {
  /** A lock whose mtime is older than this is considered abandoned and taken over. Min 2000 (proper-lockfile). */
  staleMs?: number;
  /**
   * How long to wait for a held lock before giving up. Must exceed `staleMs` (so a dead holder's lock is
   * always taken over before a waiter gives up); 0 means "try once" (see tryLock semantics in withLock).
   */
  waitMs?: number;
  /** Called once when we start waiting on a lock held by someone else (for "waiting for …" log lines). */
  onWait?: (owner: LockOwner | null) => void;
}

export const DEFAULT_STALE_MS = 30_000;
export const DEFAULT_WAIT_MS = 10 * 60_000;

/** Who holds a lock, written next to it for error messages and `workdir list/clean`. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export class LockTimeoutError extends AtmosError {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner | null,
    waitedMs: number,
  ) {
    super(
      `timed out after ${Math.round(waitedMs / 1000)}s waiting for the lock ${lockPath}` +
        (owner ? ` (held by pid ${owner.pid} on ${owner.host} since ${owner.since})` : '') +
        '; if no such process is running, delete the lock directory',
      { file: lockPath, kind: 'instance' },
    );
    this.name = 'LockTimeoutError';
  }
}

/** The lock directory proper-lockfile creates for a key. */
export function lockDirFor(key: string): string {
  return `${path.resolve(key)}.lock`;
}

function ownerFileFor(key: string): string {
  return `${path.resolve(key)}.owner.json`;
}

function readOwner(key: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(ownerFileFor(key), 'utf8')) as LockOwner;
    return typeof o.pid === 'number' ? o : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function normalise(opts: LockOptions): { staleMs: number; waitMs: number } {
  const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
  const waitMs = opts.waitMs ?? Math.max(DEFAULT_WAIT_MS, staleMs * 3);
  if (waitMs !== 0 && waitMs <= staleMs) {
    // A waiter that gives up before a dead holder's lock turns stale would fail jobs for no reason.
    throw new AtmosError(`lock wait (${waitMs} ms) must be longer than the stale window (${staleMs} ms)`);
  }
  return { staleMs, waitMs };
}

/**
 * Runs `fn` while holding the cross-process lock `key` (any absolute path; `<key>.lock` is the lock
 * directory, `<key>.owner.json` says who holds it). The parent folder is created if needed.
 * Released on every path; if the lock was lost while `fn` ran (event loop blocked longer than the
 * stale window, or someone deleted it), the result is not trusted and an error is thrown.
 *
 * `waitMs: 0` tries once and throws LockTimeoutError immediately when the lock is held.
 */
export async function withLock<T>(key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const { staleMs, waitMs } = normalise(opts);
  const abs = path.resolve(key);
  await fs.promises.mkdir(path.dirname(abs), { recursive: true });

  let compromised: Error | null = null;
  const start = Date.now();
  let delay = 20;
  let announced = false;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(abs, {
        realpath: false,
        stale: staleMs,
        lockfilePath: lockDirFor(abs),
        retries: 0,
        // The default throws from a timer and kills the process; record it and fail the work instead.
        onCompromised: (err: Error) => void (compromised = err),
      });
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // The parent folder vanished (e.g. a concurrent clean); recreate and retry.
        await fs.promises.mkdir(path.dirname(abs), { recursive: true });
      } else if (code !== 'ELOCKED') {
        throw new AtmosError(`cannot take the lock ${lockDirFor(abs)}: ${(e as Error).message}`, { file: lockDirFor(abs), cause: e });
      }
      const waited = Date.now() - start;
      if (waited >= waitMs) throw new LockTimeoutError(lockDirFor(abs), readOwner(abs), waited);
      if (!announced) {
        // The holder writes its owner note right after taking the lock: give it a moment, so the
        // one "waiting for …" line can say who holds it.
        const owner = readOwner(abs);
        if (owner || waited >= 250) {
          announced = true;
          opts.onWait?.(owner);
        }
      }
      // Jittered back-off: short at first (a holder usually finishes quickly), capped so a takeover
      // after the stale window is noticed promptly.
      await sleep(Math.min(delay, waitMs - waited) * (0.75 + Math.random() * 0.5));
      delay = Math.min(delay * 2, 500);
    }
  }

  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  try {
    await atomicWriteFile(ownerFileFor(abs), JSON.stringify(owner));
  } catch {
    // Owner info only improves messages; the lock itself is the mkdir.
  }

  let result: T;
  try {
    result = await fn();
  } finally {
    // Remove the owner note first (only if it is still ours), then the lock itself.
    const cur = readOwner(abs);
    if (cur && cur.pid === owner.pid && cur.host === owner.host && cur.since === owner.since) {
      await fs.promises.rm(ownerFileFor(abs), { force: true }).catch(() => {});
    }
    await release().catch(() => {
      // ERELEASED: already released because compromised; reported below.
    });
  }
  if (compromised) {
    throw new AtmosError(
      `the lock ${lockDirFor(abs)} was lost while the work ran (${(compromised as Error).message}); ` +
        'another process may have taken it over, so the result is not trusted; run again',
      { file: lockDirFor(abs) },
    );
  }
  return result;
}

export interface LockStatus {
  held: boolean;
  /** The lock directory exists but has not been refreshed within the stale window (its holder died). */
  stale: boolean;
  owner: LockOwner | null;
  lockDir: string;
}

/** Whether someone holds `key` right now (a stale lock does not count as held). Takes no lock. */
export function lockStatus(key: string, opts: Pick<LockOptions, 'staleMs'> = {}): LockStatus {
  const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
  const lockDir = lockDirFor(key);
  let st: fs.Stats;
  try {
    st = fs.statSync(lockDir);
  } catch {
    return { held: false, stale: false, owner: null, lockDir };
  }
  const stale = st.mtimeMs < Date.now() - staleMs;
  return { held: !stale, stale, owner: readOwner(key), lockDir };
}

/**
 * Whether a process with this pid runs on this machine (EPERM: it exists but belongs to someone
 * else). A zombie does not count: it has ended, and only waits for a parent that may never reap it
 * (an orphan of a killed process, under an init that does not reap, as in some containers).
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: the state is the field after the parenthesised command name.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all there is
  }
}

// ─── sentinels ────────────────────────────────────────────────────────────────────────────────

/**
 * A sentinel is a small file whose presence means "the work under this lock finished". Callers
 * remove it before they start changing the artifact and write it (atomically) as the very last
 * step, so an artifact left half-done by a killed process has no sentinel and is redone, never
 * trusted.
 */
export function sentinelExists(sentinelPath: string): boolean {
  return fs.existsSync(sentinelPath);
}

export async function clearSentinel(sentinelPath: string): Promise<void> {
  await fs.promises.rm(sentinelPath, { force: true });
}

export async function writeSentinel(sentinelPath: string, info: Record<string, unknown> = {}): Promise<void> {
  await fs.promises.mkdir(path.dirname(sentinelPath), { recursive: true });
  await atomicWriteFile(sentinelPath, JSON.stringify({ completed_at: new Date().toISOString(), pid: process.pid, ...info }));
}

/**
 * Do `work` at most once: the cheap path (sentinel present and `verify()` true) takes no lock;
 * otherwise take the lock, re-check (someone may have finished while we waited), clear the
 * sentinel, work, write the sentinel. If `work` throws, the sentinel stays absent.
 */
export async function ensureDone<T>(args: {
  lockKey: string;
  sentinelPath: string;
  verify?: () => Promise<boolean>;
  work: () => Promise<T>;
  lock?: LockOptions;
}): Promise<{ didWork: boolean; result?: T }> {
  const verified = async () => sentinelExists(args.sentinelPath) && (args.verify ? await args.verify() : true);
  if (await verified()) return { didWork: false };
  return withLock(
    args.lockKey,
    async () => {
      if (await verified()) return { didWork: false };
      await clearSentinel(args.sentinelPath);
      const result = await args.work();
      await writeSentinel(args.sentinelPath);
      return { didWork: true, result };
    },
    args.lock,
  );
}
