/**
 * Lock-file seeding: which committed `.terraform.lock.hcl` a workdir starts from, and when the one
 * `terraform init` wrote there is replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';
import { sha256Text } from './hash.js';
import type { LockFileSeed } from './metadata.js';
import { LOCK_FILE_SUFFIX } from './sync.js';

/** Atmos's per-instance lock file name (pkg/provisioner/instance.go): `.<stack>-<component>.terraform.lock.hcl`, `/`, `\` and spaces as `-`. */
export function instanceLockFileName(stack: string, component: string): string {
  const key = `${stack}-${component}`.replace(/[/\\ ]/g, '-').replace(/^-+|-+$/g, '');
  return `.${key}${LOCK_FILE_SUFFIX}`;
}

/** The lock file terraform reads and writes in the folder it runs in. */
export const CANONICAL_LOCK = '.terraform.lock.hcl';

/**
 * Seeds `<workdir>/.terraform.lock.hcl` from the committed per-instance lock file, else the base
 * component's `.terraform.lock.hcl`. The lock file `terraform init` writes in the workdir is kept
 * across syncs until the committed file it was seeded from changes (its hash is in the metadata):
 * then it is re-seeded. A per-instance file always wins over what the workdir has (Atmos copies it
 * on every run); the base file only seeds a workdir without a lock file, or replaces one after the
 * base file changed.
 */
export async function seedLockFile(
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
      // ENAMETOOLONG: a per-instance lock file name past the file-name limit cannot exist.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENAMETOOLONG') {
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
