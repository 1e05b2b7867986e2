/**
 * Google Cloud through its Cloud Storage client: objects (the gcs backend's state), and Secret
 * Manager (`gcp/secretmanager` stores) over its REST API with the same client's authentication
 * (the gRPC client would add 5 MB to the bundle for one call). Credentials: the backend's or store's
 * `credentials` (a key file path or its JSON content), an access token, or Application Default
 * Credentials.
 * Loaded by `node-cloud.ts` only when a run reads from Google Cloud. No emulator exercises this
 * module in the test suite (see the README's compatibility section).
 */
import { Storage } from '@google-cloud/storage';
import { CloudError, forEachLimit, READ_CONCURRENCY, type CloudFault, type KeyBatch, type KeyRead, type KeyValueClient, type StateObject } from './cloud.js';

/** A key file path, or the key's JSON content (as terraform's gcs backend accepts both). */
function credentialOptions(credentials: string | undefined): { keyFilename?: string; credentials?: Record<string, unknown> } {
  if (!credentials) return {};
  const text = credentials.trim();
  return text.startsWith('{') ? { credentials: JSON.parse(text) as Record<string, unknown> } : { keyFilename: credentials };
}

function faultOf(e: unknown): CloudFault {
  const err = e as { code?: number | string; status?: number; response?: { status?: number }; message?: string };
  // The HTTP status (404, 403) when the API answered, else the network code (ECONNREFUSED).
  const status = err?.response?.status ?? err?.status;
  const code = status !== undefined ? String(status) : err?.code !== undefined ? String(err.code) : 'Error';
  return { code, message: (err?.message ?? String(e)).split('\n')[0]!, notFound: code === '404' };
}

export async function readGcsObject(req: Extract<StateObject, { kind: 'gcs' }>): Promise<string | null> {
  const storage = new Storage({
    ...credentialOptions(req.credentials),
    ...(req.accessToken ? { token: req.accessToken } : {}),
    ...(req.endpoint ? { apiEndpoint: req.endpoint } : {}),
  });
  try {
    const [data] = await storage.bucket(req.bucket).file(req.object).download();
    return data.toString('utf8');
  } catch (e) {
    const fault = faultOf(e);
    if (fault.notFound) return null;
    throw new CloudError(fault);
  }
}

/** Secret Manager: one `versions/latest:access` per secret; the API has no batch read. */
export function gsmClient(spec: { projectId: string; credentials?: string; endpoint?: string }): KeyValueClient {
  const auth = new Storage(credentialOptions(spec.credentials)).authClient;
  const base = (spec.endpoint ?? 'https://secretmanager.googleapis.com').replace(/\/+$/, '');
  return {
    async read(ids): Promise<KeyBatch> {
      const results = new Map<string, KeyRead>();
      await forEachLimit(ids, READ_CONCURRENCY, async (id) => {
        try {
          const url = `${base}/v1/projects/${encodeURIComponent(spec.projectId)}/secrets/${encodeURIComponent(id)}/versions/latest:access`;
          const res = await auth.request<{ payload?: { data?: string } }>({ url });
          results.set(id, { value: Buffer.from(res.data.payload?.data ?? '', 'base64').toString('utf8') });
        } catch (e) {
          results.set(id, { fault: faultOf(e) });
        }
      });
      return { results, calls: ids.length };
    },
  };
}
