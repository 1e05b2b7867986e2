/**
 * What every use case starts from: the ports the entry points build, and atmos.yaml → resolved
 * instances. The CLI and the action both construct an {@link AppPorts} and call `app/` functions.
 */
import { loadAtmosConfig } from '../config/load.js';
import type { AtmosConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { Exec, ExecSync } from '../ports/exec.js';
import type { CloudPorts } from '../ports/cloud.js';
import type { Log } from '../ports/log.js';
import { silentLog } from '../ports/log.js';
import type { StoreValues } from '../stacks/functions/store-values.js';
import { resolveStacks, type ResolvedStacks } from '../stacks/resolve.js';
import type { SecretMasker } from '../util/secret-mask.js';

/** Side effects a use case may have, bound by the entry point (tests bind their own). */
export interface AppPorts {
  /** The environment atmos.yaml lookups and git see (ATMOS_*, HOME, tokens). */
  env: Record<string, string | undefined>;
  log: Log;
  clock: Clock;
  exec: Exec;
  /** `!exec` while resolving stacks (absent: `!exec` is an error). */
  execSync?: ExecSync;
  /** Stores, secrets and remote state through the clouds' SDKs, loaded on first use (absent: nothing is read from a cloud). */
  cloud?: CloudPorts;
  /** The secret values read so far, masked in everything the entry point prints or posts (absent: the run keeps its own). */
  secrets?: SecretMasker;
  /**
   * Cancellation of the whole command (Ctrl-C, a cancelled CI job): the first abort stops running
   * terraform gracefully and starts nothing new, the second kills. Settings may carry their own.
   */
  cancellation?: { signal: AbortSignal; forceSignal: AbortSignal };
}

/** Settings every use case takes: the directory holding (or below) atmos.yaml. */
export interface ProjectSettings {
  cwd: string;
}

export interface Project {
  config: AtmosConfig;
  stacks: ResolvedStacks;
}

/** atmos.yaml → resolved instances. */
export function loadProject(opts: {
  cwd: string;
  env: Record<string, string | undefined>;
  log?: Log;
  /** Resolve abstract components too (describe needs them; deploy paths do not). Default true. */
  includeAbstract?: boolean;
  execSync?: ExecSync;
  /** `--process-templates` / `--process-functions` (default true). */
  processTemplates?: boolean;
  processFunctions?: boolean;
  /** atmos.yaml already read. */
  config?: AtmosConfig;
  /** Store and secret values of this run (app/cloud-values.ts), and `!exec` results shared by its passes. */
  values?: StoreValues;
  execResults?: Map<string, unknown>;
}): Project {
  const config = opts.config ?? loadAtmosConfig({ cwd: opts.cwd, env: opts.env });
  const stacks = resolveStacks(config, {
    log: opts.log ?? silentLog,
    includeAbstract: opts.includeAbstract,
    env: opts.env,
    cwd: opts.cwd,
    execSync: opts.execSync,
    processTemplates: opts.processTemplates,
    processFunctions: opts.processFunctions,
    values: opts.values,
    execResults: opts.execResults,
  });
  return { config, stacks };
}

/** atmos.yaml only: commands that work on the workdir tree need no stack manifests (a broken one never blocks them). */
export function loadConfig(settings: ProjectSettings, ports: Pick<AppPorts, 'env'>): AtmosConfig {
  return loadAtmosConfig({ cwd: settings.cwd, env: ports.env });
}
