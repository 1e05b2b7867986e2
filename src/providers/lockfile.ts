/**
 * A strict reader of terraform's dependency lock file (`.terraform.lock.hcl`). It understands
 * exactly what terraform writes, plus what HCL allows a person to add by hand (comments `#`, `//`
 * and block comments, trailing commas, blank lines, one-line blocks), and refuses anything else
 * with `file:line`: guessing at a lock file would let the provider store trust the wrong package.
 *
 *   provider "registry.terraform.io/hashicorp/aws" {
 *     version     = "6.2.0"
 *     constraints = "~> 6.0"
 *     hashes = [
 *       "h1:...",
 *       "zh:...",
 *     ]
 *   }
 */
import fs from 'node:fs';
import { AtmosError } from '../util/errors.js';
import { checkProviderVersion, formatProviderAddress, parseProviderAddress, type ProviderAddress } from './layout.js';

export interface LockedProvider {
  address: ProviderAddress;
  /** `host/namespace/type` as written (already in normal form). */
  source: string;
  version: string;
  /** The version constraints recorded for information (terraform does not decide with them). */
  constraints?: string;
  /** `h1:` and `zh:` hashes in file order; hashes of other schemes are kept as written. */
  hashes: string[];
  /** Line of the `provider` block. */
  line: number;
}

type Token =
  | { kind: 'ident'; text: string; line: number }
  | { kind: 'string'; text: string; line: number }
  | { kind: '{' | '}' | '[' | ']' | '=' | ',' | 'newline' | 'eof'; text: string; line: number };

