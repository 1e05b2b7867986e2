import { loadAtmosConfig } from '../config/load.js';
import type { Clock } from '../ports/clock.js';
import type { AtmosConfig } from '../config/types.js';
import type { Log } from '../ports/log.js';
import { silentLog } from '../ports/log.js';
import { findInstance, resolveStacks, type ResolvedStacks } from '../stacks/resolve.js';
import { cleanWorkdirs, type CleanRequest, type CleanResult } from '../workdir/clean.js';

export interface Project {
  config: AtmosConfig;
  stacks: ResolvedStacks;
}

/** atmos.yaml → resolved instances: what every command starts from. */
export function loadProject(opts: {
  cwd: string;
  env: Record<string, string | undefined>;
  log?: Log;
  /** Resolve abstract components too (describe needs them; deploy paths do not). Default true. */
  includeAbstract?: boolean;
}): Project {
  const config = loadAtmosConfig({ cwd: opts.cwd, env: opts.env });
  const stacks = resolveStacks(config, { log: opts.log ?? silentLog, includeAbstract: opts.includeAbstract });
  return { config, stacks };
}

/** What to clean: one instance, every workdir, or those unused for `ttl`. */
export type CleanTarget = { stack: string; component: string } | { all: true } | { ttl: string };

/**
 * Cleans workdirs for the CLI and the action alike. Only an instance target resolves the stacks;
 * `all` and `ttl` need just the base path, so a broken stack manifest never blocks cleanup.
 */
export async function cleanProjectWorkdirs(
  target: CleanTarget,
  flags: { dryRun: boolean; force: boolean },
  ports: { cwd: string; env: Record<string, string | undefined>; log: Log; clock: Clock },
): Promise<CleanResult> {
  let basePath: string;
  let request: CleanRequest;
  if ('component' in target) {
    const { config, stacks } = loadProject({ cwd: ports.cwd, env: ports.env, log: ports.log });
    const i = findInstance(stacks, target.component, target.stack);
    basePath = config.basePath;
    request = { mode: 'instances', instances: [{ stack: i.stack, component: i.component }], ...flags };
  } else {
    basePath = loadAtmosConfig({ cwd: ports.cwd, env: ports.env }).basePath;
    request = 'all' in target ? { mode: 'all', ...flags } : { mode: 'expired', ttl: target.ttl, ...flags };
  }
  return cleanWorkdirs(basePath, request, { log: ports.log, clock: ports.clock });
}
