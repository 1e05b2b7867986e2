/**
 * Import entries → files (docs/atmos-compatibility.md §2.1): a string or `{path, context,
 * skip_if_missing, skip_templates_processing, ignore_missing_template_values}`; base-path-relative
 * or `./`/`../` file-relative; implied extensions; sorted globs; never outside the repository.
 * Directory listings and the matches of each path are cached for the run: every stack imports the
 * same catalog entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { AtmosConfig } from '../config/types.js';
import { isPlainMap, type Plain } from '../util/merge.js';
import { STACK_EXTENSIONS, hasStackExtension, listStackFiles } from './manifests.js';

/** How a file is imported: the context reaching it and the per-import template switches. */
export interface ImportHow {
  context: Plain;
  skipTemplates: boolean;
  ignoreMissing: boolean;
}

export const NO_CONTEXT: ImportHow = { context: {}, skipTemplates: false, ignoreMissing: false };

/** One import entry of a file, read but not yet resolved to files. */
export interface ImportEntry {
  /** Index in the file's `import` list (for the error's line). */
  index: number;
  path: string;
  skipIfMissing: boolean;
  /** How the imported files are read. */
  how: ImportHow;
}

/** Why an entry is refused: the message and the index of the entry (the caller adds file and line). */
export class ImportEntryError extends Error {
  constructor(
    message: string,
    readonly index: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The entries of a file's `import`, with the import context reaching this file (`how`) passed on
 * and merged with each entry's own. `templatesOn` says whether a `context` can be honoured.
 */
export function importEntries(raw: unknown, how: ImportHow, templatesOn: boolean): ImportEntry[] {
  if (raw === undefined || raw === null) return [];
  const entries = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(entries)) throw new ImportEntryError('`import` must be a list', undefined);
  return entries.map((item: unknown, index: number): ImportEntry => {
    let p: unknown = item;
    let skipIfMissing = false;
    let childHow: ImportHow = how.context === NO_CONTEXT.context ? NO_CONTEXT : { context: how.context, skipTemplates: false, ignoreMissing: false };
    if (isPlainMap(item)) {
      p = item.path;
      skipIfMissing = item.skip_if_missing === true;
      const ctx = item.context;
      if (ctx !== undefined && ctx !== null && !isPlainMap(ctx)) throw new ImportEntryError('an import `context` must be a map', index);
      const skipTemplates = item.skip_templates_processing === true;
      const ignoreMissing = item.ignore_missing_template_values === true;
      const context = isPlainMap(ctx) && Object.keys(ctx).length > 0 ? { ...ctx, ...how.context } : how.context;
      if (skipTemplates || ignoreMissing || context !== how.context) childHow = { context, skipTemplates, ignoreMissing };
      if (!templatesOn && Object.keys(context).length > 0) {
        throw new ImportEntryError(`import ${JSON.stringify(p)} passes a \`context\`, which needs Go templates`, index);
      }
    }
    if (typeof p !== 'string' || p === '') throw new ImportEntryError('each import must be a path string or {path: ...}', index);
    return { index, path: p, skipIfMissing, how: childHow };
  });
}

export class ImportPaths {
  private readonly dirListings = new Map<string, string[]>();
  /** Import targets by absolute path or pattern. */
  private readonly matches = new Map<string, string[]>();
  /** The same, by base folder and path as written: every stack writes the same catalog imports. */
  private readonly written = new Map<string, { abs: string; found: string[] }>();

  constructor(private readonly config: AtmosConfig) {}

  /**
   * The files one (already rendered) import path names, in merge order. None found is an error,
   * or nothing with `skip_if_missing`.
   */
  resolve(importPath: string, importingFile: string, skipIfMissing: boolean): string[] {
    if (/^[a-z0-9+.-]+::|^[a-z]+:\/\//i.test(importPath)) {
      throw new ImportEntryError(`remote import ${JSON.stringify(importPath)} is not supported yet; vendor the file into the stacks folder`, undefined);
    }
    const relative = importPath.startsWith('./') || importPath.startsWith('../') || importPath === '.' || importPath === '..';
    const base = relative ? path.dirname(importingFile) : this.config.stacks.basePath;
    const key = `${base}\u0000${importPath}`;
    let hit = this.written.get(key);
    if (!hit) {
      const abs = path.resolve(base, importPath);
      if (!this.insideRepository(abs)) {
        throw new ImportEntryError(
          `import ${JSON.stringify(importPath)} resolves to ${abs}, outside the repository (${this.config.basePath}); imports must stay inside it`,
          undefined,
        );
      }
      let found = this.matches.get(abs);
      if (!found) {
        found = /[*?[{]/.test(importPath) ? this.glob(abs) : this.withExtension(abs);
        this.matches.set(abs, found);
      }
      hit = { abs, found };
      this.written.set(key, hit);
    }
    const { abs, found } = hit;
    if (found.length === 0 && !skipIfMissing) {
      const looked = `${path.relative(this.config.basePath, abs) || abs}${hasStackExtension(abs) ? '' : '.yaml/.yml'}`;
      throw new ImportEntryError(`import ${JSON.stringify(importPath)} not found (looked for ${looked})`, undefined);
    }
    return found;
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
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
