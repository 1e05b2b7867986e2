import { buildTestProvider } from '../provider/build.js';
import { describeReport, reproduceSharedCacheRace } from '../provider/shared-cache-race.js';
import { requireTerraform } from '../provider/terraform.js';

/**
 * Terraform's own shared plugin cache under parallel inits: the failure the provider store
 * prevents. It is a race, so this only checks the harness runs and logs what it saw; to reproduce
 * at scale: ATMOS_ACTION_RACE_INSTANCES=16 ATMOS_ACTION_RACE_ROUNDS=3 ATMOS_ACTION_RACE_PADDING_MB=60
 * ATMOS_ACTION_RACE_LOCK_FILES=0 ATMOS_ACTION_RACE_RUNNING_PROVIDER=1 npm test -- shared-cache-race
 */
const num = (name: string, dflt: number) => (process.env[name] ? Number(process.env[name]) : dflt);

it('N parallel inits sharing a plain TF_PLUGIN_CACHE_DIR (reproduction harness; outcome logged, not asserted)', async () => {
  requireTerraform();
  const instances = num('ATMOS_ACTION_RACE_INSTANCES', 4);
  const rounds = num('ATMOS_ACTION_RACE_ROUNDS', 1);
  const paddingMb = num('ATMOS_ACTION_RACE_PADDING_MB', 0);
  const provider = await buildTestProvider(paddingMb ? { paddingBytes: paddingMb << 20 } : {});
  const withLockFiles = process.env.ATMOS_ACTION_RACE_LOCK_FILES !== '0';
  const runningProvider = process.env.ATMOS_ACTION_RACE_RUNNING_PROVIDER === '1';
  const report = await reproduceSharedCacheRace({ provider, instances, rounds, withLockFiles, runningProvider });
  const how = `${withLockFiles ? 'committed' : 'no'} lock files${runningProvider ? ', a plan running the provider from the cache' : ''}`;
  console.log(`shared TF_PLUGIN_CACHE_DIR, ${instances} inits at once × ${rounds} rounds, ${how}: ${describeReport(report)}`);
  for (const r of report.runs.filter((x) => x.failure)) console.log(`round ${r.round} workspace ${r.instance}:\n${r.failure}`);

  expect(report.runs).toHaveLength(instances * rounds);
  expect(report.medianInitMs).toBeGreaterThan(0);
}, 120_000);
