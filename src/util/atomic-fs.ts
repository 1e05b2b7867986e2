/**
 * Atomic file writes: readers (other processes included) see the old content or the new, never a
 * partial file. The temp file sits beside the target so the rename stays on one filesystem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from './errors.js';

let tmpCounter = 0;

/** A temp name beside `file` (same filesystem, so rename is atomic), unique per process and call. */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now().toString(36)}-${tmpCounter++}`);
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
