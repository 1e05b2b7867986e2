import { createHmac, randomBytes } from 'node:crypto';
import { json, startLoopback, type LoopbackRequest, type LoopbackResponse, type RecordedRequest } from './loopback.js';

/**
 * A loopback fake of the GitHub Actions cache service, version 2, as `@actions/cache` 6 talks to it:
 *
 * - Twirp JSON RPCs `POST /twirp/github.actions.results.api.v1.CacheService/<Method>` with
 *   `Authorization: Bearer $ACTIONS_RUNTIME_TOKEN`: `GetCacheEntryDownloadURL`, `CreateCacheEntry`,
 *   `FinalizeCacheEntryUpload` (request fields in proto names: `restore_keys`, `size_bytes`; answers
 *   the same way, int64 as strings, errors as `{code, msg}`);
 * - an Azure-Blob-shaped store behind the signed URLs: `PUT` of a whole block blob
 *   (`x-ms-blob-type: BlockBlob`), `PUT ?comp=block&blockid=…` and `PUT ?comp=blocklist` for large
 *   archives, and a plain `GET` to download (the client only uses the Azure SDK to download from
 *   `*.blob.core.windows.net`).
 *
 * Service rules modelled: an entry is (key, version) and immutable (a second `CreateCacheEntry`
 * answers 409 `already_exists`, as github.com does); restore looks at committed entries of the same
 * version only, tries the key exactly, then as a prefix, then each restore key, newest first;
 * a signed URL only works for its own entry. Not modelled: branch scopes, eviction, size quotas.
 */
export interface CacheServiceFake {
  /** ACTIONS_RESULTS_URL, with the trailing slash the runner gives it. */
  url: string;
  token: string;
  /** The variables that make `@actions/cache` use this fake through the v2 protocol. */
  env(): Record<string, string>;
  requests: RecordedRequest[];
  /** Twirp method names called, in order (e.g. to assert a single save). */
  calls(): string[];
  entries(): CacheEntryView[];
  /** Answer `status` (with a Twirp/Azure-shaped error body) instead of serving; `times` limits it, null stops it. */
  failWith(status: number | null, options?: { times?: number; target?: 'twirp' | 'blob' | 'all' }): void;
  /** Refuse reservations the way a read-only runtime token is refused (`cache write denied: …`). */
  denyWrites(deny: boolean): void;
  close(): Promise<void>;
}

export interface CacheEntryView {
  id: number;
  key: string;
  version: string;
  committed: boolean;
  size: number;
}

interface Entry {
  id: number;
  key: string;
  version: string;
  committed: boolean;
  blob?: Buffer;
  blocks: Map<string, Buffer>;
}

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';
const BLOB = '/blob/actions-cache/';

