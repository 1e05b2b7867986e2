/**
 * Reads the user's own terraform CLI configuration just far enough to build the store's config on
 * top of it: the `provider_installation` methods (kept in order, each later told to exclude what
 * the store serves), `plugin_cache_dir` (taken out: parallel inits must never write to it; it only
 * seeds the store), and everything else kept verbatim (credentials, hosts, checkpoint settings).
 *
 * Strict: a construct it does not understand inside `provider_installation` (e.g. `dev_overrides`)
 * or a JSON config is refused, and the caller then leaves the store off rather than change what
 * the user's config means. Located once and read at most once per command
 * ({@link readTerraformCliConfig}); the rest is pure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import type { InstallationMethod } from './cli-config.js';

/** The user's terraform CLI configuration, read once: what the provider store and the plugin-cache policy both start from. */
export interface TerraformCliConfig {
  /** The file terraform reads: `TF_CLI_CONFIG_FILE`, else `~/.terraformrc`; '' when neither can be named. */
  file: string;
  /** Its text; '' when it does not exist (terraform ignores a missing file, and so do we). */
  text: string;
  /** What the store builds on, or why the store cannot build on it (then it stays off). */
  parsed: UserCliConfig | { problem: string };
  /** It sets `plugin_cache_dir`, which parallel inits must not share (read even where `parsed` is a problem). */
  setsPluginCache: boolean;
}

/** Where terraform looks for its CLI configuration, given the user's `TF_CLI_CONFIG_FILE` and `HOME`. */
export function cliConfigLocation(vars: { tfCliConfigFile?: string; home?: string }): string {
  return vars.tfCliConfigFile || (vars.home ? path.join(vars.home, '.terraformrc') : '');
}

/** Reads and parses the configuration at `file` (see {@link cliConfigLocation}). */
export function readTerraformCliConfig(file: string): TerraformCliConfig {
  let text = '';
  try {
    if (file) text = fs.readFileSync(file, 'utf8');
  } catch {
    // Missing or unreadable: terraform goes on without it.
  }
  let parsed: TerraformCliConfig['parsed'];
  try {
    parsed = parseUserCliConfig(text, file || '(no CLI configuration)');
  } catch (e) {
    parsed = { problem: (e as Error).message };
  }
  return { file, text, parsed, setsPluginCache: cliConfigSetsPluginCache(text) };
}

/**
 * A CLI config (`.terraformrc`, `TF_CLI_CONFIG_FILE`) that sets `plugin_cache_dir` cannot be undone
 * through the environment (an empty TF_PLUGIN_CACHE_DIR does not override it), so callers that run
 * inits in parallel must serialise them instead. Matches the top-level attribute only, and reads
 * files the strict parser refuses too.
 */
export function cliConfigSetsPluginCache(cliConfigText: string): boolean {
  return /^\s*plugin_cache_dir\s*=/m.test(cliConfigText.replace(/^\s*(#|\/\/).*$/gm, ''));
}

export interface UserCliConfig {
  /** `undefined`: no `provider_installation` block (terraform's implicit `direct`). */
  methods?: InstallationMethod[];
  pluginCacheDir?: string;
  /** The rest of the file, verbatim. */
  extra: string;
}

interface Span {
  start: number;
  end: number;
}

/** Offsets of top-level statements, skipping strings and comments; each span covers one statement. */
function topLevelStatements(text: string): Span[] {
  const spans: Span[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new AtmosError('unterminated comment');
      i = end + 1;
      continue;
    } else if (c === '"') {
      if (start < 0) start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (i >= text.length) throw new AtmosError('unterminated string');
      continue;
    } else if (c === '{' || c === '[') {
      if (start < 0) start = i;
      depth++;
      continue;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) throw new AtmosError(`unbalanced "${c}"`);
      continue;
    }
    if (text[i] === '\n' || i === text.length - 1) {
      if (depth === 0 && start >= 0) {
        spans.push({ start, end: i + 1 });
        start = -1;
      }
    } else if (start < 0 && !/\s/.test(text[i]!)) start = i;
  }
  if (depth !== 0) throw new AtmosError('unbalanced braces');
  if (start >= 0) spans.push({ start, end: text.length });
  return spans;
}

function unquote(s: string): string {
  return JSON.parse(s.replace(/\t/g, '\\t')) as string;
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const ATTR = new RegExp(String.raw`^\s*(path|url)\s*=\s*(${STRING})\s*$`);
const LIST = new RegExp(String.raw`^\s*(include|exclude)\s*=\s*\[((?:\s*${STRING}\s*,?)*)\s*\]\s*$`);

function parseMethods(body: string): InstallationMethod[] {
  const methods: InstallationMethod[] = [];
  const noComments = body.replace(/^\s*(#|\/\/).*$/gm, '');
  const block = /(direct|filesystem_mirror|network_mirror)\s*\{([^{}]*)\}/gy;
  let rest = noComments;
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    if (rest === '') break;
    block.lastIndex = 0;
    const m = block.exec(rest);
    if (!m) throw new AtmosError(`provider_installation: cannot read ${JSON.stringify(rest.slice(0, 40))}`);
    const [, kind, inner] = m as unknown as [string, InstallationMethod['kind'], string];
    const method: Record<string, unknown> = { kind };
    for (const line of inner!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const a = ATTR.exec(line);
      const l = LIST.exec(line);
      if (a) method[a[1]!] = unquote(a[2]!);
      else if (l) method[l[1]!] = [...l[2]!.matchAll(new RegExp(STRING, 'g'))].map((s) => unquote(s[0]));
      else throw new AtmosError(`provider_installation ${kind}: cannot read ${JSON.stringify(line)}`);
    }
    if ((kind === 'filesystem_mirror' && typeof method.path !== 'string') || (kind === 'network_mirror' && typeof method.url !== 'string')) {
      throw new AtmosError(`provider_installation ${kind}: missing ${kind === 'filesystem_mirror' ? 'path' : 'url'}`);
    }
    methods.push(method as InstallationMethod);
    rest = rest.slice(m[0].length);
  }
  return methods;
}

/** Throws AtmosError (naming `file`) for what it cannot read faithfully. */
export function parseUserCliConfig(text: string, file: string): UserCliConfig {
  if (file.endsWith('.json')) throw new AtmosError(`${file}: JSON CLI configurations are not read by the provider store`);
  try {
    const out: UserCliConfig = { extra: '' };
    const kept: string[] = [];
    for (const s of topLevelStatements(text)) {
      const stmt = text.slice(s.start, s.end);
      const pi = /^provider_installation\s*\{([\s\S]*)\}\s*$/.exec(stmt.trim());
      const pc = new RegExp(String.raw`^plugin_cache_dir\s*=\s*(${STRING})\s*$`).exec(stmt.trim());
      if (pi) {
        if (out.methods) throw new AtmosError('provider_installation given twice');
        out.methods = parseMethods(pi[1]!);
      } else if (pc) out.pluginCacheDir = unquote(pc[1]!);
      else if (/^plugin_cache_(dir|may_break)/.test(stmt.trim())) {
        if (/^plugin_cache_dir/.test(stmt.trim())) throw new AtmosError('plugin_cache_dir must be a plain string');
      } else kept.push(text.slice(s.start, s.end).trimEnd());
    }
    out.extra = kept.length ? `${kept.join('\n')}\n` : '';
    return out;
  } catch (e) {
    throw new AtmosError(`${file}: ${(e as Error).message}`, { file, cause: e });
  }
}
