/**
 * Remote component sources (`source:`, docs/atmos-compatibility.md §6.5): parsing the spec, resolving the go-getter
 * style URI forms people write, and fetching git sources with the `git` CLI through the Exec port
 * (argv arrays only; shallow; the version is the ref).
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Exec } from '../ports/exec.js';
import { AtmosError } from '../util/errors.js';
import { CONTROL_CHAR, refuseControlChars, showValue } from '../util/log-safe.js';
import { redactSecrets } from '../util/redact.js';
import { safeRelativeSegments } from '../util/safe-path.js';
import { checkGitUrl, decodeQuery, type UrlCredentials } from './git-url.js';
import { DEFAULT_GIT_TIMEOUT_MS, formatDuration } from './ttl.js';

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

export type { UrlCredentials } from './git-url.js';

export type ResolvedSource =
  { kind: 'git'; url: string; ref?: string; subdir?: string; credentials?: UrlCredentials } | { kind: 'local'; dir: string; subdir?: string };

const GIT_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org'];
const UNSUPPORTED = /^(oci|s3|gcs|hg|http|https)::|^oci:\/\//;

/** A source URI as it may be shown or stored: credentials and secret query values replaced (see redactSecrets). */
export function redactUri(uri: string): string {
  return redactSecrets(uri);
}

/**
 * Splits `<address>//<subdir>?<query>` the way go-getter does (the `//` after the scheme's `://`)
 * and maps the address to something `git` understands:
 *  - `github.com/org/repo//path?ref=v1` (also gitlab.com, bitbucket.org) → https://github.com/org/repo.git
 *  - `git::https://…`, `git::ssh://…`, `git::file:///…`, `git@host:org/repo.git`, `https://…/repo.git`
 *  - `file:///dir` or an absolute folder without `git::` → a plain local copy;
 *  - a relative path (`../modules/vpc`, `./x`, or any path with no scheme, host or `::`) → a plain
 *    local copy of that folder under `baseDir` (Atmos resolves it against the directory it runs in).
 * The ref comes from `?ref=`, else from `version` (Atmos appends the version unless the URI has a ref).
 */