export async function startCacheService(options: { token?: string } = {}): Promise<CacheServiceFake> {
  const token = options.token ?? `fake-runtime-token-${randomBytes(4).toString('hex')}`;
  const signingKey = randomBytes(16);
  const entries: Entry[] = [];
  let fault: { status: number; times: number; target: 'twirp' | 'blob' | 'all' } | undefined;
  let writesDenied = false;
  let origin = '';

  const sign = (id: number, purpose: 'read' | 'write') => createHmac('sha256', signingKey).update(`${purpose}:${id}`).digest('hex');
  const blobUrl = (e: Entry, purpose: 'read' | 'write') => `${origin}${BLOB}${e.id}?sp=${purpose === 'read' ? 'r' : 'cw'}&sig=${sign(e.id, purpose)}`;
  const newestFirst = () => entries.filter((e) => e.committed).sort((a, b) => b.id - a.id);

  const rpcs: Record<string, (body: Record<string, unknown>) => LoopbackResponse> = {
    GetCacheEntryDownloadURL(body) {
      const key = str(body.key);
      const restoreKeys = Array.isArray(body.restore_keys ?? body.restoreKeys) ? ((body.restore_keys ?? body.restoreKeys) as unknown[]).map(str) : [];
      const version = str(body.version);
      if (!key || !version) return twirpError(400, 'invalid_argument', 'key and version are required');
      const candidates = newestFirst().filter((e) => e.version === version);
      for (const k of [key, ...restoreKeys]) {
        const found = candidates.find((e) => e.key === k) ?? candidates.find((e) => e.key.startsWith(k));
        if (found) return json(200, { ok: true, signed_download_url: blobUrl(found, 'read'), matched_key: found.key });
      }
      return json(200, { ok: false });
    },
    CreateCacheEntry(body) {
      const key = str(body.key);
      const version = str(body.version);
      if (!key || !version) return twirpError(400, 'invalid_argument', 'key and version are required');
      if (writesDenied) return json(200, { ok: false, message: 'cache write denied: token has no writable scopes' });
      if (entries.some((e) => e.key === key && e.version === version)) {
        return twirpError(409, 'already_exists', 'cache entry with the same key, version, and scope already exists');
      }
      const entry: Entry = { id: entries.length + 1, key, version, committed: false, blocks: new Map() };
      entries.push(entry);
      return json(200, { ok: true, signed_upload_url: blobUrl(entry, 'write') });
    },
    FinalizeCacheEntryUpload(body) {
      const key = str(body.key);
      const version = str(body.version);
      const size = Number(body.size_bytes ?? body.sizeBytes);
      const entry = entries.find((e) => e.key === key && e.version === version && !e.committed);
      if (!entry) return twirpError(404, 'not_found', 'no cache entry reserved for this key and version');
      if (!entry.blob) return json(200, { ok: false, message: 'no archive was uploaded for this cache entry' });
      if (entry.blob.length !== size) return json(200, { ok: false, message: `archive size ${entry.blob.length} does not match size_bytes ${size}` });
      entry.committed = true;
      return json(200, { ok: true, entry_id: String(entry.id) });
    },
  };

  function twirp(req: LoopbackRequest): LoopbackResponse {
    if (req.headers.authorization !== `Bearer ${token}`) return twirpError(401, 'unauthenticated', 'invalid or missing runtime token');
    const rpc = rpcs[req.path.slice(SERVICE.length)];
    if (req.method !== 'POST' || !rpc) return twirpError(404, 'bad_route', `no handler for ${req.method} ${req.path}`);
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return twirpError(400, 'malformed', 'the request body is not JSON');
    }
    return rpc((body ?? {}) as Record<string, unknown>);
  }

  function blob(req: LoopbackRequest): LoopbackResponse {
    const entry = entries.find((e) => String(e.id) === req.path.slice(BLOB.length));
    const purpose = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
    if (!entry || req.query.get('sig') !== sign(entry.id, purpose)) return azureError(403, 'AuthenticationFailed', 'Signature did not match.');
    if (purpose === 'read') {
      if (!entry.committed || !entry.blob) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
      return { status: 200, headers: { 'content-type': 'application/octet-stream', ...azureHeaders() }, body: req.method === 'HEAD' ? undefined : entry.blob };
    }
    if (req.method !== 'PUT') return azureError(405, 'UnsupportedHttpVerb', `${req.method} is not supported here.`);
    if (entry.committed) return azureError(409, 'BlobImmutable', 'The cache entry is already committed.');
    const comp = req.query.get('comp');
    if (comp === 'block') {
      entry.blocks.set(req.query.get('blockid') ?? '', req.body);
    } else if (comp === 'blocklist') {
      const ids = [...req.body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1]);
      if (ids.some((id) => !entry.blocks.has(id))) return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
      entry.blob = Buffer.concat(ids.map((id) => entry.blocks.get(id)!));
    } else if (req.headers['x-ms-blob-type'] === 'BlockBlob') {
      entry.blob = req.body;
    } else {
      return azureError(400, 'MissingRequiredHeader', 'x-ms-blob-type is required.');
    }
    return { status: 201, headers: azureHeaders() };
  }

  const server = await startLoopback((req) => {
    const target = req.path.startsWith(SERVICE) ? 'twirp' : req.path.startsWith(BLOB) ? 'blob' : undefined;
    if (!target) return json(404, { code: 'bad_route', msg: `nothing at ${req.path}` });
    if (fault && (fault.target === 'all' || fault.target === target)) {
      const { status } = fault;
      if (--fault.times <= 0) fault = undefined;
      return target === 'twirp'
        ? twirpError(status, 'internal', 'the fake cache service is failing on purpose')
        : azureError(status, 'ServerBusy', 'The fake blob store is failing on purpose.');
    }
    return target === 'twirp' ? twirp(req) : blob(req);
  });
  origin = server.origin;

  return {
    url: `${origin}/`,
    token,
    env: () => ({
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_RUNTIME_TOKEN: token,
    }),
    requests: server.requests,
    calls: () => server.requests.filter((r) => r.path.startsWith(SERVICE)).map((r) => r.path.slice(SERVICE.length)),
    entries: () => entries.map((e) => ({ id: e.id, key: e.key, version: e.version, committed: e.committed, size: e.blob?.length ?? 0 })),
    failWith(status, opts = {}) {
      fault = status === null ? undefined : { status, times: opts.times ?? Infinity, target: opts.target ?? 'all' };
    },
    denyWrites(deny) {
      writesDenied = deny;
    },
    close: server.close,
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function twirpError(status: number, code: string, msg: string): LoopbackResponse {
  return json(status, { code, msg });
}

function azureHeaders(): Record<string, string> {
  return {
    'x-ms-request-id': randomBytes(8).toString('hex'),
    'x-ms-version': '2025-01-05',
    etag: `"0x${randomBytes(6).toString('hex')}"`,
    'last-modified': new Date().toUTCString(),
  };
}

function azureError(status: number, code: string, message: string): LoopbackResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-ms-error-code': code, ...azureHeaders() },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  };
}

/** Every variable @actions/cache reads to find its service, the workspace and its temp folder. */
const CACHE_CLIENT_ENV = [
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
];

/**
 * Points an in-process @actions/cache at `service` (clearing whatever the caller's environment
 * set) with the given workspace and runner temp; returns the function that puts process.env back.
 */
export function useCacheServiceInProcess(service: CacheServiceFake, dirs: { workspace: string; runnerTemp: string }): () => void {
  const saved = Object.fromEntries(CACHE_CLIENT_ENV.map((k) => [k, process.env[k]]));
  for (const k of CACHE_CLIENT_ENV) delete process.env[k];
  Object.assign(process.env, service.env(), { GITHUB_WORKSPACE: dirs.workspace, RUNNER_TEMP: dirs.runnerTemp });
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
