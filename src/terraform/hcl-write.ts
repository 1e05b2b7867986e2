/**
 * Plain values (strings, numbers, booleans, null, lists, maps) written as HCL, the way Atmos writes
 * the map form of `generate:` files with HashiCorp's `hclwrite` (docs/atmos-compatibility.md
 * §5.8): the same literal syntax and escapes, keys sorted, and hclwrite's formatter's layout
 * (two-space indent by bracket depth, `=` aligned across consecutive one-line attributes, a blank
 * line after each block).
 */

/** A labelled or unlabelled block: `type "label" … { attributes }`. */
export interface HclBlock {
  type: string;
  labels: string[];
  /** Attributes only: nested maps become object values, never blocks. */
  body: Record<string, unknown>;
}

/** One item of a file body, in the order written. */
export type HclItem = { attribute: string; value: unknown } | { block: HclBlock };

/** hclsyntax.ValidIdentifier: a letter or `_` first, then letters, digits, `_` and `-`. */
function isIdentifier(s: string): boolean {
  return /^[\p{L}_][\p{L}\p{N}_-]*$/u.test(s);
}

/** A quoted HCL string literal (hclwrite's escapes: `\n \r \t \" \\`, `${`/`%{` doubled, what Go's unicode.IsPrint rejects as \u). */
export function hclString(s: string): string {
  let out = '"';
  const chars = [...s];
  chars.forEach((c, i) => {
    if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if ((c === '$' || c === '%') && chars[i + 1] === '{') out += c + c;
    else if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(c) || (c !== ' ' && /\p{Zs}/u.test(c))) {
      const cp = c.codePointAt(0)!;
      out += cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += c;
  });
  return `${out}"`;
}

/** A number as Go's big.Float Text('f', -1): no exponent, shortest digits. */
function hclNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`${n} cannot be written as an HCL number`);
  const s = String(n);
  if (!s.includes('e')) return s;
  const [mantissa, exp] = s.split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const point = (mantissa.replace(/^-/, '').indexOf('.') + 1 || mantissa.replace(/^-/, '').length + 1) - 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The tokens of one value as text; a non-empty map spans lines (hclwrite's TokensForValue). */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number') return hclNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${isIdentifier(k) ? k : hclString(k)} = ${valueText(v[k])}\n`).join('')}}`;
  }
  throw new Error(`a ${typeof v} cannot be written as an HCL value`);
}

/** A file body: attributes and blocks in the order given, then hclwrite's formatting. */
export function hclFile(items: readonly HclItem[]): string {
  let text = '';
  for (const item of items) {
    if ('attribute' in item) {
      text += `${item.attribute} = ${valueText(item.value)}\n`;
    } else {
      const { type, labels, body } = item.block;
      text += `${[type, ...labels.map(hclString)].join(' ')} {\n`;
      for (const k of Object.keys(body).sort()) text += `${k} = ${valueText(body[k])}\n`;
      // hclwrite's AppendBlock adds a newline after every block.
      text += '}\n\n';
    }
  }
  return format(text);
}

/** Net bracket change of a line, strings skipped. */
function bracketChange(line: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') n++;
    else if (c === '}' || c === ']') n--;
  }
  return n;
}

/** Index of the attribute's `=` when the rest of the line is a whole expression (hclwrite's "assign" cell). */
function assignAt(line: string): number {
  const m = /^("(?:[^"\\]|\\.)*"|[^\s=]+) = /.exec(line);
  if (!m) return -1;
  const at = m[1]!.length + 1;
  return bracketChange(line.slice(at)) === 0 ? at : -1;
}

/** hclwrite's formatter for the lines built above: indent by the stack of opening lines, then align `=`. */
function format(text: string): string {
  const lines = text.split('\n').map((l) => l.trim());
  const indents: number[] = [];
  const indented = lines.map((line) => {
    if (line === '') return { line, depth: indents.length };
    const net = bracketChange(line);
    let depth: number;
    if (net > 0) {
      depth = indents.length;
      indents.push(net);
    } else if (net < 0) {
      let closed = -net;
      while (closed > 0 && indents.length) {
        const top = indents[indents.length - 1]!;
        if (closed >= top) {
          closed -= top;
          indents.pop();
        } else {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        }
      }
      depth = indents.length;
    } else depth = indents.length;
    return { line, depth };
  });
  // Align `=` across runs of consecutive lines that each hold a one-line attribute.
  const out = indented.map(({ line, depth }) => ({ text: line, depth, eq: line === '' ? -1 : assignAt(line) }));
  for (let i = 0; i < out.length;) {
    if (out[i]!.eq < 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j]!.eq >= 0) j++;
    const width = Math.max(...out.slice(i, j).map((l) => 2 * l.depth + l.eq - 1));
    for (const l of out.slice(i, j)) {
      const key = l.text.slice(0, l.eq - 1);
      l.text = `${key}${' '.repeat(width - 2 * l.depth - key.length + 1)}${l.text.slice(l.eq)}`;
      l.eq = -2;
    }
    i = j;
  }
  return out.map((l) => (l.text === '' ? '' : `${' '.repeat(2 * l.depth)}${l.text}`)).join('\n');
}
