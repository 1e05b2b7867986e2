/**
 * Go's `strconv` number and string formatting: shortest `%g` float printing (what `%v` prints:
 * `1e+06`, `2.5`), `%e`, `%f`, and `strconv.Quote`.
 */

interface Digits {
  /** significant decimal digits, no trailing zeros (at least "0") */
  d: string;
  /** position of the decimal point relative to the digits (123.4 → d "1234", dp 3) */
  dp: number;
}

/** The exact decimal value of a non-negative finite double (every double is a finite decimal). */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '0', dp: 1 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    const k = -exp;
    digits = (mant * 5n ** BigInt(k)).toString();
    dp = digits.length - k;
  }
  const trimmed = digits.replace(/0+$/, '');
  const lead = trimmed.length - trimmed.replace(/^0+/, '').length;
  return { d: trimmed.slice(lead) || '0', dp: dp - lead };
}

/** Rounds exact digits to `nd` significant digits, half to even on an exact tie (strconv's rule). */
function roundTo(g: Digits, nd: number): Digits {
  if (nd < 0) return { d: '0', dp: 1 };
  if (g.d.length <= nd) return g;
  const rest = g.d.slice(nd);
  let up = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || (nd > 0 && Number(g.d[nd - 1]) % 2 === 1)));
  if (nd === 0) up = rest[0] > '5' || (rest[0] === '5' && /[1-9]/.test(rest.slice(1)));
  let kept = g.d.slice(0, nd);
  let dp = g.dp;
  if (up) {
    const n = (BigInt(kept || '0') + 1n).toString();
    if (n.length > kept.length) dp++;
    kept = n;
  }
  kept = kept.replace(/0+$/, '');
  return kept ? { d: kept, dp } : { d: '0', dp: 1 };
}

/** Shortest round-trip digits of a non-negative finite number, or rounded to `sig` digits. */
function digitsOf(x: number, sig?: number): Digits {
  if (x === 0) return { d: '0', dp: 1 };
  if (sig !== undefined) return roundTo(exactDigits(x), sig);
  const [mant, exp] = x.toExponential().split('e');
  const d = mant.replace('.', '').replace(/0+$/, '') || '0';
  return { d, dp: Number(exp) + 1 };
}

function fmtE(g: Digits, prec: number): string {
  let s = g.d[0];
  if (prec > 0) s += '.' + g.d.slice(1, 1 + prec).padEnd(prec, '0');
  const exp = g.d === '0' ? 0 : g.dp - 1;
  const a = Math.abs(exp);
  return `${s}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

function fmtF(g: Digits, prec: number): string {
  let s = g.dp > 0 ? g.d.slice(0, g.dp).padEnd(g.dp, '0') || '0' : '0';
  if (s.length > 1) s = s.replace(/^0+(?=\d)/, '');
  if (prec > 0) {
    let frac = '';
    for (let i = 0; i < prec; i++) {
      const j = g.dp + i;
      frac += j >= 0 && j < g.d.length ? g.d[j] : '0';
    }
    s += '.' + frac;
  }
  return s;
}

/** strconv.FormatFloat(x, 'g', prec, 64) for x ≥ 0; prec -1 = shortest (what `%v` prints). */
export function formatG(x: number, prec: number, sharp = false): string {
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const g = shortest ? digitsOf(x) : digitsOf(x, p);
  if (shortest) p = g.d.length;
  let eprec = p;
  if (eprec > g.d.length && g.d.length >= g.dp) eprec = g.d.length;
  // Go: "if precision was the shortest possible, use precision 6 for this decision".
  if (shortest) eprec = 6;
  const exp = g.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (p > g.d.length) p = g.d.length;
    return fmtE(g, p - 1);
  }
  if (p > g.dp) p = g.d.length;
  const s = fmtF(g, Math.max(p - g.dp, 0));
  return sharp && !s.includes('.') ? s + '.' : s;
}

/** strconv.FormatFloat(x, 'e', prec, 64) for x ≥ 0. */
export function formatE(x: number, prec: number): string {
  return fmtE(digitsOf(x, prec + 1), prec);
}

/** strconv.FormatFloat(x, 'f', prec, 64) for x ≥ 0. */
export function formatF(x: number, prec: number): string {
  if (x === 0) return fmtF({ d: '0', dp: 1 }, prec);
  const g = exactDigits(x);
  return fmtF(roundTo(g, g.dp + prec), prec);
}

/** Float as Go's encoding/json writes it (the same as JavaScript's shortest form). */
export function formatJsonFloat(x: number): string {
  return String(x);
}

/** unicode.IsPrint: graphic characters plus the ASCII space (other spaces are escaped). */
function isPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

function escapeRune(cp: number, quote: string): string {
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
    case 0x5c:
      return '\\\\';
  }
  if (String.fromCodePoint(cp) === quote) return '\\' + quote;
  if (isPrintable(cp)) return String.fromCodePoint(cp);
  if (cp < 0x80) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** strconv.Quote: double-quoted with Go escapes; printable Unicode kept. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, '"');
  return out + '"';
}

/** strconv.QuoteRune. */
export function goQuoteRune(cp: number): string {
  return "'" + escapeRune(cp, "'") + "'";
}

/** strconv.FormatFloat(x, 'x', prec, 64) for x ≥ 0: `0x1.cp+01`. */
export function formatHexFloat(x: number, prec: number): string {
  if (x === 0) return '0x0' + (prec > 0 ? '.' + '0'.repeat(prec) : '') + 'p+00';
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) {
    // subnormal: normalise
    exp = -1022;
    while (!(mant & (1n << 52n))) {
      mant <<= 1n;
      exp--;
    }
    mant &= (1n << 52n) - 1n;
  } else exp -= 1023;
  let frac = mant.toString(16).padStart(13, '0');
  if (prec < 0) frac = frac.replace(/0+$/, '');
  else if (prec < 13) {
    // round half to even on the hex digits
    const full = (1n << 52n) | mant;
    const shift = BigInt((13 - prec) * 4);
    let kept = full >> shift;
    const rem = full & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && kept & 1n)) kept++;
    if (kept >> BigInt(prec * 4 + 1)) {
      kept >>= 1n;
      exp++;
    }
    frac = prec ? (kept & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, '0') : '';
  } else frac = frac.padEnd(prec, '0');
  const e = Math.abs(exp);
  return `0x1${frac ? '.' + frac : ''}p${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}
