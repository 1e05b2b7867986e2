/**
 * The one check every path into the workdir tree goes through before anything is read, written
 * or deleted there. `.workdir/` sits in the checkout, so a pull request can commit a symbolic link
 * (`.workdir/terraform/dev-vpc -> /home/runner`) or a file where a folder should be; followed
 * blindly, a provision would delete and overwrite the link's target and a clean would remove it.
 *
 * Every part from the base path down is looked at with lstat: a link is refused, a file where a
 * folder belongs is refused (naming the path, never a raw ENOTDIR), and the real path of what
 * exists must stay inside `<base>/.workdir`. The base path itself may be a link (a checkout under
 * a linked home folder is normal); only what lies below it is ours.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { atmosDir, inProgressPath, manifestPath, metadataPath, sentinelPath, stateRoot } from '../util/paths.js';

function shown(basePath: string, abs: string): string {
  return path.relative(basePath, abs).split(path.sep).join('/') || '.';
}

/** Refuses a link or a non-folder anywhere from `<base>/.workdir` down to `target` (inclusive). What does not exist yet is fine. */
export function guardStatePath(basePath: string, target: string, what = 'workdir path'): void {
  const base = path.resolve(basePath);
  const abs = path.resolve(target);
  const rel = path.relative(base, abs);
  const top = stateRoot(base);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || !(abs === top || abs.startsWith(top + path.sep))) {
    throw new AtmosError(`${what} ${abs} is not inside ${top}`, { file: abs, kind: 'instance' });
  }
  let cur = base;
  for (const seg of rel.split(path.sep)) {
    cur = path.join(cur, seg);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(cur);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // the rest is created by us, as real folders
      throw new AtmosError(`cannot inspect ${shown(base, cur)}: ${(e as Error).message}`, { file: cur, cause: e, kind: 'instance' });
    }
    if (st.isSymbolicLink()) {
      let to = '';
      try {
        to = ` (to ${fs.readlinkSync(cur)})`;
      } catch {
        /* vanished */
      }
      throw new AtmosError(
        `${shown(base, cur)} is a symbolic link${to}; refusing to follow it for the ${what} ${shown(base, abs)}: ` +
          'nothing under .workdir may be a link (remove it; the folder is recreated)',
        { file: cur, kind: 'instance' },
      );
    }
    if (!st.isDirectory()) {
      throw new AtmosError(`${shown(base, cur)} is a file, not a folder, so the ${what} ${shown(base, abs)} cannot live there; remove it`, {
        file: cur,
        kind: 'instance',
      });
    }
  }
  // No part is a link, so the real path can only leave through a bind mount or a race; check anyway.
  const realTop = fs.realpathSync(top);
  const real = fs.realpathSync(abs);
  if (real !== realTop && !real.startsWith(realTop + path.sep)) {
    throw new AtmosError(`the ${what} ${shown(base, abs)} resolves to ${real}, outside ${realTop}; refusing it`, { file: abs, kind: 'instance' });
  }
}

/** Guards `dir` (see guardStatePath), creates it as real folders, and guards again (a link may have appeared meanwhile). */
export async function ensureStateDir(basePath: string, dir: string, what: string): Promise<void> {
  guardStatePath(basePath, dir, what);
  await fs.promises.mkdir(dir, { recursive: true });
  guardStatePath(basePath, dir, what);
}

/**
 * `.atmos/` inside a workdir and the files in it belong to us: a link or a file named `.atmos`
 * (committed, or damage), or a folder or link where one of our files belongs, is removed so our
 * reads and writes land in real files inside the workdir. Says so through `warn`.
 */
export async function repairAtmosDir(workdir: string, warn: (msg: string) => void): Promise<void> {
  const kind = (st: fs.Stats) => (st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a folder' : 'a file');
  const dir = atmosDir(workdir);
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st) return;
  if (!st.isDirectory()) {
    warn(`${dir} was ${kind(st)}, not a folder; replaced it with an empty folder`);
    await fs.promises.rm(dir, { force: true });
    return;
  }
  for (const file of [metadataPath(workdir), manifestPath(workdir), sentinelPath(workdir), inProgressPath(workdir)]) {
    const f = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!f || f.isFile()) continue;
    warn(`${file} was ${kind(f)}, not a file; removed it`);
    await fs.promises.rm(file, { recursive: true, force: true });
  }
}
