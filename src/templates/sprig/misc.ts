/** Sprig's conversion, math, encoding, reflection, environment, date and random functions. */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { formatTime } from '../fmt.js';
import { goFunc, type GoFunc } from '../funcs.js';
import { GoNumber, goFloat, goInt64, goTypeName, kindOf, numValue } from '../values.js';
import { empty, kindName, strval, toFloat64, toInt64 } from './common.js';
import { formatGoTime } from './gotime.js';
import { marshalJson, unmarshalJson } from './json.js';

export interface SprigPorts {
  /** environment lookup for `env`/`expandenv`; unset variables read as "" */
  env: (name: string) => string | undefined;
  /** the clock for `now` */
  now: () => Date;
}

/** shopspring/decimal-like exact arithmetic for addf/subf/mulf: add in scaled integers. */
function decimalOp(values: unknown[], op: 'add' | 'sub' | 'mul' | 'div'): number | GoNumber {
  const nums = values.map(toFloat64);
  if (op === 'div') {
    let r = nums[0];
    for (const n of nums.slice(1)) {
      if (n === 0) throw new Error('decimal division by 0');
      r = Number((r / n).toFixed(16));
    }
    return goFloat(r);
  }
  const scaleOf = (n: number) => {
    const s = String(n);
    if (/e/i.test(s)) return -1;
    const i = s.indexOf('.');
    return i < 0 ? 0 : s.length - i - 1;
  };
  if (nums.some((n) => !Number.isFinite(n) || scaleOf(n) < 0)) {
    const r = nums.slice(1).reduce((a, b) => (op === 'add' ? a + b : op === 'sub' ? a - b : a * b), nums[0]);
    return goFloat(r);
  }
  const toBig = (n: number, scale: number) => {
    const [i, f = ''] = String(Math.abs(n)).split('.');
    const v = BigInt(i + f.padEnd(scale, '0'));
    return n < 0 ? -v : v;
  };
  let acc = nums[0];
  for (const n of nums.slice(1)) {
    if (op === 'mul') {
      const sa = scaleOf(acc);
      const sb = scaleOf(n);
      acc = Number(formatScaled(toBig(acc, sa) * toBig(n, sb), sa + sb));
    } else {
      const scale = Math.max(scaleOf(acc), scaleOf(n));
      const r = op === 'add' ? toBig(acc, scale) + toBig(n, scale) : toBig(acc, scale) - toBig(n, scale);
      acc = Number(formatScaled(r, scale));
    }
  }
  return goFloat(acc);
}

function formatScaled(v: bigint, scale: number): string {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const out = scale ? `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}` : s;
  return neg ? '-' + out : out;
}

function intDiv(a: number, b: number, what: 'div' | 'mod'): GoNumber {
  if (b === 0) throw new Error('runtime error: integer divide by zero');
  return goInt64(what === 'div' ? Math.trunc(a / b) : a % b);
}

function toTime(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  const k = kindOf(v);
  if (k === 'int' || k === 'uint') return new Date(numValue(v) * 1000);
  return undefined;
}

