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
