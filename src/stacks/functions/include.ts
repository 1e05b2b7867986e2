/**
 * The YAML functions Atmos runs while it parses a manifest (docs/atmos-compatibility.md §11.5):
 * `!include` / `!include.raw` (local files only) and `!literal` (the tag is dropped). They run
 * before imports are merged, so an included map deep-merges like any other value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../../util/errors.js';
import { parseHclAttributes } from '../../util/hcl.js';
import { parseYaml } from '../../util/yaml.js';
import { mapStrings } from '../section-templates.js';
import { queryPath, splitTag, tokenize } from './args.js';
import { STACK_MANIFEST_TAGS } from '../../util/yaml-tags.js';

export interface IncludeContext {
  /** The manifest holding the tag. */
  file: string;
  /** Directories an included file must stay inside (the repository). */
  roots: string[];
  basePath: string;
  cwd: string;
}

/** Whether a parsed manifest may hold a parse-time tag (a cheap test on its text). */
export function mayHoldParseTimeTags(text: string): boolean {
  return text.includes('!include') || text.includes('!literal');
}

export function expandParseTimeTags(data: unknown, ctx: IncludeContext): unknown {
  return mapStrings(data, (s, at) => {
    if (!s.startsWith('!include') && !s.startsWith('!literal')) return undefined;
    const tagged = splitTag(s);
    if (!tagged) return undefined;
    const [tag, args] = tagged;
    if (tag === 'literal') return args;
    if (tag !== 'include' && tag !== 'include.raw') return undefined;
    try {
      return include(tag === 'include.raw', args, ctx);
    } catch (e) {
      throw new AtmosError(`${at}: !${tag} ${args}: ${(e as Error).message}`, { file: ctx.file, cause: e });
    }
  });
}

function include(raw: boolean, args: string, ctx: IncludeContext): unknown {
  const [target, ...rest] = tokenize(args);
  if (!target) throw new Error('needs a file path');
  if (/^[a-z][a-z0-9+.-]*:\/\/|::/i.test(target)) {
    throw new Error(
      'remote includes (URLs, go-getter sources) need the network, which atmos-action does not use while reading stacks; vendor the file into the repository',
    );
  }
  const abs = resolveIncludePath(target, ctx);
  const text = fs.readFileSync(abs, 'utf8');
  if (raw) return text;
  let value: unknown;
  const ext = path.extname(abs).toLowerCase();
  if (ext === '.json') value = JSON.parse(text);
  else if (ext === '.yaml' || ext === '.yml') value = parseYaml(text, abs, STACK_MANIFEST_TAGS);
  else if (ext === '.env') value = parseDotenv(text);
  else if (ext === '.hcl' || ext === '.tf' || ext === '.tfvars') value = parseHclAttributes(text, abs);
  else value = text;
  return rest.length ? query(value, rest.join(' ')) : value;
}

/** `./` and `../` relative to the manifest; else the working directory when it exists there; else base_path. */
function resolveIncludePath(target: string, ctx: IncludeContext): string {
  let abs: string;
  if (path.isAbsolute(target)) abs = target;
  else if (target.startsWith('./') || target.startsWith('../')) abs = path.resolve(path.dirname(ctx.file), target);
  else abs = fs.existsSync(path.resolve(ctx.cwd, target)) ? path.resolve(ctx.cwd, target) : path.resolve(ctx.basePath, target);
  const inside = ctx.roots.some((r) => {
    const rel = path.relative(r, abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
  if (!inside) throw new Error(`${abs} is outside the repository`);
  if (!fs.existsSync(abs)) throw new Error(`file ${abs} not found`);
  return abs;
}

function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

function query(value: unknown, expr: string): unknown {
  const out = queryPath(value, expr);
  if (out === undefined) throw new Error(`the YQ expression ${JSON.stringify(expr)} is not supported (only paths like .a.b[0])`);
  return out;
}
