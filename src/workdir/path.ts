import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { safeJoin, safeRelativeSegments } from '../util/safe-path.js';

/** Folder under the base path that holds every instance's workdir. */
export const WORKDIR_ROOT = path.join('.workdir', 'terraform');

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
  return `${stack}-${escapeInstanceName(component)}`;
}

/** `<basePath>/.workdir/terraform/<stack>-<escaped instance>`: the only place a workdir path is built. */
export function buildWorkdirPath(basePath: string, stack: string, component: string): string {
  return safeJoin(path.join(basePath, WORKDIR_ROOT), workdirName(stack, component), 'workdir name');
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
