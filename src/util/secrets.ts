/**
 * The secret values of one run (the encryption key, the GitHub token, and whatever a store hands
 * us): registered once, masked in the log by the entry point's hook (`core.setSecret` in the
 * action), and scrubbed from everything we write ourselves: the PR comment, job summaries, step
 * outputs, annotations and log lines. The runner masks its log, but not API calls, summaries read
 * back from disk or names we turn into folders, so every sink goes through {@link Secrets.scrub}.
 * The CLI scrubs its stdout, stderr and log with the same registry.
 *
 * Values read as secret (`!secret`, a `secret: true` store) are registered the moment they arrive,
 * before anything could print them, with {@link Secrets.addValue}: a map or list registers every
 * string and scalar in it, a multi-line string each of its lines too (terraform prints a heredoc
 * line by line). Like Atmos's output masker, everything we print then masks them, terraform's
 * output included.
 */
import { AtmosError } from './errors.js';
import { MIN_SECRET_LENGTH, redactSecrets, secretForms } from './redact.js';

export interface Secrets {
  /** Registers a value: the entry point's hook masks any non-empty one in the log; values too short to be secrets are not scrubbed. */
  add(value: string | undefined): void;
  /** Registers a value read as secret: a string with each of its lines, or every string and scalar inside a map or list. */
  addValue(value: unknown): void;
  /** Every registered value. */
  values(): readonly string[];
  /** `text` with every registered value (in each form it may take once rendered) and URL credentials replaced by `***`. */
  scrub(text: string): string;
  /** A copy of a JSON-like value (results, reports) with every string and map key scrubbed. */
  scrubValue<T>(value: T): T;
  /** Whether `text` holds a registered value, in any of its forms. */
  holds(text: string): boolean;
  /** Whether any string or scalar inside `value` holds a registered value (such a variable stays out of files on disk). */
  holdsIn(value: unknown): boolean;
}

/** The strings a value read as secret is registered as. */
function secretStrings(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (typeof value === 'string') {
    out.push(value);
    if (value.includes('\n')) for (const line of value.split(/\r?\n/)) out.push(line.trim());
  } else if (Array.isArray(value)) {
    for (const v of value) secretStrings(v, out);
  } else if (typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) secretStrings(v, out);
  } else {
    out.push(String(value));
  }
  return out;
}

function scrubAny(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubAny(v, scrub));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [scrub(k), scrubAny(v, scrub)]));
  }
  return value;
}

export function secretRegistry(onAdd: (value: string) => void = () => {}): Secrets {
  const values: string[] = [];
  const holds = (text: string) => values.some((v) => secretForms(v).some((f) => text.includes(f)));
  const add = (value: string | undefined) => {
    if (!value || values.includes(value)) return;
    onAdd(value);
    if (value.length < MIN_SECRET_LENGTH) return;
    values.push(value);
    // Longest first: a secret that holds another is scrubbed whole.
    values.sort((a, b) => b.length - a.length);
  };
  const scrub = (text: string) => redactSecrets(text, values);
  return {
    add,
    addValue: (value) => secretStrings(value).forEach((s) => add(s.trim() === '' ? undefined : s)),
    values: () => values,
    scrub,
    scrubValue: <T>(value: T) => scrubAny(value, scrub) as T,
    holds,
    holdsIn: (value) => values.length > 0 && secretStrings(value).some(holds),
  };
}

/**
 * Refuses instances whose stack or component name holds a secret: names become folder names, rows
 * of the comment and outputs, and a `name_template` can read the environment. The message shows
 * the names scrubbed.
 */
export function refuseSecretNames(instances: Iterable<{ stack: string; component: string }>, secrets: Secrets | undefined): void {
  if (!secrets || secrets.values().length === 0) return;
  for (const i of instances) {
    if (secrets.holds(i.stack) || secrets.holds(i.component)) {
      throw new AtmosError(
        `component ${secrets.scrub(i.component)} in stack ${secrets.scrub(i.stack)}: the name holds the value of a secret input (shown as ***); ` +
          'it would become a folder name and appear in the comment, the summary and the outputs, so nothing runs: check the name_template (or name_pattern) and what it reads',
      );
    }
  }
}
