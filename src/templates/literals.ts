/** Go literal syntax as the template parser reads it: strconv.Unquote, ParseInt, ParseFloat. */

/** strconv.Unquote for Go string, raw string and rune literals; undefined when malformed. */
export function unquoteGo(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0];
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c === q || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case "'":
      case '"':
        if (e !== q) return undefined;
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
        const v = parseInt(hex, 16);
        if (e === 'x') out += Buffer.from([v]).toString('latin1') === String.fromCharCode(v) && v < 0x80 ? String.fromCharCode(v) : String.fromCharCode(0xfffd);
        else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
          out += String.fromCodePoint(v);
        }
        i += n;
        break;
      }
      default: {
        const oct = (e ?? '') + body.slice(i, i + 2);
        if (!/^[0-7]{3}$/.test(oct)) return undefined;
        const v = parseInt(oct, 8);
        if (v > 255) return undefined;
        out += v < 0x80 ? String.fromCharCode(v) : String.fromCharCode(0xfffd);
        i += 2;
      }
    }
  }
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}

/** strconv.ParseInt(text, 0, 64), limited to what a JS number holds exactly. */
export function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2];
  if (body.includes('_')) {
    if (!/^0[xXoObB]?_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$|^[1-9][0-9]*(_[0-9]+)*$/.test(body)) return undefined;
    body = body.replace(/_/g, '');
  }
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body.slice(1), 8);
  else v = Number(body);
  if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return undefined;
  return m[1] === '-' ? -v : v;
}

export function parseGoFloat(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(t)) return Number(t);
  if (/^[+-]?0[xX]/.test(t)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
    if (!m) return undefined;
    const mant = parseInt((m[2] || '0') + (m[3] || ''), 16) / 16 ** (m[3]?.length ?? 0);
    const v = mant * 2 ** Number(m[4]);
    return m[1] === '-' ? -v : v;
  }
  return undefined;
}

/** End of the first (possibly escaped) character in a rune literal: strconv.UnquoteChar's extent. */
export function charEnd(text: string): number {
  if (text[1] !== '\\') return 1 + (text.codePointAt(1)! > 0xffff ? 2 : text.length > 1 && text[1] !== "'" ? 1 : 0);
  const e = text[2];
  if (e === 'x') return 5;
  if (e === 'u') return 7;
  if (e === 'U') return 11;
  if (e >= '0' && e <= '7') return 5;
  return 3;
}
