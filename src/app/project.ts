/**
 * What every use case starts from: the ports the entry points build, and the {@link Project}, the
 * repository a command works on. An entry point opens one Project per command, with every port the
 * stacks need (`!exec` included), and passes it to the use case, which passes it on (to the
 * provider-store settings, to the runner): nothing reads atmos.yaml or the stacks a second time.
 */
import { loadAtmosConfig } from '../config/load.js';
import type { AtmosConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import type { Exec, ExecSync } from '../ports/exec.js';
import type { ObjectReader } from '../ports/object-store.js';
import type { Log } from '../ports/log.js';
import { Stacks } from '../stacks/resolve.js';
import type { Secrets } from '../util/secrets.js';
import type { EnvSettings } from './env-settings.js';

/** Side effects a use case may have, bound by the entry point (tests bind their own). */
export interface AppPorts {
  /**
   * The environment the core and every process it starts see: atmos.yaml lookups, templates' `env`,
   * `!env`, `!exec`, git and terraform. Entry points pass the child environment (util/child-env.ts).
   */
  env: Record<string, string | undefined>;
  /** atmos-action's own variables, parsed once by the entry point from its whole environment: the core never reads them from `env` by name. */
  envSettings: EnvSettings;
  /** The run's secret values: scrubbed from what is posted, and never allowed into a name (util/secrets.ts). */
  secrets?: Secrets;
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

/** `--process-templates` / `--process-functions` (default true). */
export interface ProcessSwitches {
  processTemplates?: boolean;
  processFunctions?: boolean;
}

/** Where the project is: the directory holding (or below) atmos.yaml. */
export interface ProjectSettings extends ProcessSwitches {
  cwd: string;
}

/** The ports resolving the stacks uses. */
export type ProjectPorts = Pick<AppPorts, 'env' | 'log' | 'execSync'>;

/**
 * The repository one command works on. atmos.yaml is read the first time `config` is used, the
 * stacks the first time `stacks` is, and each instance is resolved when something asks for it
 * (stacks/resolve.ts): a command that needs only atmos.yaml (workdir list, clean --all) never reads
 * a manifest, so a broken one never blocks it.
 */
export interface Project {
  /** The directory the command runs in: paths in inputs and outputs are relative to it. */
  readonly cwd: string;
  readonly switches: ProcessSwitches;
  readonly config: AtmosConfig;
  readonly stacks: Stacks;
}

class OpenedProject implements Project {
  private configMemo?: AtmosConfig;
  private stacksMemo?: Stacks;

  constructor(
    private readonly settings: ProjectSettings,
    private readonly ports: ProjectPorts,
  ) {}

  get cwd(): string {
    return this.settings.cwd;
  }

  get switches(): ProcessSwitches {
    return { processTemplates: this.settings.processTemplates, processFunctions: this.settings.processFunctions };
  }

  get config(): AtmosConfig {
    this.configMemo ??= loadAtmosConfig({ cwd: this.settings.cwd, env: this.ports.env });
    return this.configMemo;
  }

  get stacks(): Stacks {
    this.stacksMemo ??= new Stacks(this.config, {
      log: this.ports.log,
      env: this.ports.env,
      cwd: this.settings.cwd,
      execSync: this.ports.execSync,
      processTemplates: this.settings.processTemplates,
      processFunctions: this.settings.processFunctions,
    });
    return this.stacksMemo;
  }
}

/** Opens the project at `settings.cwd` (nothing is read yet). */
export function openProject(settings: ProjectSettings, ports: ProjectPorts): Project {
  return new OpenedProject(settings, ports);
}
