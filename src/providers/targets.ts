/**
 * Which lock file decides an instance's providers, known before its workdir is provisioned: the
 * committed per-instance lock file, else the component's committed `.terraform.lock.hcl` (what
 * provisioning seeds the workdir with), else the lock file a previous init left in the workdir.
 * None: the instance's providers are only known after its init.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CANONICAL_LOCK, instanceLockFileName } from '../workdir/lock-seed.js';

export interface ProviderTarget {
  workdir: string;
  /** The lock file to read, or null when there is none yet. */
  lockFile: string | null;
}

function existing(file: string): string | null {
  try {
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null; // ENOENT, and ENAMETOOLONG for a per-instance name past the limit
  }
}

export function providerTarget(instance: { stack: string; component: string; componentPath: string }, workdir: string): ProviderTarget {
  const lockFile =
    existing(path.join(instance.componentPath, instanceLockFileName(instance.stack, instance.component))) ??
    existing(path.join(instance.componentPath, CANONICAL_LOCK)) ??
    existing(path.join(workdir, CANONICAL_LOCK));
  return { workdir, lockFile };
}

/** For workdirs that already exist: their own lock files. */
export function workdirTargets(workdirs: readonly string[]): ProviderTarget[] {
  return workdirs.map((workdir) => ({ workdir, lockFile: existing(path.join(workdir, CANONICAL_LOCK)) }));
}
