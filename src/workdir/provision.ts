/**
 * Provisioning one instance's workdir: local sync or remote (JIT) source, lock-file seeding,
 * metadata, all under the instance's cross-process lock, with a sentinel written last so a workdir
 * left half-done by a killed process is redone rather than trusted.
 *
 * Over 300 lines (about 360): everything here runs under one lock acquisition, and the pure
 * decision of what to do already lives in decide.ts; the rest is the ordered steps done while
 * holding it, plus the up-front checks of the source (local, fetched, missing but generated).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { clearSentinel, sentinelExists, withLock, writeSentinel, type LockOptions } from '../lock/lock.js';
import { schedule } from '../graph/schedule.js';
import type { Clock } from '../ports/clock.js';
import type { Exec } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import { instanceKey } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';
import { safeRelativeSegments } from '../util/safe-path.js';
import { decideProvision, describeOutcome, type ProvisionAction, type SourceView } from './decide.js';
import { seedLockFile } from './lock-seed.js';
import { readManifest, readMetadata, timestamp, writeManifest, writeMetadata, type WorkdirMetadata } from './metadata.js';
import {
  assertDistinctWorkdirs,
  ATMOS_DIR,
  buildWorkdirPath,
  inProgressPath,
  sentinelPath,
  stateRoot,
  workdirLockKey,
  workdirScratchPath,
  workdirTmpRoot,
} from '../util/paths.js';
import { ensureStateDir, guardStatePath, repairAtmosDir } from './guard.js';
import { fetchGitSource, parseSourceSpec, redactUri, resolveSourceUri, sourceFilter } from './remote.js';
import { refuseOverlap } from './source-guard.js';
import { syncTree, type SyncResult } from './sync.js';
import { vendorHint } from './vendor-hint.js';
import { parseTtl } from './ttl.js';

export interface WorkdirPorts {
  exec: Exec;
  log: Log;
  clock: Clock;
  /** Environment for git (tokens, HOME, proxies). Only entry points read process.env. */
  env?: Record<string, string | undefined>;
  /** Token for git sources on github.com when the environment holds none. */
  githubToken?: string;
}

