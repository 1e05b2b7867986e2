/** Sprig's string functions (Masterminds/sprig v3 strings.go, with huandu/xstrings case changes). */
import { randomInt } from 'node:crypto';
import { sprintf } from '../printf.js';
import { goFunc, type GoFunc } from '../funcs.js';
import { goQuote } from '../numfmt.js';
import { stringSlice, withGoType } from '../values.js';
import { strval, trimCutset } from './common.js';
import { camelToLower, goTitle, isUpper, toCamelCase } from './case.js';
import { compileGoRegexp, expandGoTemplate } from './regexp.js';

function byteSlice(s: string, from: number, to?: number): string {
  return Buffer.from(s, 'utf8').subarray(from, to).toString('utf8');
}
const byteLen = (s: string) => Buffer.byteLength(s, 'utf8');

function goSplit(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

export function stringFuncs(): Record<string, GoFunc> {
  const S = 'string' as const;
  return {
    upper: goFunc([S], (s: string) => s.toUpperCase()),
    lower: goFunc([S], (s: string) => s.toLowerCase()),
    title: goFunc([S], goTitle),
    untitle: goFunc([S], (s: string) => s.replace(/(^|\s)(\S)/gu, (_m, sp: string, c: string) => sp + c.toLowerCase())),
    shuffle: goFunc([S], (s: string) => shuffle([...s]).join('')),
    swapcase: goFunc([S], (s: string) => [...s].map((c) => (isUpper(c) ? c.toLowerCase() : c.toUpperCase())).join('')),
    trim: goFunc([S], (s: string) => s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '')),
    trimAll: goFunc([S, S], (cut: string, s: string) => trimCutset(s, cut)),
    trimall: goFunc([S, S], (cut: string, s: string) => trimCutset(s, cut)),
    trimPrefix: goFunc([S, S], (p: string, s: string) => (p && s.startsWith(p) ? s.slice(p.length) : s)),
    trimSuffix: goFunc([S, S], (p: string, s: string) => (p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
    nospace: goFunc([S], (s: string) => s.replace(/\s/gu, '')),
    replace: goFunc([S, S, S], (o: string, n: string, s: string) => (o === '' ? goReplaceEmpty(s, n) : s.split(o).join(n))),
    contains: goFunc([S, S], (sub: string, s: string) => s.includes(sub)),
    hasPrefix: goFunc([S, S], (p: string, s: string) => s.startsWith(p)),
    hasSuffix: goFunc([S, S], (p: string, s: string) => s.endsWith(p)),
    quote: goFunc(
      [],
      (...a: unknown[]) =>
        a
          .filter((x) => x !== null && x !== undefined)
          .map((x) => goQuote(strval(x)))
          .join(' '),
      'any',
    ),
    squote: goFunc(
      [],
      (...a: unknown[]) =>
        a
          .filter((x) => x !== null && x !== undefined)
          .map((x) => sprintf("'%v'", [x]))
          .join(' '),
      'any',
    ),
    cat: goFunc(
      [],
      (...a: unknown[]) =>
        a
          .filter((x) => x !== null && x !== undefined)
          .map((x) => sprintf('%v', [x]))
          .join(' '),
      'any',
    ),
    indent: goFunc(['int', S], (n: number, s: string) => indent(n, s)),
    nindent: goFunc(['int', S], (n: number, s: string) => '\n' + indent(n, s)),
    repeat: goFunc(['int', S], (n: number, s: string) => {
      if (n < 0) throw new Error('strings: negative Repeat count');
      return s.repeat(n);
    }),
    substr: goFunc(['int', 'int', S], (start: number, end: number, s: string) => {
      const len = byteLen(s);
      if (start < 0) return sliceBytes(s, 0, end, len);
      if (end < 0 || end > len) return sliceBytes(s, start, len, len);
      return sliceBytes(s, start, end, len);
    }),
    trunc: goFunc(['int', S], (c: number, s: string) => {
      const len = byteLen(s);
      if (c < 0 && len + c > 0) return byteSlice(s, len + c);
      if (c >= 0 && len > c) return byteSlice(s, 0, c);
      return s;
    }),
    abbrev: goFunc(['int', S], (w: number, s: string) => (w < 4 || [...s].length <= w ? s : [...s].slice(0, w - 3).join('') + '...')),
    initials: goFunc([S], (s: string) =>
      s
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => w[0])
        .join(''),
    ),
    plural: goFunc([S, S, 'int'], (one: string, many: string, n: number) => (n === 1 ? one : many)),
    wrap: goFunc(['int', S], (n: number, s: string) => wrapWords(s, n, '\n')),
    wrapWith: goFunc(['int', S, S], (n: number, sep: string, s: string) => wrapWords(s, n, sep)),
    snakecase: goFunc([S], (s: string) => camelToLower(s, '_')),
    kebabcase: goFunc([S], (s: string) => camelToLower(s, '-')),
    camelcase: goFunc([S], toCamelCase),
    split: goFunc([S, S], (sep: string, s: string) => {
      const out: Record<string, string> = {};
      goSplit(s, sep).forEach((p, i) => (out['_' + i] = p));
      return withGoType(out, 'map[string]string');
    }),
    splitn: goFunc([S, 'int', S], (sep: string, n: number, s: string) => {
      const parts = goSplit(s, sep);
      const cut = n > 0 && parts.length > n ? [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)] : n === 0 ? [] : parts;
      const out: Record<string, string> = {};
      cut.forEach((p, i) => (out['_' + i] = p));
      return withGoType(out, 'map[string]string');
    }),
    splitList: goFunc([S, S], (sep: string, s: string) => stringSlice(goSplit(s, sep))),
    regexMatch: goFunc([S, S], (re: string, s: string) => {
      try {
        return compileGoRegexp(re).test(s);
      } catch {
        return false;
      }
    }),
    mustRegexMatch: goFunc([S, S], (re: string, s: string) => compileGoRegexp(re).test(s)),
    regexFind: goFunc([S, S], (re: string, s: string) => compileGoRegexp(re, true).exec(s)?.[0] ?? ''),
    regexFindAll: goFunc([S, S, 'int'], (re: string, s: string, n: number) => stringSlice(findAll(re, s, n))),
    regexReplaceAll: goFunc([S, S, S], (re: string, s: string, repl: string) =>
      s.replace(compileGoRegexp(re, true, 'g'), (...m: unknown[]) => expandGoTemplate(repl, m)),
    ),
    regexReplaceAllLiteral: goFunc([S, S, S], (re: string, s: string, repl: string) => s.replace(compileGoRegexp(re, true, 'g'), () => repl)),
    regexSplit: goFunc([S, S, 'int'], (re: string, s: string, n: number) => stringSlice(regexSplit(re, s, n))),
    regexQuoteMeta: goFunc([S], (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')),
    toString: goFunc(['any'], strval),
  };
}

function goReplaceEmpty(s: string, n: string): string {
  const rs = [...s];
  return n + rs.map((c) => c + n).join('');
}

function sliceBytes(s: string, a: number, b: number, len: number): string {
  if (b > len) throw new Error(`runtime error: slice bounds out of range [:${b}] with length ${len}`);
  if (a > b || a < 0) throw new Error(`runtime error: slice bounds out of range [${a}:${b}]`);
  return byteSlice(s, a, b);
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(n, 0));
  return pad + s.split('\n').join('\n' + pad);
}

function findAll(re: string, s: string, n: number): string[] {
  const rx = compileGoRegexp(re, true, 'g');
  const out: string[] = [];
  for (const m of s.matchAll(rx)) {
    if (n >= 0 && out.length >= n) break;
    out.push(m[0]);
  }
  return out;
}

function regexSplit(re: string, s: string, n: number): string[] {
  if (n === 0) return [];
  const rx = compileGoRegexp(re, true, 'g');
  if (re.length > 0 && s.length === 0) return [''];
  // Regexp.Split, step by step (empty matches included).
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of s.matchAll(rx)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index!;
    const mEnd = end + m[0].length;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** goutils.WrapCustom with wrapLongWords=true, simplified to word wrapping at `width`. */
function wrapWords(s: string, width: number, sep: string): string {
  const w = Math.max(width, 1);
  const words = s.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const word of words) {
    if (cur === '') cur = word;
    else if (cur.length + 1 + word.length <= w) cur += ' ' + word;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  lines.push(cur);
  return lines.join(sep);
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
