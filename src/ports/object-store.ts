/**
 * Reading one object from S3 (or an S3-compatible endpoint), for `!terraform.state` on the s3
 * backend. The request is signed with AWS Signature Version 4; credentials are passed in (the core
 * takes them from the environment it was given), never read here.
 */
import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3GetRequest {
  bucket: string;
  key: string;
  region: string;
  /** `https://host[:port]`; default the regional AWS endpoint. */
  endpoint?: string;
  /** Path-style (`endpoint/bucket/key`) instead of virtual-hosted (`bucket.endpoint/key`). */
  pathStyle?: boolean;
  credentials: S3Credentials;
}

export interface S3GetResult {
  status: number;
  body: string;
}

export interface ObjectReader {
  /** Resolves with the status and body (404 included); rejects when the endpoint cannot be reached. */
  get(req: S3GetRequest): Promise<S3GetResult>;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding of each path segment, as SigV4 wants it for S3 (slashes kept). */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** The URL of an object: virtual-hosted on AWS, path-style when asked or on a custom endpoint without it being possible. */
export function objectUrl(req: Omit<S3GetRequest, 'credentials'>): URL {
  const base = new URL(req.endpoint ?? `https://s3.${req.region}.amazonaws.com`);
  if (req.pathStyle) return new URL(`${base.origin}/${encodePath(req.bucket)}/${encodePath(req.key)}`);
  return new URL(`${base.protocol}//${req.bucket}.${base.host}/${encodePath(req.key)}`);
}

/**
 * SigV4 headers for an unsigned-payload-free GET (empty body): `authorization`, `x-amz-date`,
 * `x-amz-content-sha256` and, with temporary credentials, `x-amz-security-token`. `extra` headers
 * (e.g. `range`) are signed too.
 */
export function signGet(url: URL, region: string, creds: S3Credentials, now: Date, extra: Record<string, string> = {}): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': amzDate, ...lowerKeys(extra) };
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const names = Object.keys(headers).sort();
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const canonical = ['GET', url.pathname, query, ...names.map((n) => `${n}:${headers[n]!.trim()}`), '', names.join(';'), EMPTY_SHA256].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = hmac(`AWS4${creds.secretAccessKey}`, day);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host: _host, ...sent } = headers;
  return { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The adapter: Node's fetch, one GET, the clock for the signature date. */
export function fetchObjectReader(now: () => Date = () => new Date()): ObjectReader {
  return {
    async get(req) {
      const url = objectUrl(req);
      const res = await fetch(url, { headers: signGet(url, req.region, req.credentials, now()) });
      return { status: res.status, body: await res.text() };
    },
  };
}
