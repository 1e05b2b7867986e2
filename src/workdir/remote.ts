/**
 * Remote component sources (`source:`, reference §6.5): parsing the spec, resolving the go-getter
 * style URI forms people write, and fetching git sources with the `git` CLI through the Exec port
 * (argv arrays only; shallow; the version is the ref).
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Exec } from '../ports/exec.js';
import { AtmosError } from '../util/errors.js';
import { safeRelativeSegments } from '../util/safe-path.js';

export interface SourceSpec {
  uri: string;
  version?: string;
  includedPaths: string[];
  excludedPaths: string[];
  ttl?: string | number;
}

/**
 * `source` as written on the component: a URI string, or `{uri, version, included_paths,
 * excluded_paths, ttl}`. Returns null when the component has no remote source (absent or empty).
 * `where` names the instance for errors.
 */
export function parseSourceSpec(source: unknown, where: string): SourceSpec | null {
  if (source === undefined || source === null || source === '') return null;
  if (typeof source === 'string') return { uri: source, includedPaths: [], excludedPaths: [] };
  if (typeof source !== 'object' || Array.isArray(source)) {
    throw new AtmosError(`${where}: source must be a URI string or a map with uri, version, included_paths, excluded_paths, ttl`);
  }
  const s = source as Record<string, unknown>;
  if (Object.keys(s).length === 0) return null;
  if (typeof s.uri !== 'string' || s.uri === '') throw new AtmosError(`${where}: source.uri is required and must be a string`);
  const list = (key: string): string[] => {
    const v = s[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new AtmosError(`${where}: source.${key} must be a list of glob strings`);
    return v as string[];
  };
  let version: string | undefined;
  if (s.version !== undefined && s.version !== null && s.version !== '') {
    if (typeof s.version !== 'string' && typeof s.version !== 'number') throw new AtmosError(`${where}: source.version must be a string`);
    version = String(s.version);
  }
  let ttl: string | number | undefined;
  if (s.ttl !== undefined && s.ttl !== null && s.ttl !== '') {
    if (typeof s.ttl !== 'string' && typeof s.ttl !== 'number') throw new AtmosError(`${where}: source.ttl must be a string such as 1h or 7d`);
    ttl = s.ttl;
  }
  return { uri: s.uri, version, includedPaths: list('included_paths'), excludedPaths: list('excluded_paths'), ttl };
}

export type ResolvedSource =
  | { kind: 'git'; url: string; ref?: string; subdir?: string }
  | { kind: 'local'; dir: string; subdir?: string };

const GIT_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org'];
const UNSUPPORTED = /^(oci|s3|gcs|hg|http|https)::|^oci:\/\//;

/** Replaces URL credentials (`user:token@`) with `***@` so they never reach metadata or logs. */
export function redactUri(uri: string): string {
  return uri.replace(/^((?:[a-z0-9+.-]+::)?[a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

/**
 * Splits `<address>//<subdir>?<query>` the way go-getter does (the `//` after the scheme's `://`)
 * and maps the address to something `git` understands:
 *  - `github.com/org/repo//path?ref=v1` (also gitlab.com, bitbucket.org) → https://github.com/org/repo.git
 *  - `git::https://…`, `git::ssh://…`, `git::file:///…`, `git@host:org/repo.git`, `https://…/repo.git`
 *  - `file:///dir` or an absolute folder without `git::` → a plain local copy.
 * The ref comes from `?ref=`, else from `version` (Atmos appends the version unless the URI has a ref).
 */
export function resolveSourceUri(spec: SourceSpec, where: string): ResolvedSource {
  let uri = spec.uri.trim();
  if (UNSUPPORTED.test(uri)) {
    throw new AtmosError(
      `${where}: source ${JSON.stringify(redactUri(uri))} is not supported: atmos-action fetches git sources (git::…, github.com/…) and local folders only`,
    );
  }
  let forcedGit = false;
  if (uri.startsWith('git::')) {
    forcedGit = true;
    uri = uri.slice(5);
  }
  let query = '';
  const q = uri.indexOf('?');
  if (q >= 0) {
    query = uri.slice(q + 1);
    uri = uri.slice(0, q);
  }
  const schemeEnd = uri.indexOf('://');
  const offset = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  let subdir: string | undefined;
  const sd = uri.indexOf('//', offset);
  if (sd >= 0) {
    subdir = uri.slice(sd + 2).replace(/\/+$/, '');
    uri = uri.slice(0, sd);
    if (subdir === '' || subdir === '.') subdir = undefined;
    else safeRelativeSegments(subdir, `${where}: source sub-folder`);
  }
  let ref: string | undefined;
  for (const part of query.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq >= 0 ? part.slice(0, eq) : part);
    const value = decodeURIComponent(eq >= 0 ? part.slice(eq + 1) : '');
    if (key === 'ref') ref = value;
    else if (key === 'depth') continue; // always shallow
    else throw new AtmosError(`${where}: source URI parameter ${JSON.stringify(key)} is not supported (only ref and depth)`);
  }
  ref ??= spec.version;
  if (ref !== undefined && (ref === '' || ref.startsWith('-') || /[\s\u0000-\u001f]/.test(ref))) {
    // A ref starting with `-` would be read by git as an option.
    throw new AtmosError(`${where}: source version/ref ${JSON.stringify(ref)} is not a valid git ref`);
  }

  if (!forcedGit) {
    if (uri.startsWith('file://') || (path.isAbsolute(uri) && fs.existsSync(uri) && fs.statSync(uri).isDirectory() && !fs.existsSync(path.join(uri, '.git')))) {
      const dir = uri.startsWith('file://') ? decodeURIComponent(uri.slice(7)) : uri;
      return { kind: 'local', dir, subdir };
    }
    const host = GIT_HOSTS.find((h) => uri.startsWith(`${h}/`));
    if (host) {
      const repoPath = uri.slice(host.length + 1).replace(/\.git$/, '');
      if (!/^[^/]+\/[^/]+(\/[^/]+)*$/.test(repoPath)) throw new AtmosError(`${where}: source ${JSON.stringify(spec.uri)} should look like ${host}/<org>/<repo>`);
      return { kind: 'git', url: `https://${host}/${repoPath}.git`, ref, subdir };
    }
    if (/^[\w.-]+@[\w.-]+:/.test(uri) || /^(https?|ssh):\/\/.+\.git$/.test(uri)) return { kind: 'git', url: uri, ref, subdir };
    if (path.isAbsolute(uri)) return { kind: 'git', url: uri, ref, subdir };
    throw new AtmosError(
      `${where}: cannot tell how to fetch source ${JSON.stringify(redactUri(spec.uri))}; write it as git::https://host/org/repo.git//path?ref=v1 or github.com/org/repo//path`,
    );
  }
  if (uri.startsWith('-') || /^ext::/i.test(uri)) {
    throw new AtmosError(`${where}: source ${JSON.stringify(redactUri(spec.uri))} is not a valid git URL`);
  }
  return { kind: 'git', url: uri, ref, subdir };
}

/** Include/exclude doublestar globs, relative to the source root; `.git` never; excluded checked first. */
export function sourceFilter(spec: Pick<SourceSpec, 'includedPaths' | 'excludedPaths'>): (rel: string, isDir: boolean) => boolean {
  const exclude = spec.excludedPaths.length ? picomatch(spec.excludedPaths, { dot: true }) : null;
  const include = spec.includedPaths.length ? picomatch(spec.includedPaths, { dot: true }) : null;
  return (rel, isDir) => {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (name === '.git') return false;
    // A folder pattern excludes the folder itself (`tests`) or everything below it (`tests/**`).
    if (exclude && (exclude(rel) || (isDir && exclude(`${rel}/`)))) return false;
    if (isDir) return true; // includes are judged per file
    return include ? include(rel) : true;
  };
}

/**
 * Env for git: never prompt, and (when a token is in the env) authenticate to github.com through
 * GIT_CONFIG_* variables rather than the URL or argv, so the token shows up in neither `ps` nor
 * error messages.
 */
export function gitEnv(url: string, env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: env.GIT_ASKPASS ?? 'echo' };
  const token = env.ATMOS_GITHUB_TOKEN || env.GITHUB_TOKEN;
  if (token && /^https:\/\/github\.com\//.test(url)) {
    const n = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
    out.GIT_CONFIG_COUNT = String(n + 1);
    out[`GIT_CONFIG_KEY_${n}`] = 'http.https://github.com/.extraheader';
    out[`GIT_CONFIG_VALUE_${n}`] = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  }
  return out;
}

export interface FetchedSource {
  /** Folder holding the fetched tree (the sub-folder, if the URI named one). */
  dir: string;
  /** Commit SHA for git; undefined for local folders. */
  identity?: string;
}

/**
 * Fetches a git source into `into` (an empty folder on the same filesystem as the workdir):
 * `git init`, a shallow `fetch` of the ref (or HEAD), `checkout FETCH_HEAD`. A commit SHA that the
 * server will not serve shallowly is fetched in full. Returns the folder and the commit.
 */
export async function fetchGitSource(
  src: Extract<ResolvedSource, { kind: 'git' }>,
  into: string,
  ports: { exec: Exec; env: Record<string, string | undefined> },
  displayUri: string,
): Promise<FetchedSource> {
  const env = gitEnv(src.url, ports.env);
  const git = async (args: string[], what: string, allowFail = false) => {
    // The ext:: transport runs a command of the URL's choosing: never, whatever the user's git config says.
    const r = await ports.exec.run('git', ['-c', 'protocol.ext.allow=never', ...args], { cwd: into, env });
    if (r.code !== 0 && !allowFail) {
      throw new AtmosError(`cannot fetch source ${displayUri}${src.ref ? ` at ${src.ref}` : ''}: git ${what} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`, {
        kind: 'instance',
      });
    }
    return r;
  };
  await git(['init', '-q', '.'], 'init');
  const ref = src.ref ?? 'HEAD';
  // `--` is not accepted between url and refspec by fetch, so url/ref are validated not to start with `-`.
  const shallow = await git(['-c', 'protocol.version=2', 'fetch', '-q', '--depth', '1', '--no-tags', src.url, ref], 'fetch', /^[0-9a-f]{7,40}$/i.test(ref));
  if (shallow.code !== 0) {
    // Servers that refuse to serve an arbitrary commit shallowly: fetch everything, then check it out.
    await git(['fetch', '-q', '--no-tags', src.url, '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'], 'fetch');
    await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', ref], 'checkout');
  } else {
    await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', 'FETCH_HEAD'], 'checkout');
  }
  const head = await git(['rev-parse', 'HEAD'], 'rev-parse');
  const dir = src.subdir ? path.join(into, ...src.subdir.split('/')) : into;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new AtmosError(`source ${displayUri}${src.ref ? ` at ${src.ref}` : ''} has no folder ${src.subdir}`);
  }
  return { dir, identity: head.stdout.trim() };
}
