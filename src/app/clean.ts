/** `clean` (CLI `workdir clean`, action `command: clean`). */
import type { InstanceId } from '../stacks/identity.js';
import { cleanWorkdirs, type CleanRequest, type CleanResult } from '../workdir/clean.js';
import type { AppPorts, Project } from './project.js';

/** What to clean: one instance, every workdir, or those unused for `ttl`. */
export type CleanTarget = InstanceId | { all: true } | { ttl: string };

export interface CleanSettings {
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
export async function clean(project: Project, settings: CleanSettings, ports: Pick<AppPorts, 'log' | 'clock'>): Promise<CleanResult> {
  const { target } = settings;
  const flags = { dryRun: settings.dryRun, force: settings.force };
  let request: CleanRequest;
  if ('component' in target) {
    const i = project.stacks.instance(target.component, target.stack);
    request = { mode: 'instances', instances: [{ stack: i.stack, component: i.component }], ...flags };
  } else {
    request = 'all' in target ? { mode: 'all', ...flags } : { mode: 'expired', ttl: target.ttl, ...flags };
  }
  return cleanWorkdirs(project.config.basePath, request, { log: ports.log, clock: ports.clock });
}
