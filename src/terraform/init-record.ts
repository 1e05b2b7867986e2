/**
 * Whether `init` needs `-reconfigure` because the generated backend changed since the last
 * successful init in this workdir. Without it, terraform stops with "Backend configuration
 * changed" (and `-input=false` leaves it nothing to ask). The record lives in the workdir's
 * `.atmos/` folder, which the workdir sync never touches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { sha256Text } from '../workdir/hash.js';
import { atmosDir } from '../util/paths.js';

const RECORD_FILE = 'terraform-init.json';

function recordPath(workdir: string): string {
  return path.join(atmosDir(workdir), RECORD_FILE);
}

function backendHash(backendFile: string | undefined): string | null {
  if (!backendFile) return null;
  try {
    return sha256Text(fs.readFileSync(backendFile));
  } catch {
    return null;
  }
}

/** True when this workdir has never been initialised by us, or its generated backend differs from the last init's. */
export function initNeedsReconfigure(workdir: string, backendFile: string | undefined): boolean {
  try {
    const rec = JSON.parse(fs.readFileSync(recordPath(workdir), 'utf8')) as { backend_sha256?: string | null };
    return rec.backend_sha256 !== backendHash(backendFile);
  } catch {
    return true;
  }
}

/** Called after a successful init. */
export async function recordInit(workdir: string, backendFile: string | undefined): Promise<void> {
  await fs.promises.mkdir(atmosDir(workdir), { recursive: true });
  await atomicWriteFile(recordPath(workdir), `${JSON.stringify({ backend_sha256: backendHash(backendFile) })}\n`);
}
