/**
 * The component-section template pass (docs/atmos-compatibility.md §11.3). Atmos serialises the
 * whole section with yaml.v3, renders that text as one template and parses the result again, so
 * a value's type afterwards depends on how yaml.v3 quoted the template text:
 * - single-quoted (starts with `{`, `!`, ...; contains `: ` or ` #`): the result stays a string,
 *   a newline in it folds to a space, an apostrophe in it breaks the YAML (Atmos fails too);
 * - plain (`10.{{ .n }}`, `svc-{{ .n }}`): the result is re-read as a plain scalar, so `10.1` is
 *   a number, `null` is null and `a: b` breaks the YAML;
 * - multi-line (a block literal): the result is the text.
 * We render each string on its own and apply those rules, which gives the same values without
 * re-parsing the whole section. Differences: a `define` in one value cannot be called from
 * another, and whitespace trimming cannot eat YAML around the value.
 */
import { GoNumber, resolvePlainScalar } from '../templates/index.js';
import { isPlainMap, type Plain } from '../util/merge.js';

const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

export type YamlStyle = 'plain' | 'single' | 'double' | 'literal';

/** The style yaml.v3 emits a string in (block context). */
export function yamlStyle(s: string): YamlStyle {
  if (s === '') return 'double';
  if (s.includes('\n')) return 'literal';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)) return 'double';
  if (typeof resolvePlain(s) !== 'string') return 'single';
  const first = s[0];
  const second = s[1];
  if (INDICATORS.has(first) && !((first === '-' || first === '?' || first === ':') && second !== undefined && second !== ' ')) return 'single';
  if (s.startsWith(' ') || s.endsWith(' ') || s.startsWith('\t') || s.endsWith('\t')) return 'single';
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return 'single';
  return 'plain';
}

/** A plain scalar's value as the stack reader types it (yaml.v3 core schema; dates stay strings). */
function resolvePlain(s: string): unknown {
  const v = resolvePlainScalar(s);
  if (v instanceof GoNumber) return v.value;
  if (v instanceof Date) return s;
  return v;
}

export class RoundTripError extends Error {}

/** The value `out` (the rendering of `source`) has after Atmos's YAML round trip. */
export function typedResult(source: string, out: string): unknown {
  switch (yamlStyle(source)) {
    case 'literal':
    case 'double':
      return out;
    case 'single':
      if (out.includes("'")) {
        throw new RoundTripError(`the rendered value ${JSON.stringify(out)} contains an apostrophe, which breaks the single-quoted YAML Atmos re-parses`);
      }
      return out.includes('\n') ? foldLines(out) : out;
    case 'plain': {
      if (out.includes('\n')) return foldLines(out).trim();
      const trimmed = out.trim();
      if (trimmed.includes(': ') || trimmed.includes(' #') || (trimmed !== '' && INDICATORS.has(trimmed[0]) && /^[[{&*!|>'"%@`]/.test(trimmed))) {
        throw new RoundTripError(`the rendered value ${JSON.stringify(out)} is not a valid plain YAML scalar (Atmos's re-parse fails on it)`);
      }
      return resolvePlain(trimmed);
    }
  }
}

/** YAML line folding inside a flow scalar: one line break becomes a space, n breaks n−1 newlines. */
function foldLines(s: string): string {
  return s.replace(/[ \t]*\n((?:[ \t]*\n)*)[ \t]*/g, (_m, extra: string) => (extra ? '\n'.repeat(extra.split('\n').length - 1) : ' '));
}

/**
 * Copy-on-write walk over strings: returns `value` itself when `fn` changed nothing, so sections
 * shared between instances are never written to. `fn` returns `undefined` to keep a string, or
 * `REMOVE` to drop the key (or list item).
 */
export const REMOVE: unique symbol = Symbol('remove');

export function mapStrings(value: unknown, fn: (s: string, path: string) => unknown, path = '', scan?: SubtreeScan): unknown {
  if (scan && value !== null && typeof value === 'object' && !scan.holds(value)) return value;
  if (typeof value === 'string') {
    const r = fn(value, path);
    return r === undefined ? value : r;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = mapStrings(v, fn, `${path}[${i}]`, scan);
      if (r !== v && !out) out = value.slice(0, i);
      if (out && r !== REMOVE) out.push(r);
    });
    return out ?? value;
  }
  if (isPlainMap(value)) {
    let out: Plain | undefined;
    const entries = Object.entries(value);
    entries.forEach(([k, v], i) => {
      const r = mapStrings(v, fn, path ? `${path}.${k}` : k, scan);
      if (r !== v && !out) out = Object.fromEntries(entries.slice(0, i));
      if (out && r !== REMOVE) out[k] = r;
    });
    return out ?? value;
  }
  return value;
}

/**
 * Whether a subtree holds a string a pass cares about, memoised per object: instances share
 * merged subtrees, so each shared map is scanned once per run, not once per instance.
 */
export class SubtreeScan {
  private readonly memo = new WeakMap<object, boolean>();
  constructor(private readonly test: (s: string) => boolean) {}

  holds(v: unknown): boolean {
    if (typeof v === 'string') return this.test(v);
    if (v === null || typeof v !== 'object') return false;
    const known = this.memo.get(v);
    if (known !== undefined) return known;
    let found = false;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      if (this.holds(x)) {
        found = true;
        break;
      }
    }
    this.memo.set(v, found);
    return found;
  }
}
