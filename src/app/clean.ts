/** `clean` (CLI `workdir clean`, action `command: clean`). */
import type { InstanceId } from '../stacks/identity.js';
import { findInstance } from '../stacks/resolve.js';
import { cleanWorkdirs, type CleanRequest, type CleanResult } from '../workdir/clean.js';
import { loadConfig, loadProject, type AppPorts, type ProjectSettings } from './project.js';

/** What to clean: one instance, every workdir, or those unused for `ttl`. */
export type CleanTarget = InstanceId | { all: true } | { ttl: string };

export interface CleanSettings extends ProjectSettings {
  target: CleanTarget;
  /** List what would go, delete nothing. */
  dryRun: boolean;
  /** Delete even workdirs with local state or a held lock. */
  force: boolean;
}

/**
 * Only an instance target resolves the stacks; `all` and `ttl` need just the base path, so a
 * broken stack manifest never blocks cleanup.
 */
export async function clean(settings: CleanSettings, ports: Pick<AppPorts, 'env' | 'log' | 'clock' | 'execSync'>): Promise<CleanResult> {
  const { target } = settings;
  const flags = { dryRun: settings.dryRun, force: settings.force };
  let basePath: string;
  let request: CleanRequest;
  if ('component' in target) {
    const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, execSync: ports.execSync });
    const i = findInstance(stacks, target.component, target.stack);
    basePath = config.basePath;
    request = { mode: 'instances', instances: [{ stack: i.stack, component: i.component }], ...flags };
  } else {
    basePath = loadConfig(settings, ports).basePath;
    request = 'all' in target ? { mode: 'all', ...flags } : { mode: 'expired', ttl: target.ttl, ...flags };
  }
  return cleanWorkdirs(basePath, request, { log: ports.log, clock: ports.clock });
}
