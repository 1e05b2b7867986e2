/**
 * Every on-disk location the project manages, built in one place: the workdir tree under the base
 * path, its lock, scratch and trash folders, and the `.atmos/` files inside each workdir. Pure:
 * nothing here touches the filesystem. Other modules take paths from here and never spell them.
 */
import path from 'node:path';
import { AtmosError } from './errors.js';
import { safeJoin, safeRelativeSegments } from './safe-path.js';

/** The project's own folder under the base path: workdirs, their locks, scratch space and trash. */
const STATE_DIR = '.workdir';

/** `<basePath>/.workdir`: everything below it is ours, and no part of it may be a link (workdir/guard.ts). */
export function stateRoot(basePath: string): string {
  return path.join(basePath, STATE_DIR);
}

/**
 * Longest folder-name segment a workdir may have, in bytes: NAME_MAX (255 on Linux, macOS and
 * Windows) minus the longest suffix we add to it (`<name>.owner.json` beside the lock).
 */
export const MAX_WORKDIR_SEGMENT_BYTES = 255 - '.owner.json'.length;

/** Folder under the base path that holds every instance's workdir. */
export const WORKDIR_ROOT = path.join(STATE_DIR, 'terraform');
/** {@link WORKDIR_ROOT} with forward slashes, as shown to users and in JSON. */
export const WORKDIR_ROOT_POSIX = `${STATE_DIR}/terraform`;

/** Folder inside a workdir with the project's own files (never synced, never deleted by a sync). */
export const ATMOS_DIR = '.atmos';
/** Read only: where Atmos kept workdir metadata before the `.atmos/` folder. */
export const LEGACY_METADATA_FILE = '.workdir-metadata.json';

/**
 * Escapes an instance name the way Atmos ≥ 1.226 does (`-`→`-h`, then `/`→`-s`, `\`→`-b`), so
 * `vpc-a` and `vpc/a` can never land in the same folder.
 */
