/**
 * A fast reader for the plain block YAML that stack manifests are nearly always written in, giving
 * exactly the values the full reader (yaml.ts, yaml-to-js.ts) gives, or NOT_SIMPLE when the text
 * uses anything outside its subset; the caller then reads it with the full reader, which also
 * produces every error. It never accepts a text that the full reader refuses.
 *
 * Why: a matrix leg finds its stack by name, and that reads every manifest of the repository;
 * the `yaml` package builds a token stream, a syntax tree and a document of nodes before we turn
 * those into values, about 1.5 MB/s in a fresh process. This reads lines and builds the values
 * directly, an order of magnitude faster. See docs/yaml.md ("Two readers").
 *
 * The subset: block maps and sequences (a map's sequence value may sit at the map's own
 * indentation, a sequence item may hold a compact map), one-line plain, single- and double-quoted
 * scalars, one-line flow sequences of scalars, `[]`, `{}`, local tags on one-line scalars
 * (`!env FOO`), comments, and one leading `---`. Anything else is NOT_SIMPLE: anchors, aliases,
 * merge keys, `!append` and other tags on collections, block scalars (`|`, `>`), multi-line
 * scalars and flow collections, flow maps, `?` keys, directives, more documents, tabs, carriage
 * returns and other control characters, duplicate keys, and every indentation the rules above do
 * not cover. test/unit/yaml-fast.test.ts compares both readers on the repository's YAML, on
 * generated repositories and on random documents.
 *
 * Longer than 300 lines on purpose: it is one grammar (lines, keys, scalars, flow lists, escapes,
 * the core schema), whose pieces only make sense together.
 */

/** The answer when the text needs the full reader. */
export const NOT_SIMPLE: unique symbol = Symbol('not simple YAML');

/** Thrown inside the reader and caught at its entry: one allocation for every fallback. */
const UNSUPPORTED = { unsupported: true };

/** Characters that send a whole text to the full reader: tabs, CR, other C0/C1 controls, BOM, U+2028/9, non-characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNSAFE_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

export function parseSimpleYaml(text: string, knownTags?: ReadonlySet<string>): unknown {
  if (UNSAFE_CHARS.test(text)) return NOT_SIMPLE;
  try {
    return new BlockReader(text, knownTags).document();
  } catch (e) {
    if (e === UNSUPPORTED) return NOT_SIMPLE;
    throw e;
  }
}

function unsupported(): never {
  throw UNSUPPORTED;
}

class BlockReader {
  private readonly lines: string[];
  /** The current line with content, its indentation (or the column of a compact map's first key) and where its content starts. */
  private i = 0;
  private indent = 0;
  private col = 0;

  /** `knownTags`: a tag outside it is left to the full reader, whose error names it with its line. */
  constructor(
    text: string,
    private readonly knownTags?: ReadonlySet<string>,
  ) {
    this.lines = text.split('\n');
  }

  document(): unknown {
    this.next(0, true);
    if (this.indent === 0 && isMarker(this.lines[this.i]!, '---')) {
      if (!onlyComment(this.lines[this.i]!, 3)) unsupported();
      this.next(this.i + 1, false);
    }
    if (this.indent < 0) return null;
    const value = this.block(this.indent);
    if (this.indent >= 0) unsupported();
    return value;
  }

  /** Moves to the first line with content at or after `from`; indent -1 at the end of the text. */
  private next(from: number, first = false): void {
    const lines = this.lines;
    for (let i = from; i < lines.length; i++) {
      const s = lines[i]!;
      let c = 0;
      while (s.charCodeAt(c) === SPACE) c++;
      if (c === s.length || s.charCodeAt(c) === HASH) continue;
      // `---` / `...` at the start of a line end the document: a second document, or a stray marker.
      if (c === 0 && !first && (isMarker(s, '---') || isMarker(s, '...'))) unsupported();
      this.i = i;
      this.indent = c;
      this.col = c;
      return;
    }
    this.i = lines.length;
    this.indent = -1;
  }

  /** The block collection that starts on the current line, at indentation `n`. */
  private block(n: number): unknown {
    return isSeqItem(this.lines[this.i]!, this.col) ? this.seq(n) : this.map(n);
  }

  private map(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const s = this.lines[this.i]!;
      const { key, end } = readKey(s, this.col);
      if (Object.prototype.hasOwnProperty.call(out, key)) unsupported(); // a duplicate: the full reader names its line
      const p = skipSpaces(s, end);
      let value: unknown;
      if (p === s.length || s.charCodeAt(p) === HASH) {
        this.next(this.i + 1);
        if (this.indent > n) value = this.block(this.indent);
        else if (this.indent === n && isSeqItem(this.lines[this.i]!, this.col)) value = this.seq(n);
        else value = null;
      } else {
        value = inlineValue(s, p, this.knownTags);
        this.next(this.i + 1);
      }
      // The same rule as yaml-to-js.ts: `__proto__` and other inherited names become own keys.
      if (key in out) Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
      if (this.indent < n) return out;
      if (this.indent > n || isSeqItem(this.lines[this.i]!, this.col)) unsupported();
    }
  }

  private seq(n: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const s = this.lines[this.i]!;
      const p = skipSpaces(s, this.col + 1);
      let value: unknown;
      if (p === s.length || s.charCodeAt(p) === HASH) {
        this.next(this.i + 1);
        value = this.indent > n ? this.block(this.indent) : null;
      } else if (isSeqItem(s, p)) {
        unsupported(); // `- - a`
      } else if (isKeyLine(s, p)) {
        this.indent = p;
        this.col = p;
        value = this.map(p);
      } else {
        value = inlineValue(s, p, this.knownTags);
        this.next(this.i + 1);
      }
      out.push(value);
      if (this.indent < n) return out;
      if (this.indent > n) unsupported();
      if (!isSeqItem(this.lines[this.i]!, this.col)) return out; // a key of the map this sequence is the value of
    }
  }
}

