/**
 * The provider store as the runner's {@link PrepareInit}: before any init, fill the store for the
 * selected instances' lock files and hand every instance the generated CLI configuration (see
 * providers/prepare.ts). On by default; `ATMOS_ACTION_PROVIDER_STORE=off` (EnvSettings.providerStore)
 * or `RunSettings.providerStore: false` (CLI `--no-provider-store`) fall back to the plugin-cache
 * policy. Any unexpected trouble with the store itself (no place for it, an unwritable cache
 * folder) is a warning and the same fallback, never a failed run.
 */
import { prepareProviders } from '../providers/prepare.js';
import { terraformPlatform } from '../providers/layout.js';
import { providerTarget } from '../providers/targets.js';
import type { Instance } from '../stacks/types.js';
import { buildWorkdirPath } from '../util/paths.js';
import type { ProviderStoreSetting } from './env-settings.js';
import type { AppPorts } from './project.js';
import { pluginCachePolicy, type PrepareInit } from './prepare-init.js';

/** The command most selected instances run (`terraform` by default): it installs missing packages. */
function commandOf(instances: readonly Instance[]): string {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.command || 'terraform', (counts.get(i.command || 'terraform') ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'terraform';
}

export function providerStorePrepareInit(
  settings: { basePath: string; store: Exclude<ProviderStoreSetting, { enabled: false }> },
  ports: Pick<AppPorts, 'exec' | 'log'>,
): PrepareInit {
  return async (ctx) => {
    const wd = (i: Instance) => buildWorkdirPath(settings.basePath, i.stack, i.component);
    try {
      if ('problem' in settings.store) throw new Error(settings.store.problem);
      const prepared = await prepareProviders(
        {
          targets: ctx.instances.map((i) => providerTarget(i, wd(i))),
          storeRoot: settings.store.root,
          command: commandOf(ctx.instances),
          platform: terraformPlatform(process.platform, process.arch),
          cliConfig: ctx.cliConfig,
        },
        { exec: ports.exec, log: ports.log, env: ctx.env },
      );
      if (!prepared.cliConfigFile) return pluginCachePolicy(ctx);
      return {
        env: prepared.env,
        serializeInits: false,
        notes: [],
        envFor: (i) => prepared.envFor(wd(i)),
        gateFor: (i) => (init) => prepared.aroundInit(wd(i), init),
        providers: prepared.stats,
      };
    } catch (e) {
      ports.log.warn(`provider store off for this run: ${(e as Error).message}`);
      return pluginCachePolicy(ctx);
    }
  };
}
