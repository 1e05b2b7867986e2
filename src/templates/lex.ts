/**
 * The lexer of Go's text/template (text/template/parse/lex.go), as a function that returns the
 * item list instead of a goroutine feeding a channel. Trim markers (`{{- `, ` -}}`) and comments
 * are handled here, exactly where Go handles them.
 *
 * Longer than 300 lines on purpose: one state function per lexer state, as in lex.go, kept together
 * so the states' hand-offs read in one place.
 */

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'assign'
  | 'declare'
  | 'EOF'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS = new Set<ItemType>(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

export function isKeyword(t: ItemType): boolean {
  return KEYWORDS.has(t) || t === 'dot';
}

/** How Go prints an item in "unexpected ..." messages. */
export function itemString(i: Item): string {
  if (i.type === 'EOF') return 'EOF';
  if (i.type === 'error') return i.val;
  if (isKeyword(i.type)) return `<${i.val}>`;
  if ([...i.val].length > 10) return goQuoteShort(i.val);
  return JSON.stringify(i.val);
}

function goQuoteShort(s: string): string {
  // fmt's %.10q: quote the first 10 runes.
  return JSON.stringify([...s].slice(0, 10).join('')) + '...';
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string) => {
  if (c.length === 1 && c < '\x80') return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
  return /^[\p{L}\p{Nd}]$/u.test(c);
};

export interface LexOptions {
  leftDelim: string;
  rightDelim: string;
  emitComment: boolean;
  breakOK: boolean;
  continueOK: boolean;
}

export function lex(input: string, opts: LexOptions): Item[] {
  const items: Item[] = [];
  const ld = opts.leftDelim || '{{';
  const rd = opts.rightDelim || '}}';
  let pos = 0;
  let start = 0;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (type: ItemType) => {
    items.push({ type, pos: start, val: input.slice(start, pos), line: startLine });
    ignore();
  };
  const ignore = () => {
    startLine += count(input.slice(start, pos), '\n');
    start = pos;
  };
  const fail = (msg: string): false => {
    items.push({ type: 'error', pos: start, val: msg, line: startLine });
    return false;
  };
  const peek = () => (pos < input.length ? String.fromCodePoint(input.codePointAt(pos)!) : '');
  const next = () => {
    const c = peek();
    pos += c.length;
    return c;
  };
  const hasLeftTrim = (s: string, at: number) => s[at] === '-' && isSpace(s[at + 1] ?? '');
  const atRightDelim = (): [boolean, boolean] => {
    if (input[pos] !== undefined && isSpace(input[pos]) && input[pos + 1] === '-' && input.startsWith(rd, pos + 2)) return [true, true];
    if (input.startsWith(rd, pos)) return [true, false];
    return [false, false];
  };
  const leftTrimLength = (at: number) => {
    let n = at;
    while (n < input.length && isSpace(input[n])) n++;
    return n - at;
  };
  const atTerminator = () => {
    const c = peek();
    if (c === '' || isSpace(c) || '.,|:)('.includes(c)) return true;
    return rd !== '' && c === String.fromCodePoint(rd.codePointAt(0)!);
  };

  // Returns false on error (the error item is already emitted), true at EOF.
  const lexText = (): boolean => {
    for (;;) {
      const x = input.indexOf(ld, pos);
      if (x < 0) {
        pos = input.length;
        if (pos > start) emit('text');
        emit('EOF');
        return true;
      }
      if (x > start) {
        pos = x;
        let trim = 0;
        if (hasLeftTrim(input, x + ld.length)) {
          let j = pos;
          while (j > start && isSpace(input[j - 1])) j--;
          trim = pos - j;
        }
        pos -= trim;
        if (pos > start) emit('text');
        pos += trim;
        ignore();
      }
      if (!lexLeftDelim()) return false;
    }
  };

  const lexLeftDelim = (): boolean => {
    pos += ld.length;
    const trim = hasLeftTrim(input, pos);
    const after = trim ? 2 : 0;
    if (input.startsWith('/*', pos + after)) {
      pos += after;
      ignore();
      return lexComment();
    }
    emit('leftDelim');
    pos += after;
    ignore();
    parenDepth = 0;
    return lexInsideAction();
  };

  const lexComment = (): boolean => {
    pos += 2;
    const x = input.indexOf('*/', pos);
    if (x < 0) return fail('unclosed comment');
    pos = x + 2;
    const [delim, trim] = atRightDelim();
    if (!delim) return fail('comment ends before closing delimiter');
    if (opts.emitComment) emit('comment');
    if (trim) pos += 2;
    pos += rd.length;
    if (trim) pos += leftTrimLength(pos);
    ignore();
    return true;
  };

  const lexRightDelim = (): boolean => {
    const [, trim] = atRightDelim();
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += rd.length;
    emit('rightDelim');
    if (trim) {
      pos += leftTrimLength(pos);
      ignore();
    }
    return true;
  };

  const lexInsideAction = (): boolean => {
    for (;;) {
      const [delim] = atRightDelim();
      if (delim) {
        if (parenDepth === 0) return lexRightDelim();
        return fail('unclosed left paren');
      }
      const r = next();
      if (r === '') return fail('unclosed action');
      if (isSpace(r)) {
        pos -= r.length;
        let n = 0;
        while (isSpace(peek())) {
          next();
          n++;
        }
        // A space before a trim-marked right delimiter belongs to the delimiter.
        if (input[pos - 1] !== undefined && isSpace(input[pos - 1]) && input[pos] === '-' && input.startsWith(rd, pos + 1)) {
          pos--;
          if (n === 1) continue;
        }
        emit('space');
        continue;
      }
      if (r === '=') emit('assign');
      else if (r === ':') {
        if (next() !== '=') return fail('expected :=');
        emit('declare');
      } else if (r === '|') emit('pipe');
      else if (r === '"') {
        if (!lexQuoted('"', 'string', 'quoted string')) return false;
      } else if (r === '`') {
        const x = input.indexOf('`', pos);
        if (x < 0) return fail('unterminated raw quoted string');
        pos = x + 1;
        emit('rawString');
      } else if (r === '$') {
        if (!lexFieldOrVariable('variable')) return false;
      } else if (r === "'") {
        if (!lexQuoted("'", 'charConstant', 'character constant')) return false;
      } else if (r === '.' && pos < input.length && !(input[pos] >= '0' && input[pos] <= '9')) {
        if (!lexFieldOrVariable('field')) return false;
      } else if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        pos -= r.length;
        if (!scanNumber()) {
          return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        }
        emit('number');
      } else if (isAlphaNumeric(r)) {
        pos -= r.length;
        if (!lexIdentifier()) return false;
      } else if (r === '(') {
        emit('leftParen');
        parenDepth++;
      } else if (r === ')') {
        parenDepth--;
        emit('rightParen');
      } else if (r.codePointAt(0)! <= 0x7f && r.codePointAt(0)! >= 0x20 && r !== '\x7f') emit('char');
      else return fail(`unrecognized character in action: ${goRune(r)}`);
    }
  };

  const lexIdentifier = (): boolean => {
    while (isAlphaNumeric(peek())) next();
    if (!atTerminator()) return fail(`bad character ${goRune(peek())}`);
    const word = input.slice(start, pos);
    const kw = word as ItemType;
    if (KEYWORDS.has(kw) || word === '.') {
      if ((kw === 'break' && !opts.breakOK) || (kw === 'continue' && !opts.continueOK)) emit('identifier');
      else emit(kw);
    } else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return true;
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    while (isAlphaNumeric(peek())) next();
    if (!atTerminator()) return fail(`bad character ${goRune(peek())}`);
    emit(type);
    return true;
  };

  /** A quoted string or rune literal up to `close`; escapes may not hide a newline. */
  const lexQuoted = (close: string, type: 'string' | 'charConstant', what: string): boolean => {
    for (;;) {
      const r = next();
      if (r === '\\') {
        const n = next();
        if (n !== '' && n !== '\n') continue;
        return fail(`unterminated ${what}`);
      }
      if (r === '' || r === '\n') return fail(`unterminated ${what}`);
      if (r === close) break;
    }
    emit(type);
    return true;
  };

  const scanNumber = (): boolean => {
    const accept = (set: string) => {
      if (peek() !== '' && set.includes(peek())) {
        next();
        return true;
      }
      return false;
    };
    const acceptRun = (set: string) => {
      while (peek() !== '' && set.includes(peek())) next();
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (peek() !== '' && isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  lexText();
  return items;
}

function count(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/** fmt's %#U: `U+0021 '!'`. */
function goRune(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(r) ? `U+${hex} '${r}'` : `U+${hex}`;
}
