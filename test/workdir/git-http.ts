/**
 * Loopback servers for git over HTTP: one that serves real repositories through `git http-backend`
 * (the CGI program shipped with git) and records the requests, and one that accepts connections and
 * never answers (a hung server).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { notInUnitScope } from '../helpers/fs.js';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
}

export interface GitHttpServer {
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Serves the repositories under `projectRoot` at `http://127.0.0.1:<port>/<repo>`; only requests whose Authorization equals `requireAuth` (when given) get through, others get a 401. */
export async function gitHttpServer(projectRoot: string, env: Record<string, string>, requireAuth?: string): Promise<GitHttpServer> {
  notInUnitScope('a git server');
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    // The scheme of an Authorization header is case-insensitive; the credentials are not.
    const norm = (h: string | undefined) => h?.replace(/^(\S+)\s+/, (_m, scheme: string) => `${scheme.toLowerCase()} `);
    if (requireAuth !== undefined && norm(req.headers.authorization) !== norm(requireAuth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(u.pathname),
        QUERY_STRING: u.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (b: Buffer) => chunks.push(b));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (/^status$/i.test(k)) status = Number(v.split(' ')[0]);
        else if (k) headers[k] = v;
      }
      res.writeHead(status, headers).end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface HungServer {
  port: number;
  /** Connections still open. */
  open(): number;
  close(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte. */
export async function hungServer(): Promise<HungServer> {
  notInUnitScope('a git server');
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    // Read (and drop) what the client sends: a paused socket would never notice the client going away.
    s.resume();
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    open: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
