/**
 * Text from YAML or terraform (stack and component names, addresses, failure reasons) placed into
 * what we post on GitHub: a pull-request comment or a job summary. A pull request chooses these
 * names, so they must not be able to change what the reader sees:
 *
 * - in Markdown (table cells, lines): no table breaks, no code spans, no inline HTML;
 * - in HTML (`<summary>` lines: GitHub does not read Markdown inside an HTML block, so a Markdown
 *   backslash escape would leave `<img …>`, `</details>` or `<!--` live): entities for `& < > " '`;
 * - everywhere: `@name` and `#123` stay text (GitHub would notify a user or team, or link an issue),
 *   and bidirectional control characters, which can make text read differently from what it is
 *   ("Trojan Source"), are removed.
 *
 * Pure. In util/ so that the secret scrubber (util/redact.ts) knows the forms a value takes once rendered.
 */

/** Explicit embeddings and overrides, isolates, and the implicit direction marks. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

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

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A name or short text inside HTML (a `<summary>`): entities for markup characters, one line, no mentions. */
export function htmlText(s: string): string {
  const escaped = stripBidi(s)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\r\n]+/g, ' ');
  return neutralizeReferences(escaped);
}

/** Text shown verbatim inside a fenced code block (the fence itself is chosen by the caller): only the bidi controls go. */
export function codeText(s: string): string {
  return stripBidi(s);
}
