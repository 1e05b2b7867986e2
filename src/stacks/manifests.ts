import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { StacksSettings } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { listFilesRecursive } from '../util/walk.js';

/** Extensions a stack manifest may have, in the order Atmos tries them for an extension-less path. */
export const STACK_EXTENSIONS = ['.yaml', '.yml', '.yaml.tmpl', '.yml.tmpl'];

export function hasStackExtension(p: string): boolean {
  return STACK_EXTENSIONS.some((e) => p.endsWith(e));
}

/** Path relative to stacks.base_path without its extension: the manifest's "file name" (§1.3). */
export function stackFileName(stacksBase: string, file: string): string {
  const rel = path.relative(stacksBase, file).split(path.sep).join('/');
  const ext =
    STACK_EXTENSIONS.slice()
      .sort((a, b) => b.length - a.length)
      .find((e) => rel.endsWith(e)) ?? '';
  return rel.slice(0, rel.length - ext.length);
}

/** Every file under `dir` with a stack extension, sorted. */
export function listStackFiles(dir: string): string[] {
  return listFilesRecursive(dir, hasStackExtension);
}

/**
 * Top-level stack manifests: files under stacks.base_path matched by `included_paths` and not by
 * `excluded_paths`. An include pattern without an extension also tries each stack extension.
 */
export function findTopLevelManifests(stacks: StacksSettings, noConfig?: { cwd: string }): string[] {
  if (noConfig) {
    const found = fs.existsSync(stacks.basePath) ? findTopLevelManifests(stacks) : [];
    if (found.length === 0) {
      throw new AtmosError(
        `no atmos.yaml found (looked for atmos.yaml and .atmos.yaml in ${noConfig.cwd} and each parent directory; ATMOS_CLI_CONFIG_PATH is not set), ` +
          `and Atmos's defaults (stacks.base_path ${path.relative(noConfig.cwd, stacks.basePath) || '.'}, included_paths orgs/**/*) find no stack manifests` +
          (fs.existsSync(stacks.basePath) ? ` under ${stacks.basePath}` : ` (${stacks.basePath} does not exist)`) +
          ': run from the repository holding atmos.yaml, or point at it (CLI -C, action input working-directory)',
      );
    }
    return found;
  }
  if (!fs.existsSync(stacks.basePath)) {
    throw new AtmosError(`stacks base path ${stacks.basePath} does not exist (check stacks.base_path in atmos.yaml)`);
  }
  if (stacks.includedPaths.length === 0) {
    throw new AtmosError('stacks.included_paths is empty in atmos.yaml: no stack manifests selected');
  }
  const patterns = stacks.includedPaths.flatMap((p) => (hasStackExtension(p) ? [p] : [p, ...STACK_EXTENSIONS.map((e) => p + e)]));
  const include = picomatch(patterns, { dot: true });
  const exclude = stacks.excludedPaths.length ? picomatch(stacks.excludedPaths, { dot: true }) : () => false;
  return listStackFiles(stacks.basePath).filter((f) => include(f) && !exclude(f));
}
