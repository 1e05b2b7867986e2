/**
 * `<workdir>/.atmos/`: metadata.json (Atmos's field names, docs/atmos-compatibility.md §6.4), the sync manifest and
 * the "provision complete" sentinel.
 */
import fs from 'node:fs';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { atmosDir, legacyMetadataPath, manifestPath, metadataPath } from '../util/paths.js';

export interface LockFileSeed {
  /** Source file name it was seeded from: `.terraform.lock.hcl` or `.<stack>-<component>.terraform.lock.hcl`. */
  file: string;
  sha256: string;
}

/** Atmos's WorkdirMetadata (same JSON names), plus `lock_file_seed`, which Atmos ignores. */
export interface WorkdirMetadata {
  component: string;
  stack?: string;
  source_type: 'local' | 'remote';
  source?: string;
  source_uri?: string;
  source_version?: string;
  source_resolved?: string;
  source_identity?: string;
  created_at: string;
  updated_at: string;
  last_accessed: string;
  content_hash?: string;
  /** The committed lock file the workdir's `.terraform.lock.hcl` was seeded from, and its hash then. */
  lock_file_seed?: LockFileSeed;
}

export type MetadataRead =
  { ok: true; metadata: WorkdirMetadata; file: string } | { ok: false; reason: 'missing' } | { ok: false; reason: 'invalid'; file: string; error: string };

/** Reads `.atmos/metadata.json`, falling back to the legacy file. Never throws: callers decide. */
export function readMetadata(workdir: string): MetadataRead {
  for (const file of [metadataPath(workdir), legacyMetadataPath(workdir)]) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { ok: false, reason: 'invalid', file, error: (e as Error).message };
    }
    try {
      const m = JSON.parse(text) as WorkdirMetadata;
      if (!m || typeof m !== 'object' || typeof m.component !== 'string') throw new Error('not a workdir metadata object');
      return { ok: true, metadata: m, file };
    } catch (e) {
      return { ok: false, reason: 'invalid', file, error: (e as Error).message };
    }
  }
  return { ok: false, reason: 'missing' };
}

/** Field order as Atmos writes it; omitempty fields left out when empty. 2-space indent, no trailing newline (Go MarshalIndent). */
export function serializeMetadata(m: WorkdirMetadata): string {
  const out: Record<string, unknown> = {};
  const put = (k: keyof WorkdirMetadata, omitEmpty: boolean) => {
    const v = m[k];
    if (omitEmpty && (v === undefined || v === '')) return;
    out[k] = v ?? '';
  };
  put('component', false);
  put('stack', true);
  put('source_type', false);
  put('source', true);
  put('source_uri', true);
  put('source_version', true);
  put('source_resolved', true);
  put('source_identity', true);
  put('created_at', false);
  put('updated_at', false);
  put('last_accessed', false);
  put('content_hash', true);
  if (m.lock_file_seed) out.lock_file_seed = m.lock_file_seed;
  return JSON.stringify(out, null, 2);
}

export async function writeMetadata(workdir: string, m: WorkdirMetadata): Promise<void> {
  await fs.promises.mkdir(atmosDir(workdir), { recursive: true });
  await atomicWriteFile(metadataPath(workdir), serializeMetadata(m));
}

/** Time as Atmos writes it (RFC 3339; milliseconds are what JavaScript has). */
export function timestamp(d: Date): string {
  return d.toISOString();
}

// ─── sync manifest ───────────────────────────────────────────────────────────────────────────

/**
 * One file of the manifest, as a flat tuple (thousands of them are read on every no-change run, and
 * a tuple parses and allocates far less than nested objects):
 * [src size, src mtimeMs, src ctimeMs, src inode, mode, sha256, copy size, copy mtimeMs, copy ctimeMs, copy inode].
 * The source stat is the file's when its sha256 was computed; the copy's is taken right after we
 * wrote (or verified) it; mode is the permission bits (mode & 0o7777) of both. Equality of all of
 * them is what "unchanged" trusts.
 */
export type ManifestEntry = [number, number, number, number, number, string, number, number, number, number];

export const entrySha = (e: ManifestEntry): string => e[5];
export const entryMode = (e: ManifestEntry): number => e[4];

interface StatLike {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function manifestEntry(src: StatLike, mode: number, sha256: string, copy: StatLike): ManifestEntry {
  return [src.size, src.mtimeMs, src.ctimeMs, src.ino, mode, sha256, copy.size, copy.mtimeMs, copy.ctimeMs, copy.ino];
}

/** The source file still looks as it did when it was hashed. */
export function sameSource(e: ManifestEntry, st: StatLike): boolean {
  return e[0] === st.size && e[1] === st.mtimeMs && e[2] === st.ctimeMs && e[3] === st.ino;
}

/** The workdir copy still looks as it did right after we wrote or verified it. */
export function sameCopy(e: ManifestEntry, st: StatLike): boolean {
  return e[6] === st.size && e[7] === st.mtimeMs && e[8] === st.ctimeMs && e[9] === st.ino;
}

export interface Manifest {
  /** 2: tuple entries. A manifest of another version is ignored (every file is compared by content once). */
  version: 2;
  /** Date.now() when the sync that wrote this manifest started: files modified within RACY_MS of it are re-hashed. */
  started_at_ms: number;
  files: Record<string, ManifestEntry>;
  content_hash: string;
}

export function readManifest(workdir: string): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(manifestPath(workdir), 'utf8')) as Manifest;
    return m && m.version === 2 && m.files && typeof m.files === 'object' ? m : null;
  } catch {
    return null;
  }
}

export async function writeManifest(workdir: string, m: Manifest): Promise<void> {
  await fs.promises.mkdir(atmosDir(workdir), { recursive: true });
  await atomicWriteFile(manifestPath(workdir), JSON.stringify(m));
}