function isMarker(s: string, marker: string): boolean {
  return s.startsWith(marker) && (s.length === 3 || s.charCodeAt(3) === SPACE);
}

function onlyComment(s: string, from: number): boolean {
  const p = skipSpaces(s, from);
  return p === s.length || (s.charCodeAt(p) === HASH && p > from);
}

function skipSpaces(s: string, p: number): number {
  while (s.charCodeAt(p) === SPACE) p++;
  return p;
}

function isSeqItem(s: string, c: number): boolean {
  return s.charCodeAt(c) === DASH && (c + 1 === s.length || s.charCodeAt(c + 1) === SPACE);
}

/** After a scalar: spaces, then the end of the line or a comment. */
function expectEnd(s: string, p: number): void {
  const q = skipSpaces(s, p);
  if (q !== s.length && !(s.charCodeAt(q) === HASH && q > p)) unsupported();
}

/** Characters that cannot start a plain scalar here (or would start something else). */
function badPlainStart(s: string, p: number): boolean {
  switch (s[p]) {
    case '[':
    case ']':
    case '{':
    case '}':
    case ',':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case "'":
    case '"':
    case '%':
    case '@':
    case '`':
      return true;
    case '-':
    case '?':
    case ':': {
      const next = s.charCodeAt(p + 1);
      return p + 1 === s.length || next === SPACE;
    }
    default:
      return false;
  }
}

/** Whether `s` from `p` is `key: …` (a compact map in a sequence item) rather than a scalar. */
function isKeyLine(s: string, p: number): boolean {
  const ch = s[p];
  if (ch === '"' || ch === "'") {
    const q = quotedEnd(s, p);
    return s.charCodeAt(q) === COLON && (q + 1 === s.length || s.charCodeAt(q + 1) === SPACE);
  }
  if (ch === '[' || ch === '{') return false;
  return plainKeyEnd(s, p) >= 0;
}

/** The colon that ends a plain key starting at `p`, or -1 when the line holds no `key:` before a comment. */
function plainKeyEnd(s: string, p: number): number {
  const hash = s.indexOf(' #', p);
  for (let k = s.indexOf(':', p); k !== -1; k = s.indexOf(':', k + 1)) {
    if (hash !== -1 && hash < k) return -1;
    if (k + 1 === s.length || s.charCodeAt(k + 1) === SPACE) return k;
  }
  return -1;
}

/** Longest implicit key the full reader accepts is 1024 characters; stay well inside. */
const MAX_KEY = 1000;

function readKey(s: string, c: number): { key: string; end: number } {
  const ch = s[c];
  if (ch === '"' || ch === "'") {
    const q = quotedEnd(s, c);
    if (s.charCodeAt(q) !== COLON || !(q + 1 === s.length || s.charCodeAt(q + 1) === SPACE) || q - c > MAX_KEY) unsupported();
    return { key: quoted(s, c, q), end: q + 1 };
  }
  if (badPlainStart(s, c)) unsupported();
  const k = plainKeyEnd(s, c);
  if (k < 0 || k - c > MAX_KEY || s.charCodeAt(k - 1) === SPACE) unsupported();
  const raw = s.slice(c, k);
  if (raw === '<<' || /[[\]{}]/.test(raw)) unsupported();
  const v = plainValue(raw);
  return { key: v === null ? '' : String(v), end: k + 1 };
}

/** A value written on the rest of the line from `p`: a scalar, a flow sequence of scalars, `{}`, or a tagged scalar. */
function inlineValue(s: string, p: number, knownTags: ReadonlySet<string> | undefined): unknown {
  const ch = s[p];
  if (ch === '"' || ch === "'") {
    const q = quotedEnd(s, p);
    expectEnd(s, q);
    return quoted(s, p, q);
  }
  if (ch === '[') return flowSeq(s, p);
  if (ch === '{') {
    const q = skipSpaces(s, p + 1);
    if (s[q] !== '}') unsupported();
    expectEnd(s, q + 1);
    return {};
  }
  if (ch === '!') return tagged(s, p, knownTags);
  if (badPlainStart(s, p)) unsupported();
  return plainValue(blockPlain(s, p));
}

