/**
 * What atmos-action's own environment variables configure, parsed once by each entry point (the
 * CLI's and the action's adapters call {@link readEnvSettings} on the environment they read) and
 * handed to the use cases typed, in {@link AppPorts.envSettings}. Nothing below the entry points
 * reads these variables by name. (The environment itself still reaches terraform and git, and
 * atmos.yaml's own `ATMOS_*` overrides are read by config/, as Atmos reads them.)
 */
import { cliConfigLocation, readTerraformCliConfig, type TerraformCliConfig } from '../providers/user-cli-config.js';
import { BOOLEAN_WORDS, parseBoolean } from '../util/boolean.js';
import { AtmosError } from '../util/errors.js';
import { showValue } from '../util/log-safe.js';
import { providerStoreRoot } from '../util/paths.js';
import { parseGitTimeout } from '../workdir/ttl.js';

/** The provider store: on at a root, on but with no place to live (warned about and left off when a run needs it), or off. */
export type ProviderStoreSetting = { enabled: true; root: string } | { enabled: true; problem: string } | { enabled: false };

export interface EnvSettings {
  /** `ATMOS_ACTION_GIT_TIMEOUT`: the deadline for fetching one git source, in milliseconds. */
  gitTimeoutMs: number;
  /** `ATMOS_ACTION_PROVIDER_STORE`: a folder (on, there), on/true (on, in the default place) or off/false. */
  providerStore: ProviderStoreSetting;
  /** `ATMOS_ACTION_DEBUG`: debug lines and stack traces (the CLI; the action has its `debug` input). */
  debug: boolean;
  /**
   * The user's terraform CLI configuration (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc`): located
   * now, read and parsed on first use only, then the same object for the rest of the command.
   */
  terraformCliConfig(): TerraformCliConfig;
  /**
   * `ATMOS_GITHUB_TOKEN`, else `GITHUB_TOKEN`: git's token for sources on github.com. Read here
   * because the child environment (util/child-env.ts) withholds `GITHUB_TOKEN` on Actions.
   */
  githubToken?: string;
}

/** Parses the variables once; a malformed value is a configuration error naming the variable. */
export function readEnvSettings(env: Readonly<Record<string, string | undefined>>): EnvSettings {
  const cliConfigFile = cliConfigLocation({ tfCliConfigFile: env.TF_CLI_CONFIG_FILE, home: env.HOME });
  let cliConfig: TerraformCliConfig | undefined;
  return {
    gitTimeoutMs: parseGitTimeout(env.ATMOS_ACTION_GIT_TIMEOUT),
    providerStore: providerStoreSetting(env),
    debug: envBoolean(env, 'ATMOS_ACTION_DEBUG') ?? false,
    terraformCliConfig: () => (cliConfig ??= readTerraformCliConfig(cliConfigFile)),
    githubToken: env.ATMOS_GITHUB_TOKEN || env.GITHUB_TOKEN || undefined,
  };
}

function envBoolean(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = parseBoolean(raw);
  if (value === undefined) throw new AtmosError(`${name} must be ${BOOLEAN_WORDS}, not ${showValue(raw)}`);
  return value;
}

function providerStoreSetting(env: Readonly<Record<string, string | undefined>>): ProviderStoreSetting {
  const raw = env.ATMOS_ACTION_PROVIDER_STORE?.trim() ?? '';
  const word = raw === '' ? true : parseBoolean(raw);
  if (word === false) return { enabled: false };
  try {
    return { enabled: true, root: providerStoreRoot(env, word === true ? undefined : raw) };
  } catch (e) {
    return { enabled: true, problem: (e as Error).message };
  }
}
