import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { AtmosConfig } from '../config/types.js';
import { readUtf8File } from '../util/text-file.js';
import { AtmosError } from '../util/errors.js';
import { lineOf, parseYaml } from '../util/yaml.js';
import { STACK_EXTENSIONS, hasStackExtension, listStackFiles } from './manifests.js';
import { deepMerge, isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { expandParseTimeTags, mayHoldParseTimeTags } from './functions/include.js';
import { readManifest } from './import-templates.js';
import type { StackTemplates } from './templating.js';

/**
 * Reads stack manifests and their imports (Atmos 1.226's import and overrides rules).
 * Longer than 300 lines on purpose: one ManifestReader owns the per-file caches (parsed YAML,
 * import lists, override scopes) that import resolution and file-scoped overrides both read.
 *
 * Each file is read and parsed once, and its import-merged content ("tree") is computed once and
 * shared by every stack that imports it: a file's tree does not depend on who imports it. The one
 * thing that does, the file-scoped `overrides` of §2.4, is computed separately per top-level
 * manifest by `componentOverrides`.
 */

const ROOT_METADATA_KEYS = new Set(['labels', 'tags', 'custom', 'enabled', 'locked', 'terraform_workspace_pattern']);

interface ManifestFile {
  file: string;
  text: string;
  data: Plain;
  /** Resolved import targets, in merge order. */
  imports: string[];
  /** How each import is read (its context and template switches), parallel to `imports`. */
  importHows: ImportHow[];
}

/** How a file is imported: the context reaching it and the per-import template switches. */
export interface ImportHow {
  context: Plain;
  skipTemplates: boolean;
  ignoreMissing: boolean;
}

const NO_CONTEXT: ImportHow = { context: {}, skipTemplates: false, ignoreMissing: false };

function cacheKey(file: string, how: ImportHow): string {
  if (how === NO_CONTEXT || (Object.keys(how.context).length === 0 && !how.skipTemplates && !how.ignoreMissing)) return file;
  return `${file}\u0000${JSON.stringify(how)}`;
}

function parseOrThrow(text: string, file: string, chain: string[]): unknown {
  try {
    return parseYaml(text, file);
  } catch (e) {
    if (e instanceof AtmosError) throw new AtmosError(e.message, { file: e.file, line: e.line, chain });
    throw e;
  }
}

/** Deeper import chains are refused (a chain of thousands would exhaust the stack); real ones are a handful of levels. */
export const MAX_IMPORT_DEPTH = 1000;

export class ManifestReader {
  private readonly files = new Map<string, ManifestFile>();
  private readonly trees = new Map<string, Plain>();
  private readonly hasOverrides = new Map<string, boolean>();
  private readonly hasSpecial = new Map<string, boolean>();
  private readonly dirListings = new Map<string, string[]>();
  /** Import targets by absolute path or pattern: every stack imports the same catalog entries. */
  private readonly importMatches = new Map<string, string[]>();

  constructor(
    private readonly config: AtmosConfig,
    private readonly templates?: StackTemplates,
  ) {}

  /**
   * Parsed content of one manifest (cached per file and import context). `chain` is the import
   * chain that led here, for errors. A file read with a context is rendered at import time
   * (import-templates.ts); its first reading also answers later context-free lookups.
   */
  read(file: string, chain: string[], how: ImportHow = NO_CONTEXT): ManifestFile {
    const key = cacheKey(file, how);
    const cached = this.files.get(key);
    if (cached) return cached;
    let text: string;
    try {
      text = readUtf8File(file);
    } catch (e) {
      if (e instanceof AtmosError) throw new AtmosError(e.message, { file, line: e.line, chain });
      throw new AtmosError(`cannot read stack manifest: ${(e as Error).message}`, { file, chain });
    }
    const parsed = this.templates
      ? readManifest(
          {
            file,
            text,
            context: how.context,
            skipTemplates: how.skipTemplates,
            ignoreMissing: how.ignoreMissing || this.config.templates.ignoreMissingTemplateValues,
            chain,
          },
          this.templates,
        )
      : parseOrThrow(text, file, chain);
    let data: unknown = parsed === null || parsed === undefined ? {} : parsed;
    if (mayHoldParseTimeTags(text)) {
      const roots = [this.config.basePath, this.config.stacks.basePath];
      data = expandParseTimeTags(data, { file, roots, basePath: this.config.basePath, cwd: this.config.basePath });
    }
    if (!isPlainMap(data)) throw new AtmosError('a stack manifest must be a map at the top level', { file, line: 1, chain });
    this.validate(file, text, data, chain);
    const entry: ManifestFile = { file, text, data, imports: [], importHows: [] };
    this.files.set(key, entry);
    if (!this.files.has(file)) this.files.set(file, entry);
    try {
      this.resolveImports(entry, chain, how);
    } catch (e) {
      this.files.delete(key);
      if (this.files.get(file) === entry) this.files.delete(file);
      throw e;
    }
    return entry;
  }

  private fail(message: string, file: string, text: string, keyPath: (string | number)[], chain: string[]): never {
    throw new AtmosError(message, { file, line: lineOf(text, keyPath), chain });
  }

  private validate(file: string, text: string, data: Plain, chain: string[]): void {
    const meta = data.metadata;
    if (meta !== undefined && meta !== null) {
      if (!isPlainMap(meta)) this.fail('`metadata` must be a map', file, text, ['metadata'], chain);
      for (const k of Object.keys(meta)) {
        if (!ROOT_METADATA_KEYS.has(k)) {
          this.fail(
            `metadata.${k} is not allowed at the top level of a stack manifest (allowed: ${[...ROOT_METADATA_KEYS].join(', ')}); put it under a component`,
            file,
            text,
            ['metadata', k],
            chain,
          );
        }
      }
    }
    for (const section of ['vars', 'settings', 'env', 'terraform', 'components', 'overrides']) {
      const v = data[section];
      if (v !== undefined && v !== null && !isPlainMap(v)) this.fail(`\`${section}\` must be a map`, file, text, [section], chain);
    }
    const tf = mapAt(mapAt(data, 'components'), 'terraform');
    const rawTf = mapAt(data, 'components')?.terraform;
    if (rawTf !== undefined && rawTf !== null && !tf) this.fail('`components.terraform` must be a map', file, text, ['components', 'terraform'], chain);
    for (const [name, c] of Object.entries(tf ?? {})) {
      if (c !== null && !isPlainMap(c)) {
        this.fail(`component ${name} must be a map`, file, text, ['components', 'terraform', name], chain);
      }
      const md = isPlainMap(c) ? c.metadata : undefined;
      if (md !== undefined && md !== null && !isPlainMap(md)) {
        this.fail(`component ${name}: metadata must be a map`, file, text, ['components', 'terraform', name, 'metadata'], chain);
      }
    }
  }

  /** Import entries → files, per §2.1: base-path-relative or `./`/`../` file-relative, implied extensions, sorted globs. */
  private resolveImports(entry: ManifestFile, chain: string[], how: ImportHow): void {
    const { file, text, data } = entry;
    const raw = data.import;
    if (raw === undefined || raw === null) return;
    const entries = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(entries)) this.fail('`import` must be a list', file, text, ['import'], chain);
    const out = entry.imports;
    entries.forEach((item: unknown, i: number) => {
      let p: unknown = item;
      let skipIfMissing = false;
      let childHow: ImportHow = how.context === NO_CONTEXT.context ? NO_CONTEXT : { context: how.context, skipTemplates: false, ignoreMissing: false };
      if (isPlainMap(item)) {
        p = item.path;
        skipIfMissing = item.skip_if_missing === true;
        const ctx = item.context;
        if (ctx !== undefined && ctx !== null && !isPlainMap(ctx)) this.fail('an import `context` must be a map', file, text, ['import', i], chain);
        const skipTemplates = item.skip_templates_processing === true;
        const ignoreMissing = item.ignore_missing_template_values === true;
        const context = isPlainMap(ctx) && Object.keys(ctx).length > 0 ? { ...ctx, ...how.context } : how.context;
        if (skipTemplates || ignoreMissing || context !== how.context) childHow = { context, skipTemplates, ignoreMissing };
        if (!this.templates && Object.keys(context).length > 0) {
          this.fail(`import ${JSON.stringify(p)} passes a \`context\`, which needs Go templates`, file, text, ['import', i], chain);
        }
      }
      if (typeof p !== 'string' || p === '') this.fail('each import must be a path string or {path: ...}', file, text, ['import', i], chain);
      let importPath = p as string;
      if (importPath.includes('{{')) importPath = this.renderImportPath(importPath, entry, how, childHow, i, chain);
      if (/^[a-z0-9+.-]+::|^[a-z]+:\/\//i.test(importPath)) {
        this.fail(`remote import ${JSON.stringify(importPath)} is not supported yet; vendor the file into the stacks folder`, file, text, ['import', i], chain);
      }
      const first = importPath.split('/')[0];
      const base = first === '.' || first === '..' ? path.dirname(file) : this.config.stacks.basePath;
      const abs = path.resolve(base, importPath);
      if (!this.insideRepository(abs)) {
        this.fail(
          `import ${JSON.stringify(importPath)} resolves to ${abs}, outside the repository (${this.config.basePath}); imports must stay inside it`,
          file,
          text,
          ['import', i],
          chain,
        );
      }
      let matches = this.importMatches.get(abs);
      if (!matches) {
        matches = /[*?[{]/.test(importPath) ? this.glob(abs) : this.withExtension(abs);
        this.importMatches.set(abs, matches);
      }
      if (matches.length === 0) {
        if (skipIfMissing) return;
        this.fail(
          `import ${JSON.stringify(importPath)} not found (looked for ${path.relative(this.config.basePath, abs) || abs}${hasStackExtension(abs) ? '' : '.yaml/.yml'})`,
          file,
          text,
          ['import', i],
          chain,
        );
      }
      for (const m of matches) {
        if (m === file) this.fail(`file imports itself (${JSON.stringify(importPath)})`, file, text, ['import', i], chain);
        out.push(m);
        entry.importHows.push(childHow);
      }
    });
  }

  /** A `{{ }}` import path, rendered with the context and this file's settings/vars/env (missing keys are errors). */
  private renderImportPath(importPath: string, entry: ManifestFile, how: ImportHow, childHow: ImportHow, i: number, chain: string[]): string {
    const { file, text, data } = entry;
    if (!this.templates) this.fail(`import path ${JSON.stringify(importPath)} is a Go template`, file, text, ['import', i], chain);
    const tplData = { settings: data.settings ?? {}, vars: data.vars ?? {}, env: data.env ?? {}, ...how.context, ...childHow.context };
    const ignore = childHow.ignoreMissing || how.ignoreMissing || this.config.templates.ignoreMissingTemplateValues;
    try {
      return this.templates!.render(importPath, tplData, 'full', ignore ? 'default' : 'error', file);
    } catch (e) {
      return this.fail(`import path ${JSON.stringify(importPath)}: ${(e as Error).message}`, file, text, ['import', i], chain);
    }
  }

  /** Imports are names from YAML: they may use `../` but never leave the base path (or an outside stacks folder). */
  private insideRepository(abs: string): boolean {
    return [this.config.basePath, this.config.stacks.basePath].some((root) => {
      const rel = path.relative(root, abs);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
  }

  private withExtension(abs: string): string[] {
    if (hasStackExtension(abs)) {
      if (!abs.endsWith('.tmpl') && isFile(abs + '.tmpl')) return [abs + '.tmpl'];
      return isFile(abs) ? [abs] : [];
    }
    const found = STACK_EXTENSIONS.map((e) => abs + e).find(isFile);
    return found ? [found] : [];
  }

  private glob(absPattern: string): string[] {
    const segments = absPattern.split(path.sep);
    const firstGlob = segments.findIndex((s) => /[*?[{]/.test(s));
    const root = segments.slice(0, firstGlob).join(path.sep) || path.sep;
    let listing = this.dirListings.get(root);
    if (!listing) {
      listing = listStackFiles(root);
      this.dirListings.set(root, listing);
    }
    const patterns = hasStackExtension(absPattern) ? [absPattern] : [absPattern, ...STACK_EXTENSIONS.map((e) => absPattern + e)];
    const m = picomatch(patterns, { dot: true });
    return listing.filter((f) => m(f)).sort();
  }

  /**
   * The file merged over its imports: deep-merge(import_1 tree, …, import_n tree, the file), with
   * `import` and every `overrides` key removed (those are applied per stack, see componentOverrides).
   */
  tree(file: string, chain: string[] = [], how: ImportHow = NO_CONTEXT): Plain {
    const key = cacheKey(file, how);
    const cached = this.trees.get(key);
    if (cached) return cached;
    const here = [...chain, file];
    if (here.length > MAX_IMPORT_DEPTH) {
      // The chain itself would be a thousand lines: its ends say where to look.
      const ends = [...here.slice(0, 3).map((f) => this.rel(f)), '…', ...here.slice(-3).map((f) => this.rel(f))];
      throw new AtmosError(`imports nest more than ${MAX_IMPORT_DEPTH} levels deep: ${ends.join(' → ')}; flatten the import chain`, { file });
    }
    if (chain.includes(file)) {
      throw new AtmosError(`import cycle: ${here.map((f) => this.rel(f)).join(' → ')}`, { file, chain: here });
    }
    const m = this.read(file, here, how);
    const layers = m.imports.map((imp, i) => this.tree(imp, here, m.importHows[i]));
    const result = deepMerge([...layers, ownContent(m.data)], this.config.listMergeStrategy);
    this.trees.set(key, result);
    return result;
  }

  /**
   * Per-component `overrides` for one top-level manifest (§2.4): every component defined in a
   * file gets merge(acc, inline), where inline is the file's own overrides under its importers'
   * and acc collects what earlier imports (and their subtrees) declared. Merged in the same
   * post-order as the data itself.
   */
  componentOverrides(top: string): Map<string, Plain> {
    const result = new Map<string, Plain>();
    const strategy = this.config.listMergeStrategy;
    const visit = (file: string, parentInline: Plain, parentAcc: Plain): [Plain, Plain] => {
      if (isEmpty(parentInline) && isEmpty(parentAcc) && !this.subtreeHasOverrides(file)) return [{}, {}];
      const m = this.read(file, [file]);
      const inline = deepMerge([m.data.overrides, mapAt(m.data, 'terraform')?.overrides, parentInline], strategy);
      let acc = parentAcc;
      for (const imp of m.imports) {
        const [ii, ia] = visit(imp, inline, acc);
        acc = deepMerge([acc, ia, ii], strategy);
      }
      const mine = deepMerge([acc, inline], strategy);
      if (!isEmpty(mine)) {
        for (const name of Object.keys(mapAt(mapAt(m.data, 'components'), 'terraform') ?? {})) {
          result.set(name, deepMerge([result.get(name), mine], strategy));
        }
      }
      return [inline, acc];
    };
    visit(top, {}, {});
    return result;
  }

  private subtreeHasOverrides(file: string): boolean {
    const cached = this.hasOverrides.get(file);
    if (cached !== undefined) return cached;
    this.hasOverrides.set(file, false); // cycles were already refused by tree()
    const m = this.read(file, [file]);
    const own = !isEmpty(m.data.overrides) || !isEmpty(mapAt(m.data, 'terraform')?.overrides);
    const v = own || m.imports.some((i) => this.subtreeHasOverrides(i));
    this.hasOverrides.set(file, v);
    return v;
  }

  /**
   * Whether the file or anything it imports may hold a YAML function (`!tag`) or, when templates
   * are on, a Go template. When not, nothing from this tree needs scanning for unsupported values.
   */
  treeMayHoldFunctions(file: string): boolean {
    return this.treeTextHas(file, '!') || (this.config.templatesEnabled && this.treeTextHas(file, this.config.templates.delimiters[0]));
  }

  /** Whether the file or anything it imports contains `needle` in its text (memoised per needle). */
  treeTextHas(file: string, needle: string): boolean {
    const key = `${needle}\u0000${file}`;
    const cached = this.hasSpecial.get(key);
    if (cached !== undefined) return cached;
    this.hasSpecial.set(key, false);
    const m = this.read(file, [file]);
    const v = m.text.includes(needle) || m.imports.some((i) => this.treeTextHas(i, needle));
    this.hasSpecial.set(key, v);
    return v;
  }

  /** All files a top-level manifest pulls in, transitively, in merge order (for `imports` / deps). */
  transitiveImports(top: string): string[] {
    const out = new Set<string>();
    const walk = (f: string) => {
      for (const i of this.read(f, [f]).imports) {
        walk(i);
        out.add(i);
      }
    };
    walk(top);
    return [...out];
  }

  /** Source text of an already-read file, for locating errors. */
  textOf(file: string): string | undefined {
    return this.files.get(file)?.text;
  }

  /** Raw (pre-merge) component definitions of one file. */
  componentsDefinedIn(file: string): Plain {
    return mapAt(mapAt(this.read(file, [file]).data, 'components'), 'terraform') ?? {};
  }

  rel(file: string): string {
    return path.relative(this.config.basePath, file) || file;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (isPlainMap(v) && Object.keys(v).length === 0);
}

/** A file's own content as it enters the merge: no `import`, no `overrides` anywhere. */
function ownContent(data: Plain): Plain {
  const { import: _i, overrides: _o, ...rest } = data;
  const tf = mapAt(rest, 'terraform');
  if (tf && 'overrides' in tf) {
    const { overrides: _to, ...tfRest } = tf;
    rest.terraform = tfRest;
  }
  const comps = mapAt(mapAt(rest, 'components'), 'terraform');
  if (comps && Object.values(comps).some((c) => isPlainMap(c) && 'overrides' in c)) {
    const stripped: Plain = {};
    for (const [name, c] of Object.entries(comps)) {
      if (isPlainMap(c) && 'overrides' in c) {
        const { overrides: _co, ...cRest } = c;
        stripped[name] = cRest;
      } else stripped[name] = c;
    }
    rest.components = { ...(rest.components as Plain), terraform: stripped };
  }
  return rest;
}
