/**
 * Values known only when the instance that holds them runs (docs/atmos-compatibility.md §11.6):
 * an output of another instance read by `!terraform.output`, `!terraform.state` or
 * `atmos.Component … .outputs`, and a store's value read by `!store`, `!store.get` or `!secret`
 * (docs/stores.md). Resolution puts a typed {@link DeferredValue} where such a value
 * goes, and the instance lists every read ({@link DeferredAt}); `describe` decides how to print
 * one, the runner substitutes the values it reads (terraform/output-references.ts).
 *
 * A template can only produce text, so while a template renders, a read stands in the text as a
 * token ({@link DeferredTokens}), turned back into a typed value as soon as that one string is
 * rendered: tokens never leave the stacks layer.
 */
import { isPlainMap, type Plain } from '../util/merge.js';
import { instanceKey } from './identity.js';

/** Another instance's output, read when the reading instance runs (after the instance it reads). */
export interface InstanceOutputRead {
  /** How it is read: `terraform.state` reads the state; the others run `terraform output`. */
  readonly kind: 'terraform.output' | 'terraform.state' | 'atmos.Component';
  readonly component: string;
  /** The canonical stack of the instance read (the reader's own when the function names none). */
  readonly stack: string;
  /** YQ expression, `.` prefixed (`.vpc_id`, `.subnets[0]`, `.id // "none"`). */
  readonly expression: string;
}

/**
 * `!store`, `!store.get` or `!secret`: a value a store of atmos.yaml holds, read when the instance
 * runs (docs/stores.md). Resolution records what the function names; the store and the key are
 * looked up when it is read, so a store that cannot be read fails only the instances reading it.
 */
export interface StoreRead {
  readonly kind: 'store' | 'store.get' | 'secret';
  /** The store's name in atmos.yaml (`!secret`: the one its declaration names, '' when none). */
  readonly store: string;
  /** The stack and component of Atmos's key layout (`!store.get`: both empty, the key is as written). */
  readonly stack: string;
  readonly component: string;
  readonly key: string;
  /** `| default V`: the value when the read fails (a string, as Atmos keeps it). */
  readonly default?: string;
  /** `| query Q` (`| path Q` of `!secret`): a YQ path into the value read. */
  readonly query?: string;
  /** The function as written: what describe prints (`!secret` prints as {@link MASKED} instead). */
  readonly text: string;
  /** `!secret`: the name, and why its declaration cannot be read (reported when the instance runs). */
  readonly secret?: { readonly name: string; readonly problem?: string };
}

/**
 * Everything a deferred value can read: another instance's output, or a store's value. A new
 * source of run-time values is a new member of this union, with its own reader in the runner
 * (terraform/output-references.ts).
 */
export type DeferredRead = InstanceOutputRead | StoreRead;

/** What inspection shows for a secret (Atmos's mask replacement). */
export const MASKED = '<MASKED>';

export function isOutputRead(r: DeferredRead): r is InstanceOutputRead {
  return r.kind === 'terraform.output' || r.kind === 'terraform.state' || r.kind === 'atmos.Component';
}

/** A read and where it sits in the instance (`vars.vpc_id`). */
export interface DeferredAt {
  readonly path: string;
  readonly read: DeferredRead;
}

/**
 * A value of the instance that is known at run time only: text and reads in order. A value that is
 * one read alone ({@link DeferredValue.whole}) becomes the value read, whatever its type (a list stays
 * a list); otherwise the parts are joined into a string.
 */
export class DeferredValue {
  readonly parts: readonly (string | DeferredRead)[];

  constructor(parts: readonly (string | DeferredRead)[]) {
    this.parts = parts.filter((p) => p !== '');
  }

  /** The read, when the value is exactly one read. */
  get whole(): DeferredRead | undefined {
    return this.parts.length === 1 && typeof this.parts[0] !== 'string' ? this.parts[0] : undefined;
  }

  get reads(): DeferredRead[] {
    return this.parts.filter((p): p is DeferredRead => typeof p !== 'string');
  }
}

/** A read in words: what reads, which instance, which output (`!terraform.output vpc dev .vpc_id`); a store read as written. */
export function readLabel(r: DeferredRead): string {
  if (!isOutputRead(r)) return r.text;
  return `${readFunction(r)} ${r.component} ${r.stack} ${r.expression}`;
}

/** How a read's function is written where the user wrote it: `!terraform.state`, `!terraform.output` or `atmos.Component`. */
export function readFunction(r: InstanceOutputRead): '!terraform.state' | '!terraform.output' | 'atmos.Component' {
  return r.kind === 'atmos.Component' ? 'atmos.Component' : `!${r.kind}`;
}

