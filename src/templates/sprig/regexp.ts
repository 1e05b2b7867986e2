/**
 * Go RE2 regular expressions in JavaScript. The common syntax is the same; the differences handled
 * here: inline flags (`(?i)`), `\z`, `\A`, and Go's `$1`/`${name}` replacement expansion.
 * Unsupported (error): lookarounds and backreferences, which RE2 rejects as well.
 */

const cache = new Map<string, RegExp>();

export function compileGoRegexp(re: string, must = false, flags = ''): RegExp {
  const key = flags + '\0' + re;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let src = re;
  let f = flags + 'u';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    if (m[1].includes('i')) f += 'i';
    if (m[1].includes('m')) f += 'm';
    if (m[1].includes('s')) f += 's';
  }
  if (/\(\?[=!<]|\\[1-9]/.test(src)) throw new Error(`error parsing regexp: invalid or unsupported Perl syntax in ${JSON.stringify(re)}`);
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^(?<![\\s\\S])');
  let rx: RegExp;
  try {
    rx = new RegExp(src, f);
  } catch (e) {
    const msg = `error parsing regexp: ${(e as Error).message}`;
    if (must) throw new Error(`regexp: Compile(${JSON.stringify(re)}): ${msg}`, { cause: e });
    throw new Error(msg, { cause: e });
  }
  cache.set(key, rx);
  return rx;
}

/** Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
export function expandGoTemplate(repl: string, match: unknown[]): string {
  const last = match[match.length - 1];
  const groups = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
  const numbered = match.slice(0, typeof last === 'object' && last !== null ? -3 : -2) as (string | undefined)[];
  return repl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, dollar, braced, bare) => {
    if (dollar === '$') return '$';
    const name = (braced ?? bare) as string;
    if (/^\d+$/.test(name)) return numbered[Number(name)] ?? '';
    return groups[name] ?? '';
  });
}
