/**
 * The provider store as the runner's {@link PrepareInit}: before any init, fill the store for the
 * selected instances' lock files and hand every instance the generated CLI configuration (see
 * providers/prepare.ts). On by default; `ATMOS_ACTION_PROVIDER_STORE=off` (or `false`, `0`) or
 * `RunSettings.providerStore: false` (CLI `--no-provider-store`) fall back to the plugin-cache
 * policy. Any unexpected trouble with the store itself (an unwritable cache folder) is a warning
 * and the same fallback, never a failed run.
 */
import { prepareProviders } from '../providers/prepare.js';
import { terraformPlatform } from '../providers/layout.js';
import { providerTarget } from '../providers/targets.js';
import type { Instance } from '../stacks/types.js';
import { buildWorkdirPath, providerStoreRoot } from '../util/paths.js';
import type { AppPorts } from './project.js';
import { pluginCachePolicy, type PrepareInit } from './prepare-init.js';

const OFF = /^(off|false|0|no)$/i;

/** Whether the store is on: the setting wins, then ATMOS_ACTION_PROVIDER_STORE (a folder, or off). */
export function providerStoreEnabled(env: Record<string, string | undefined>, setting?: boolean): boolean {
  if (setting !== undefined) return setting;
  return !OFF.test(env.ATMOS_ACTION_PROVIDER_STORE ?? '');
}

/** The command most selected instances run (`terraform` by default): it installs missing packages. */
function commandOf(instances: readonly Instance[]): string {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.command || 'terraform', (counts.get(i.command || 'terraform') ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'terraform';
}

export function providerStorePrepareInit(settings: { basePath: string; storeRoot?: string }, ports: Pick<AppPorts, 'exec' | 'log'>): PrepareInit {
  return async (ctx) => {
    const wd = (i: Instance) => buildWorkdirPath(settings.basePath, i.stack, i.component);
    try {
      const storeRoot = providerStoreRoot(ctx.env, settings.storeRoot);
      const prepared = await prepareProviders(
        {
          targets: ctx.instances.map((i) => providerTarget(i, wd(i))),
          storeRoot,
          command: commandOf(ctx.instances),
          platform: terraformPlatform(process.platform, process.arch),
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
