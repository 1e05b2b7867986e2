/**
 * The one place credentials are taken out of text before it reaches a log line, an error message,
 * workdir metadata or anything else a user or a log collector can read. It works on free text
 * (git's error output echoes URLs), not only on a single URI.
 */

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
 * Returns `text` with URL credentials (`***@`), secret query values (`token=***`), authorization
 * headers and any of the `secrets` given (tokens from the environment, and their base64 forms as
 * git would send them) replaced by `***`.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(SCHEME_USERINFO, (all, scheme: string, userinfo: string) => {
    if (USER_IS_PUBLIC.test(scheme) && !userinfo.includes(':') && !userinfo.includes('/')) return all;
    return `${scheme}***@`;
  });
  out = out.replace(BARE_USERINFO, (_all, before: string) => `${before}***@`);
  out = out.replace(SECRET_PARAMS, '$1***').replace(AUTH_HEADER, '$1***');
  for (const s of secrets) {
    // Very short values would redact ordinary words; real tokens are long.
    if (!s || s.length < 6) continue;
    for (const form of [s, Buffer.from(s).toString('base64'), Buffer.from(`x-access-token:${s}`).toString('base64')]) {
      out = out.split(form).join('***');
    }
  }
  return out;
}