export function resolveSourceUri(spec: SourceSpec, where: string, baseDir?: string): ResolvedSource {
  // Refused before anything else: these values reach log lines (workflow command injection) and git's argv.
  // The value is shown redacted; a control character hidden inside the credentials is refused all the same.
  if (CONTROL_CHAR.test(spec.uri)) {
    refuseControlChars(redactUri(spec.uri), `${where}: source URI`);
    throw new AtmosError(`${where}: source URI ${showValue(redactUri(spec.uri))} contains a control character in its credentials`);
  }
  if (spec.version !== undefined) refuseControlChars(spec.version, `${where}: source version`);
  let uri = spec.uri.trim();
  if (UNSUPPORTED.test(uri)) {
    throw new AtmosError(
      `${where}: source ${showValue(redactUri(uri))} is not supported: atmos-action fetches git sources (git::…, github.com/…) and local folders only`,
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
    const key = decodeQuery(eq >= 0 ? part.slice(0, eq) : part, where);
    const value = decodeQuery(eq >= 0 ? part.slice(eq + 1) : '', where);
    if (key === 'ref') ref = value;
    else if (key === 'depth')
      continue; // always shallow
    else throw new AtmosError(`${where}: source URI parameter ${showValue(key)} is not supported (only ref and depth)`);
  }
  ref ??= spec.version;
  if (ref !== undefined && (ref === '' || ref.startsWith('-') || /\s/.test(ref) || CONTROL_CHAR.test(ref))) {
    // A ref starting with `-` would be read by git as an option.
    throw new AtmosError(
      `${where}: source version/ref ${showValue(ref)} is not a valid git ref${ref.startsWith('-') ? ' (it starts with "-", which git would read as an option)' : ''}`,
    );
  }

  if (!forcedGit) {
    if (uri.startsWith('file://') || (path.isAbsolute(uri) && fs.existsSync(uri) && fs.statSync(uri).isDirectory() && !fs.existsSync(path.join(uri, '.git')))) {
      const dir = uri.startsWith('file://') ? decodeURIComponent(uri.slice(7)) : uri;
      return { kind: 'local', dir, subdir };
    }
    if (isRelativeLocalPath(uri)) {
      if (baseDir === undefined) throw new AtmosError(`${where}: source ${showValue(uri)} is a relative folder, and no base path was given to resolve it`);
      return { kind: 'local', dir: path.resolve(baseDir, uri), subdir };
    }
    const host = GIT_HOSTS.find((h) => uri.startsWith(`${h}/`));
    if (host) {
      const repoPath = uri.slice(host.length + 1).replace(/\.git$/, '');
      if (!/^[^/]+\/[^/]+(\/[^/]+)*$/.test(repoPath) || repoPath.split('/').some((seg) => seg.startsWith('-'))) {
        throw new AtmosError(`${where}: source ${showValue(redactUri(spec.uri))} should look like ${host}/<org>/<repo>`);
      }
      return { kind: 'git', url: `https://${host}/${repoPath}.git`, ref, subdir };
    }
    if (/^[\w.-]+@[\w.-]+:/.test(uri) || /^(https?|ssh):\/\/.+\.git$/.test(uri) || path.isAbsolute(uri)) {
      return { kind: 'git', ...checkGitUrl(uri, where, spec.uri), ref, subdir };
    }
    throw new AtmosError(
      `${where}: cannot tell how to fetch source ${showValue(redactUri(spec.uri))}; write it as git::https://host/org/repo.git//path?ref=v1 or github.com/org/repo//path`,
    );
  }
  return { kind: 'git', ...checkGitUrl(uri, where, spec.uri), ref, subdir };
}

/**
 * Atmos's rule for a local source path (`pkg/vendor/uri.go` IsLocalPath): `./`/`../`, or a relative
 * path with no `scheme://`, `::`, `user@host:` and no host-like first segment (`example.com/…`).
 */
function isRelativeLocalPath(uri: string): boolean {
  if (uri === '' || path.isAbsolute(uri) || uri.startsWith('~')) return false;
  if (uri === '.' || uri === '..' || uri.startsWith('./') || uri.startsWith('../')) return true;
  if (uri.includes('://') || uri.includes('::') || /^[\w.-]+@[\w.-]+:/.test(uri)) return false;
  return !uri.split('/')[0]!.includes('.');
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
 * Env for git: never prompt, and authenticate through GIT_CONFIG_* variables rather than the URL or
 * argv, so a token shows up in neither `ps` nor git's error messages: the user and password taken
 * out of an `https://user:password@host/…` URL for that origin, else (for github.com) a token in
 * the env.
 */
export function gitEnv(
  url: string,
  env: Record<string, string | undefined>,
  credentials?: UrlCredentials,
  githubToken?: string,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: env.GIT_ASKPASS ?? 'echo' };
  const addConfig = (key: string, value: string) => {
    const n = Number(out.GIT_CONFIG_COUNT ?? 0) || 0;
    out.GIT_CONFIG_COUNT = String(n + 1);
    out[`GIT_CONFIG_KEY_${n}`] = key;
    out[`GIT_CONFIG_VALUE_${n}`] = value;
  };
  const basic = (userPass: string) => `AUTHORIZATION: basic ${Buffer.from(userPass).toString('base64')}`;
  const token = env.ATMOS_GITHUB_TOKEN || env.GITHUB_TOKEN || githubToken;
  if (credentials) addConfig(`http.${credentials.origin}/.extraheader`, basic(`${credentials.user}:${credentials.password}`));
  else if (token && /^https:\/\/github\.com\//.test(url)) addConfig('http.https://github.com/.extraheader', basic(`x-access-token:${token}`));
  return out;
}

export interface FetchedSource {
  /** Folder holding the fetched tree (the sub-folder, if the URI named one). */
  dir: string;
  /** Commit SHA for git; undefined for local folders. */
  identity?: string;
}

/** What git printed, fit for an error message: secrets redacted, control characters visible, the last lines on one line. */
function gitOutputForMessage(text: string, secrets: (string | undefined)[]): string {
  return showValue(redactSecrets(text, secrets).trim().split('\n').slice(-3).join(' | ')).slice(1, -1);
}

/**
 * Fetches a git source into `into` (an empty folder on the same filesystem as the workdir):
 * `git init`, a shallow `fetch` of the ref (or HEAD), `checkout FETCH_HEAD`. A commit SHA that the
 * server will not serve shallowly is fetched in full. Returns the folder and the commit.
 * The whole sequence has one deadline (`timeoutMs`); past it git is killed (with any helper it
 * started) and the error names the source and the time waited.
 */
export async function fetchGitSource(
  src: Extract<ResolvedSource, { kind: 'git' }>,
  into: string,
  ports: { exec: Exec; env: Record<string, string | undefined>; githubToken?: string; timeoutMs?: number },
  displayUri: string,
): Promise<FetchedSource> {
  const env = gitEnv(src.url, ports.env, src.credentials, ports.githubToken);
  const secrets = [ports.env.ATMOS_GITHUB_TOKEN, ports.env.GITHUB_TOKEN, ports.githubToken, src.credentials?.password];
  const at = src.ref ? ` at ${src.ref}` : '';
  const timeoutMs = ports.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const started = Date.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const git = async (args: string[], what: string, allowFail = false) => {
    const timedOut = () =>
      new AtmosError(
        `cannot fetch source ${displayUri}${at}: git ${what} did not finish within the ${formatSeconds(timeoutMs)} deadline ` +
          `and was stopped after ${formatSeconds(Date.now() - started)} (ATMOS_ACTION_GIT_TIMEOUT sets the deadline)`,
      );
    if (deadline.signal.aborted) throw timedOut();
    // The ext:: transport runs a command of the URL's choosing: never, whatever the user's git config says.
    const r = await ports.exec.run('git', ['-c', 'protocol.ext.allow=never', ...args], { cwd: into, env, signal: deadline.signal, killSignal: 'SIGKILL' });
    if (deadline.signal.aborted) throw timedOut();
    if (r.code !== 0 && !allowFail) {
      throw new AtmosError(`cannot fetch source ${displayUri}${at}: git ${what} failed: ${gitOutputForMessage(r.stderr || r.stdout, secrets)}`, {
        kind: 'instance',
      });
    }
    return r;
  };
  try {
    await git(['init', '-q', '.'], 'init');
    const ref = src.ref ?? 'HEAD';
    // `--` ends the options: the URL and the ref are positional whatever they look like (both are also validated).
    const shallow = await git(
      ['-c', 'protocol.version=2', 'fetch', '-q', '--depth', '1', '--no-tags', '--', src.url, ref],
      'fetch',
      /^[0-9a-f]{7,40}$/i.test(ref),
    );
    if (shallow.code !== 0) {
      // Servers that refuse to serve an arbitrary commit shallowly: fetch everything, then check it out.
      await git(['fetch', '-q', '--no-tags', '--', src.url, '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'], 'fetch');
      // The `--` after the commit: it is never read as a path (or, validated, as an option).
      await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', ref, '--'], 'checkout');
    } else {
      await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', 'FETCH_HEAD', '--'], 'checkout');
    }
    const head = await git(['rev-parse', '--verify', 'HEAD^{commit}'], 'rev-parse');
    const dir = src.subdir ? path.join(into, ...src.subdir.split('/')) : into;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new AtmosError(`source ${displayUri}${at} has no folder ${src.subdir}`);
    }
    return { dir, identity: head.stdout.trim() };
  } finally {
    clearTimeout(timer);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? formatDuration(ms) : `${(ms / 1000).toFixed(1)}s`;
}
