/**
 * Azure through its client libraries: Blob Storage (the azurerm backend's state) and Key Vault
 * (`azure/keyvault` stores). Credentials: the backend's `access_key` or `sas_token`, otherwise
 * DefaultAzureCredential (environment, workload identity for GitHub OIDC, managed identity, Azure
 * CLI). Loaded by `node-cloud.ts` only when a run reads from Azure. No emulator exercises this
 * module in the test suite (see the README's compatibility section).
 */
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { CloudError, forEachLimit, READ_CONCURRENCY, type CloudFault, type KeyBatch, type KeyRead, type KeyValueClient, type StateObject } from './cloud.js';

function faultOf(e: unknown): CloudFault {
  const err = e as { code?: string; statusCode?: number; message?: string };
  const code = err?.code ?? (err?.statusCode ? `HTTP${err.statusCode}` : 'Error');
  return {
    code,
    message: (err?.message ?? String(e)).split('\n')[0]!,
    notFound: err?.statusCode === 404 || code === 'BlobNotFound' || code === 'SecretNotFound',
  };
}

export async function readAzureBlob(req: Extract<StateObject, { kind: 'azurerm' }>): Promise<string | null> {
  let url = req.endpoint ?? `https://${req.account}.${req.blobSuffix}`;
  if (req.sasToken) url += `${url.includes('?') ? '&' : '?'}${req.sasToken.replace(/^\?/, '')}`;
  const credential = req.accessKey
    ? new StorageSharedKeyCredential(req.account, req.accessKey)
    : req.sasToken
      ? new AnonymousCredential()
      : new DefaultAzureCredential();
  const service = new BlobServiceClient(url, credential);
  try {
    const buf = await service.getContainerClient(req.container).getBlobClient(req.blob).downloadToBuffer();
    return buf.toString('utf8');
  } catch (e) {
    const fault = faultOf(e);
    if (fault.notFound && fault.code !== 'ContainerNotFound') return null;
    throw new CloudError(fault);
  }
}

/** Key Vault: one GetSecret per name; the API has no batch read. */
export function keyVaultClient(spec: { vaultUrl: string }): KeyValueClient {
  const client = new SecretClient(spec.vaultUrl, new DefaultAzureCredential());
  return {
    async read(names): Promise<KeyBatch> {
      const results = new Map<string, KeyRead>();
      await forEachLimit(names, READ_CONCURRENCY, async (name) => {
        try {
          const s = await client.getSecret(name);
          results.set(name, { value: s.value ?? '' });
        } catch (e) {
          results.set(name, { fault: faultOf(e) });
        }
      });
      return { results, calls: names.length };
    },
  };
}
