/**
 * What every use case starts from: the ports the entry points build, and the {@link Project}, the
 * repository a command works on. An entry point opens one Project per command, with every port the
 * stacks need (`!exec` included), and passes it to the use case, which passes it on (to the
 * provider-store settings, to the runner): nothing reads atmos.yaml or the stacks a second time.
 */
import { loadAtmosConfig } from '../config/load.js';
import type { AtmosConfig } from '../config/types.js';
import type { Clock } from '../ports/clock.js';
import { noCloud, type CloudPorts } from '../ports/cloud.js';
import type { Exec, ExecSync } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import { StoreValues } from '../stacks/functions/store-values.js';
import { Stacks } from '../stacks/resolve.js';
import { secretRegistry, type Secrets } from '../util/secrets.js';
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
  /**
   * The run's secret values (the entry point's inputs and tokens, and what `!secret` and secret
   * stores read): masked in the log, scrubbed from what is written and posted, never allowed into a
   * name (util/secrets.ts). Absent: the command keeps its own.
   */
  secrets?: Secrets;
  log: Log;
  clock: Clock;
  exec: Exec;
  /** `!exec` while resolving stacks (absent: `!exec` is an error). */
  execSync?: ExecSync;
  /** Stores, secrets and remote state through the clouds' SDKs, loaded on first use (absent: nothing is read from a cloud). */
  cloud?: CloudPorts;
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
  /**
   * The command reads values from stores (plan, apply, destroy): `atmos.Store` reads while the
   * instances resolve, and `project.values` serves the runner's `!store`/`!secret` reads. Off
   * (describe, list, matrix): nothing is read, nothing is contacted (docs/stores.md).
   */
  readValues?: boolean;
}

/** The ports resolving the stacks uses. */
export type ProjectPorts = Pick<AppPorts, 'env' | 'log' | 'execSync' | 'cloud' | 'secrets'>;

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
  /** The store values this command reads (memoized, batched), when it reads any ({@link ProjectSettings.readValues}). */
  readonly values: StoreValues | undefined;
  /** The run's secret registry (the entry point's, else the command's own). */
  readonly secrets: Secrets;
}

class OpenedProject implements Project {
  private configMemo?: AtmosConfig;
  private stacksMemo?: Stacks;
  private valuesMemo?: StoreValues;
  readonly secrets: Secrets;

  constructor(
    private readonly settings: ProjectSettings,
    private readonly ports: ProjectPorts,
  ) {
    this.secrets = ports.secrets ?? secretRegistry();
  }

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
      values: this.values,
    });
    return this.stacksMemo;
  }

  get values(): StoreValues | undefined {
    if (!this.settings.readValues) return undefined;
    // Without a cloud port (a test, a library user), a read fails the instance needing it, saying so.
    this.valuesMemo ??= new StoreValues(this.config, this.ports.cloud ?? noCloud, this.secrets);
    return this.valuesMemo;
  }
}

/** Opens the project at `settings.cwd` (nothing is read yet). */
export function openProject(settings: ProjectSettings, ports: ProjectPorts): Project {
  return new OpenedProject(settings, ports);
}
