/**
 * What every use case starts from: the ports the entry points build, and atmos.yaml → resolved
 * instances. The CLI and the action both construct an {@link AppPorts} and call `app/` functions.
 */
import { loadAtmosConfig } from '../config/load.js';
import type { AtmosConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { Exec, ExecSync } from '../ports/exec.js';
import type { ObjectReader } from '../ports/object-store.js';
import type { Log } from '../ports/log.js';
import { silentLog } from '../ports/log.js';
import { resolveStacks, type ResolvedStacks } from '../stacks/resolve.js';
import type { Secrets } from '../util/secrets.js';

/** Side effects a use case may have, bound by the entry point (tests bind their own). */
export interface AppPorts {
  /**
   * The environment the core and every process it starts see: atmos.yaml lookups, templates' `env`,
   * `!env`, `!exec`, git and terraform. Entry points pass the child environment (util/child-env.ts).
   */
  env: Record<string, string | undefined>;
  /** The run's secret values: scrubbed from what is posted, and never allowed into a name (util/secrets.ts). */
  secrets?: Secrets;
  /** Token for git sources on github.com (ATMOS_GITHUB_TOKEN or GITHUB_TOKEN, read by the entry point: the child environment may withhold it). */
  githubToken?: string;
  log: Log;
  clock: Clock;
  exec: Exec;
  /** `!exec` while resolving stacks (absent: `!exec` is an error). */
  execSync?: ExecSync;
  /** S3 object reads for `!terraform.state` on the s3 backend (absent: refused with a clear message). */
  s3?: ObjectReader;
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
}): Project {
  const config = loadAtmosConfig({ cwd: opts.cwd, env: opts.env });
  const stacks = resolveStacks(config, {
    log: opts.log ?? silentLog,
    includeAbstract: opts.includeAbstract,
    env: opts.env,
    cwd: opts.cwd,
    execSync: opts.execSync,
    processTemplates: opts.processTemplates,
    processFunctions: opts.processFunctions,
  });
  return { config, stacks };
}

/** atmos.yaml only: commands that work on the workdir tree need no stack manifests (a broken one never blocks them). */
export function loadConfig(settings: ProjectSettings, ports: Pick<AppPorts, 'env'>): AtmosConfig {
  return loadAtmosConfig({ cwd: settings.cwd, env: ports.env });
}
