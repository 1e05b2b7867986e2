/**
 * Text from YAML or terraform (stack and component names, addresses, failure reasons) placed into
 * what we post on GitHub: a pull-request comment or a job summary. A pull request chooses these
 * names, so they must not be able to change what the reader sees:
 *
 * - in Markdown (table cells, lines): no table breaks, no code spans, no inline HTML;
 * - in code spans and blocks: a delimiter longer than any backtick run inside ({@link fence}, {@link codeSpan});
 * - in HTML (`<summary>` lines: GitHub does not read Markdown inside an HTML block, so a Markdown
 *   backslash escape would leave `<img …>`, `</details>` or `<!--` live): entities for `& < > " '`;
 * - everywhere: `@name` and `#123` stay text (GitHub would notify a user or team, or link an issue),
 *   and bidirectional control characters, which can make text read differently from what it is
 *   ("Trojan Source"), are removed.
 *
 * The one escaping module: every renderer of report/ (comment, summaries, drift issues) uses it. Pure.
 * In util/ so that the secret scrubber (util/redact.ts) knows the forms a value takes once rendered.
 */

/** Explicit embeddings and overrides, isolates, and the implicit direction marks (a regular expression class). */
const BIDI_CLASS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const BIDI_CONTROLS = new RegExp(`[${BIDI_CLASS}]`, 'g');
/** What hidden JSON escapes: markup characters and the bidi controls. */
const HIDDEN_ESCAPED = new RegExp(`[<>&${BIDI_CLASS}]`, 'g');

/** Removes bidirectional control characters. */
export function stripBidi(s: string): string {
  return s.replace(BIDI_CONTROLS, '');
}

/**
 * `@user`, `@org/team` and `#123` as plain text: a zero-width space after the sign keeps GitHub from
 * turning them into a mention (which notifies) or a cross-reference (which links and back-links).
 */
export function neutralizeReferences(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9])/g, '@\u200b').replace(/#(?=\d)/g, '#\u200b');
}

/** A name or short text in a Markdown table cell or line: no HTML, no table breaks, no code spans, no mentions. */
export function markdownText(s: string): string {
  const escaped = stripBidi(s)
    .replace(/[\\`*_[\]<>|&]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
  return neutralizeReferences(escaped);
}

/** A name in a plain-text field GitHub still links (an issue title): one line, no bidi controls, no mentions or cross-references. */
export function titleText(s: string): string {
  return neutralizeReferences(stripBidi(s).replace(/[\r\n]+/g, ' '));
}

/**
 * A value as JSON inside an HTML comment (the hidden data of the comment and the drift issues):
 * `<`, `>`, `&` and the bidi controls as JSON escapes, so no name can end the comment (`-->`), open
 * markup or reverse the text around it, and parsing gives the value back exactly.
 */
export function hiddenJson(v: unknown): string {
  return JSON.stringify(v).replace(HIDDEN_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A name or short text inside HTML (a `<summary>`): entities for markup characters, one line, no mentions. */
export function htmlText(s: string): string {
  const escaped = stripBidi(s)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\r\n]+/g, ' ');
  return neutralizeReferences(escaped);
}

/** Text shown verbatim inside a code span or block (the delimiter is chosen by {@link fence}): only the bidi controls go. */
export function codeText(s: string): string {
  return stripBidi(s);
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
}

/** A code fence longer than any backtick run in `text` (at least three), so nothing inside can close it. */
export function fence(text: string): string {
  return '`'.repeat(Math.max(2, longestBacktickRun(text)) + 1);
}

/** Inline code holding `text` as is (bidi controls removed): delimited by more backticks than any run inside it. */
export function codeSpan(text: string): string {
  const shown = codeText(text);
  const ticks = '`'.repeat(longestBacktickRun(shown) + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${shown}${pad}${ticks}`;
}
