import path from 'node:path';

/**
 * A user-facing error: bad configuration or bad input. Entry points print `message` (plus the
 * location and import chain) and exit 1 without a stack trace unless --debug is on.
 */
export class AtmosError extends Error {
  readonly file?: string;
  readonly line?: number;
  /** Import chain from the top-level manifest down to `file`. */
  readonly chain: string[];

  constructor(message: string, where: { file?: string; line?: number; chain?: string[]; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'AtmosError';
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
    const loc = this.file ? `${show(this.file)}${this.line ? `:${this.line}` : ''}: ` : '';
    const alreadyNamed = this.file !== undefined && this.message.includes(this.file);
    let out = alreadyNamed ? this.message : `${loc}${this.message}`;
    if (this.chain.length > 1) out += `\n  import chain: ${this.chain.map(show).join(' → ')}`;
    return out;
  }
}

/** `p` relative to `base` when it lies under it, else unchanged. */
export function displayPath(p: string, base?: string): string {
  if (!base) return p;
  const rel = path.relative(base, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export function isAtmosError(e: unknown): e is AtmosError {
  return e instanceof AtmosError;
}
