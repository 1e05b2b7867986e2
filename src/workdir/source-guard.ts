/**
 * The rules a source walk applies to symlinks, and its bounds (see sync.ts, which walks the
 * source with these).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';

/**
 * What one source walk may visit. A symlink inside the source is followed (its content is copied),
 * so a chain of folders each linking twice to the next multiplies paths exponentially; these caps
 * turn that into a clear error instead of a full disk or a hang. Far above any Terraform module.
 */
export interface SourceLimits {
  /** Files and folders visited, each path through a symlink counted separately. */
  maxEntries: number;
  /** Sum of the sizes of the files to copy. */
  maxBytes: number;
}
export const SOURCE_LIMITS: SourceLimits = { maxEntries: 100_000, maxBytes: 2 * 1024 ** 3 };

/**
 * Symlink rules and limits for a source walk. A link is followed only when its target, resolved
 * (through every link on the way), stays inside the source root: a committed link to a file or
 * folder outside (`secret.tf -> /home/runner/.ssh/id_rsa`, `shared -> ../../..`) is an error naming
 * it, never copied. Links inside the root are copied as their content.
 */
export function sourceGuard(rootAbs: string, limits: SourceLimits) {
  let rootReal: string;
  try {
    rootReal = fs.realpathSync.native(rootAbs);
  } catch (e) {
    throw new AtmosError(`cannot read folder ${rootAbs}: ${(e as Error).message}`, { file: rootAbs, cause: e });
  }
  let entries = 0;
  let bytes = 0;
  return {
    rootReal,
    followLink(abs: string, rel: string): { st: fs.Stats; real: string } {
      let target: string;
      try {
        target = fs.realpathSync.native(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ELOOP' ? 'is a symlink loop' : code === 'ENOENT' ? 'is a broken symlink' : `cannot be resolved (${(e as Error).message})`;
        throw new AtmosError(`${rel} in the component source ${rootAbs} ${why}`, { file: abs });
      }
      if (target !== rootReal && !target.startsWith(rootReal + path.sep)) {
        let text = '?';
        try {
          text = fs.readlinkSync(abs);
        } catch {
          // gone meanwhile: the message still names the link
        }
        throw new AtmosError(
          `${rel} in the component source ${rootAbs} is a symlink to ${JSON.stringify(text)}, outside the source: ` +
            `links may only point inside the component's folder (its target is never copied)`,
          { file: abs },
        );
      }
      return { st: fs.statSync(target), real: target };
    },
    countEntry() {
      if (++entries > limits.maxEntries) {
        throw new AtmosError(
          `the component source ${rootAbs} has more than ${limits.maxEntries} files and folders (each path through a symlink counts); ` +
            `symlinks that fan out (folders linking to the same folder several times) are the usual cause`,
          { file: rootAbs },
        );
      }
    },
    countBytes(n: number) {
      bytes += n;
      if (bytes > limits.maxBytes) {
        throw new AtmosError(
          `the component source ${rootAbs} holds more than ${Math.round(limits.maxBytes / 1024 ** 2)} MB of files (each path through a symlink counts)`,
          { file: rootAbs },
        );
      }
    },
  };
}

/**
 * A local source folder must neither hold the workdir tree nor lie inside it: copying `.` (the
 * base path) would copy every workdir into each one, a bigger copy every run.
 */
export function refuseOverlap(sourceDir: string, workdirTree: string, what: string): void {
  const real = (p: string) => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return path.resolve(p);
    }
  };
  const src = real(sourceDir);
  const tree = real(workdirTree);
  const inside = (a: string, b: string) => a === b || a.startsWith(b + path.sep);
  if (inside(tree, src) || inside(src, tree)) {
    throw new AtmosError(`${what}: the folder ${sourceDir} holds or is inside the workdir tree ${workdirTree}; point the source at the module's own folder`, {
      file: sourceDir,
    });
  }
}