/** A one-line plain scalar in block context: up to a comment, trailing spaces trimmed; `: ` inside would make it a map. */
function blockPlain(s: string, p: number): string {
  const hash = s.indexOf(' #', p);
  let end = hash === -1 ? s.length : hash;
  for (let k = s.indexOf(':', p); k !== -1 && k < end; k = s.indexOf(':', k + 1)) {
    if (k + 1 === s.length || s.charCodeAt(k + 1) === SPACE) unsupported();
  }
  while (end > p && s.charCodeAt(end - 1) === SPACE) end--;
  return s.slice(p, end);
}

/** `!name value`: the string "!name value" (how Atmos holds a YAML function), as yaml-to-js.ts gives it. */
function tagged(s: string, p: number, knownTags: ReadonlySet<string> | undefined): string {
  let q = p + 1;
  while (q < s.length && /[A-Za-z0-9_.\-/]/.test(s[q]!)) q++;
  const tag = s.slice(p, q);
  if (q === p + 1 || tag === '!append' || s.charCodeAt(q) !== SPACE || (knownTags && !knownTags.has(tag))) unsupported();
  const r = skipSpaces(s, q);
  if (r === s.length || s.charCodeAt(r) === HASH) unsupported(); // a tag on an empty value or on a collection below
  let text: string;
  const ch = s[r];
  if (ch === '"' || ch === "'") {
    const end = quotedEnd(s, r);
    expectEnd(s, end);
    text = quoted(s, r, end);
  } else {
    if (badPlainStart(s, r)) unsupported();
    text = blockPlain(s, r);
  }
  return text === '' ? tag : `${tag} ${text}`;
}

/** `[a, "b", 1]` on one line, scalars only. */
function flowSeq(s: string, p: number): unknown[] {
  const out: unknown[] = [];
  let j = skipSpaces(s, p + 1);
  if (s[j] === ']') {
    expectEnd(s, j + 1);
    return out;
  }
  for (;;) {
    const ch = s[j];
    if (ch === '"' || ch === "'") {
      const q = quotedEnd(s, j);
      out.push(quoted(s, j, q));
      j = skipSpaces(s, q);
    } else {
      if (badPlainStart(s, j)) unsupported();
      let e = j;
      for (; e < s.length; e++) {
        const c = s[e];
        if (c === ',' || c === ']') break;
        if (c === ':' || c === '[' || c === '{' || c === '}' || (c === '#' && s.charCodeAt(e - 1) === SPACE)) unsupported();
      }
      let end = e;
      while (end > j && s.charCodeAt(end - 1) === SPACE) end--;
      if (end === j) unsupported();
      out.push(plainValue(s.slice(j, end)));
      j = e;
    }
    if (s[j] === ',') {
      j = skipSpaces(s, j + 1);
      if (s[j] === ']' || j === s.length) unsupported(); // a trailing comma, or the sequence goes on on the next line
      continue;
    }
    if (s[j] !== ']') unsupported();
    expectEnd(s, j + 1);
    return out;
  }
}

/** Index just after the closing quote of the one-line quoted scalar at `p`. */
function quotedEnd(s: string, p: number): number {
  const quote = s[p];
  for (let q = p + 1; q < s.length; q++) {
    const c = s[q];
    if (quote === '"' && c === '\\') q++;
    else if (c === quote) {
      if (quote === "'" && s[q + 1] === "'") q++;
      else return q + 1;
    }
  }
  return unsupported(); // it goes on on the next line
}

/** The value of the quoted scalar `s[p, end)`. */
function quoted(s: string, p: number, end: number): string {
  const body = s.slice(p + 1, end - 1);
  if (s[p] === "'") return body.includes("''") ? body.replace(/''/g, "'") : body;
  return body.includes('\\') ? unescape(body) : body;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) unsupported();
    const simple = ESCAPES[e];
    if (simple !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
      out += simple;
      continue;
    }
    const length = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = body.substr(i + 1, length);
    if (length === 0 || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) unsupported();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) unsupported();
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}

/** The YAML 1.2 core schema, in the full reader's order: null, bool, int (octal, decimal, hex), float (.nan/.inf, exponent, plain). */
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const INT_HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema. Only a few first characters can start anything but a string. */
export function plainValue(raw: string): unknown {
  const c = raw.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT_OCT_RE.test(raw)) return parseInt(raw.substring(2), 8);
    if (INT_RE.test(raw)) return parseInt(raw, 10);
    if (INT_HEX_RE.test(raw)) return parseInt(raw.substring(2), 16);
    if (FLOAT_NAN_RE.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP_RE.test(raw) || FLOAT_RE.test(raw)) return parseFloat(raw);
    return raw;
  }
  if (c === 126 || c === 110 || c === 78) return NULL_RE.test(raw) ? null : raw;
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL_RE.test(raw) ? raw.charCodeAt(0) === 116 || raw.charCodeAt(0) === 84 : raw;
  return raw;
}
