import fs from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { actionsCacheStore } from '../../src/ports/actions-cache.js';
import { startCacheService, useCacheServiceInProcess, type CacheServiceFake } from '../fakes/cache-service.js';
import { captureStdout } from '../helpers/stdout.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/**
 * The @actions/cache adapter against the loopback cache service, in process, with the variables the
 * runner gives a JavaScript action on github.com (cache service v2). Real tar + zstd archives go
 * through the fake's Twirp calls and blob store.
 */

let service: CacheServiceFake;
let root: string;
let workspace: string;
let out: string[];
let restoreEnv: () => void;

beforeEach(async () => {
  service = await startCacheService();
  root = tempDir('atmos-action-cache-');
  workspace = path.join(root, 'workspace');
  writeTree(workspace, { 'store/registry/p/1.0.0/bin': 'provider v1', 'store/registry/p/1.0.0/README': 'hello' });
  paths = [path.join(workspace, 'store')];
  restoreEnv = useCacheServiceInProcess(service, { workspace, runnerTemp: path.join(root, 'runner-temp') });
  // @actions/core writes workflow commands (::warning:: …) to stdout; keep them to assert on, out of the test log.
  out = captureStdout();
});

afterEach(async () => {
  jest.restoreAllMocks();
  restoreEnv();
  await service.close();
  fs.rmSync(root, { recursive: true, force: true });
});

// Absolute, as the provider store will be (relative paths would resolve against the process's cwd).
let paths: string[];
const warnings = () => out.filter((l) => /^::(warning|error)/.test(l));

describe('actions-cache adapter on cache service v2', () => {
  it('misses on an empty service, saves once, then restores the exact key into the workspace', async () => {
    const cache = actionsCacheStore();
    expect(await cache.restore(paths, 'providers-linux-abc', ['providers-linux-'])).toEqual({ hit: 'miss' });

    expect(await cache.save(paths, 'providers-linux-abc')).toEqual({ status: 'saved' });
    expect(service.entries()).toEqual([expect.objectContaining({ key: 'providers-linux-abc', committed: true })]);
    expect(service.calls()).toEqual(['GetCacheEntryDownloadURL', 'GetCacheEntryDownloadURL', 'CreateCacheEntry', 'FinalizeCacheEntryUpload']);

    fs.rmSync(path.join(workspace, 'store'), { recursive: true });
    expect(await cache.restore(paths, 'providers-linux-abc', ['providers-linux-'])).toEqual({ hit: 'exact', key: 'providers-linux-abc' });
    expect(fs.readFileSync(path.join(workspace, 'store/registry/p/1.0.0/bin'), 'utf8')).toBe('provider v1');
    expect(warnings()).toEqual([]);
  });

  it('restores the newest entry matching a restore key when the primary key misses', async () => {
    const cache = actionsCacheStore();
    await cache.save(paths, 'providers-linux-old');
    fs.writeFileSync(path.join(workspace, 'store/registry/p/1.0.0/bin'), 'provider v1, newer');
    await cache.save(paths, 'providers-linux-new');
    fs.rmSync(path.join(workspace, 'store'), { recursive: true });

    expect(await cache.restore(paths, 'providers-linux-zzz', ['providers-linux-'])).toEqual({ hit: 'prefix', key: 'providers-linux-new' });
    expect(fs.readFileSync(path.join(workspace, 'store/registry/p/1.0.0/bin'), 'utf8')).toBe('provider v1, newer');
  });

  it('misses when the paths differ from the ones saved (the version stamp)', async () => {
    const cache = actionsCacheStore();
    await cache.save(paths, 'providers-linux-abc');
    expect(await cache.restore([...paths, path.join(workspace, 'other')], 'providers-linux-abc')).toEqual({ hit: 'miss' });
  });

  it('reports an existing key as exists without uploading again', async () => {
    const cache = actionsCacheStore();
    expect(await cache.save(paths, 'k1')).toEqual({ status: 'saved' });
    const before = service.requests.length;
    expect(await cache.save(paths, 'k1')).toEqual({ status: 'exists' });
    expect(service.requests.slice(before).map((r) => r.path)).toEqual(['/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL']);
    expect(service.entries()).toHaveLength(1);
  });

  it('reports exists when the service refuses the reservation (another leg saved the key first)', async () => {
    const cache = actionsCacheStore();
    // Two legs that both missed, saving at once: both see no entry, one reservation is refused with 409.
    const outcomes = await Promise.all([cache.save(paths, 'k2'), cache.save(paths, 'k2')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['exists', 'saved']);
    expect(service.requests.filter((r) => r.status === 409)).toHaveLength(1);
    expect(service.entries()).toHaveLength(1);
    expect(warnings()).toEqual([]);
  });

  it('turns a service failing with a 5xx into a miss and a skipped save, with a warning, never a throw', async () => {
    const cache = actionsCacheStore();
    // 501 is not among the codes the client retries (500, 502, 503, 504 get five tries over ~30 s, then the same path).
    service.failWith(501);
    expect(await cache.restore(paths, 'k3', ['k'])).toEqual({ hit: 'miss' });
    const save = await cache.save(paths, 'k3');
    expect(save.status).toBe('skipped');
    expect(save.reason).toMatch(/did not store/);
    expect(warnings().join('')).toMatch(/Failed to (restore|save).*501/);
    expect(service.entries()).toEqual([]);
  });

  it('rides out one transient 503 through the client retry', async () => {
    const cache = actionsCacheStore();
    service.failWith(503, { times: 1, target: 'twirp' });
    expect(await cache.save(paths, 'k4')).toEqual({ status: 'saved' });
    expect(service.requests[0].status).toBe(503);
  }, 20_000);

  it('treats an unreachable service as a miss and a skipped save', async () => {
    const cache = actionsCacheStore();
    await service.close();
    expect(await cache.restore(paths, 'k5')).toEqual({ hit: 'miss' });
    expect((await cache.save(paths, 'k5')).status).toBe('skipped');
    expect(warnings().join('')).toMatch(/ECONNREFUSED/);
  });

  it('skips saving when the token is read-only (cache write denied)', async () => {
    const cache = actionsCacheStore();
    service.denyWrites(true);
    expect((await cache.save(paths, 'k6')).status).toBe('skipped');
    expect(warnings().join('')).toMatch(/cache write denied/);
  });

  it('without the runner variables, returns at once with a reason and calls nothing', async () => {
    delete process.env.ACTIONS_RESULTS_URL;
    const cache = actionsCacheStore();
    expect(await cache.restore(paths, 'k7')).toEqual({ hit: 'miss', reason: expect.stringMatching(/not available/) });
    expect(await cache.save(paths, 'k7')).toEqual({ status: 'skipped', reason: expect.stringMatching(/not available/) });
    expect(service.requests).toEqual([]);
  });

  it('refuses keys the service would refuse, and paths that do not exist, without throwing', async () => {
    const cache = actionsCacheStore();
    expect(await cache.save(paths, 'a,b')).toEqual({ status: 'skipped', reason: expect.stringMatching(/comma/) });
    expect(await cache.restore(paths, 'x'.repeat(513))).toEqual({ hit: 'miss', reason: expect.stringMatching(/512/) });
    expect(await cache.save([path.join(workspace, 'no-such-dir')], 'k8')).toEqual({ status: 'skipped', reason: expect.stringMatching(/do\(es\) not exist/) });
  });
});
