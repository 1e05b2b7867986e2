/**
 * The one place credentials are taken out of text before it reaches a log line, an error message,
 * workdir metadata or anything else a user or a log collector can read. It works on free text
 * (git's error output echoes URLs), not only on a single URI.
 */

import { htmlText, markdownText } from './escape.js';

/** Query parameters whose values are secrets (go-getter's `sshkey`, GitLab/GitHub style tokens, signed URLs). */
const SECRET_PARAMS =
  /([?&;](?:access_token|private_token|token|sshkey|password|passwd|secret|client_secret|key|auth|sig|signature|x-amz-signature|x-amz-credential)=)[^&;#\s'"]*/gi;

/**
 * `<scheme>://<userinfo>@`: everything from the scheme up to the last `@` of the URL (before any
 * query) counts as user info, so a password holding an unencoded `/` or `@`
 * (`https://user:p@ss/w@host/repo`) is hidden whole. A URL path never holds an `@` in the forms git
 * accepts, so the only cost is an over-eager redaction of an odd URL.
 */
const SCHEME_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s'"<>?#]*)@/gi;

/** Without a scheme: `user:token@host…` at the start of a word (or after go-getter's `git::`). */
const BARE_USERINFO = /(^|[\s'"(<=,]|::)([^\s'"<>@/:]+:(?!:|\/\/)[^\s'"<>]*)@(?=[a-z0-9[])/gi;

/** HTTP authorization as git prints it with GIT_TRACE/GIT_CURL_VERBOSE, and as an extraheader config value. */
const AUTH_HEADER = /(authorization:\s*(?:basic|bearer|token)\s+)[^\s'"]+/gi;

/** Schemes where a user name without a password is not a secret (`ssh://git@host/…`). */
const USER_IS_PUBLIC = /^(ssh|git\+ssh|ssh\+git|sftp):\/\//i;

/**
 * The forms a secret takes in what we write: as is, base64 (and git's `x-access-token:` basic
 * auth), URL-encoded, inside a JSON string, and as our Markdown and HTML renderers write text.
 */
export function secretForms(secret: string): string[] {
  const forms = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(`x-access-token:${secret}`).toString('base64'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    markdownText(secret),
    htmlText(secret),
  ];
  return [...new Set(forms)].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** Values shorter than this are never treated as secrets: they would redact ordinary words (real tokens and keys are long). */
export const MIN_SECRET_LENGTH = 6;

/**
 * Returns `text` with URL credentials (`***@`), secret query values (`token=***`), authorization
 * headers and any of the `secrets` given, in every form {@link secretForms} lists, replaced by `***`.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(SCHEME_USERINFO, (all, scheme: string, userinfo: string) => {
    if (USER_IS_PUBLIC.test(scheme) && !userinfo.includes(':') && !userinfo.includes('/')) return all;
    return `${scheme}***@`;
  });
  out = out.replace(BARE_USERINFO, (_all, before: string) => `${before}***@`);
  out = out.replace(SECRET_PARAMS, '$1***').replace(AUTH_HEADER, '$1***');
  for (const s of secrets) {
    if (!s || s.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(s)) out = out.split(form).join('***');
  }
  return out;
}
