/** strconv.Unquote for Go string, raw string and rune literals; undefined when malformed. */
export function unquoteGo(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0];
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; ) {
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
