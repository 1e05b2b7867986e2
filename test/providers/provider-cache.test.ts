import fs from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { providerCacheSettingsFor, restoreProviderStore, saveProviderStore } from '../../src/app/provider-cache.js';
import { actionsCacheStore } from '../../src/ports/actions-cache.js';
import { openProject } from '../../src/app/project.js';
import { memoryLog, silentLog } from '../../src/ports/log.js';
import { addStats, emptyStats } from '../../src/providers/store.js';
import { startCacheService, useCacheServiceInProcess, type CacheServiceFake } from '../fakes/cache-service.js';
import { captureStdout } from '../helpers/stdout.js';
import { tempDir } from '../helpers/fs.js';
import { makeField, planRound, PLATFORM, type Field, type RoundResult } from '../provider/store-fixture.js';
import { requireTerraform } from '../provider/terraform.js';

/**
 * The store across CI runs, through the real @actions/cache client against the loopback cache
 * service: each "CI run" starts from an empty machine (no store), restores, fills, plans, saves.
 */
let service: CacheServiceFake;
let f: Field;
let out: string[];
let restoreEnv: () => void;

beforeAll(async () => {
  requireTerraform();
  f = await makeField(tempDir('atmos-store-cache-'), 2);
});

beforeEach(async () => {
  service = await startCacheService();
  restoreEnv = useCacheServiceInProcess(service, { workspace: f.root, runnerTemp: path.join(f.root, 'runner-temp') });
  // @actions/core prints its own ::warning:: lines to stdout; keep the test log clean.
  out = captureStdout();
});

afterEach(async () => {
  jest.restoreAllMocks();
  restoreEnv();
  await service.close();
});

/** One CI run on a fresh runner: restore → prepare + init → save. */
async function ciRun(): Promise<{ restored: Awaited<ReturnType<typeof restoreProviderStore>>; round: RoundResult; saved: string; log: string[] }> {
  fs.rmSync(f.storeRoot, { recursive: true, force: true });
  const workdirs = await f.provision();
  const log = memoryLog();
  // What the action does: settings for the selection, from the repository and the environment.
  const env = { ...f.env, ATMOS_ACTION_PROVIDER_STORE: f.storeRoot };
  const store = readEnvSettings(env).providerStore;
  if (!('root' in store)) throw new Error('the store must be on, with a root');
  const settings = providerCacheSettingsFor(openProject({ cwd: f.repo }, { env, log: silentLog }), {
    target: { stacks: [], components: [] },
    storeRoot: store.root,
  });
  expect(settings).toEqual({
    storeRoot: f.storeRoot,
    lockFiles: workdirs.map(() => f.lockFile),
    basePath: f.repo,
    tool: 'terraform',
    platform: PLATFORM,
    prefix: undefined,
  });
  const ports = { cache: actionsCacheStore(), log };
  const restored = await restoreProviderStore(settings, ports);
  const round = await planRound(f, f.env, { initOnly: true });
  const savedAs = await saveProviderStore(settings, restored, ports);
  return { restored, round, saved: savedAs, log: log.lines };
}

const stats = (r: RoundResult) => r.prepared.reduce((s, p) => addStats(s, p.stats), emptyStats());
const failures = (r: RoundResult) => r.results.filter((x) => x.status === 'failed').map((x) => x.reason);

describe('the provider store through the Actions cache', () => {
  it('first run: miss → install → one save; second run: exact hit, nothing installed, no save', async () => {
    const first = await ciRun();
    expect(first.restored.hit).toBe('miss');
    expect(failures(first.round)).toEqual([]);
    expect(stats(first.round)).toMatchObject({ installs: 1 });
    expect(first.saved).toBe('saved');
    expect(service.entries()).toEqual([expect.objectContaining({ key: first.restored.key, committed: true })]);

    const creates = service.calls().filter((c) => c === 'CreateCacheEntry').length;
    const second = await ciRun();
    expect(second.restored).toMatchObject({ hit: 'exact', key: first.restored.key });
    expect(failures(second.round)).toEqual([]);
    // Restored packages are hashed once (sentinels are never cached), not installed.
    expect(stats(second.round)).toMatchObject({ installs: 0, extractions: 0, rehashed: 1 });
    expect(second.saved).toBe('exact-hit');
    expect(service.calls().filter((c) => c === 'CreateCacheEntry').length).toBe(creates);
    expect([...first.log, ...second.log].filter((l) => l.startsWith('warn'))).toEqual([]);
  }, 60_000);

  it('a cache service answering 5xx is a warning: the run installs and succeeds', async () => {
    service.failWith(501, { times: 1000, target: 'all' });
    const run = await ciRun();
    expect(run.restored.hit).toBe('miss');
    expect(failures(run.round)).toEqual([]);
    expect(stats(run.round)).toMatchObject({ installs: 1 });
    expect(run.saved).toBe('skipped');
    // The failed restore is warned about by @actions/cache itself (a plain miss to us); the failed save by us.
    expect(out.filter((l) => /^::warning::.*restore/i.test(l)).length).toBeGreaterThan(0);
    expect(run.log.filter((l) => l.startsWith('warn'))).toEqual([expect.stringMatching(/^warn: provider store not saved to the actions-cache cache/)]);
  }, 60_000);
});
