/**
 * The one on/off vocabulary of every input, flag and environment variable atmos-action reads
 * itself: true/yes/on/1 and false/no/off/0, in any case. Callers word their own error (a flag, an
 * input, a variable) with {@link BOOLEAN_WORDS}.
 */

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** What a boolean value may be, for error messages. */
export const BOOLEAN_WORDS = 'true or false (yes/no, on/off, 1/0)';

/** `true` or `false` for one of the words (surrounding blanks ignored), `undefined` for anything else, the empty string included. */
export function parseBoolean(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  return undefined;
}
