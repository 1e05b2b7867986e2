/**
 * Path inputs resolve inside GITHUB_WORKSPACE, links resolved: a pull request that commits
 * `infra -> /` (or sets `working-directory: ../..` in a workflow it controls) must not make the
 * action read configuration from, or write workdirs into, anything outside the checkout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { showValue } from '../util/log-safe.js';

/** The real path of the folder input `name` (relative to `workspace`), refused unless it is the workspace or lies inside it. */
export function resolveInsideWorkspace(workspace: string, name: string, value: string): string {
  let realWorkspace: string;
  try {
    realWorkspace = fs.realpathSync(workspace);
  } catch (e) {
    throw new AtmosError(`GITHUB_WORKSPACE ${workspace} cannot be read: ${(e as Error).message}`);
  }
  const joined = path.resolve(realWorkspace, value);
  let real: string;
  try {
    real = fs.realpathSync(joined);
  } catch {
    throw new AtmosError(`input ${name} ${showValue(value)}: folder ${joined} does not exist`);
  }
  if (real !== realWorkspace && !real.startsWith(realWorkspace + path.sep)) {
    throw new AtmosError(`input ${name} ${showValue(value)} resolves to ${real}, outside GITHUB_WORKSPACE (${realWorkspace}); refusing it`);
  }
  if (!fs.statSync(real).isDirectory()) throw new AtmosError(`input ${name} ${showValue(value)}: ${real} is not a folder`);
  return real;
}

/**
 * The root of the repository that holds the folder input `value`: the nearest folder from it up to
 * the workspace that has a `.git`, else the workspace (both with links resolved, as the paths in
 * errors are). Annotations name files relative to it: GitHub shows an annotation on a pull
 * request's file only by its path from the repository root, and a checkout may sit in a subfolder
 * of GITHUB_WORKSPACE (actions/checkout `path:`). Never fails: a bad input is reported elsewhere.
 */
export function repositoryRoot(workspace: string, value: string): string {
  let root: string;
  try {
    root = fs.realpathSync(workspace);
  } catch {
    return workspace;
  }
  let dir: string;
  try {
    dir = fs.realpathSync(path.resolve(root, value));
  } catch {
    return root;
  }
  if (!dir.startsWith(root + path.sep)) return root;
  for (; dir !== root; dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, '.git'))) return dir;
  return root;
}
