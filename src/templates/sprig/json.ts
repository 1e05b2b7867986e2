/** Go's encoding/json as Sprig's toJson/toRawJson/toPrettyJson/fromJson use it. */
import { goFloat, isPlainObject, kindOf, mapGet, mapKeys, numValue } from '../values.js';

function quoteJson(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += '\\u00' + c.toString(16).padStart(2, '0');
    else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += '\\u00' + c.toString(16);
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

/** RFC 3339 with nanoseconds, as time.Time marshals. */
function rfc3339(d: Date): string {
  return d
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}

/** json.Marshal (and MarshalIndent with `indent`); throws on NaN/Inf like Go. */
export function marshalJson(v: unknown, escapeHTML: boolean, indent = '', depth = 0): string {
  const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
  const end = indent ? '\n' + indent.repeat(depth) : '';
  const colon = indent ? ': ' : ':';
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return 'null';
    case 'bool':
      return String(v);
    case 'int':
    case 'uint':
      return String(numValue(v));
    case 'float': {
      const x = numValue(v);
      if (!Number.isFinite(x)) throw new Error(`json: unsupported value: ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'}`);
      return Object.is(x, -0) ? '-0' : String(x);
    }
    case 'string':
      return quoteJson(v as string, escapeHTML);
    case 'time':
      return quoteJson(rfc3339(v as Date), escapeHTML);
    case 'slice': {
      const items = (v as unknown[]).map((e) => marshalJson(e, escapeHTML, indent, depth + 1));
      if (items.length === 0) return '[]';
      return '[' + nl + items.join(',' + nl) + end + ']';
    }
    case 'map': {
      const keys = mapKeys(v);
      if (keys.length === 0) return '{}';
      const parts = keys.map((k) => quoteJson(k, escapeHTML) + colon + marshalJson(mapGet(v, k), escapeHTML, indent, depth + 1));
      return '{' + nl + parts.join(',' + nl) + end + '}';
    }
    case 'func':
      throw new Error('json: unsupported type: func(...interface {}) interface {}');
    default: {
      const o = v as Record<string, unknown>;
      const fields = Object.keys(o).filter((k) => typeof o[k] !== 'function');
      if (fields.length === 0) return '{}';
      return '{' + nl + fields.map((k) => quoteJson(k, escapeHTML) + colon + marshalJson(o[k], escapeHTML, indent, depth + 1)).join(',' + nl) + end + '}';
    }
  }
}

/** json.Unmarshal into interface{}: every number is a float64. */
export function unmarshalJson(text: string): unknown {
  const convert = (x: unknown): unknown => {
    if (typeof x === 'number') return goFloat(x);
    if (Array.isArray(x)) return x.map(convert);
    if (isPlainObject(x)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x)) out[k] = convert(x[k]);
      return out;
    }
    return x;
  };
  return convert(JSON.parse(text));
}
