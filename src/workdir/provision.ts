/**
 * Provisioning one instance's workdir: local sync or remote (JIT) source, lock-file seeding,
 * metadata, all under the instance's cross-process lock, with a sentinel written last so a workdir
 * left half-done by a killed process is redone rather than trusted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { atomicWriteFile, clearSentinel, sentinelExists, withLock, writeSentinel, type LockOptions } from '../lock/lock.js';
import type { Clock } from '../ports/clock.js';
import type { Exec } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import type { Instance } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';
import { safeRelativeSegments } from '../util/safe-path.js';
import { sha256Text } from './hash.js';
import {
  inProgressPath,
  readManifest,
  readMetadata,
  sentinelPath,
  timestamp,
  writeManifest,
  writeMetadata,
  type LockFileSeed,
  type WorkdirMetadata,
} from './metadata.js';
import { assertDistinctWorkdirs, buildWorkdirPath, workdirName } from './path.js';
import { fetchGitSource, parseSourceSpec, redactUri, resolveSourceUri, sourceFilter } from './remote.js';
import { LOCK_FILE_SUFFIX, syncTree, type SyncResult } from './sync.js';
import { formatDuration, isExpired, parseTtl } from './ttl.js';

export interface WorkdirPorts {
  exec: Exec;
  log: Log;
  clock: Clock;
  /** Environment for git (tokens, HOME, proxies). Only entry points read process.env. */
  env?: Record<string, string | undefined>;
}

export interface ProvisionOptions {
  /** Atmos base path (AtmosConfig.basePath): workdirs live under `<basePath>/.workdir/terraform/`. */
  basePath: string;
  /** TTL for remote sources without their own `source.ttl` (`components.terraform.source.ttl`). */
  defaultTtl?: string;
  /**
   * Workdir-only files (globs relative to the workdir root) the sync keeps instead of deleting:
   * plan files that a later apply in the same workdir needs. Defaults to DEFAULT_PRESERVE.
   */
  preserve?: string[];
  /**
   * Workdir-only files the terraform step regenerates after every provision: deleted when not in
   * the source (so a stale one never lingers) without being reported as a change. Defaults to
   * DEFAULT_REGENERATED.
   */
  regenerated?: string[];
  lock?: LockOptions;
  /** Deadline for fetching one git source (entry points read ATMOS_ACTION_GIT_TIMEOUT); default DEFAULT_GIT_TIMEOUT_MS. */
  gitTimeoutMs?: number;
  /** Observability hooks (tests use them to hold or kill a process mid-provision). */
  hooks?: {
    onLocked?: () => Promise<void> | void;
    afterCopy?: (rel: string) => Promise<void> | void;
    /** Called with the result while the lock is still held. */
    beforeRelease?: (result: ProvisionResult) => Promise<void> | void;
  };
}

/** Plan files: written into the workdir by plan, read by a later apply; kept by the sync. */
export const DEFAULT_PRESERVE = ['*.planfile', '*.tfplan'];
/** Generated into the workdir after every provision (reference §6.3): removed quietly, then rewritten by the terraform step. */
export const DEFAULT_REGENERATED = ['backend.tf.json', 'providers_override.tf.json', '*.terraform.tfvars.json'];

export type ProvisionAction = 'created' | 'synced' | 'reprovisioned' | 'unchanged';

export interface ProvisionResult {
  stack: string;
  component: string;
  /** Absolute workdir path. */
  path: string;
  /** Where terraform runs: the workdir, or `<workdir>/<base component>` when a remote source has that folder (§6.2). */
  terraformDir: string;
  action: ProvisionAction;
  /** Human sentence: "created from …", "source version changed (v1 → v2)", "synced 3 files (…)", "unchanged". */
  reason: string;
  /** Content changed: the terraform step should init with -reconfigure. */
  changed: boolean;
  sourceType: 'local' | 'remote';
  added: string[];
  updated: string[];
  removed: string[];
  counts: { added: number; updated: number; removed: number; unchanged: number; hashed: number };
  lockFile: { action: 'seeded' | 'reseeded' | 'kept' | 'none'; from?: string };
  /** The previous provision of this workdir had not finished (killed or failed) and was redone. */
  recovered: boolean;
  metadata: WorkdirMetadata;
  durationMs: number;
}

