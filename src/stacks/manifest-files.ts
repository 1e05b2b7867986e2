/**
 * Reading stack manifests, each once per run: the text, the parsed (and, where Atmos would,
 * import-time rendered) content, its shape checked, and its imports resolved to files. A file read
 * with an import context is its own entry (the context changes its rendering); its first reading
 * also answers later context-free lookups.
 */
import type { AtmosConfig } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, type Plain } from '../util/merge.js';
import { readUtf8File } from '../util/text-file.js';
import { parseYaml } from '../util/yaml.js';
import { expandParseTimeTags, mayHoldParseTimeTags } from './functions/include.js';
import { ImportEntryError, ImportPaths, NO_CONTEXT, importEntries, type ImportHow } from './import-paths.js';
import { readManifest, renderImportPath } from './import-templates.js';
import { manifestError, validateManifest } from './manifest-validate.js';
import type { FunctionPorts } from './functions/evaluate.js';
import type { StackTemplates } from './templating.js';
import { STACK_MANIFEST_TAGS } from '../util/yaml-tags.js';

export interface ManifestFile {
  file: string;
  text: string;
  data: Plain;
  /** Resolved import targets, in merge order. */
  imports: string[];
  /** How each import is read (its context and template switches), parallel to `imports`. */
  importHows: ImportHow[];
}

/** The cache key of a file read with `how` (the file itself when read without a context). */
export function importCacheKey(file: string, how: ImportHow): string {
  if (how === NO_CONTEXT || (Object.keys(how.context).length === 0 && !how.skipTemplates && !how.ignoreMissing)) return file;
  return `${file}\u0000${JSON.stringify(how)}`;
}

export class ManifestFiles {
  private readonly files = new Map<string, ManifestFile>();
  private readonly paths: ImportPaths;

  constructor(
    private readonly config: AtmosConfig,
    private readonly templates?: StackTemplates,
    /** The ports YAML functions in `locals` run with. */
    private readonly localsFunctions?: FunctionPorts,
  ) {
    this.paths = new ImportPaths(config);
  }

  /** Parsed content of one manifest (cached per file and import context). `chain` is the import chain that led here, for errors. */
  read(file: string, chain: string[], how: ImportHow = NO_CONTEXT): ManifestFile {
    const key = importCacheKey(file, how);
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
          this.localsFunctions,
        )
      : parseOrThrow(text, file, chain);
    let data: unknown = parsed === null || parsed === undefined ? {} : parsed;
    if (mayHoldParseTimeTags(text)) {
      const roots = [this.config.basePath, this.config.stacks.basePath];
      data = expandParseTimeTags(data, { file, roots, basePath: this.config.basePath, cwd: this.config.basePath });
    }
    if (!isPlainMap(data)) throw new AtmosError('a stack manifest must be a map at the top level', { file, line: 1, chain });
    validateManifest(file, text, data, chain);
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

  /** Source text of an already-read file, for locating errors. */
  textOf(file: string): string | undefined {
    return this.files.get(file)?.text;
  }

  private resolveImports(entry: ManifestFile, chain: string[], how: ImportHow): void {
    const { file, text, data } = entry;
    const at = (e: unknown, index: number | undefined): never => {
      if (!(e instanceof ImportEntryError)) throw e;
      throw manifestError(e.message, file, text, index === undefined ? ['import'] : ['import', index], chain);
    };
    let entries;
    try {
      entries = importEntries(data.import, how, this.templates !== undefined);
    } catch (e) {
      return at(e, (e as ImportEntryError).index);
    }
    for (const imp of entries) {
      let importPath = imp.path;
      if (importPath.includes('{{')) {
        if (!this.templates) at(new ImportEntryError(`import path ${JSON.stringify(importPath)} is a Go template`, imp.index), imp.index);
        try {
          importPath = renderImportPath(this.templates!, importPath, {
            data,
            context: { ...how.context, ...imp.how.context },
            ignoreMissing: imp.how.ignoreMissing || how.ignoreMissing || this.config.templates.ignoreMissingTemplateValues,
            file,
          });
        } catch (e) {
          at(new ImportEntryError(`import path ${JSON.stringify(importPath)}: ${(e as Error).message}`, imp.index), imp.index);
        }
      }
      let matches: string[] = [];
      try {
        matches = this.paths.resolve(importPath, file, imp.skipIfMissing);
      } catch (e) {
        at(e, imp.index);
      }
      for (const m of matches) {
        if (m === file) at(new ImportEntryError(`file imports itself (${JSON.stringify(importPath)})`, imp.index), imp.index);
        entry.imports.push(m);
        entry.importHows.push(imp.how);
      }
    }
  }
}

function parseOrThrow(text: string, file: string, chain: string[]): unknown {
  try {
    return parseYaml(text, file, STACK_MANIFEST_TAGS);
  } catch (e) {
    if (e instanceof AtmosError) throw new AtmosError(e.message, { file: e.file, line: e.line, chain });
    throw e;
  }
}
