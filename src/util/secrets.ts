/**
 * The secret values of one run (the encryption key, the GitHub token, and whatever a store hands
 * us): registered once, masked in the log by the entry point's hook (`core.setSecret` in the
 * action), and scrubbed from everything we write ourselves: the PR comment, job summaries, step
 * outputs, annotations and log lines. The runner masks its log, but not API calls, summaries read
 * back from disk or names we turn into folders, so every sink goes through {@link Secrets.scrub}.
 */
import { AtmosError } from './errors.js';
import { MIN_SECRET_LENGTH, redactSecrets, secretForms } from './redact.js';

export interface Secrets {
  /** Registers a value: the entry point's hook masks any non-empty one in the log; values too short to be secrets are not scrubbed. */
  add(value: string | undefined): void;
  /** Every registered value. */
  values(): readonly string[];
  /** `text` with every registered value (in each form it may take once rendered) and URL credentials replaced by `***`. */
  scrub(text: string): string;
  /** Whether `text` holds a registered value, in any of its forms. */
  holds(text: string): boolean;
}

export function secretRegistry(onAdd: (value: string) => void = () => {}): Secrets {
  const values: string[] = [];
  return {
    add(value) {
      if (!value || values.includes(value)) return;
      onAdd(value);
      if (value.length >= MIN_SECRET_LENGTH) values.push(value);
    },
    values: () => values,
    scrub: (text) => redactSecrets(text, values),
    holds: (text) => values.some((v) => secretForms(v).some((f) => text.includes(f))),
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
