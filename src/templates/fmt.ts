/**
 * Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) over the value model in values.ts: `%v` of
 * maps (`map[a:1 b:2]`, sorted keys), slices (`[a b]`), nil (`<nil>`), floats in Go's shortest `%g`
 * (`1e+06`), and the inline error forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA ...)`).
 */
import { formatE, formatF, formatG, formatHexFloat, goQuote, goQuoteRune } from './numfmt.js';
import { goTypeName, kindOf, mapGet, mapKeys, numValue } from './values.js';

export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid?: number;
  prec?: number;
}
export const noFlags: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false };

/** `fmt.Sprint`: operands joined, with a space between two operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const isString = typeof args[i] === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') out += ' ';
    out += formatArg(args[i], 'v', noFlags);
  }
  return out;
}

/** `fmt.Sprintln`: operands always space-separated, then a newline. */
export function sprintln(args: unknown[]): string {
  return args.map((a) => formatArg(a, 'v', noFlags)).join(' ') + '\n';
}

/** `%v` of one value, as `{{ . }}` prints it. */
export function formatValue(v: unknown): string {
  return formatArg(v, 'v', noFlags);
}

function pad(s: string, f: Flags, zeroOk = true): string {
  if (f.wid === undefined) return s;
  const n = f.wid - [...s].length;
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero && zeroOk ? '0' : ' ').repeat(n) + s;
}

export function badVerb(v: unknown, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatArg(v, 'v', noFlags)})`;
}

/** Pads a signed number: with the zero flag the sign goes before the zeros. */
function padNumber(body: string, negative: boolean, f: Flags, zeroOk: boolean): string {
  const sign = negative ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  if (f.zero && zeroOk && !f.minus && f.wid !== undefined && f.wid > body.length + sign.length) {
    return sign + '0'.repeat(f.wid - body.length - sign.length) + body;
  }
  return pad(sign + body, { ...f, zero: false });
}

const INT_BASES: Record<string, number> = { v: 10, d: 10, b: 2, o: 8, O: 8, x: 16, X: 16 };

function formatInt(v: unknown, verb: string, f: Flags): string {
  const n = numValue(v);
  const base = INT_BASES[verb];
  if (!base) return formatRune(v, n, verb, f);
  const negative = n < 0;
  const abs = Math.abs(n);
  // (JavaScript switches to exponent notation at 1e21; Go integers never do)
  const digits = abs >= 1e21 ? BigInt(abs).toString(base) : abs.toString(base);
  let body = verb === 'X' ? digits.toUpperCase() : digits;
  if (f.prec !== undefined) {
    if (f.prec === 0 && abs === 0) body = '';
    body = body.padStart(f.prec, '0');
  }
  if (f.sharp) {
    if (verb === 'x') body = '0x' + body;
    else if (verb === 'X') body = '0X' + body;
    else if (verb === 'o' && !body.startsWith('0')) body = '0' + body;
    else if (verb === 'b') body = '0b' + body;
  }
  if (verb === 'O') body = '0o' + body;
  return padNumber(body, negative, f, f.prec === undefined);
}

/** %c, %q and %U of an integer (a rune). */
function formatRune(v: unknown, n: number, verb: string, f: Flags): string {
  switch (verb) {
    case 'c':
      return pad(String.fromCodePoint(n), f, false);
    case 'q':
      return pad(goQuoteRune(n), f, false);
    case 'U': {
      const hex = Math.abs(n).toString(16).toUpperCase().padStart(4, '0');
      return pad(f.sharp ? `U+${hex} '${String.fromCodePoint(n)}'` : `U+${hex}`, f, false);
    }
    default:
      return badVerb(v, verb);
  }
}

function formatFloat(v: unknown, verb: string, f: Flags): string {
  const x = numValue(v);
  if (Number.isNaN(x) || !Number.isFinite(x)) {
    // Go keeps the sign of +Inf but drops it from NaN unless a flag asks for one.
    const shown = Number.isNaN(x) ? (f.plus ? '+NaN' : f.space ? ' NaN' : 'NaN') : x < 0 ? '-Inf' : f.space && !f.plus ? ' Inf' : '+Inf';
    return pad(shown, { ...f, zero: false });
  }
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let body: string;
  switch (verb) {
    case 'v':
    case 'g':
      body = formatG(abs, f.prec ?? -1, f.sharp);
      break;
    case 'G':
      body = formatG(abs, f.prec ?? -1, f.sharp).toUpperCase();
      break;
    case 'e':
      body = formatE(abs, f.prec ?? 6);
      break;
    case 'E':
      body = formatE(abs, f.prec ?? 6).toUpperCase();
      break;
    case 'f':
    case 'F':
      body = formatF(abs, f.prec ?? 6);
      break;
    case 'x':
    case 'X':
      body = formatHexFloat(abs, f.prec ?? -1);
      if (verb === 'X') body = body.toUpperCase();
      break;
    default:
      return badVerb(v, verb);
  }
  return padNumber(body, negative, f, true);
}

function formatString(s: string, verb: string, f: Flags, orig: unknown): string {
  switch (verb) {
    case 'v':
    case 's': {
      const shown = f.prec !== undefined ? [...s].slice(0, f.prec).join('') : s;
      return pad(shown, f);
    }
    case 'q':
      return pad(f.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), f);
    case 'x':
    case 'X': {
      let hex = Buffer.from(s, 'utf8').toString('hex');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, f);
    }
    default:
      return badVerb(orig, verb);
  }
}

/** time.Time's String(), for UTC instants: `2024-01-01 00:00:00 +0000 UTC`. */
export function formatTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ms = d.getUTCMilliseconds();
  const frac = ms ? '.' + p(ms, 3).replace(/0+$/, '') : '';
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac} +0000 UTC`
  );
}

