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
import { DeferredValue } from './deferred.js';

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
  return walk(value, fn, path, scan).value;
}

/** {@link mapStrings} over the given keys of a map only (the others cannot hold what `fn` looks for). */
export function mapStringsAt(value: unknown, keys: readonly string[], fn: (s: string, path: string) => unknown, scan?: SubtreeScan): unknown {
  if (!isPlainMap(value)) return mapStrings(value, fn, '', scan);
  let out: Plain | undefined;
  for (const k of keys) {
    if (!(k in value)) continue;
    const r = walk(value[k], fn, k, scan).value;
    if (r === value[k]) continue;
    out ??= { ...value };
    if (r === REMOVE) delete out[k];
    else out[k] = r;
  }
  return out ?? value;
}

/** One pass: the mapped value, and whether any string in it was one `scan` looks for. */
function walk(value: unknown, fn: (s: string, path: string) => unknown, path: string, scan?: SubtreeScan): { value: unknown; matched: boolean } {
  if (typeof value === 'string') {
    if (scan && !scan.test(value)) return { value, matched: false };
    const r = fn(value, path);
    return { value: r === undefined ? value : r, matched: true };
  }
  // A deferred value is already evaluated (its text parts are not the user's strings).
  if (value === null || typeof value !== 'object' || value instanceof DeferredValue) return { value, matched: false };
  if (scan?.knownClean(value)) return { value, matched: false };
  let matched = false;
  let result: unknown = value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = walk(v, fn, `${path}[${i}]`, scan);
      matched ||= r.matched;
      if (r.value !== v && !out) out = value.slice(0, i);
      if (out && r.value !== REMOVE) out.push(r.value);
    });
    if (out) result = out;
  } else if (isPlainMap(value)) {
    let out: Plain | undefined;
    const entries = Object.entries(value);
    entries.forEach(([k, v], i) => {
      const r = walk(v, fn, path ? `${path}.${k}` : k, scan);
      matched ||= r.matched;
      if (r.value !== v && !out) out = Object.fromEntries(entries.slice(0, i));
      if (out && r.value !== REMOVE) out[k] = r.value;
    });
    if (out) result = out;
  }
  if (!matched) scan?.markClean(value);
  return { value: result, matched };
}

/**
 * Whether a subtree holds a string a pass cares about, memoised per object: instances share
 * merged subtrees, so each shared map is scanned once per run, not once per instance.
 */
export class SubtreeScan {
  private readonly clean = new WeakSet<object>();
  private readonly dirty = new WeakSet<object>();
  constructor(readonly test: (s: string) => boolean) {}

  /**
   * Whether `v` holds a string the pass looks for, memoised per object. Asked of the layers a
   * section is merged from (shared by many instances), before the section is merged at all.
   */
  holds(v: unknown): boolean {
    if (typeof v === 'string') return this.test(v);
    if (v === null || typeof v !== 'object' || v instanceof DeferredValue) return false;
    if (this.clean.has(v)) return false;
    if (this.dirty.has(v)) return true;
    const found = Array.isArray(v) ? v.some((x) => this.holds(x)) : Object.values(v).some((x) => this.holds(x));
    (found ? this.dirty : this.clean).add(v);
    return found;
  }

  /** Seen before and holds nothing the pass looks for (shared subtrees are walked once per run). */
  knownClean(v: object): boolean {
    return this.clean.has(v);
  }

  markClean(v: object): void {
    this.clean.add(v);
  }
}