/** Workdirs are on when the merged `provision.workdir.enabled` is true, or when forced (`--workdir` / action input). */
export function isWorkdirEnabled(instance: Pick<Instance, 'provision'>, force: boolean): boolean {
  if (force) return true;
  const wd = (instance.provision as Record<string, unknown> | undefined)?.workdir;
  return !!wd && typeof wd === 'object' && (wd as Record<string, unknown>).enabled === true;
}

/** The lock key for an instance's workdir: outside the workdir, so deleting the workdir never deletes a held lock. */
export function workdirLockKey(basePath: string, stack: string, component: string): string {
  return path.join(basePath, '.workdir', '.locks', 'terraform', workdirName(stack, component));
}

/** Scratch space for fetches, on the workdirs' filesystem. */
export function workdirTmpRoot(basePath: string): string {
  return path.join(basePath, '.workdir', '.tmp');
}

/** Atmos's per-instance lock file name (pkg/provisioner/instance.go): `.<stack>-<component>.terraform.lock.hcl`, `/`, `\` and spaces as `-`. */
export function instanceLockFileName(stack: string, component: string): string {
  const key = `${stack}-${component}`.replace(/[/\\ ]/g, '-').replace(/^-+|-+$/g, '');
  return `.${key}${LOCK_FILE_SUFFIX}`;
}

const CANONICAL_LOCK = '.terraform.lock.hcl';

