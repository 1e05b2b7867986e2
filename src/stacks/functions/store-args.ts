/**
 * The argument grammar of `!store`, `!store.get` and `!secret`, as Atmos parses them:
 * - `!store <store> [<stack>] <component> <key> [| default <value>] [| query <yq>]`
 * - `!store.get <store> <key> [| default <value>] [| query <yq>]`
 * - `!secret <NAME> [| path <yq>] [| default <value>]`
 * Tokens are separated by blanks; `"…"` and `'…'` quote one (a doubled quote escapes); `|` is a
 * token of its own. The first `| default` or `| query` starts the options; `default` takes exactly
 * one token and is kept as a string, `query` takes the rest up to the next option.
 */

interface Token {
  value: string;
  kind: 'pipe' | 'quoted' | 'text';
  offset: number;
}

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '|') {
      out.push({ value: '|', kind: 'pipe', offset: i++ });
    } else if (c === '"' || c === "'") {
      const start = i++;
      for (;;) {
        if (i >= input.length || input[i] === '\n' || input[i] === '\r') throw new Error('unterminated quoted value');
        if (input[i] === c) {
          if (input[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      out.push({ value: input.slice(start, i), kind: 'quoted', offset: start });
    } else {
      const start = i;
      while (i < input.length && !/\s/.test(input[i]!) && input[i] !== '|') i++;
      out.push({ value: input.slice(start, i), kind: 'text', offset: start });
    }
  }
  return out;
}

/** A quoted token without its quotes (doubled quotes undone); anything else as written. */
function unquote(value: string): string {
  const v = value.trim();
  if (v.length < 2 || v[0] !== v[v.length - 1]) return v;
  if (v[0] === "'") return v.slice(1, -1).split("''").join("'");
  if (v[0] === '"') return v.slice(1, -1).split('""').join('"');
  return v;
}

export interface StoreOptions {
  /** `| default V`: returned (as a string) when the read fails. */
  default?: string;
  /** `| query Q`: a YQ expression applied to the value read. */
  query?: string;
}

const isOption = (tokens: Token[], i: number) => tokens[i]?.kind === 'pipe' && ['default', 'query'].includes(unquote(tokens[i + 1]?.value ?? ''));

function splitOptions(input: string): { words: string[]; options: StoreOptions } {
  const tokens = lex(input);
  const first = tokens.findIndex((_t, i) => isOption(tokens, i));
  const head = first < 0 ? tokens : tokens.slice(0, first);
  if (head.some((t) => t.kind === 'pipe')) throw new Error('unexpected `|` (options are `| default <value>` and `| query <expression>`)');
  const options: StoreOptions = {};
  for (let i = first; first >= 0 && i < tokens.length;) {
    if (!isOption(tokens, i)) throw new Error('expected `| default <value>` or `| query <expression>`');
    const keyword = unquote(tokens[i + 1]!.value);
    const valueStart = i + 2;
    if (valueStart >= tokens.length || tokens[valueStart]!.kind === 'pipe') throw new Error(`\`| ${keyword}\` needs a value`);
    let next = valueStart;
    while (next < tokens.length && !isOption(tokens, next)) next++;
    if (keyword === 'default') {
      if (next !== valueStart + 1) throw new Error('`| default` takes one value (quote it if it holds blanks)');
      options.default = unquote(tokens[valueStart]!.value);
    } else {
      const last = tokens[next - 1]!;
      options.query = unquote(input.slice(tokens[valueStart]!.offset, last.offset + last.value.length));
    }
    i = next;
  }
  return { words: head.map((t) => unquote(t.value)), options };
}

export interface StoreArgs extends StoreOptions {
  store: string;
  /** Undefined: the reading instance's stack. */
  stack?: string;
  component: string;
  key: string;
}

export function parseStoreArgs(input: string): StoreArgs {
  const { words, options } = splitOptions(input);
  if (words.length === 3) return { store: words[0]!, component: words[1]!, key: words[2]!, ...options };
  if (words.length === 4) return { store: words[0]!, stack: words[1]!, component: words[2]!, key: words[3]!, ...options };
  throw new Error('usage: !store <store> [<stack>] <component> <key> [| default <value>] [| query <expression>]');
}

export interface StoreGetArgs extends StoreOptions {
  store: string;
  key: string;
}

export function parseStoreGetArgs(input: string): StoreGetArgs {
  const { words, options } = splitOptions(input);
  if (words.length !== 2) throw new Error('usage: !store.get <store> <key> [| default <value>] [| query <expression>]');
  return { store: words[0]!, key: words[1]!, ...options };
}

export interface SecretArgs {
  name: string;
  /** `| path Q`: a YQ expression applied to a structured secret. */
  path?: string;
  default?: string;
}

/** Atmos's own simpler grammar for `!secret`: split on `|`, each modifier `<keyword> <value>`, quotes trimmed. */
export function parseSecretArgs(input: string): SecretArgs {
  const [head, ...mods] = input.split('|');
  const name = head!.trim();
  if (name === '') throw new Error('usage: !secret <NAME> [| path <expression>] [| default <value>]');
  const out: SecretArgs = { name };
  for (const m of mods) {
    const t = m.trim();
    const blank = t.search(/ /);
    if (blank < 0) throw new Error(`invalid modifier ${JSON.stringify(m.trim())} (use \`| path <expression>\` or \`| default <value>\`)`);
    const keyword = t.slice(0, blank).replace(/^["']+|["']+$/g, '');
    const value = t
      .slice(blank + 1)
      .trim()
      .replace(/^["']+|["']+$/g, '');
    if (keyword === 'path') out.path = value;
    else if (keyword === 'default') out.default = value;
    else throw new Error(`unknown modifier ${JSON.stringify(keyword)} (use \`| path <expression>\` or \`| default <value>\`)`);
  }
  return out;
}