/** `%#v`: Go syntax for the value. */
function goSyntax(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'string':
      return goQuote(v as string);
    case 'slice':
      return `${goTypeName(v)}{${(v as unknown[]).map(goSyntax).join(', ')}}`;
    case 'map':
      return `${goTypeName(v)}{${mapKeys(v)
        .map((k) => `${goQuote(k)}:${goSyntax(mapGet(v, k))}`)
        .join(', ')}}`;
    default:
      return formatArg(v, 'v', noFlags);
  }
}

export function formatArg(v: unknown, verb: string, f: Flags, depth = 0): string {
  if (verb === 'T') return pad(goTypeName(v), f);
  if (verb === 'v' && f.sharp) return pad(goSyntax(v), { ...f, sharp: false });
  const kind = kindOf(v);
  switch (kind) {
    case 'invalid':
    case 'nil':
      if (depth > 0 || verb === 'v') return pad('<nil>', f);
      return badVerb(null, verb);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(v, verb);
    case 'int':
    case 'uint':
      return formatInt(v, verb, f);
    case 'float':
      return formatFloat(v, verb, f);
    case 'string':
      return formatString(v as string, verb, f, v);
    case 'slice': {
      const items = (v as unknown[]).map((e) => formatArg(e, verb, f, depth + 1));
      return `[${items.join(' ')}]`;
    }
    case 'map': {
      const parts = mapKeys(v).map((k) => `${formatArg(k, verb, f, depth + 1)}:${formatArg(mapGet(v, k), verb, f, depth + 1)}`);
      return `map[${parts.join(' ')}]`;
    }
    case 'time':
      return ['v', 's', 'q', 'x', 'X'].includes(verb) ? formatString(formatTime(v as Date), verb, f, v) : badVerb(v, verb);
    case 'func':
      return verb === 'v' || verb === 'p' ? pad('0x1', f) : badVerb(v, verb);
    case 'struct': {
      const s = v as { String?: () => string };
      if (typeof s.String === 'function' && ['v', 's', 'q'].includes(verb)) return formatString(s.String(), verb, f, v);
      const fields = Object.keys(v as object).map((k) => formatArg((v as Record<string, unknown>)[k], verb, f, depth + 1));
      return `{${fields.join(' ')}}`;
    }
  }
}