function describeInstance(i: { stack: string; component: string }): string {
  return `component ${i.component} in stack ${i.stack}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarize(s: Pick<SyncResult, 'added' | 'updated' | 'removed'>): string {
  const n = s.added.length + s.updated.length + s.removed.length;
  return `synced ${plural(n, 'file')} (${s.added.length} added, ${s.updated.length} updated, ${s.removed.length} removed)`;
}

/** Provisions one instance's workdir. Throws AtmosError for bad config or unreadable sources. */
export async function provisionWorkdir(instance: Instance, opts: ProvisionOptions, ports: WorkdirPorts): Promise<ProvisionResult> {
  const started = Date.now();
  const where = describeInstance(instance);
  const wd = buildWorkdirPath(opts.basePath, instance.stack, instance.component);
  const spec = parseSourceSpec(instance.source && Object.keys(instance.source).length ? instance.source : undefined, where);
  // Validate everything that can be wrong with the config before taking a lock or touching disk.
  const ttlText = spec ? (spec.ttl ?? opts.defaultTtl) : undefined;
  const ttl = ttlText === undefined ? undefined : parseTtl(ttlText, `source.ttl of ${where}`);
  const resolved = spec ? resolveSourceUri(spec, where) : undefined;
  if (!spec) {
    const st = fs.statSync(instance.componentPath, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      throw new AtmosError(`the component folder ${instance.componentPath} of ${where} does not exist`, { file: instance.componentPath });
    }
  }
  const preserveGlobs = opts.preserve ?? DEFAULT_PRESERVE;
  const preserve = preserveGlobs.length ? picomatch(preserveGlobs, { dot: true }) : undefined;
  const regeneratedGlobs = opts.regenerated ?? DEFAULT_REGENERATED;
  const regenerated = regeneratedGlobs.length ? picomatch(regeneratedGlobs, { dot: true }) : undefined;

  return withLock(
    workdirLockKey(opts.basePath, instance.stack, instance.component),
    async () => {
      await opts.hooks?.onLocked?.();
      const sp = sentinelPath(wd);
      const existed = fs.existsSync(wd) && fs.readdirSync(wd).some((n) => n !== '.atmos');
      const complete = existed && sentinelExists(sp);
      const ip = inProgressPath(wd);
      const recovered = existed && !complete && fs.existsSync(ip);
      const prevRead = readMetadata(wd);
      if (prevRead.ok === false && prevRead.reason === 'invalid') ports.log.warn(`${prevRead.file}: unreadable workdir metadata (${prevRead.error}); rewriting it`);
      const prev = prevRead.ok ? prevRead.metadata : null;
      const now = ports.clock.now();
      await fs.promises.mkdir(wd, { recursive: true });

      let sync: SyncResult | null = null;
      let action: ProvisionAction;
      let reason: string;
      let sourceDir: string | null;
      let identity: string | undefined;
      let tmp: string | null = null;
      const syncOpts = {
        manifest: complete ? readManifest(wd) : null,
        preserve,
        regenerated,
        beforeFirstChange: async () => {
          await clearSentinel(sp);
          await writeSentinel(ip, { stack: instance.stack, component: instance.component });
        },
        afterCopy: opts.hooks?.afterCopy,
      };
      try {
        if (!spec) {
          sourceDir = instance.componentPath;
          sync = await syncTree(sourceDir, wd, syncOpts);
          const n = sync.added.length + sync.updated.length + sync.removed.length;
          if (!existed) {
            action = 'created';
            reason = `created from ${instance.componentPath} (${plural(sync.added.length, 'file')})`;
          } else if (!complete) {
            action = 'reprovisioned';
            reason = `${recovered ? 'previous provision did not finish' : 'workdir was not provisioned by atmos-action'}; compared every file: ${summarize(sync)}`;
          } else if (n > 0) {
            action = 'synced';
            reason = summarize(sync);
          } else {
            action = 'unchanged';
            reason = 'unchanged';
          }
        } else {
          const version = spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined);
          const uri = redactUri(spec.uri);
          const why = remoteReason({ existed, complete, recovered, prev, version, uri, ttl, now });
          if (why === null) {
            sourceDir = null;
            action = 'unchanged';
            reason = `unchanged (source ${uri}${version ? ` at ${version}` : ''} is current)`;
          } else {
            tmp = path.join(workdirTmpRoot(opts.basePath), `${workdirName(instance.stack, instance.component).replace(/\//g, '_')}-${randomBytes(4).toString('hex')}`);
            await fs.promises.mkdir(tmp, { recursive: true });
            ports.log.info(`workdir ${instance.stack}/${instance.component}: fetching ${uri}${version ? ` at ${version}` : ''} (${why})`);
            if (resolved!.kind === 'git') {
              const fetched = await fetchGitSource(resolved!, tmp, { exec: ports.exec, env: ports.env ?? {}, timeoutMs: opts.gitTimeoutMs }, uri);
              sourceDir = fetched.dir;
              identity = fetched.identity;
            } else {
              sourceDir = resolved!.subdir ? path.join(resolved!.dir, ...resolved!.subdir.split('/')) : resolved!.dir;
              if (!fs.statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) {
                throw new AtmosError(`source ${uri} of ${where}: folder ${sourceDir} does not exist`, { file: sourceDir });
              }
            }
            sync = await syncTree(sourceDir, wd, { ...syncOpts, include: sourceFilter(spec) });
            action = existed ? 'reprovisioned' : 'created';
            reason = existed ? `${why}: ${summarize(sync)}` : `created from ${uri}${version ? ` at ${version}` : ''} (${plural(sync.added.length, 'file')})`;
          }
        }

        const lockFile = sourceDir ? await seedLockFile(sourceDir, wd, instance, prev?.lock_file_seed) : { action: 'kept' as const, seed: prev?.lock_file_seed };
        if (sync?.manifestDirty) await writeManifest(wd, sync.manifest);

        const contentChanged = !existed || (sync !== null && sync.changed);
        const meta: WorkdirMetadata = {
          component: instance.component,
          stack: instance.stack,
          source_type: spec ? 'remote' : 'local',
          source: spec ? redactUri(spec.uri) : instance.componentPath,
          source_uri: spec ? redactUri(spec.uri) : undefined,
          source_version: spec ? (spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined)) : undefined,
          source_resolved: resolved?.kind === 'git' ? redactUri(resolved.url) : undefined,
          source_identity: spec ? (sourceDir ? identity : prev?.source_identity) : undefined,
          created_at: prev?.created_at ?? timestamp(now),
          // Remote: a re-fetch restarts the TTL even when the content came back identical.
          updated_at: contentChanged || (spec && sourceDir) || !prev ? timestamp(now) : prev.updated_at,
          last_accessed: timestamp(now),
          content_hash: sync ? sync.manifest.content_hash || undefined : prev?.content_hash,
          lock_file_seed: lockFile.seed,
        };
        await writeMetadata(wd, meta);
        // Last step: from here on the workdir is trusted as complete.
        if (!sentinelExists(sp)) await writeSentinel(sp, { stack: instance.stack, component: instance.component });
        await clearSentinel(ip);

        const remoteSubdir = spec ? path.join(wd, ...(safeSubdir(instance.baseComponent) ?? [])) : wd;
        const terraformDir = spec && remoteSubdir !== wd && fs.statSync(remoteSubdir, { throwIfNoEntry: false })?.isDirectory() ? remoteSubdir : wd;
        const result: ProvisionResult = {
          stack: instance.stack,
          component: instance.component,
          path: wd,
          terraformDir,
          action,
          reason,
          changed: contentChanged,
          sourceType: spec ? 'remote' : 'local',
          added: sync?.added ?? [],
          updated: sync?.updated ?? [],
          removed: sync?.removed ?? [],
          counts: {
            added: sync?.added.length ?? 0,
            updated: sync?.updated.length ?? 0,
            removed: sync?.removed.length ?? 0,
            unchanged: sync?.unchanged ?? 0,
            hashed: sync?.hashed ?? 0,
          },
          lockFile: { action: lockFile.action, from: lockFile.seed?.file },
          recovered,
          metadata: meta,
          durationMs: Date.now() - started,
        };
        ports.log.info(`workdir ${instance.stack}/${instance.component}: ${reason}`);
        await opts.hooks?.beforeRelease?.(result);
        if (lockFile.action === 'seeded' || lockFile.action === 'reseeded') {
          ports.log.info(`workdir ${instance.stack}/${instance.component}: .terraform.lock.hcl ${lockFile.action} from ${lockFile.seed!.file}`);
        }
        return result;
      } finally {
        if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true }).catch(() => {});
      }
    },
    {
      ...opts.lock,
      onWait: (owner) => {
        ports.log.info(`workdir ${instance.stack}/${instance.component}: waiting for another process${owner ? ` (pid ${owner.pid} on ${owner.host})` : ''}`);
        opts.lock?.onWait?.(owner);
      },
    },
  );
}

