/**
 * The import graph of stack manifests (Atmos 1.226's import and overrides rules): each file's
 * import-merged content ("tree"), computed once and shared by every stack that imports it (a
 * file's tree does not depend on who imports it), and the one thing that does depend on the
 * importer, the file-scoped `overrides` of §2.4, computed per top-level manifest.
 *
 * Reading, caching and checking single files is manifest-files.ts; import entries → files is
 * import-paths.ts; import-time templates are import-templates.ts.
 */
import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { deepMerge, isPlainMap, mapAt, mergeValues, type ListMergeStrategy, type Plain } from '../util/merge.js';
import { NO_CONTEXT, type ImportHow } from './import-paths.js';
import { ManifestFiles, importCacheKey } from './manifest-files.js';
import type { FunctionPorts } from './functions/evaluate.js';
import type { StackTemplates } from './templating.js';

/** Deeper import chains are refused (a chain of thousands would exhaust the stack); real ones are a handful of levels. */
export const MAX_IMPORT_DEPTH = 1000;

export class ManifestReader {
  private readonly files: ManifestFiles;
  private readonly trees = new Map<string, Plain>();
  private readonly hasOverrides = new Map<string, boolean>();
  private readonly hasSpecial = new Map<string, boolean>();

  constructor(
    private readonly config: AtmosConfig,
    templates?: StackTemplates,
    /** The ports YAML functions in `locals` run with. */
    localsFunctions?: FunctionPorts,
  ) {
    this.files = new ManifestFiles(config, templates, localsFunctions);
  }

  /**
   * The file merged over its imports: deep-merge(import_1 tree, …, import_n tree, the file), with
   * `import` and every `overrides` key removed (those are applied per stack, see componentOverrides).
   */
  tree(file: string, chain: string[] = [], how: ImportHow = NO_CONTEXT): Plain {
    const key = importCacheKey(file, how);
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
    const m = this.files.read(file, here, how);
    const layers = m.imports.map((imp, i) => this.tree(imp, here, m.importHows[i]));
    const result = mergeLayers([...layers, ownContent(m.data)], this.config.listMergeStrategy);
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
      const m = this.files.read(file, [file]);
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
    const m = this.files.read(file, [file]);
    const own = !isEmpty(m.data.overrides) || !isEmpty(mapAt(m.data, 'terraform')?.overrides);
    const v = own || m.imports.some((i) => this.subtreeHasOverrides(i));
    this.hasOverrides.set(file, v);
    return v;
  }

  /** Whether the file or anything it imports contains `needle` in its text (memoised per needle). */
  treeTextHas(file: string, needle: string): boolean {
    const key = `${needle}\u0000${file}`;
    const cached = this.hasSpecial.get(key);
    if (cached !== undefined) return cached;
    this.hasSpecial.set(key, false);
    const m = this.files.read(file, [file]);
    const v = m.text.includes(needle) || m.imports.some((i) => this.treeTextHas(i, needle));
    this.hasSpecial.set(key, v);
    return v;
  }

  /** All files a top-level manifest pulls in, transitively, in merge order (for `imports` / deps). */
  transitiveImports(top: string): string[] {
    const out = new Set<string>();
    const walk = (f: string) => {
      for (const i of this.files.read(f, [f]).imports) {
        walk(i);
        out.add(i);
      }
    };
    walk(top);
    return [...out];
  }

  /** Source text of an already-read file, for locating errors. */
  textOf(file: string): string | undefined {
    return this.files.textOf(file);
  }

  /** Raw (pre-merge) component definitions of one file. */
  componentsDefinedIn(file: string): Plain {
    return mapAt(mapAt(this.files.read(file, [file]).data, 'components'), 'terraform') ?? {};
  }

  rel(file: string): string {
    return path.relative(this.config.basePath, file) || file;
  }
}

/** Holds the place of `components.terraform` while the rest of a tree merges. */
const DEFINITIONS = Symbol('components.terraform');

/**
 * deepMerge of a file's layers, except that each entry of `components.terraform` is merged when
 * it is first read: finding one instance reads one definition in each stack, of the dozens each
 * stack's imports bring. Same keys, same order, same values as deepMerge; a layer whose
 * `components` or `components.terraform` is not a map takes deepMerge itself.
 */
export function mergeLayers(layers: Plain[], strategy: ListMergeStrategy): Plain {
  const definitions: Plain[] = [];
  for (const layer of layers) {
    if (layer.components === undefined) continue;
    const tf = isPlainMap(layer.components) ? layer.components.terraform : null;
    if (tf === undefined) continue;
    if (!isPlainMap(tf)) return deepMerge(layers, strategy);
    definitions.push(tf);
  }
  if (definitions.filter((d) => Object.keys(d).length > 0).length < 2) return deepMerge(layers, strategy);
  const placeholders = layers.map((l) =>
    mapAt(l, 'components')?.terraform ? { ...l, components: { ...(l.components as Plain), terraform: DEFINITIONS } } : l,
  );
  const merged = deepMerge(placeholders, strategy);
  return { ...merged, components: { ...(merged.components as Plain), terraform: mergedOnRead(definitions, strategy) } };
}

/** The maps merged, each key's value merged on its first read (then kept: values are immutable). */
function mergedOnRead(maps: Plain[], strategy: ListMergeStrategy): Plain {
  const out: Plain = {};
  for (const map of maps) {
    for (const key of Object.keys(map)) {
      if (Object.prototype.hasOwnProperty.call(out, key)) continue;
      Object.defineProperty(out, key, {
        enumerable: true,
        configurable: true,
        get: () => {
          const values = maps.filter((m) => key in m).map((m) => m[key]);
          const value = mergeValues(values, strategy);
          Object.defineProperty(out, key, { value, enumerable: true, configurable: false, writable: false });
          return value;
        },
      });
    }
  }
  return out;
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
