import { loadAtmosConfig } from './config/load.js';
import type { AtmosConfig } from './config/types.js';
import type { Log } from './ports/log.js';
import { silentLog } from './ports/log.js';
import { resolveStacks, type ResolvedStacks } from './stacks/resolve.js';

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