/** The base component as a sub-folder of a fetched source, when it is a safe relative path (§6.2). */
function safeSubdir(name: string): string[] | null {
  try {
    return safeRelativeSegments(name, 'base component');
  } catch {
    return null;
  }
}

function remoteReason(a: {
  existed: boolean;
  complete: boolean;
  recovered: boolean;
  prev: WorkdirMetadata | null;
  version: string | undefined;
  uri: string;
  ttl: ReturnType<typeof parseTtl> | undefined;
  now: Date;
}): string | null {
  if (!a.existed) return 'new workdir';
  if (!a.complete) return a.recovered ? 'previous provision did not finish' : 'workdir was not provisioned by atmos-action';
  if (!a.prev) return 'workdir metadata missing';
  if (a.prev.source_type !== 'remote') return 'source changed from local to remote';
  if ((a.prev.source_version ?? '') !== (a.version ?? '')) return `source version changed (${a.prev.source_version || 'none'} → ${a.version || 'none'})`;
  if ((a.prev.source_uri ?? '') !== a.uri) return `source URI changed (${a.prev.source_uri || 'none'} → ${a.uri})`;
  if (a.ttl) {
    if (a.ttl.always) return `TTL ${a.ttl.text} means always re-provision`;
    const updated = new Date(a.prev.updated_at);
    if (isExpired(a.ttl, updated, a.now)) {
      const age = a.now.getTime() - updated.getTime();
      return `TTL ${a.ttl.text} expired (updated ${Number.isNaN(age) ? 'at an unknown time' : `${formatDuration(age)} ago`})`;
    }
  }
  return null;
}

