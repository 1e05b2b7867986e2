/**
 * Atomic file writes: readers (other processes included) see the old content or the new, never a
 * partial file. The temp file sits beside the target so the rename stays on one filesystem.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from './errors.js';

let tmpCounter = 0;

/** File names longer than this (bytes) get a hashed temp name: the suffix must never push a name past NAME_MAX (255). */
const LONG_NAME_BYTES = 180;

/**
 * A temp name beside `file` (same filesystem, so rename is atomic), unique per process and call.
 * A long name is replaced by a hash of it, so a file whose own name is near the limit can still be
 * replaced atomically (otherwise every later update of it would fail with ENAMETOOLONG).
 */
export function tempNameFor(file: string): string {
  const base = path.basename(file);
  const stem = Buffer.byteLength(base) > LONG_NAME_BYTES ? createHash('sha256').update(base).digest('hex').slice(0, 32) : base;
  return path.join(path.dirname(file), `.${stem}.tmp-${process.pid}-${Date.now().toString(36)}-${tmpCounter++}`);
}

/** Writes `file` so readers see the old content or the new, never a partial file (temp + rename). */
export async function atomicWriteFile(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = tempNameFor(file);
  try {
    await fs.promises.writeFile(tmp, data, mode === undefined ? undefined : { mode });
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw new AtmosError(`cannot write ${file}: ${(e as Error).message}`, { file, cause: e, kind: 'instance' });
  }
}
