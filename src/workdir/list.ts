/** `workdir list` / `workdir show`: what is on disk under `<base>/.workdir/terraform`, read without taking locks. */
import fs from 'node:fs';
import path from 'node:path';
import { lockStatus, type LockOwner } from '../lock/lock.js';
import {
  atmosDir,
  buildWorkdirPath,
  legacyMetadataPath,
  sentinelPath,
  workdirLockKeyFromName,
  workdirPathFromName,
  workdirRoot,
  WORKDIR_ROOT_POSIX,
} from '../util/paths.js';
import { guardStatePath } from './guard.js';
import { readMetadata, type WorkdirMetadata } from './metadata.js';

export interface WorkdirInfo {
  /** Folder name relative to the workdir root (`dev-vpc`, `org/dev-vpc`). */
  name: string;
  component: string;
  stack: string;
  source: string;
  source_type: string;
  source_uri?: string;
  source_version?: string;
  source_identity?: string;
  /** `.workdir/terraform/<name>`, relative to the base path (as Atmos prints it). */
  path: string;
  absPath: string;
  content_hash?: string;
  created_at: string;
  updated_at: string;
  last_accessed: string;
  /** The last provision finished (its sentinel exists). */
  complete: boolean;
  /** Local Terraform state found (`terraform.tfstate`, `terraform.tfstate.d/`, or the `errored.tfstate` of a failed save). */
  local_state: string[];
  locked: boolean;
  lock_owner?: LockOwner;
  /** Metadata could not be read: only the folder is known. */
  metadata_error?: string;
}

/** Local state files/folders in a workdir (what clean refuses to delete without --force). */
export function localState(workdir: string): string[] {
  const found: string[] = [];
  for (const name of ['terraform.tfstate', 'terraform.tfstate.d', 'errored.tfstate']) {
    // lstat: a link by that name counts too (and is never followed).
    if (fs.lstatSync(path.join(workdir, name), { throwIfNoEntry: false })) found.push(name);
  }
  return found;
}

function isWorkdirFolder(abs: string): boolean {
  return fs.existsSync(atmosDir(abs)) || fs.existsSync(legacyMetadataPath(abs));
}

/**
 * Every workdir under the root. Unlike Atmos (direct children only) this descends into folders
 * without metadata, because a `/` in a stack name makes a real sub-folder (`org/dev-vpc`).
 */
export function findWorkdirFolders(basePath: string): string[] {
  return scanWorkdirTree(basePath).workdirs;
}

/**
 * Workdirs under the root, and the symbolic links found where a workdir or a stack sub-folder
 * could be (never followed: they are reported, see guard.ts). Refuses a root reached through a link.
 */
export function scanWorkdirTree(basePath: string): { workdirs: string[]; links: string[] } {
  const root = workdirRoot(basePath);
  guardStatePath(basePath, root, 'workdir root');
  const out: string[] = [];
  const links: string[] = [];
  const visit = (abs: string, rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      if (d.isSymbolicLink() && !d.name.startsWith('.')) links.push(childRel);
      if (!d.isDirectory() || d.name.startsWith('.')) continue;
      const childAbs = path.join(abs, d.name);
      if (isWorkdirFolder(childAbs)) out.push(childRel);
      else if (depth < 16) visit(childAbs, childRel, depth + 1);
    }
  };
  visit(root, '', 0);
  return { workdirs: out.sort(), links: links.sort() };
}

export function describeWorkdirFolder(basePath: string, name: string, staleMs?: number): WorkdirInfo {
  const abs = workdirPathFromName(basePath, name);
  const read = readMetadata(abs);
  const m: Partial<WorkdirMetadata> = read.ok ? read.metadata : {};
  const stack = m.stack ?? '';
  const component = m.component ?? '';
  // The lock key follows from the folder name, so a workdir without (or with forged) metadata is judged by its real lock.
  const st = lockStatus(workdirLockKeyFromName(basePath, name), { staleMs });
  const locked = st.held;
  const owner: LockOwner | undefined = st.owner ?? undefined;
  let mtime = '';
  try {
    mtime = fs.statSync(abs).mtime.toISOString();
  } catch {
    /* vanished meanwhile */
  }
  const info: WorkdirInfo = {
    name,
    component,
    stack,
    source: m.source ?? '',
    source_type: m.source_type ?? '',
    source_uri: m.source_uri || undefined,
    source_version: m.source_version || undefined,
    source_identity: m.source_identity || undefined,
    path: path.posix.join(WORKDIR_ROOT_POSIX, name),
    absPath: abs,
    content_hash: m.content_hash || undefined,
    created_at: m.created_at ?? mtime,
    updated_at: m.updated_at ?? mtime,
    last_accessed: m.last_accessed ?? mtime,
    complete: fs.existsSync(sentinelPath(abs)),
    local_state: localState(abs),
    locked,
    lock_owner: owner,
  };
  if (!read.ok) info.metadata_error = read.reason === 'missing' ? 'metadata missing' : `${read.file}: ${read.error}`;
  return info;
}

export function listWorkdirs(basePath: string, opts: { staleMs?: number } = {}): WorkdirInfo[] {
  return findWorkdirFolders(basePath).map((name) => describeWorkdirFolder(basePath, name, opts.staleMs));
}

/** The workdir of one instance, or null when it has not been provisioned. */
export function showWorkdir(basePath: string, stack: string, component: string, opts: { staleMs?: number } = {}): WorkdirInfo | null {
  const abs = buildWorkdirPath(basePath, stack, component);
  guardStatePath(basePath, abs, 'workdir');
  if (!fs.existsSync(abs)) return null;
  const name = path.relative(workdirRoot(basePath), abs).split(path.sep).join('/');
  return describeWorkdirFolder(basePath, name, opts.staleMs);
}