/**
 * Seeds `<workdir>/.terraform.lock.hcl` from the committed per-instance lock file, else the base
 * component's `.terraform.lock.hcl`. The lock file `terraform init` writes in the workdir is kept
 * across syncs until the committed file it was seeded from changes (its hash is in the metadata):
 * then it is re-seeded. A per-instance file always wins over what the workdir has (Atmos copies it
 * on every run); the base file only seeds a workdir without a lock file, or replaces one after the
 * base file changed.
 */
async function seedLockFile(
  sourceDir: string,
  wd: string,
  instance: { stack: string; component: string },
  prevSeed: LockFileSeed | undefined,
): Promise<{ action: 'seeded' | 'reseeded' | 'kept' | 'none'; seed?: LockFileSeed }> {
  const target = path.join(wd, CANONICAL_LOCK);
  const perInstanceName = instanceLockFileName(instance.stack, instance.component);
  let file: string | null = null;
  let data: Buffer | null = null;
  for (const name of [perInstanceName, CANONICAL_LOCK]) {
    try {
      data = await fs.promises.readFile(path.join(sourceDir, name));
      file = name;
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new AtmosError(`cannot read lock file ${path.join(sourceDir, name)}: ${(e as Error).message}`, { file: path.join(sourceDir, name) });
      }
    }
  }
  const targetExists = fs.existsSync(target);
  if (!file || !data) return { action: targetExists ? 'kept' : 'none' };
  const seed: LockFileSeed = { file, sha256: sha256Text(data) };
  const sameSeed = prevSeed?.file === seed.file && prevSeed.sha256 === seed.sha256;
  if (!targetExists) {
    await atomicWriteFile(target, data, 0o644);
    return { action: prevSeed ? 'reseeded' : 'seeded', seed };
  }
  if (sameSeed) return { action: 'kept', seed };
  if (!prevSeed && file === CANONICAL_LOCK) {
    // The workdir already has a lock file we did not seed (init ran before the base file was
    // committed, or another tool made the workdir): the base file only seeds empty workdirs.
    // Remember its hash so a later change to it is noticed.
    return { action: 'kept', seed };
  }
  await atomicWriteFile(target, data, 0o644);
  return { action: prevSeed ? 'reseeded' : 'seeded', seed };
}

export interface ProvisionOutcome {
  instance: Instance;
  result?: ProvisionResult;
  error?: Error;
}

/**
 * Provisions many instances, `parallelism` at a time. One failing never stops the others; the
 * caller decides the exit code. Refuses up front a selection in which two instances would share
 * a workdir.
 */
export async function provisionWorkdirs(
  instances: readonly Instance[],
  opts: ProvisionOptions & { parallelism?: number },
  ports: WorkdirPorts,
): Promise<ProvisionOutcome[]> {
  assertDistinctWorkdirs(instances);
  const out: ProvisionOutcome[] = instances.map((instance) => ({ instance }));
  let next = 0;
  const n = Math.max(1, Math.min(opts.parallelism ?? 4, instances.length));
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < out.length) {
        const o = out[next++]!;
        try {
          o.result = await provisionWorkdir(o.instance, opts, ports);
        } catch (e) {
          o.error = e as Error;
          ports.log.error(`workdir ${o.instance.stack}/${o.instance.component}: ${(e as Error).message}`);
        }
      }
    }),
  );
  return out;
}
