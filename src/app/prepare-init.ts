/**
 * The one place that decides how parallel inits get their providers. Today: terraform's plugin
 * cache is not safe for concurrent inits (it unpacks in place), so under parallel runs a
 * TF_PLUGIN_CACHE_DIR from the environment is dropped (each instance installs into its own
 * `.terraform/`), and a CLI config that sets `plugin_cache_dir` (which the environment cannot undo)
 * makes inits run one at a time. This is the fallback: by default the provider store
 * (provider-store-init.ts) plugs in as another {@link PrepareInit} with a shared, verified mirror.
 */
import type { StoreStats } from '../providers/store.js';
import type { TerraformCliConfig } from '../providers/user-cli-config.js';
import type { Instance } from '../stacks/types.js';

export interface InitPreparation {
  /** The environment every instance's terraform starts from (the user's, adjusted). */
  env: Record<string, string | undefined>;
  /** Run at most one init at a time (plan/apply still run in parallel). */
  serializeInits: boolean;
  /** What was changed and why, one sentence each, logged once per run. */
  notes: string[];
  /** One instance's environment, when it differs from `env` (the provider store's instances without a lock file). */
  envFor?: (instance: Instance) => Record<string, string | undefined>;
  /** One instance's init gate, replacing `serializeInits` for it (the provider store serialises and harvests lockless inits). */
  gateFor?: (instance: Instance) => <T>(init: () => Promise<T>) => Promise<T>;
  /** What the provider store did, when it prepared the inits. */
  providers?: StoreStats;
}

export interface PrepareInitContext {
  /** More than one instance may init at once. */
  parallel: boolean;
  /** The user's environment. */
  env: Record<string, string | undefined>;
  instances: readonly Instance[];
  /** The user's terraform CLI configuration, read once for the command (EnvSettings.terraformCliConfig). */
  cliConfig: TerraformCliConfig;
}

export type PrepareInit = (ctx: PrepareInitContext) => Promise<InitPreparation>;

export const pluginCachePolicy: PrepareInit = async ({ parallel, env, cliConfig }) => {
  if (!parallel) return { env, serializeInits: false, notes: [] };
  const notes: string[] = [];
  const out = { ...env };
  if (out.TF_PLUGIN_CACHE_DIR !== undefined) {
    notes.push(
      `TF_PLUGIN_CACHE_DIR=${out.TF_PLUGIN_CACHE_DIR} is not passed to parallel terraform runs: terraform's plugin cache is not safe ` +
        'for concurrent inits, so each instance installs its providers into its own .terraform/ instead',
    );
    delete out.TF_PLUGIN_CACHE_DIR;
    delete out.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
  }
  const serializeInits = cliConfig.setsPluginCache;
  if (serializeInits) {
    notes.push(
      `the terraform CLI config ${cliConfig.file} sets plugin_cache_dir, which is not safe for concurrent inits and cannot be switched off ` +
        'from outside: inits run one at a time (plan and apply still run in parallel)',
    );
  }
  return { env: out, serializeInits, notes };
};

/** A gate letting one wrapped call run at a time, in arrival order. */
export function oneAtATime(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
