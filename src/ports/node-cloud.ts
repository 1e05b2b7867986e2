/**
 * The cloud adapter the entry points hand to the core. It imports no SDK itself: each cloud's
 * module (`node-aws.ts`, `node-gcp.ts`, `node-azure.ts`, `node-redis.ts`) is loaded with a dynamic
 * `import()` the first time a run reads from that cloud, and the bundler puts each in its own
 * chunk. `matrix`, `describe` and a plan without cloud values therefore never load an SDK.
 * Clients are kept per access description for the life of the process (one per store or bucket
 * access, not one per read).
 */
import type { CloudPorts, KeyBatch, KeyValueClient, KeyValueStoreSpec, StateObject } from './cloud.js';

let aws: Promise<typeof import('./node-aws.js')> | undefined;
let gcp: Promise<typeof import('./node-gcp.js')> | undefined;
let azure: Promise<typeof import('./node-azure.js')> | undefined;
let redis: Promise<typeof import('./node-redis.js')> | undefined;
const loadAws = () => (aws ??= import('./node-aws.js'));
const loadGcp = () => (gcp ??= import('./node-gcp.js'));
const loadAzure = () => (azure ??= import('./node-azure.js'));
const loadRedis = () => (redis ??= import('./node-redis.js'));

async function clientFor(spec: KeyValueStoreSpec): Promise<KeyValueClient> {
  switch (spec.kind) {
    case 'aws/ssm':
      return (await loadAws()).ssmClient(spec.aws);
    case 'aws/asm':
      return (await loadAws()).asmClient(spec.aws);
    case 'gcp/secretmanager':
      return (await loadGcp()).gsmClient(spec);
    case 'azure/keyvault':
      return (await loadAzure()).keyVaultClient(spec);
    case 'redis':
      return (await loadRedis()).redisClient(spec);
  }
}

export function nodeCloud(): CloudPorts {
  const clients = new Map<string, Promise<KeyValueClient>>();
  return {
    keyValue(spec) {
      const id = JSON.stringify(spec);
      return {
        async read(names): Promise<KeyBatch> {
          let client = clients.get(id);
          if (!client) {
            client = clientFor(spec);
            clients.set(id, client);
            // A failed load (or construction) is not kept: the next run may have what it lacked.
            client.catch(() => clients.delete(id));
          }
          return (await client).read(names);
        },
      };
    },
    async readObject(where: StateObject) {
      switch (where.kind) {
        case 's3':
          return (await loadAws()).readS3Object(where.aws, where.bucket, where.key, where.pathStyle);
        case 'gcs':
          return (await loadGcp()).readGcsObject(where);
        case 'azurerm':
          return (await loadAzure()).readAzureBlob(where);
      }
    },
  };
}