function b64decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    return `illegal base64 data at input byte ${bad >= 0 ? bad : s.length - (s.length % 4)}`;
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32encode(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
function b32decode(s: string): string {
  const clean = s.replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const idx = B32.indexOf(clean[i]);
    if (idx < 0) return `illegal base32 data at input byte ${i}`;
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out).toString('utf8');
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** os.Expand with a lookup (`$NAME`, `${NAME}`). */
export function expandEnv(s: string, env: (n: string) => string | undefined): string {
  return s.replace(/\$(\{([^}]*)\}|([A-Za-z0-9_]+)|([*#$@!?-]|[0-9]))/g, (_all, _x, braced, bare, special) => env((braced ?? bare ?? special) as string) ?? '');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomFrom(chars: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += chars[randomInt(chars.length)];
  return out;
}

export function miscFuncs(ports: SprigPorts): Record<string, GoFunc> {
  const A = 'any' as const;
  const S = 'string' as const;
  const hex = (alg: string) => goFunc([S], (s: string) => createHash(alg).update(s, 'utf8').digest('hex'));
  return {
    // conversions
    atoi: goFunc([S], (s: string) => (/^[+-]?\d+$/.test(s) ? Number(s) : 0)),
    int: goFunc([A], (v: unknown) => toInt64(v)),
    int64: goFunc([A], (v: unknown) => goInt64(toInt64(v))),
    float64: goFunc([A], (v: unknown) => goFloat(toFloat64(v))),
    toDecimal: goFunc([A], (v: unknown) => {
      const s = strval(v ?? null);
      return goInt64(/^[+-]?[0-7]+$/.test(s) ? parseInt(s, 8) : 0);
    }),
    toJson: goFunc([A], (v: unknown) => {
      try {
        return marshalJson(v, true);
      } catch {
        return '';
      }
    }),
    mustToJson: goFunc([A], (v: unknown) => marshalJson(v, true)),
    toRawJson: goFunc([A], (v: unknown) => marshalJson(v, false)),
    mustToRawJson: goFunc([A], (v: unknown) => marshalJson(v, false)),
    toPrettyJson: goFunc([A], (v: unknown) => {
      try {
        return marshalJson(v, true, '  ');
      } catch {
        return '';
      }
    }),
    mustToPrettyJson: goFunc([A], (v: unknown) => marshalJson(v, true, '  ')),
    fromJson: goFunc([S], (s: string) => {
      try {
        return unmarshalJson(s);
      } catch {
        return null;
      }
    }),
    mustFromJson: goFunc([S], (s: string) => unmarshalJson(s)),
    // defaults
    default: goFunc([A], (d: unknown, ...given: unknown[]) => (given.length === 0 || empty(given[0]) ? d : given[0]), A),
    empty: goFunc([A], empty),
    coalesce: goFunc([], (...v: unknown[]) => v.find((x) => !empty(x)) ?? null, A),
    all: goFunc([], (...v: unknown[]) => v.every((x) => !empty(x)), A),
    any: goFunc([], (...v: unknown[]) => v.some((x) => !empty(x)), A),
    ternary: goFunc([A, A, 'bool'], (t: unknown, f: unknown, c: boolean) => (c ? t : f)),
    fail: goFunc([S], (msg: string) => {
      throw new Error(msg);
    }),
    // reflection
    typeOf: goFunc([A], (v: unknown) => goTypeName(v)),
    typeIs: goFunc([S, A], (t: string, v: unknown) => t === goTypeName(v)),
    typeIsLike: goFunc([S, A], (t: string, v: unknown) => t === goTypeName(v) || '*' + t === goTypeName(v)),
    kindOf: goFunc([A], kindName),
    kindIs: goFunc([S, A], (t: string, v: unknown) => t === kindName(v)),
    // math (int64, with spf13/cast conversions)
    add1: goFunc([A], (v: unknown) => goInt64(toInt64(v) + 1)),
    add: goFunc([], (...v: unknown[]) => goInt64(v.reduce<number>((a, b) => a + toInt64(b), 0)), A),
    sub: goFunc([A, A], (a: unknown, b: unknown) => goInt64(toInt64(a) - toInt64(b))),
    mul: goFunc([A], (a: unknown, ...v: unknown[]) => goInt64(v.reduce<number>((x, b) => x * toInt64(b), toInt64(a))), A),
    div: goFunc([A, A], (a: unknown, b: unknown) => intDiv(toInt64(a), toInt64(b), 'div')),
    mod: goFunc([A, A], (a: unknown, b: unknown) => intDiv(toInt64(a), toInt64(b), 'mod')),
    max: goFunc([A], (a: unknown, ...v: unknown[]) => goInt64(Math.max(toInt64(a), ...v.map(toInt64))), A),
    biggest: goFunc([A], (a: unknown, ...v: unknown[]) => goInt64(Math.max(toInt64(a), ...v.map(toInt64))), A),
    min: goFunc([A], (a: unknown, ...v: unknown[]) => goInt64(Math.min(toInt64(a), ...v.map(toInt64))), A),
    maxf: goFunc([A], (a: unknown, ...v: unknown[]) => goFloat(Math.max(toFloat64(a), ...v.map(toFloat64))), A),
    minf: goFunc([A], (a: unknown, ...v: unknown[]) => goFloat(Math.min(toFloat64(a), ...v.map(toFloat64))), A),
    add1f: goFunc([A], (v: unknown) => decimalOp([v, 1], 'add')),
    addf: goFunc([], (...v: unknown[]) => decimalOp([0, ...v], 'add'), A),
    subf: goFunc([A], (a: unknown, ...v: unknown[]) => decimalOp([a, ...v], 'sub'), A),
    mulf: goFunc([A], (a: unknown, ...v: unknown[]) => decimalOp([a, ...v], 'mul'), A),
    divf: goFunc([A], (a: unknown, ...v: unknown[]) => decimalOp([a, ...v], 'div'), A),
    floor: goFunc([A], (v: unknown) => goFloat(Math.floor(toFloat64(v)))),
    ceil: goFunc([A], (v: unknown) => goFloat(Math.ceil(toFloat64(v)))),
    round: goFunc(
      [A, 'int'],
      (v: unknown, p: number, ...opt: number[]) => {
        const on = opt.length ? opt[0] : 0.5;
        const pow = 10 ** p;
        const digit = pow * toFloat64(v);
        const frac = digit - Math.trunc(digit);
        return goFloat((frac >= on ? Math.ceil(digit) : Math.floor(digit)) / pow);
      },
      'float64',
    ),
    randInt: goFunc(['int', 'int'], (lo: number, hi: number) => {
      if (hi - lo <= 0) throw new Error('invalid argument to Intn');
      return lo + randomInt(hi - lo);
    }),
    // encoding
    b64enc: goFunc([S], (s: string) => Buffer.from(s, 'utf8').toString('base64')),
    b64dec: goFunc([S], b64decode),
    b32enc: goFunc([S], b32encode),
    b32dec: goFunc([S], b32decode),
    sha1sum: hex('sha1'),
    sha256sum: hex('sha256'),
    adler32sum: goFunc([S], (s: string) => String(adler32(s))),
    // paths (path package: forward slashes)
    base: goFunc([S], (p: string) => pathBase(p)),
    dir: goFunc([S], (p: string) => pathClean(p.slice(0, p.lastIndexOf('/') + 1)) || '.'),
    ext: goFunc([S], (p: string) => {
      const b = p.slice(p.lastIndexOf('/') + 1);
      const i = b.lastIndexOf('.');
      return i < 0 ? '' : b.slice(i);
    }),
    clean: goFunc([S], pathClean),
    isAbs: goFunc([S], (p: string) => p.startsWith('/')),
    // environment, through the port
    env: goFunc([S], (n: string) => ports.env(n) ?? ''),
    expandenv: goFunc([S], (s: string) => expandEnv(s, ports.env)),
    // dates, through the clock
    now: goFunc([], () => ports.now()),
    date: goFunc([S, A], (fmt: string, t: unknown) => formatGoTime(toTime(t) ?? ports.now(), fmt)),
    dateInZone: goFunc([S, A, S], (fmt: string, t: unknown) => formatGoTime(toTime(t) ?? ports.now(), fmt)),
    date_in_zone: goFunc([S, A, S], (fmt: string, t: unknown) => formatGoTime(toTime(t) ?? ports.now(), fmt)),
    htmlDate: goFunc([A], (t: unknown) => formatGoTime(toTime(t) ?? ports.now(), '2006-01-02')),
    unixEpoch: goFunc([A], (t: unknown) => {
      if (!(t instanceof Date)) throw new Error(`wrong type for value; expected time.Time; got ${goTypeName(t)}`);
      return String(Math.floor(t.getTime() / 1000));
    }),
    timeString: goFunc([A], (t: unknown) => (t instanceof Date ? formatTime(t) : strval(t))),
    // random
    uuidv4: goFunc([], () => randomUUID()),
    randAlphaNum: goFunc(['int'], (n: number) => randomFrom(ALNUM, n)),
    randAlpha: goFunc(['int'], (n: number) => randomFrom(ALNUM.slice(0, 52), n)),
    randNumeric: goFunc(['int'], (n: number) => randomFrom('0123456789', n)),
  };
}

function pathBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** path.Clean. */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s || (rooted ? '/' : '.');
}
