import { buildTestProvider } from '../provider/build.js';
import { describeReport, reproduceSharedCacheRace } from '../provider/shared-cache-race.js';
import { requireTerraform } from '../provider/terraform.js';

/**
 * Terraform's own shared plugin cache under parallel inits: the failure the provider store
 * prevents. Whether a race is lost in a given run is luck, so the test asserts what the harness
 * sets up, whatever the outcome: N inits really running at once, each one that succeeded using the
 * one shared cache directory (so their installs raced on it). What the store avoids (no failures, lock files unchanged, one install) is asserted by
 * store-field.test.ts under the same load. To reproduce at scale:
 * ATMOS_ACTION_RACE_INSTANCES=16 ATMOS_ACTION_RACE_ROUNDS=3 ATMOS_ACTION_RACE_PADDING_MB=60
 * ATMOS_ACTION_RACE_LOCK_FILES=0 ATMOS_ACTION_RACE_RUNNING_PROVIDER=1 npm test -- shared-cache-race
 */
const num = (name: string, dflt: number) => (process.env[name] ? Number(process.env[name]) : dflt);

it('N parallel inits share one plain TF_PLUGIN_CACHE_DIR (the race the provider store prevents)', async () => {
  requireTerraform();
  const instances = num('ATMOS_ACTION_RACE_INSTANCES', 4);
  const rounds = num('ATMOS_ACTION_RACE_ROUNDS', 1);
  const paddingMb = num('ATMOS_ACTION_RACE_PADDING_MB', 0);
  const provider = await buildTestProvider(paddingMb ? { paddingBytes: paddingMb << 20 } : {});
  const withLockFiles = process.env.ATMOS_ACTION_RACE_LOCK_FILES !== '0';
  const runningProvider = process.env.ATMOS_ACTION_RACE_RUNNING_PROVIDER === '1';
  const report = await reproduceSharedCacheRace({ provider, instances, rounds, withLockFiles, runningProvider });
  const how = `${withLockFiles ? 'committed' : 'no'} lock files${runningProvider ? ', a plan running the provider from the cache' : ''}`;
  if (report.failed || report.lockFilesChanged || Object.keys(process.env).some((k) => k.startsWith('ATMOS_ACTION_RACE_'))) {
    console.log(`shared TF_PLUGIN_CACHE_DIR, ${instances} inits at once × ${rounds} rounds, ${how}: ${describeReport(report)}`);
    for (const r of report.runs.filter((x) => x.failure)) console.log(`round ${r.round} workspace ${r.instance}:\n${r.failure}`);
  }

  expect(report.runs).toHaveLength(instances * rounds);
  // Every round's inits were all running when the first of them finished.
  expect(report.inFlight).toEqual(Array(rounds).fill(instances));
  // Each init that succeeded uses the package terraform put in the shared cache, not a copy of its own.
  const succeeded = report.runs.filter((r) => r.initCode === 0);
  if (withLockFiles) expect(succeeded.filter((r) => !r.linkedToCache)).toEqual([]);
}, 120_000);
