import { BlockBlobClient } from '@azure/storage-blob';
import { startCacheService, type CacheServiceFake } from '../fakes/cache-service.js';

/**
 * The rules of the cache-service fake that the adapter tests do not reach: archives over the
 * client's 128 MiB single-shot size go up as blocks + a block list (driven here with the same Azure
 * SDK @actions/cache uses, with small sizes), versions keep entries apart, tokens and signatures
 * are checked.
 */
let svc: CacheServiceFake;
beforeEach(async () => {
  svc = await startCacheService();
});
afterEach(() => svc.close());

const rpc = async (method: string, body: unknown, token = svc.token) => {
  const res = await fetch(`${svc.url}twirp/github.actions.results.api.v1.CacheService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string | boolean> };
};

async function save(key: string, version: string, data: Buffer, blocks = false): Promise<void> {
  const created = await rpc('CreateCacheEntry', { key, version });
  const client = new BlockBlobClient(String(created.body.signed_upload_url));
  await client.uploadData(data, blocks ? { maxSingleShotSize: 1024, blockSize: 1024, concurrency: 2 } : {});
  const done = await rpc('FinalizeCacheEntryUpload', { key, version, size_bytes: String(data.length) });
  expect(done.body).toMatchObject({ ok: true });
}

async function download(key: string, version: string, restoreKeys: string[] = []): Promise<{ key: string; data: string } | undefined> {
  const found = await rpc('GetCacheEntryDownloadURL', { key, version, restore_keys: restoreKeys });
  if (!found.body.ok) return undefined;
  const res = await fetch(String(found.body.signed_download_url));
  return { key: String(found.body.matched_key), data: Buffer.from(await res.arrayBuffer()).toString() };
}

describe('Actions cache service fake (v2)', () => {
  it('assembles an archive uploaded in blocks from its block list', async () => {
    const data = Buffer.from('0123456789'.repeat(500));
    await save('big', 'v1', data, true);
    expect(svc.requests.filter((r) => r.query.get('comp') === 'block').length).toBe(5);
    expect(svc.requests.filter((r) => r.query.get('comp') === 'blocklist').length).toBe(1);
    expect((await download('big', 'v1'))?.data).toBe(data.toString());
  });

  it('keeps one key under two versions apart, and matches prefixes newest first within a version', async () => {
    await save('deps-1', 'gzip', Buffer.from('a'));
    await save('deps-1', 'zstd', Buffer.from('b'));
    await save('deps-2', 'zstd', Buffer.from('c'));
    expect(await download('deps-1', 'gzip')).toEqual({ key: 'deps-1', data: 'a' });
    expect(await download('deps-1', 'zstd')).toEqual({ key: 'deps-1', data: 'b' });
    expect(await download('deps-9', 'zstd', ['deps-'])).toEqual({ key: 'deps-2', data: 'c' });
    expect(await download('deps-9', 'other', ['deps-'])).toBeUndefined();
  });

  it('refuses a second reservation of a key and version with 409 already_exists', async () => {
    await save('k', 'v', Buffer.from('x'));
    expect(await rpc('CreateCacheEntry', { key: 'k', version: 'v' })).toEqual({
      status: 409,
      body: { code: 'already_exists', msg: 'cache entry with the same key, version, and scope already exists' },
    });
  });

  it('checks the runtime token and the blob signatures', async () => {
    expect((await rpc('GetCacheEntryDownloadURL', { key: 'k', version: 'v' }, 'wrong')).status).toBe(401);
    const created = await rpc('CreateCacheEntry', { key: 'k', version: 'v' });
    const forged = String(created.body.signed_upload_url).replace(/sig=[0-9a-f]+/, 'sig=00');
    expect((await fetch(forged, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' })).status).toBe(403);
    // Finalizing without an upload is refused; nothing becomes restorable.
    expect((await rpc('FinalizeCacheEntryUpload', { key: 'k', version: 'v', size_bytes: '1' })).body).toMatchObject({ ok: false });
    expect(await download('k', 'v')).toBeUndefined();
  });
});
