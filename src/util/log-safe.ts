/**
 * Text from YAML (source URIs, refs, names) and from git reaches log lines that the GitHub runner
 * parses: a line that starts with `::` (after leading blanks) is a workflow command (`::add-mask::`,
 * `::error::`, the old `::set-output`), and `##[` anywhere on a line is the older command form. A
 * carriage return, a Unicode line separator or an ESC sequence can also forge or hide what the
 * user reads. So such values are refused where they enter (refuseControlChars), and every line the
 * log adapters print goes through logSafe.
 */
import { AtmosError } from './errors.js';

/**
 * C0 controls (NUL…US, so CR, LF, ESC, tab), DEL, C1 controls (including NEL U+0085) and the
 * Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_G = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A value quoted for a message, every control character written as `\uXXXX` so it can neither break nor hide a line. */
export function showValue(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`).replace(CONTROL_CHARS_G, escapeChar)}"`;
}

/** Refuses a value from YAML that holds a control character; `what` names the value and the instance. */
export function refuseControlChars(value: string, what: string): void {
  if (CONTROL_CHAR.test(value)) {
    throw new AtmosError(`${what} ${showValue(value)} contains a control character (line breaks, escape sequences and the like are not allowed)`);
  }
}

/**
 * What a log adapter prints for `message`: line feeds stay (messages may span lines), tabs stay,
 * every other control character becomes a visible `\uXXXX`, a line that the runner would read as a
 * workflow command gets `» ` in front, and `##[` becomes `# #[`.
 */
export function logSafe(message: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = message.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, escapeChar);
  return visible
    .split('\n')
    .map((line) => (/^\s*::/.test(line) ? `» ${line}` : line).replace(/##\[/g, '# #['))
    .join('\n');
}