/** A read's place (`vars.a.b[0]`) as YAML keys (`['vars', 'a', 'b', 0]`), to find its line. */
export function placeKeys(at: string): (string | number)[] {
  return (at.match(/[^.[\]]+|\[\d+\]/g) ?? []).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
}

/** Which instance a read reads, and how: the key under which one run reads it once. */
export function readTarget(r: InstanceOutputRead): { component: string; stack: string; way: 'state' | 'output' } {
  return { component: r.component, stack: r.stack, way: r.kind === 'terraform.state' ? 'state' : 'output' };
}

/**
 * Copy-on-write walk replacing every deferred value with `fn`'s result; returns `value` itself when
 * it holds none, so shared sections are never copied for nothing.
 */
export function mapDeferred(value: unknown, fn: (v: DeferredValue, path: string) => unknown, path = ''): unknown {
  if (value instanceof DeferredValue) return fn(value, path);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = mapDeferred(v, fn, `${path}[${i}]`);
      if (r !== v && !out) out = value.slice(0, i);
      if (out) out.push(r);
    });
    return out ?? value;
  }
  if (isPlainMap(value)) {
    let out: Plain | undefined;
    const entries = Object.entries(value);
    entries.forEach(([k, v], i) => {
      const r = mapDeferred(v, fn, path ? `${path}.${k}` : k);
      if (r !== v && !out) out = Object.fromEntries(entries.slice(0, i));
      if (out) out[k] = r;
    });
    return out ?? value;
  }
  return value;
}

/** Every read under `value`, with its path. */
export function readsIn(value: unknown, path: string): DeferredAt[] {
  const out: DeferredAt[] = [];
  mapDeferred(
    value,
    (v, at) => {
      for (const read of v.reads) out.push({ path: at, read });
      return v;
    },
    path,
  );
  return out;
}

/**
 * A read's token: its number between doubled mathematical white square brackets (⟦⟦0⟧⟧), printable
 * punctuation and digits that `quote`, `upper` or `printf` leave as they are (a control character
 * would come out of `quote` escaped). A lone bracket left after decoding means a template function
 * cut a token (`trunc` counts bytes): an error rather than a silently lost read.
 */
const OPEN = '\u27e6\u27e6';
const CLOSE = '\u27e7\u27e7';

/** Thrown when a template took a read apart (e.g. `trunc` on an output): only printed outputs can be read later. */
export class DeferredTokenError extends Error {}

/** The stand-ins for reads inside template text, for one run: a token per distinct read. */
export class DeferredTokens {
  private readonly reads: DeferredRead[] = [];
  private readonly byKey = new Map<string, number>();

  token(read: DeferredRead): string {
    const key = isOutputRead(read) ? `${read.kind}\u0000${instanceKey(read)}\u0000${read.expression}` : JSON.stringify(read);
    let n = this.byKey.get(key);
    if (n === undefined) {
      n = this.reads.length;
      this.reads.push(read);
      this.byKey.set(key, n);
    }
    return `${OPEN}${n}${CLOSE}`;
  }

  /** A deferred value as template text. */
  text(v: DeferredValue): string {
    return v.parts.map((p) => (typeof p === 'string' ? p : this.token(p))).join('');
  }

  /** `value` with every deferred value in it as template text (what a template sees of another instance). */
  encode(value: unknown): unknown {
    return mapDeferred(value, (v) => this.text(v));
  }

  /** Rendered text back to a typed value: undefined when it holds no token. */
  decode(text: string): DeferredValue | undefined {
    if (this.reads.length === 0 || (!text.includes(OPEN[0]) && !text.includes(CLOSE[0]))) return undefined;
    const parts: (string | DeferredRead)[] = [];
    let from = 0;
    for (let at = text.indexOf(OPEN); at >= 0; at = text.indexOf(OPEN, from)) {
      const end = text.indexOf(CLOSE, at + OPEN.length);
      const digits = end < 0 ? '' : text.slice(at + OPEN.length, end);
      const n = digits !== '' && [...digits].every((c) => c >= '0' && c <= '9') ? Number(digits) : NaN;
      const read = Number.isInteger(n) ? this.reads[n] : undefined;
      if (!read) break;
      parts.push(text.slice(from, at), read);
      from = end + CLOSE.length;
    }
    const rest = text.slice(from);
    // A token cut or rewritten by a template function: its read would be lost silently.
    if (rest.includes(OPEN[0]) || rest.includes(CLOSE[0])) {
      throw new DeferredTokenError(
        'an output read at run time was changed by a template function before being printed; only printed outputs can be read later',
      );
    }
    if (parts.length === 0) return undefined;
    parts.push(rest);
    return new DeferredValue(parts);
  }
}
