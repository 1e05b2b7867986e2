/**
 * The secret values a run has read (`!secret`, values of `secret: true` stores), and the one
 * function that takes them out of text before it is printed, written or posted. Atmos does the same
 * with its output masker: once a value is registered, every writer it owns masks it, terraform's
 * streamed output included.
 *
 * Registration happens the moment a value arrives, before anything could print it; `onLiteral`
 * lets the entry point tell the CI runner too (the action's `::add-mask::`).
 */

/** What a masked value is replaced with (GitHub's runner prints the same). */
export const MASK = '***';

/**
 * Shorter values are not masked: replacing every `1` or `on` would make the log unreadable and
 * hides nothing a reader could not guess. Atmos's secrets are tokens and passwords.
 */
export const MIN_MASKED_LENGTH = 4;

export class SecretMasker {
  private readonly literals = new Set<string>();
  /** Longest first, so a secret that contains another is replaced whole. */
  private ordered: string[] = [];

  constructor(private readonly onLiteral?: (literal: string) => void) {}

  /** How many literals are masked. */
  get size(): number {
    return this.literals.size;
  }

  /**
   * Registers a value read as secret: a string, or every scalar inside a map or list, in the forms
   * it can be printed in (as is, each of its lines, JSON-escaped).
   */
  register(value: unknown): void {
    if (value === null || value === undefined) return;
    if (typeof value === 'string') {
      this.add(value);
      for (const line of value.split(/\r?\n/)) this.add(line.trim());
      this.add(JSON.stringify(value).slice(1, -1));
    } else if (Array.isArray(value)) {
      for (const v of value) this.register(v);
    } else if (typeof value === 'object') {
      for (const v of Object.values(value as Record<string, unknown>)) this.register(v);
    } else {
      this.add(String(value));
    }
  }

  /** Whether `text` holds a registered value (a variable holding one stays out of files on disk). */
  contains(text: string): boolean {
    if (this.literals.size === 0) return false;
    for (const s of this.ordered) if (text.includes(s)) return true;
    return false;
  }

  /** Whether any string or scalar inside `value` holds a registered value. */
  containsIn(value: unknown): boolean {
    if (this.literals.size === 0 || value === null || value === undefined) return false;
    if (typeof value === 'string') return this.contains(value);
    if (Array.isArray(value)) return value.some((v) => this.containsIn(v));
    if (typeof value === 'object') return Object.values(value as Record<string, unknown>).some((v) => this.containsIn(v));
    return this.contains(String(value));
  }

  /** `text` with every registered value replaced by {@link MASK}. */
  mask(text: string): string {
    if (this.literals.size === 0 || text === '') return text;
    let out = text;
    for (const s of this.ordered) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }

  /** A copy of a JSON-like value with every string masked (results, reports, outputs). */
  scrub<T>(value: T): T {
    if (this.literals.size === 0) return value;
    return this.scrubAny(value) as T;
  }

  private scrubAny(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) return value.map((v) => this.scrubAny(v));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [this.mask(k), this.scrubAny(v)]));
    }
    return value;
  }

  private add(literal: string): void {
    if (literal.trim().length < MIN_MASKED_LENGTH || this.literals.has(literal)) return;
    this.literals.add(literal);
    this.ordered = [...this.literals].sort((a, b) => b.length - a.length);
    this.onLiteral?.(literal);
  }
}
