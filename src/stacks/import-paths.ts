/**
 * Import entries → files (docs/atmos-compatibility.md §2.1): a string or `{path, context,
 * skip_if_missing, skip_templates_processing, ignore_missing_template_values}`; base-path-relative
 * or `./`/`../` file-relative; extensions implied only for a path without one; sorted globs; never
 * outside the repository. Directory listings and the matches of each path are cached for the run:
 * every stack imports the same catalog entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { AtmosConfig } from '../config/types.js';
import { isPlainMap, type Plain } from '../util/merge.js';
import { listFilesRecursive } from '../util/walk.js';
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
    if (found.length === 0 && !skipIfMissing) throw new ImportEntryError(this.notFound(importPath, abs), undefined);
    return found;
  }

  /** What was looked for, and the likely intended file when an extension was read as written. */
  private notFound(importPath: string, abs: string): string {
    const rel = (p: string) => path.relative(this.config.basePath, p) || p;
    const ext = extensionOf(abs);
    const isGlob = /[*?[{]/.test(importPath);
    if (ext === '' && isGlob)
      return `import ${JSON.stringify(importPath)} matches nothing (looked for ${rel(abs)}.yaml: a glob without an extension matches .yaml files)`;
    if (ext === '') return `import ${JSON.stringify(importPath)} not found (looked for ${rel(abs)} with ${STACK_EXTENSIONS.join(', ')})`;
    const meant = isGlob ? undefined : STACK_EXTENSIONS.map((e) => abs + e).find(isFile);
    return (
      `import ${JSON.stringify(importPath)} not found (looked for ${rel(abs)}; a path with an extension is read as written, as Atmos does)` +
      (meant ? `: did you mean ${JSON.stringify(importPath + meant.slice(abs.length))}?` : '')
    );
  }

  /** Imports are names from YAML: they may use `../` but never leave the base path (or an outside stacks folder). */
  private insideRepository(abs: string): boolean {
    return [this.config.basePath, this.config.stacks.basePath].some((root) => {
      const rel = path.relative(root, abs);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
  }

  /**
   * Atmos adds an extension only to a path that has none (`.yaml`, `.yml`, `.yaml.tmpl`,
   * `.yml.tmpl`, the first that exists); `x.yaml`/`x.yml` is read as `x.yaml.tmpl`/`x.yml.tmpl`
   * when that exists; any other extension (`prod.defaults.tmpl`, `vpc.json`) is read as written.
   */
  private withExtension(abs: string): string[] {
    const ext = extensionOf(abs);
    if (ext === '') {
      const found = STACK_EXTENSIONS.map((e) => abs + e).find(isFile);
      return found ? [found] : [];
    }
    if ((ext === '.yaml' || ext === '.yml') && isFile(abs + '.tmpl')) return [abs + '.tmpl'];
    return isFile(abs) ? [abs] : [];
  }

  /** A glob without an extension matches `.yaml` files only (Atmos appends `.yaml` to it); one with an extension is used as written. */
  private glob(absPattern: string): string[] {
    const pattern = extensionOf(absPattern) === '' ? absPattern + '.yaml' : absPattern;
    const segments = pattern.split(path.sep);
    const firstGlob = segments.findIndex((s) => /[*?[{]/.test(s));
    const root = segments.slice(0, firstGlob).join(path.sep) || path.sep;
    const stackFilesOnly = hasStackExtension(pattern);
    const listingKey = stackFilesOnly ? root : `${root}\u0000all`;
    let listing = this.dirListings.get(listingKey);
    if (!listing) {
      listing = stackFilesOnly ? listStackFiles(root) : listFilesRecursive(root, () => true);
      this.dirListings.set(listingKey, listing);
    }
    const m = picomatch(pattern, { dot: true });
    return listing.filter((f) => m(f)).sort();
  }
}

/** The extension of a path's last element, as Go's filepath.Ext sees it: from its last dot, or ''. */
function extensionOf(p: string): string {
  const base = p.slice(p.lastIndexOf(path.sep) + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
