/**
 * Which git URLs a source may name, and taking credentials out of them (see remote.ts): only forms
 * whose meaning git cannot mistake, nothing git or ssh could read as an option.
 */
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { CONTROL_CHAR, showValue } from '../util/log-safe.js';
import { redactSecrets } from '../util/redact.js';

/** User and password taken out of an `https://user:password@host/…` URL; they reach git only through GIT_CONFIG_* variables. */
export interface UrlCredentials {
  /** `scheme://host[:port]` the credentials are for. */
  origin: string;
  user: string;
  password: string;
}

export function decodeQuery(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AtmosError(`${where}: source URI has a malformed %-escape in ${showValue(redactSecrets(text))}`);
  }
}

const SCHEME_URL = /^(https?|ssh|git|git\+ssh|ssh\+git|file):\/\/(.*)$/i;
/** scp-like `[user@]host:path`, and nothing else: no `<transport>::<address>` remote helpers, no options. */
const SCP_LIKE = /^(?:([^@:/]+)@)?([^@:/]+):(?!\/\/)(.+)$/;
const SAFE_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const SAFE_HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::\d{1,5})?$/;

/**
 * Accepts only URL forms whose meaning git cannot mistake: `https://`, `http://`, `ssh://`,
 * `git://`, `file://`, a plain scp-like `user@host:path`, or an absolute path. Nothing that starts
 * with `-` (git or ssh would read it as an option: `--upload-pack=…`, `-oProxyCommand=…`), no
 * scp-like path segment starting with `-`, no `<transport>::` remote helpers (`ext::` runs a
 * command), no white space. An `https://user:password@` part is taken out of the URL and returned,
 * so it reaches git through the environment only.
 */
export function checkGitUrl(url: string, where: string, original: string): { url: string; credentials?: UrlCredentials } {
  const refuse = (why: string) =>
    new AtmosError(
      `${where}: source ${showValue(redactSecrets(original))} is not a valid git URL: ${why}; use https://host/org/repo.git, ssh://git@host/org/repo.git, git@host:org/repo.git, file:///path or an absolute path`,
    );
  if (url.startsWith('-')) throw refuse('it starts with "-", which git would read as an option');
  if (/\s/.test(url)) throw refuse('it contains white space');
  // `<transport>::<address>` makes git run git-remote-<transport> (ext:: runs a command of the URL's choosing).
  if (/^[A-Za-z0-9+.-]*::/.test(url)) throw refuse('git remote helpers (<transport>::<address>, such as ext::) are never used');
  const m = SCHEME_URL.exec(url);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    const rest = m[2]!;
    if (scheme === 'file') {
      if (!rest.startsWith('/')) throw refuse('file:// needs an absolute path');
      return { url };
    }
    const at = rest.lastIndexOf('@');
    const userinfo = at >= 0 ? rest.slice(0, at) : '';
    const hostPath = rest.slice(at + 1);
    const host = hostPath.split('/')[0]!;
    if (!SAFE_HOST.test(host)) throw refuse(`the host ${showValue(redactSecrets(host))} is not a host name`);
    if (!userinfo) return { url };
    if (scheme === 'http' || scheme === 'https') {
      const colon = userinfo.indexOf(':');
      const user = decodeQuery(colon >= 0 ? userinfo.slice(0, colon) : userinfo, where);
      const password = decodeQuery(colon >= 0 ? userinfo.slice(colon + 1) : '', where);
      // Decoded credentials become an HTTP header: a line break there would add headers of its own.
      if (CONTROL_CHAR.test(user + password)) throw refuse('the user name or password holds a control character');
      return { url: `${scheme}://${hostPath}`, credentials: { origin: `${scheme}://${host}`, user, password } };
    }
    if (scheme === 'git') throw refuse('git:// does not take a user name');
    if (!SAFE_USER.test(userinfo)) throw refuse('ssh takes a plain user name, never a password (use an ssh key, or https with a token)');
    return { url };
  }
  const scp = SCP_LIKE.exec(url);
  if (scp && !path.isAbsolute(url)) {
    const [, user, host, repoPath] = scp;
    if (user !== undefined && !SAFE_USER.test(user)) throw refuse('the user name of an scp-like address must be plain (no password, no leading "-")');
    if (!SAFE_HOST.test(host!)) throw refuse(`the host ${showValue(host!)} is not a host name`);
    if (repoPath!.startsWith(':')) throw refuse('"::" after the host');
    if (repoPath!.includes('@')) throw refuse('an "@" after the host (a password, or a second address)');
    if (repoPath!.split('/').some((seg) => seg.startsWith('-'))) throw refuse('a path segment starts with "-", which git or ssh could read as an option');
    return { url };
  }
  if (path.isAbsolute(url)) return { url };
  throw refuse('git cannot tell how to fetch it');
}
