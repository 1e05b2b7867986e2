/**
 * TTL grammar, as Atmos parses it (docs/atmos-compatibility.md §6.6, pkg/duration): a positive integer is seconds,
 * `<int><unit>` with one lowercase unit s|m|h|d, or a keyword. `0`, `0s`, `0m`, `0h`, `0d` mean
 * "always expired". Everything else (compound `1h30m`, upper case, `w`, negatives, decimals) is
 * a clear error rather than Atmos's silent "invalid means always".
 */
import { AtmosError } from '../util/errors.js';
import { showValue } from '../util/log-safe.js';

export type Ttl = { always: true; text: string } | { always: false; ms: number; text: string };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const KEYWORD_MS: Record<string, number> = {
  minute: 60_000,
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 30 * 86_400_000,
  yearly: 365 * 86_400_000,
};

/** Parses a TTL from YAML (string or integer) or a flag. `what` names where it came from, for the error. */
export function parseTtl(value: unknown, what = 'ttl'): Ttl {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw badTtl(String(value), what);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw badTtl(JSON.stringify(value) ?? String(value), what);
  }
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw badTtl(text, what);
    return n === 0 ? { always: true, text } : { always: false, ms: n * 1000, text };
  }
  const m = /^(\d+)([smhd])$/.exec(text);
  if (m) {
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n * UNIT_MS[m[2]!]!)) throw badTtl(text, what);
    return n === 0 ? { always: true, text } : { always: false, ms: n * UNIT_MS[m[2]!]!, text };
  }
  const kw = KEYWORD_MS[text];
  if (kw !== undefined) return { always: false, ms: kw, text };
  throw badTtl(text, what);
}

function badTtl(text: string, what: string): AtmosError {
  return new AtmosError(
    `invalid ${what} ${JSON.stringify(text)}: use a number of seconds (3600), a number with one unit s, m, h or d ` +
      `(30m, 2h, 7d), or one of minute, hourly, daily, weekly, monthly, yearly; 0 means always`,
  );
}

/** True when something last refreshed at `since` is older than the TTL at `now`. */
export function isExpired(ttl: Ttl, since: Date | null, now: Date): boolean {
  if (ttl.always) return true;
  if (!since || Number.isNaN(since.getTime())) return true;
  return now.getTime() - since.getTime() > ttl.ms;
}

/** `95s` → `1m35s`, for messages like "TTL 1h expired (updated 2h3m ago)". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let s = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.slice(0, 2).join('');
}

/** Default deadline for fetching one git source (init, fetch, checkout together). */
export const DEFAULT_GIT_TIMEOUT_MS = 10 * 60_000;

/**
 * The fetch deadline from `ATMOS_ACTION_GIT_TIMEOUT` (entry points read the variable and pass the
 * value): seconds (`600`) or one unit (`90s`, `10m`, `1h`). Unset or empty: the default.
 */
export function parseGitTimeout(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_GIT_TIMEOUT_MS;
  const what = 'ATMOS_ACTION_GIT_TIMEOUT';
  if (!/^\d+[smh]?$/.test(value.trim())) throw new AtmosError(`invalid ${what} ${showValue(value)}: use seconds (600) or a number with s, m or h (90s, 10m)`);
  const ttl = parseTtl(value.trim(), what);
  if (ttl.always) throw new AtmosError(`invalid ${what} ${showValue(value)}: a deadline must be longer than 0`);
  return ttl.ms;
}
