/** Go's time.Format layouts ("2006-01-02T15:04:05Z07:00"), for UTC instants. */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const TOKENS = [
  'January',
  'Monday',
  '2006',
  '-07:00:00',
  '-0700',
  '-07:00',
  'Z07:00:00',
  'Z07:00',
  'Z0700',
  'Jan',
  'Mon',
  'MST',
  '002',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '_2',
  '15',
  '-07',
  'Z07',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

export function formatGoTime(d: Date, layout: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    // fractional seconds: .000 / .999 (or with a comma)
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && (i === 0 || !/[0-9]/.test(layout[i - 1]) || layout.slice(i - 2, i) === '05')) {
      const n = frac[1].length;
      const ns = String(d.getUTCMilliseconds() * 1e6)
        .padStart(9, '0')
        .slice(0, n);
      if (frac[1][0] === '0') out += layout[i] + ns;
      else {
        const t = ns.replace(/0+$/, '');
        if (t) out += layout[i] + t;
      }
      i += frac[0].length;
      continue;
    }
    for (const tok of TOKENS) {
      if (!layout.startsWith(tok, i)) continue;
      if (tok === 'Jan' && layout.startsWith('January', i)) continue;
      if (tok === 'Mon' && layout.startsWith('Monday', i)) continue;
      const h = d.getUTCHours();
      switch (tok) {
        case 'January':
          out += MONTHS[d.getUTCMonth()];
          break;
        case 'Jan':
          out += MONTHS[d.getUTCMonth()].slice(0, 3);
          break;
        case 'Monday':
          out += DAYS[d.getUTCDay()];
          break;
        case 'Mon':
          out += DAYS[d.getUTCDay()].slice(0, 3);
          break;
        case 'MST':
          out += 'UTC';
          break;
        case '2006':
          out += p(d.getUTCFullYear(), 4);
          break;
        case '06':
          out += p(d.getUTCFullYear() % 100);
          break;
        case '01':
          out += p(d.getUTCMonth() + 1);
          break;
        case '1':
          out += String(d.getUTCMonth() + 1);
          break;
        case '02':
          out += p(d.getUTCDate());
          break;
        case '_2':
          out += String(d.getUTCDate()).padStart(2, ' ');
          break;
        case '2':
          out += String(d.getUTCDate());
          break;
        case '002': {
          const start = Date.UTC(d.getUTCFullYear(), 0, 1);
          out += p(Math.floor((d.getTime() - start) / 86400000) + 1, 3);
          break;
        }
        case '15':
          out += p(h);
          break;
        case '03':
          out += p(h % 12 || 12);
          break;
        case '3':
          out += String(h % 12 || 12);
          break;
        case '04':
          out += p(d.getUTCMinutes());
          break;
        case '4':
          out += String(d.getUTCMinutes());
          break;
        case '05':
          out += p(d.getUTCSeconds());
          break;
        case '5':
          out += String(d.getUTCSeconds());
          break;
        case 'PM':
          out += h >= 12 ? 'PM' : 'AM';
          break;
        case 'pm':
          out += h >= 12 ? 'pm' : 'am';
          break;
        case '-0700':
          out += '+0000';
          break;
        case '-07:00':
          out += '+00:00';
          break;
        case '-07:00:00':
          out += '+00:00:00';
          break;
        case '-07':
          out += '+00';
          break;
        case 'Z0700':
        case 'Z07:00':
        case 'Z07:00:00':
        case 'Z07':
          out += 'Z';
          break;
      }
      i += tok.length;
      continue outer;
    }
    out += layout[i++];
  }
  return out;
}
