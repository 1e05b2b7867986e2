/** Case conversions: Go's strings.Title and huandu/xstrings' camel/snake/kebab case (as Sprig uses them). */

const isSpace = (c: string) => /^\s$/u.test(c);
const isLetter = (c: string) => /^\p{L}$/u.test(c);
export const isUpper = (c: string) => /^\p{Lu}$/u.test(c);
const isNumber = (c: string) => /^\p{N}$/u.test(c);
const isPunct = (c: string) => /^\p{P}$/u.test(c);
const isConnector = (c: string) => c === '-' || c === '_' || isSpace(c);

/** strings.Title: upper-case the first letter of each word. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /^[A-Za-z0-9_]$/.test(prev) ? false : prev.codePointAt(0)! <= 0x7f ? true : isLetter(prev) || /^\p{Nd}$/u.test(prev) ? false : isSpace(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

export function toCamelCase(str: string): string {
  const rs = [...str];
  if (rs.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < rs.length;) {
    r0 = rs[i++];
    if (!isConnector(r0)) {
      r0 = r0.toUpperCase();
      break;
    }
    out += r0;
  }
  if (i >= rs.length) return out + (isConnector(r0) ? '' : r0);
  while (i < rs.length) {
    const r1 = r0;
    r0 = rs[i++];
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = r0.toUpperCase();
    else {
      r0 = r0.toLowerCase();
      out += r1;
    }
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

function nextWord(rs: string[], at: number): [WordType, string, number] {
  if (at >= rs.length) return ['invalid', '', at];
  let i = at;
  const r = rs[i++];
  let wt: WordType;
  if (isConnector(r)) {
    wt = 'connector';
    while (i < rs.length && isConnector(rs[i])) i++;
  } else if (isPunct(r)) {
    wt = 'punct';
    while (i < rs.length && isPunct(rs[i])) i++;
  } else if (isUpper(r)) {
    wt = 'upper';
    if (i < rs.length) {
      if (isUpper(rs[i])) {
        while (i < rs.length && isUpper(rs[i])) i++;
        if (i < rs.length && isLetter(rs[i])) i--;
      } else if (isLetter(rs[i])) {
        while (i < rs.length && isLetter(rs[i]) && !isUpper(rs[i])) i++;
      }
    }
  } else if (isLetter(r)) {
    wt = 'alphabet';
    while (i < rs.length && isLetter(rs[i]) && !isUpper(rs[i])) i++;
  } else if (isNumber(r)) {
    wt = 'number';
    while (i < rs.length && isNumber(rs[i])) i++;
  } else {
    wt = 'other';
    while (i < rs.length && !(isConnector(rs[i]) || isLetter(rs[i]) || isNumber(rs[i]) || isPunct(rs[i]))) i++;
  }
  return [wt, rs.slice(at, i).join(''), i];
}

function lowerWord(wt: WordType, s: string, connector: string): string {
  if (wt !== 'upper' && wt !== 'connector') return s;
  return [...s].map((c) => (isConnector(c) ? connector : c.toLowerCase())).join('');
}

/** xstrings camelCaseToLowerCase (snakecase, kebabcase). */
export function camelToLower(str: string, connector: string): string {
  const rs = [...str];
  if (rs.length === 0) return '';
  let out = '';
  let [wt, word, pos] = nextWord(rs, 0);
  const more = () => pos < rs.length;
  while (more()) {
    if (wt !== 'connector') out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    [wt, word, pos] = nextWord(rs, pos);
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          out += lowerWord(wt, word, connector);
          [wt, word, pos] = nextWord(rs, pos);
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        out += lowerWord(prev, last, connector);
        break;
      case 'punct':
        break;
      default: {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (!more()) break;
        const lastNum = word;
        [wt, word, pos] = nextWord(rs, pos);
        if (wt !== 'alphabet') {
          out += lowerWord('number', lastNum, connector);
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        out += connector + lowerWord('number', lastNum, connector);
        while (wt === 'alphabet' || wt === 'number') {
          out += lowerWord(wt, word, connector);
          [wt, word, pos] = nextWord(rs, pos);
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
      }
    }
  }
  return out + lowerWord(wt, word, connector);
}
