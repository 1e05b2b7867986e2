import path from 'node:path';

/**
 * What an error means for a run of many instances (the runner's failure policy):
 * - `configuration`: bad configuration or input; stop before any work starts.
 * - `instance`: one instance failed; skip its dependents, independent instances go on.
 * - `infrastructure`: a service around the run (cache, GitHub API) is unavailable; warn and continue.
 */
export type ErrorKind = 'configuration' | 'instance' | 'infrastructure';

/** A run of this many characters without a space is a name or a value echoed whole, not prose: it is shortened in messages. */
const LONG_RUN = 512;
/** No message is longer than this (a message lands in a log line, an annotation, a comment). */
const MAX_MESSAGE = 32 * 1024;

/**
 * `message` fit for a person: a very long unbroken run (a 300 KB name from YAML, a blob) keeps its
 * start and end with the count between, and the whole stays under {@link MAX_MESSAGE}.
 */
export function shortenForMessage(message: string): string {
  const runs = message.replace(
    new RegExp(`\\S{${LONG_RUN + 1},}`, 'g'),
    (run) => `${run.slice(0, 200)}…(${run.length - 240} more characters)…${run.slice(-40)}`,
  );
  if (runs.length <= MAX_MESSAGE) return runs;
  return `${runs.slice(0, MAX_MESSAGE - 2048)}\n…(${runs.length - MAX_MESSAGE + 1024} more characters)…\n${runs.slice(-1024)}`;
}

/**
 * A user-facing error. Entry points print `message` (plus the location and import chain) and
 * exit 1 without a stack trace unless --debug is on. `kind` defaults to `configuration`.
 */
export class AtmosError extends Error {
  readonly kind: ErrorKind;
  readonly file?: string;
  readonly line?: number;
  /** Import chain from the top-level manifest down to `file`. */
  readonly chain: string[];

  constructor(message: string, where: { file?: string; line?: number; chain?: string[]; cause?: unknown; kind?: ErrorKind } = {}) {
    super(shortenForMessage(message), where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'AtmosError';
    this.kind = where.kind ?? 'configuration';
    this.file = where.file;
    this.line = where.line;
    this.chain = where.chain ?? [];
  }

  /**
   * One readable block: `file:line: message` followed by the import chain, if any. Paths under
   * `relativeTo` (the user's working directory) are shown relative to it.
   */
  describe(relativeTo?: string): string {
    const show = (p: string) => displayPath(p, relativeTo);
    const loc = this.file ? `${placeLabel(this.file, this.line, relativeTo)}: ` : '';
    const alreadyNamed = this.file !== undefined && this.message.includes(this.file);
    let out = alreadyNamed ? this.message : `${loc}${this.message}`;
    if (this.chain.length > 1) out += `\n  import chain: ${this.chain.map(show).join(' → ')}`;
    // Paths inside the message (a list of places, say) read relative too.
    return relativeTo ? out.split(`${path.resolve(relativeTo)}${path.sep}`).join('') : out;
  }
}

/** `file:line` (the line when known), the file relative to `base` when it lies under it. */
export function placeLabel(file: string, line: number | undefined, base?: string): string {
  return `${displayPath(file, base)}${line ? `:${line}` : ''}`;
}

/** `p` relative to `base` when it lies under it, else unchanged. */
export function displayPath(p: string, base?: string): string {
  if (!base) return p;
  const rel = path.relative(base, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** One instance failed (its dependents are skipped; independent instances go on). */
export class InstanceError extends AtmosError {
  constructor(message: string, where: { file?: string; line?: number; cause?: unknown } = {}) {
    super(message, { ...where, kind: 'instance' });
    this.name = 'InstanceError';
  }
}

/** A service around the run is unavailable (cache, GitHub API): callers warn and continue. */
export class InfrastructureError extends AtmosError {
  constructor(message: string, where: { cause?: unknown } = {}) {
    super(message, { ...where, kind: 'infrastructure' });
    this.name = 'InfrastructureError';
  }
}

/** The kind of any thrown value: AtmosErrors carry theirs; anything else is a failure of the work at hand. */
export function errorKind(e: unknown): ErrorKind {
  return e instanceof AtmosError ? e.kind : 'instance';
}

export function isAtmosError(e: unknown): e is AtmosError {
  return e instanceof AtmosError;
}

/**
 * Every configuration error of one run, reported together so a user fixes them in one pass.
 * `errors` are distinct (the same file, line and message is listed once).
 */
export class ConfigurationErrors extends AtmosError {
  readonly errors: AtmosError[];

  constructor(errors: AtmosError[]) {
    super(`${errors.length} configuration errors:\n${errors.map((e) => e.describe()).join('\n')}`);
    this.name = 'ConfigurationErrors';
    this.errors = errors;
  }

  override describe(relativeTo?: string): string {
    const blocks = this.errors.map((e) => e.describe(relativeTo));
    return `${blocks.length} configuration errors:\n${blocks.map((b, i) => `${i + 1}. ${b.replace(/\n/g, '\n   ')}`).join('\n')}`;
  }
}

/** Collects AtmosErrors (once each); anything else is a bug and propagates. */
export class ErrorCollector {
  private readonly seen = new Map<string, AtmosError>();

  /** Runs `fn`; an AtmosError it throws is recorded and `undefined` returned. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ConfigurationErrors) e.errors.forEach((x) => this.add(x));
      else if (e instanceof AtmosError) this.add(e);
      else throw e;
      return undefined;
    }
  }

  add(e: AtmosError): void {
    const key = `${e.file ?? ''}\u0000${e.line ?? ''}\u0000${e.message}`;
    if (!this.seen.has(key)) this.seen.set(key, e);
  }

  get size(): number {
    return this.seen.size;
  }

  /** Throws the one error, or all of them together; does nothing when none were recorded. */
  throwIfAny(): void {
    const all = [...this.seen.values()];
    if (all.length === 1) throw all[0];
    if (all.length > 1) throw new ConfigurationErrors(all);
  }
}