class LockFileError extends AtmosError {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`, { file, line });
    this.name = 'LockFileError';
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'newline') return 'a line break';
  return t.kind === 'string' ? `the string ${JSON.stringify(t.text)}` : JSON.stringify(t.text);
}

// ─── lexer ─────────────────────────────────────────────────────────────────────────────────────

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new LockFileError(file, line, msg);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated /* comment');
      for (let k = i; k < end; k++) if (text[k] === '\n') line++;
      i = end + 2;
    } else if ('{}[]=,'.includes(c)) {
      tokens.push({ kind: c as '{', text: c, line });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256))!;
      tokens.push({ kind: 'ident', text: m[0], line });
      i += m[0].length;
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined || d === '\n') fail('unterminated string');
        if (d === '"') break;
        if (d === '\\') {
          const e = text[i + 1] ?? '';
          if (e in ESCAPES) {
            value += ESCAPES[e];
            i += 2;
          } else if (e === 'u' || e === 'U') {
            const len = e === 'u' ? 4 : 8;
            const hex = text.slice(i + 2, i + 2 + len);
            const cp = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : NaN;
            if (!(cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) fail(`invalid escape \\${e}${hex}`);
            value += String.fromCodePoint(cp);
            i += 2 + len;
          } else fail(`unsupported escape \\${e} in a string`);
        } else if ((d === '$' || d === '%') && text[i + 1] === '{') {
          fail(`template sequence ${d}{ in a string: a lock file holds literal strings only`);
        } else if ((d === '$' || d === '%') && text[i + 1] === d && text[i + 2] === '{') {
          value += `${d}{`; // $${ and %%{ are HCL's escapes for a literal ${ and %{
          i += 3;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', text: value, line });
      i++;
    } else {
      fail(`unexpected ${JSON.stringify(c)}; a lock file holds only provider blocks of quoted strings and lists of them`);
    }
  }
  tokens.push({ kind: 'eof', text: '', line });
  return tokens;
}

// ─── parser ────────────────────────────────────────────────────────────────────────────────────

const H1 = /^h1:[A-Za-z0-9+/]{43}=$/;
const ZH = /^zh:[0-9a-f]{64}$/;
const OTHER_SCHEME = /^[a-z][a-z0-9]*:\S+$/;

function checkHash(h: string, file: string, line: number): string {
  if (h.startsWith('h1:') ? H1.test(h) : h.startsWith('zh:') ? ZH.test(h) : OTHER_SCHEME.test(h)) return h;
  throw new LockFileError(file, line, `${JSON.stringify(h)} is not a package hash ("h1:<base64>" or "zh:<hex>")`);
}

/** Parses the text of a `.terraform.lock.hcl`; `file` names it in errors. */
export function parseLockFile(text: string, file: string): LockedProvider[] {
  const tokens = tokenize(text, file);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const fail = (t: Token, msg: string): never => {
    throw new LockFileError(file, t.line, msg);
  };
  const expect = (kind: Token['kind'], what: string): Token => {
    const t = next();
    return t.kind === kind ? t : fail(t, `expected ${what}, found ${describe(t)}`);
  };
  const skipNewlines = () => {
    while (peek().kind === 'newline') pos++;
  };

  const providers: LockedProvider[] = [];
  const seen = new Map<string, number>();
  for (skipNewlines(); peek().kind !== 'eof'; skipNewlines()) {
    const head = next();
    if (head.kind !== 'ident' || head.text !== 'provider') {
      fail(head, `expected a provider block, found ${describe(head)} (this reader knows only provider blocks)`);
    }
    const label = expect('string', 'the provider address in quotes');
    let address: ProviderAddress;
    try {
      address = parseProviderAddress(label.text);
    } catch (e) {
      return fail(label, (e as Error).message);
    }
    const source = formatProviderAddress(address);
    if (seen.has(source)) fail(label, `provider ${JSON.stringify(source)} is locked twice (first at line ${seen.get(source)})`);
    seen.set(source, head.line);
    expect('{', '"{"');

    const attrs = new Map<string, { value: string | string[]; line: number }>();
    for (skipNewlines(); peek().kind !== '}'; skipNewlines()) {
      const name = expect('ident', 'an attribute name or "}"');
      if (!['version', 'constraints', 'hashes'].includes(name.text)) {
        fail(name, `unknown attribute ${JSON.stringify(name.text)} in a provider block (known: version, constraints, hashes)`);
      }
      if (attrs.has(name.text)) fail(name, `${name.text} is set twice in this provider block`);
      expect('=', `"=" after ${name.text}`);
      let value: string | string[];
      if (name.text === 'hashes') {
        expect('[', 'a list of hashes in [...]');
        value = [];
        for (skipNewlines(); peek().kind !== ']'; skipNewlines()) {
          const h = expect('string', 'a quoted hash or "]"');
          value.push(checkHash(h.text, file, h.line));
          skipNewlines();
          if (peek().kind !== ']') expect(',', '"," or "]" after a hash');
        }
        next();
      } else {
        value = expect('string', `a quoted string for ${name.text}`).text;
      }
      attrs.set(name.text, { value, line: name.line });
      const end = peek();
      if (end.kind !== 'newline' && end.kind !== '}') fail(end, `expected a line break after ${name.text}, found ${describe(end)}`);
    }
    next(); // }
    const after = peek();
    if (after.kind !== 'newline' && after.kind !== 'eof') fail(after, `expected a line break after the provider block, found ${describe(after)}`);

    const version = attrs.get('version');
    if (!version) fail(head, `provider ${JSON.stringify(source)} has no version`);
    try {
      checkProviderVersion(version!.value as string);
    } catch (e) {
      throw new LockFileError(file, version!.line, (e as Error).message);
    }
    const constraints = attrs.get('constraints')?.value as string | undefined;
    providers.push({
      address,
      source,
      version: version!.value as string,
      ...(constraints === undefined ? {} : { constraints }),
      hashes: (attrs.get('hashes')?.value as string[] | undefined) ?? [],
      line: head.line,
    });
  }
  return providers;
}

/** Reads and parses a lock file; a missing file is an error (the caller decides if it may be absent). */
export async function readLockFile(file: string): Promise<LockedProvider[]> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new AtmosError(`cannot read the lock file ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  return parseLockFile(text, file);
}