export interface ProvisionOptions {
  /** Atmos base path (AtmosConfig.basePath): workdirs live under `<basePath>/.workdir/terraform/`. */
  basePath: string;
  /** TTL for remote sources without their own `source.ttl` (`components.terraform.source.ttl`). */
  defaultTtl?: string;
  /** `vendor.base_path` of atmos.yaml (absolute), for the hint on a missing component folder. */
  vendorBasePath?: string;
  /**
   * The files the terraform step generates from the instance's `generate:` section (paths relative
   * to where terraform runs), when `auto_generate_files` is on: never synced from the source (the
   * generated file wins, as in Atmos), removed quietly like the other regenerated files, and enough
   * to provision an instance whose component folder does not exist (the section is the module).
   */
  generated?: (instance: Instance) => string[];
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
/** Generated into the workdir after every provision (docs/atmos-compatibility.md §6.3): removed quietly, then rewritten by the terraform step. */
export const DEFAULT_REGENERATED = ['backend.tf.json', 'providers_override.tf.json', '*.terraform.tfvars.json'];

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

function describeInstance(i: { stack: string; component: string }): string {
  return `component ${i.component} in stack ${i.stack}`;
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
  // A relative local source is a folder under the base path: where Atmos, run from there, finds it.
  const resolved = spec ? resolveSourceUri(spec, where, opts.basePath) : undefined;
  const sourceType = !spec || resolved?.kind === 'local' ? 'local' : 'remote';
  const generated = opts.generated?.(instance) ?? [];
  // Where a fetched source runs terraform in its `<base component>/` sub-folder (§6.2), the files land there.
  const generatedRel = new Set(spec ? generated.flatMap((n) => [n, `${instance.baseComponent}/${n}`]) : generated);
  let componentMissing = false;
  if (!spec) {
    const st = fs.statSync(instance.componentPath, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      const hint = vendorHint(instance.componentPath, opts.basePath, opts.vendorBasePath);
      if (generated.length === 0)
        throw new AtmosError(`the component folder ${instance.componentPath} of ${where} does not exist${hint}`, { file: instance.componentPath });
      // Atmos creates the folder and generates into it; the shared tree is never written: the workdir starts empty.
      componentMissing = true;
    }
  }
  const preserveGlobs = opts.preserve ?? DEFAULT_PRESERVE;
  const preserve = preserveGlobs.length ? picomatch(preserveGlobs, { dot: true }) : undefined;
  const regeneratedGlobs = opts.regenerated ?? DEFAULT_REGENERATED;
  const regeneratedGlob = regeneratedGlobs.length ? picomatch(regeneratedGlobs, { dot: true }) : undefined;
  const regenerated = (rel: string) => generatedRel.has(rel) || (regeneratedGlob?.(rel) ?? false);
  const notGenerated = (rel: string, isDir: boolean) => isDir || !generatedRel.has(rel);

  const lockKey = workdirLockKey(opts.basePath, instance.stack, instance.component);
  // A link on the way to the lock or the workdir would redirect our writes and deletes: refuse it first.
  await ensureStateDir(opts.basePath, path.dirname(lockKey), 'lock folder');
  guardStatePath(opts.basePath, wd, 'workdir');

  return withLock(
    lockKey,
    async () => {
      await opts.hooks?.onLocked?.();
      // Again under the lock: this is the check the writes below rely on.
      await ensureStateDir(opts.basePath, wd, 'workdir');
      await repairAtmosDir(wd, (m) => ports.log.warn(`workdir ${instance.stack}/${instance.component}: ${m}`));
      const sp = sentinelPath(wd);
      const existed = fs.existsSync(wd) && fs.readdirSync(wd).some((n) => n !== ATMOS_DIR);
      const complete = existed && sentinelExists(sp);
      const ip = inProgressPath(wd);
      const recovered = existed && !complete && fs.existsSync(ip);
      const prevRead = readMetadata(wd);
      if (prevRead.ok === false && prevRead.reason === 'invalid')
        ports.log.warn(`${prevRead.file}: unreadable workdir metadata (${prevRead.error}); rewriting it`);
      const prev = prevRead.ok ? prevRead.metadata : null;
      const now = ports.clock.now();

      let sync: SyncResult | null = null;
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
        include: notGenerated,
      };
      try {
        const source: SourceView = spec
          ? { kind: 'remote', uri: redactUri(spec.uri), version: spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined), ttl }
          : { kind: 'local', path: instance.componentPath };
        const decision = decideProvision({ existed, complete, recovered, prev }, source, now);
        if (decision.kind === 'local') {
          sourceDir = instance.componentPath;
          if (componentMissing) {
            tmp = await scratchFolder(opts.basePath);
            sourceDir = tmp;
          }
          sync = await syncTree(sourceDir, wd, syncOpts);
        } else if (decision.kind === 'remote-current') {
          sourceDir = null;
        } else {
          const { uri, version } = source as Extract<SourceView, { kind: 'remote' }>;
          tmp = await scratchFolder(opts.basePath);
          ports.log.info(`workdir ${instance.stack}/${instance.component}: fetching ${uri}${version ? ` at ${version}` : ''} (${decision.why})`);
          if (resolved!.kind === 'git') {
            const fetched = await fetchGitSource(
              resolved!,
              tmp,
              { exec: ports.exec, env: ports.env ?? {}, githubToken: ports.githubToken, timeoutMs: opts.gitTimeoutMs },
              uri,
            );
            sourceDir = fetched.dir;
            identity = fetched.identity;
          } else {
            sourceDir = resolved!.subdir ? path.join(resolved!.dir, ...resolved!.subdir.split('/')) : resolved!.dir;
            if (!fs.statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) {
              throw new AtmosError(`source ${uri} of ${where}: folder ${sourceDir} does not exist`, { file: sourceDir });
            }
            refuseOverlap(sourceDir, stateRoot(opts.basePath), `source ${uri} of ${where}`);
          }
          const filter = sourceFilter(spec!);
          sync = await syncTree(sourceDir, wd, { ...syncOpts, include: (rel, isDir) => filter(rel, isDir) && notGenerated(rel, isDir) });
        }
        const outcome = describeOutcome(decision, source, sync);
        const { action } = outcome;
        const reason =
          componentMissing && action === 'created'
            ? `created without files: the component folder ${instance.componentPath} does not exist; its generate: section provides the module`
            : outcome.reason;

        const lockFile = sourceDir
          ? await seedLockFile(sourceDir, wd, instance, prev?.lock_file_seed)
          : { action: 'kept' as const, seed: prev?.lock_file_seed };
        if (sync?.manifestDirty) await writeManifest(wd, sync.manifest);

        const contentChanged = !existed || (sync !== null && sync.changed);
        const meta: WorkdirMetadata = {
          component: instance.component,
          stack: instance.stack,
          // Atmos's rule: a `source:` that is a folder on this machine is a local source too.
          source_type: sourceType,
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
          sourceType,
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
        ports.log.info(
          `waiting for ${instance.stack}/${instance.component}, ` +
            (owner ? `held by pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'held by another process'),
        );
        opts.lock?.onWait?.(owner);
      },
    },
  );
}

/** A new, empty folder in the scratch space (same filesystem as the workdirs); the caller removes it. */
async function scratchFolder(basePath: string): Promise<string> {
  await ensureStateDir(basePath, workdirTmpRoot(basePath), 'scratch folder');
  const dir = workdirScratchPath(basePath, process.pid, randomBytes(4).toString('hex'));
  await fs.promises.mkdir(dir);
  return dir;
}

/** The base component as a sub-folder of a fetched source, when it is a safe relative path (§6.2). */
function safeSubdir(name: string): string[] | null {
  try {
    return safeRelativeSegments(name, 'base component');
  } catch {
    return null;
  }
}

export interface ProvisionOutcome {
  instance: Instance;
  result?: ProvisionResult;
  error?: Error;
}

/** A provision run over a selection, as the entry points render it. */
export interface ProvisionBatch {
  basePath: string;
  /** One per instance with workdirs on, in selection order: a result or an error. */
  outcomes: ProvisionOutcome[];
  /** Selected but without workdirs enabled (left alone). */
  notEnabled: Instance[];
}

/**
 * Provisions many instances, `parallelism` at a time. One failing never stops the others; the
 * caller reports failures (one message each) and decides the exit code. Refuses up front a selection in which two instances would share
 * a workdir.
 */
export async function provisionWorkdirs(
  instances: readonly Instance[],
  opts: ProvisionOptions & { parallelism?: number },
  ports: WorkdirPorts,
): Promise<ProvisionOutcome[]> {
  assertDistinctWorkdirs(instances);
  const nodes = instances.map((instance) => ({ key: instanceKey(instance), value: instance }));
  const results = await schedule(nodes, (instance) => provisionWorkdir(instance, opts, ports), { parallelism: opts.parallelism ?? 4, failFast: false });
  return results.map((r, i) =>
    r.status === 'ok' ? { instance: instances[i]!, result: r.value } : { instance: instances[i]!, error: asError(r.status === 'failed' ? r.error : r.reason) },
  );
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
