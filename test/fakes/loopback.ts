import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake saw: enough to assert on calls without re-parsing HTTP in tests. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body when the body was JSON, otherwise undefined (see `bytes`). */
  json?: unknown;
  /** Body size in bytes. */
  bytes: number;
  /** Status the fake answered with. */
  status: number;
}

export interface LoopbackRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface LoopbackResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 and a random port, answering through `handle` and recording every
 * request. Loopback keeps tests off the network and bypasses any proxy the toolkit would use.
 */
export async function startLoopback(handle: (req: LoopbackRequest) => LoopbackResponse | Promise<LoopbackResponse>): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks);
      const request: LoopbackRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      Promise.resolve()
        .then(() => handle(request))
        .catch((e: unknown): LoopbackResponse => ({ status: 500, body: `fake server bug: ${e instanceof Error ? e.stack : String(e)}` }))
        .then((answer) => {
          requests.push({ ...request, json: parseJson(body, req.headers['content-type']), bytes: body.length, status: answer.status });
          const payload = answer.body ?? '';
          res.writeHead(answer.status, { 'content-length': String(Buffer.byteLength(payload)), ...answer.headers });
          res.end(payload);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseJson(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || !(contentType ?? '').includes('json')) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A JSON answer. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): LoopbackResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}
