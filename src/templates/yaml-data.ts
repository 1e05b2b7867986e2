/**
 * YAML decoded the way Atmos's Go code sees it (gopkg.in/yaml.v3 into interface{}), for template
 * data: `3` is an int, `3.0` a float64 (kept float with GoNumber), `0x1F` 31, `010` 8, `1_000`
 * 1000, unquoted `2024-01-01` a time.Time, `yes`/`on` strings, `~`/`null`/empty nil.
 */
import * as YAML from 'yaml';
import { parseGoInt } from './literals.js';
import { GoNumber, goFloat } from './values.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;

/** The value yaml.v3 gives a plain (unquoted, untagged) scalar. */
export function resolvePlainScalar(s: string): unknown {
  if (NULLS.has(s)) return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  if (/^[-+0-9.]/.test(s)) {
    const plain = s.replace(/_/g, '');
    const int = parseGoInt(plain);
    if (int !== undefined) return int;
    if (FLOAT_RE.test(plain)) return goFloat(Number(plain));
    const ts = TIMESTAMP_RE.exec(s);
    if (ts) return parseTimestamp(ts);
  }
  return s;
}

function parseTimestamp(m: RegExpExecArray): Date {
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number((frac + '000').slice(0, 3)));
  if (zone && zone !== 'Z') {
    const z = /^([-+])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
    const off = (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60000;
    t -= z[1] === '-' ? -off : off;
  }
  return new Date(t);
}

function convert(node: unknown, doc: YAML.Document): unknown {
  if (node === null || node === undefined) return null;
  if (YAML.isAlias(node)) return convert(node.resolve(doc), doc);
  if (YAML.isScalar(node)) {
    const raw = String(node.value ?? '');
    const tag = node.tag;
    if (tag === 'tag:yaml.org,2002:str' || tag === '!!str') return raw;
    if (tag === 'tag:yaml.org,2002:float' || tag === '!!float') return goFloat(Number(raw));
    if (tag === 'tag:yaml.org,2002:int' || tag === '!!int') return parseGoInt(raw.replace(/_/g, '')) ?? raw;
    if (node.type === 'PLAIN') return resolvePlainScalar(raw);
    return raw;
  }
  if (YAML.isSeq(node)) return node.items.map((i) => convert(i, doc));
  if (YAML.isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = convert(pair.key, doc);
      const k = typeof key === 'string' ? key : key instanceof GoNumber ? String(key.value) : String(key);
      if (k === '<<' && YAML.isScalar(pair.key) && pair.key.type === 'PLAIN') {
        const src = convert(pair.value, doc);
        for (const m of Array.isArray(src) ? src : [src]) {
          if (m && typeof m === 'object') for (const [mk, mv] of Object.entries(m)) if (!(mk in out)) out[mk] = mv;
        }
        continue;
      }
      out[k] = convert(pair.value, doc);
    }
    return out;
  }
  return null;
}

/** Decodes one YAML document into the engine's value model, as yaml.v3 would into interface{}. */
export function decodeYamlForTemplates(text: string): unknown {
  const doc = YAML.parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0) throw doc.errors[0];
  return convert(doc.contents, doc);
}