export function escapeInstanceName(component: string): string {
  return component.replace(/-/g, '-h').replace(/\//g, '-s').replace(/\\/g, '-b');
}

/** Workdir folder name relative to the workdir root: `<stack>-<escaped instance>`; a `/` in the stack stays a sub-folder. */
export function workdirName(stack: string, component: string): string {
  safeRelativeSegments(stack, 'stack name');
  safeRelativeSegments(component, 'component name');
  const name = `${stack}-${escapeInstanceName(component)}`;
  for (const seg of name.split('/')) {
    const bytes = Buffer.byteLength(seg);
    if (bytes > MAX_WORKDIR_SEGMENT_BYTES) {
      throw new AtmosError(
        `component ${component} in stack ${stack}: its workdir folder name is ${bytes} bytes long, more than the ` +
          `${MAX_WORKDIR_SEGMENT_BYTES} a file name can hold here (with the lock's suffix); shorten the stack or component name`,
      );
    }
  }
  return name;
}

/** `<basePath>/.workdir/terraform`. */
export function workdirRoot(basePath: string): string {
  return path.join(basePath, WORKDIR_ROOT);
}

/** `<basePath>/.workdir/terraform/<stack>-<escaped instance>`: the only place a workdir path is built. */
export function buildWorkdirPath(basePath: string, stack: string, component: string): string {
  return safeJoin(workdirRoot(basePath), workdirName(stack, component), 'workdir name');
}

/** A workdir found on disk by its folder name relative to the root (`/`-separated). */
export function workdirPathFromName(basePath: string, name: string): string {
  return path.join(workdirRoot(basePath), ...name.split('/'));
}

/** The lock key for an instance's workdir: outside the workdir, so deleting the workdir never deletes a held lock. */
export function workdirLockKey(basePath: string, stack: string, component: string): string {
  return workdirLockKeyFromName(basePath, workdirName(stack, component));
}

/** The lock key of a workdir found on disk by its folder name (`/`-separated): clean needs no metadata to lock it. */
export function workdirLockKeyFromName(basePath: string, name: string): string {
  return path.join(basePath, STATE_DIR, '.locks', 'terraform', ...name.split('/'));
}

/** Scratch space for fetches, on the workdirs' filesystem (so a rename into place is atomic). */
export function workdirTmpRoot(basePath: string): string {
  return path.join(basePath, STATE_DIR, '.tmp');
}

/**
 * One fetch's scratch folder in {@link workdirTmpRoot}: named after the process that made it, so a
 * clean removes only the ones whose process is gone (never one in use), whatever the workdir's name length.
 */
export function workdirScratchPath(basePath: string, pid: number, token: string): string {
  return path.join(workdirTmpRoot(basePath), `${pid}-${token}`);
}

/** The pid a scratch folder name was made by (see workdirScratchPath), or null for a name we did not make. */
export function scratchOwnerPid(name: string): number | null {
  const m = /^(\d+)-[0-9a-f]+$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Where a removed workdir is renamed to before it is deleted (a half-deleted workdir never looks like one). */
export function workdirTrashRoot(basePath: string): string {
  return path.join(basePath, STATE_DIR, '.trash');
}

/** `<workdir>/.atmos`. */
export function atmosDir(workdir: string): string {
  return path.join(workdir, ATMOS_DIR);
}
/** `<workdir>/.atmos/metadata.json`: Atmos's workdir metadata. */
export function metadataPath(workdir: string): string {
  return path.join(workdir, ATMOS_DIR, 'metadata.json');
}
/** `<workdir>/.workdir-metadata.json`: the legacy metadata location (read only). */
export function legacyMetadataPath(workdir: string): string {
  return path.join(workdir, LEGACY_METADATA_FILE);
}
/** `<workdir>/.atmos/manifest.json`: the per-file record of the last sync. */
export function manifestPath(workdir: string): string {
  return path.join(workdir, ATMOS_DIR, 'manifest.json');
}
/** `<workdir>/.atmos/provision.complete`: present only after a provision finished. */
export function sentinelPath(workdir: string): string {
  return path.join(workdir, ATMOS_DIR, 'provision.complete');
}
/** `<workdir>/.atmos/provision.in-progress`: written before the first change, removed after the sentinel. */
export function inProgressPath(workdir: string): string {
  return path.join(workdir, ATMOS_DIR, 'provision.in-progress');
}

/** `<workdir>/.atmos/terraform-output`: where terraform writes its output while it runs (see Exec's outputDir). */
export function terraformOutputDir(workdir: string): string {
  return path.join(workdir, ATMOS_DIR, 'terraform-output');
}

/**
 * Whose a file in the terraform output folder is: `<pid>.out` / `<pid>.err` are a terraform's
 * output (named after it once it started); `.starting-<pid>-…` were made by our process `pid` just
 * before it started one. Null for another name.
 */
export function terraformOutputOwner(name: string): { pid: number; kind: 'terraform' | 'starting' } | null {
  const m = /^(\d+)\.(out|err)$/.exec(name) ?? /^\.starting-(\d+)-/.exec(name);
  return m ? { pid: Number(m[1]), kind: name.startsWith('.') ? 'starting' : 'terraform' } : null;
}

/**
 * Where a state dump terraform printed is kept, in order: the workdir's `errored.tfstate` (the name
 * terraform's own advice uses; a sync never removes it), then the temp folder.
 */
export function stateDumpFiles(workdir: string, tempRoot: string, label: string, stamp: string): string[] {
  return [
    path.join(workdir, 'errored.tfstate'),
    path.join(tempRoot, `atmos-action-errored-${label.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}-${stamp}.tfstate`),
  ];
}

/**
 * Atmos's naming can, in rare cases, map two instances to one folder (stack `a` + `b-c` and
 * stack `a-b` + `hc` both give `a-b-hc`). Sharing a workdir is exactly what we exist to prevent,
 * so such a pair is refused by name.
 */
export function assertDistinctWorkdirs(items: Iterable<{ stack: string; component: string }>): void {
  const seen = new Map<string, { stack: string; component: string }>();
  for (const it of items) {
    const name = workdirName(it.stack, it.component);
    const prev = seen.get(name);
    if (prev && (prev.stack !== it.stack || prev.component !== it.component)) {
      throw new AtmosError(
        `instances ${prev.component} (stack ${prev.stack}) and ${it.component} (stack ${it.stack}) would share the workdir ` +
          `${path.join(WORKDIR_ROOT, name)}; rename one of them`,
      );
    }
    seen.set(name, it);
  }
}

/**
 * The plans directory: what a plan leg hands to the comment job and to apply, one folder per
 * instance. The artifacts of every leg are merged into one such directory, so folder names must be
 * unique per instance across legs: `<escaped stack>--<escaped instance>`. Escaping turns every `-`
 * into `-h` (and `/`, `\` into `-s`, `-b`), so `--` never occurs inside an escaped part and the
 * first `--` always separates the two: two instances never share a folder.
 */
export const PLANS_DIR_NAME = 'atmos-plans';
/** Files inside one instance's plan folder. */
export const PLAN_FILES = {
  planfile: 'tfplan',
  encryptedPlanfile: 'tfplan.enc',
  result: 'result.json',
  meta: 'plan-meta.json',
} as const;

/** The file plan writes and removes to learn that the plans directory takes files; never a plan folder. */
export function plansDirProbePath(plansDir: string, pid: number): string {
  return path.join(plansDir, `.write-probe-${pid}`);
}

/** Whether an entry of the plans directory is such a probe (left by a plan killed in that instant). */
export function isPlansDirProbe(name: string): boolean {
  return /^\.write-probe-\d+$/.test(name);
}

/** Default plans directory when the user names none: `<RUNNER_TEMP or tmp>/atmos-plans`. */
export function defaultPlansDir(tempRoot: string): string {
  return path.join(tempRoot, PLANS_DIR_NAME);
}

/** Folder name of one instance's plan (see {@link PLANS_DIR_NAME}). */
export function planFolderName(stack: string, component: string): string {
  safeRelativeSegments(stack, 'stack name');
  safeRelativeSegments(component, 'component name');
  return `${escapeInstanceName(stack)}--${escapeInstanceName(component)}`;
}

/** Stack and component a plan folder name stands for (the inverse of {@link planFolderName}), or null for a name it never makes. */
export function parsePlanFolderName(name: string): { stack: string; component: string } | null {
  const at = name.indexOf('--');
  if (at <= 0) return null;
  const unescape = (part: string): string | null => {
    if (/-(?![hsb])|-$/.test(part)) return null;
    return part.replace(/-([hsb])/g, (_m, c: string) => ({ h: '-', s: '/', b: '\\' })[c]!);
  };
  const stack = unescape(name.slice(0, at));
  const component = unescape(name.slice(at + 2));
  return stack && component ? { stack, component } : null;
}

/** `<plansDir>/<escaped stack>--<escaped instance>`. */
export function planFolderPath(plansDir: string, stack: string, component: string): string {
  return safeJoin(plansDir, planFolderName(stack, component), 'plan folder name');
}

/**
 * Where apply keeps the decrypted planfiles while terraform applies them: a private folder per
 * process under the temp root, `atmos-apply-<pid>-<token>`, removed when the apply ends; one left
 * by a process that was killed is swept by the next apply (see applyScratchOwnerPid).
 */
export function applyScratchPath(tempRoot: string, pid: number, token: string): string {
  return path.join(tempRoot, `atmos-apply-${pid}-${token}`);
}

/** The pid an apply scratch folder name was made by, or null for a name we did not make. */
export function applyScratchOwnerPid(name: string): number | null {
  const m = /^atmos-apply-(\d+)-[0-9a-f]+$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** A file of an instance's plan folder. */
export function planFilePath(folder: string, file: keyof typeof PLAN_FILES): string {
  return path.join(folder, PLAN_FILES[file]);
}

// ─── describe affected ────────────────────────────────────────────────────────────────────────

/** Prefix of the temp folder the BASE commit's tree is written into for `describe affected` (removed afterwards). */
export function baseTreeTempPrefix(tempRoot: string): string {
  return path.join(tempRoot, 'atmos-action-base-');
}

// ─── provider store ───────────────────────────────────────────────────────────────────────────

/**
 * The provider store's root: the folder the user names (`ATMOS_ACTION_PROVIDER_STORE`, parsed by
 * app/env-settings.ts) first; on a GitHub runner `$RUNNER_TOOL_CACHE/atmos-action/providers`
 * (outside the workspace, kept for the job); otherwise the per-user cache directory
 * `$XDG_CACHE_HOME/atmos-action/providers` or `~/.cache/atmos-action/providers`. Pure: the caller
 * passes the environment.
 */
export function providerStoreRoot(env: Readonly<Record<string, string | undefined>>, explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TOOL_CACHE) return path.join(env.RUNNER_TOOL_CACHE, 'atmos-action', 'providers');
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'atmos-action', 'providers');
  if (!env.HOME) throw new AtmosError('cannot place the provider store: HOME is not set (set ATMOS_ACTION_PROVIDER_STORE)');
  return path.join(env.HOME, '.cache', 'atmos-action', 'providers');
}

/** Layout inside the store root. Only `packages/` is a filesystem mirror terraform reads. */
export const providerStorePaths = (root: string) => ({
  /** Unpacked packages, terraform's layout: the `filesystem_mirror` path. */
  packages: path.join(root, 'packages'),
  /** One sentinel per verified package (its `h1:` and a stat fingerprint); same sub-layout as packages. */
  verified: path.join(root, 'verified'),
  /** Per-package install locks and the lock that serialises inits without a lock file. */
  locks: path.join(root, 'locks'),
  /** Scratch installs and trash: same filesystem as packages, so publishing is one rename. */
  tmp: path.join(root, 'tmp'),
  /** Generated CLI configurations, named by their content hash. */
  cliConfigs: path.join(root, 'cli-config'),
});

/** Workdirs are on when the merged `provision.workdir.enabled` is true, or when forced (`--workdir` / action input). */
export function isWorkdirEnabled(instance: { provision?: unknown }, force: boolean): boolean {
  if (force) return true;
  const wd = (instance.provision as Record<string, unknown> | undefined)?.workdir;
  return !!wd && typeof wd === 'object' && (wd as Record<string, unknown>).enabled === true;
}
