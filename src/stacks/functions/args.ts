/**
 * The argument grammar of Atmos's YAML functions: tokens separated by whitespace, `"…"` and
 * `'…'` quote a token (a doubled quote escapes it), `|` is a token of its own.
 */
export function tokenize(input: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '|') {
      out.push('|');
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let tok = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new Error(`unterminated ${c} quote in ${JSON.stringify(input)}`);
        if (input[i] === c) {
          if (input[i + 1] === c) {
            tok += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        tok += input[i++];
      }
      out.push(tok);
      continue;
    }
    let tok = '';
    while (i < input.length && !/\s/.test(input[i]) && input[i] !== '|') tok += input[i++];
    out.push(tok);
  }
  return out;
}

/**
 * `!tag rest` → [tag, rest trimmed]. As in Atmos (matchesTag), the tag ends at the first character
 * that cannot continue a tag name (a letter, digit, `.`, `-` or `_`), whitespace or not: a
 * `!template |` block whose template trims the space (`{{- toJson .x -}}`) renders to
 * `!template["a"]`, still a call of `!template`.
 */
export function splitTag(s: string): [string, string] | undefined {
  const m = /^!([A-Za-z0-9._-]+)([\s\S]*)$/.exec(s);
  return m ? [m[1], m[2].trim()] : undefined;
}

/** A reference to another instance's output: `!terraform.output component [stack] expression`. */
export interface OutputReference {
  fn: 'terraform.output' | 'terraform.state';
  component: string;
  /** Undefined: the reader's own stack. */
  stack?: string;
  /** YQ expression, `.` prefixed (`vpc_id` → `.vpc_id`). */
  expression: string;
}

export function parseOutputReference(fn: OutputReference['fn'], args: string): OutputReference {
  const parts = args.trim().split(/\s+/);
  if (parts.length < 2 || parts[0] === '') throw new Error(`!${fn} needs a component and an output: !${fn} <component> [<stack>] <output>`);
  const second = parts[1];
  let stack: string | undefined;
  let expr: string;
  if (parts.length === 2 || /^[.[{|'"]/.test(second)) {
    expr = args.trim().slice(parts[0].length).trim();
  } else {
    stack = second;
    expr = args.trim().slice(parts[0].length).trim().slice(second.length).trim();
  }
  if (/^'.*'$|^".*"$/.test(expr)) expr = expr.slice(1, -1);
  if (!expr.startsWith('.')) expr = `.${expr}`;
  return { fn, component: parts[0], stack, expression: expr };
}

/**
 * The YQ subset real stacks use: a path of `.key`, `["key"]` and `[n]` steps (`.` alone is the
 * value). Undefined when the expression is anything else; a missing step gives null.
 */
export function queryPath(value: unknown, expr: string): unknown {
  const e = expr.trim();
  if (e === '.') return value;
  const steps = e.match(/\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"]*"\]/g);
  if (!steps || steps.join('') !== e) return undefined;
  let cur = value;
  for (const st of steps) {
    const map = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>) : undefined;
    if (st.startsWith('.')) cur = map?.[st.slice(1)];
    else if (st.startsWith('["')) cur = map?.[st.slice(2, -2)];
    else cur = Array.isArray(cur) ? cur[Number(st.slice(1, -1))] : undefined;
  }
  return cur ?? null;
}

/**
 * An output expression split at YQ's `//`: the path, and the default (JSON when it parses, else
 * the text without single quotes) used when the path's value is missing or null.
 */
export function splitDefault(expression: string): { path: string; fallback?: unknown } {
  const [pathExpr, ...rest] = expression.split('//');
  if (rest.length === 0) return { path: pathExpr! };
  const text = rest.join('//').trim();
  try {
    return { path: pathExpr!, fallback: JSON.parse(text) };
  } catch {
    return { path: pathExpr!, fallback: text.replace(/^'(.*)'$/, '$1') };
  }
}
