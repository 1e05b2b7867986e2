/**
 * Redis through the `redis` client (`redis` stores): one MGET per batch of keys. The connection URL
 * is the store's `url` option, else `ATMOS_REDIS_URL`, as Atmos reads it. Loaded by `node-cloud.ts`
 * only when a run reads a redis store.
 */
import { createClient } from '@redis/client';
import { CloudError, slices, type CloudFault, type KeyBatch, type KeyRead, type KeyValueClient } from './cloud.js';

const MGET_BATCH = 100;

function faultOf(e: unknown): CloudFault {
  const err = e as { code?: string; name?: string; message?: string };
  return { code: err?.code ?? err?.name ?? 'Error', message: (err?.message ?? String(e)).split('\n')[0]!, notFound: false };
}

export function redisClient(spec: { url: string }): KeyValueClient {
  const url = spec.url || process.env.ATMOS_REDIS_URL;
  if (!url) throw new CloudError({ code: 'NoRedisUrl', message: 'the store has no `url` option and ATMOS_REDIS_URL is not set', notFound: false });
  return {
    async read(keys): Promise<KeyBatch> {
      const results = new Map<string, KeyRead>();
      // One connection per read: a run reads its keys in one batch, and no socket is left holding the process open.
      const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 10_000 } });
      client.on('error', () => {});
      let calls = 0;
      try {
        await client.connect();
        for (const batch of slices(keys, MGET_BATCH)) {
          calls++;
          const values = await client.mGet(batch);
          batch.forEach((k, i) => {
            const v = values[i];
            results.set(
              k,
              v === null || v === undefined ? { fault: { code: 'redis.Nil', message: `key ${k} not found`, notFound: true } } : { value: String(v) },
            );
          });
        }
      } catch (e) {
        const fault = faultOf(e);
        for (const k of keys) if (!results.has(k)) results.set(k, { fault });
      } finally {
        if (client.isOpen) await client.quit().catch(() => {});
      }
      return { results, calls };
    },
  };
}
