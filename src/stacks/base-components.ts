/**
 * The base-component chain (§3; Atmos's ProcessBaseComponentConfig): `component:` and
 * `metadata.inherits`, walked depth first, with the scalars Atmos takes from each base in turn.
 */
import type { AtmosConfig } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { lineOf } from '../util/yaml.js';
import type { ManifestReader } from './imports.js';
import type { ResolutionCache } from './resolve-cache.js';

export interface BaseLayers {
  /** Bases in processing order (deepest first). */
  order: string[];
  /** Their definitions, in the same order. */
  raws: Plain[];
  /** The `inheritance` output: bases in reverse processing order, deduplicated. */
  inheritance: string[];
  metadata: unknown[];
  backendType?: string;
  remoteStateBackendType?: string;
  command?: string;
  requiredVersion?: string;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** An error about a component, pointing at the file (and line) that defines it and the import chain to it. */
export function componentError(reader: ManifestReader, top: string, name: string, message: string, key: (string | number)[] = []): AtmosError {
  return new AtmosError(message, componentLocation(reader, top, name, key));
}

/**
 * Where a component of the stack `top` is defined: the file that defines it (the manifest or the
 * import holding `components.terraform.<name>`), and the line of `key` under it there (of the
 * component itself when that file does not write the key).
 */
export function componentLocation(
  reader: ManifestReader,
  top: string,
  name: string,
  key: (string | number)[] = [],
): { file: string; line?: number; chain: string[] } {
  // Point at the file that defines the component, not just the top-level manifest, when we can.
  const files = [top, ...reader.transitiveImports(top)].reverse();
  const file = files.find((f) => name in reader.componentsDefinedIn(f)) ?? top;
  const text = reader.textOf(file);
  const line = text ? lineOf(text, ['components', 'terraform', name, ...key]) : undefined;
  return { file, line, chain: file === top ? [top] : [top, file] };
}

/**
 * Walks a component's `component:` and `metadata.inherits` chain (§3), collecting each base's
 * sections in order; reuses the chain of a definition already walked in this resolution.
 */
export function basesOf(cache: ResolutionCache, config: AtmosConfig, reader: ManifestReader, top: string, name: string, components: Plain): BaseLayers {
  const own = components[name];
  if (!isPlainMap(own)) return collectBases(cache, config, reader, top, name, components, []);
  const hit = cache.baseChains.get(own);
  if (hit && hit.looked.every(([n, v]) => components[n] === v)) return hit.layers;
  const looked: [string, unknown][] = [];
  const layers = collectBases(cache, config, reader, top, name, components, looked);
  cache.baseChains.set(own, { looked, layers });
  return layers;
}

function collectBases(
  cache: ResolutionCache,
  config: AtmosConfig,
  reader: ManifestReader,
  top: string,
  name: string,
  allComponents: Plain,
  looked: [string, unknown][],
): BaseLayers {
  const layers: BaseLayers = { order: [], raws: [], metadata: [], inheritance: [] };
  const visiting: string[] = [name];
  const components = new Proxy(allComponents, {
    get(target, key: string) {
      const v = target[key];
      looked.push([key, v]);
      return v;
    },
  });

  const processChain = (raw: Plain, owner: string) => {
    const legacy = str(raw.component);
    if (legacy && legacy !== owner && isPlainMap(components[legacy])) processBase(legacy, owner, ['component']);
    const md = mapAt(raw, 'metadata');
    const inherits = md?.inherits;
    if (inherits === undefined || inherits === null) return;
    if (!Array.isArray(inherits) || inherits.some((b) => typeof b !== 'string')) {
      throw componentError(reader, top, owner, `component ${owner}: metadata.inherits must be a list of component names`, ['metadata', 'inherits']);
    }
    for (const b of inherits as string[]) processBase(b, owner, ['metadata', 'inherits']);
  };

  const processBase = (base: string, owner: string, key: string[]) => {
    if (visiting.includes(base)) {
      throw componentError(reader, top, owner, `inheritance cycle: ${[...visiting.slice(visiting.indexOf(base)), base].join(' → ')}`, key);
    }
    const raw = components[base];
    if (raw === undefined) {
      throw componentError(
        reader,
        top,
        owner,
        `component ${owner} inherits from ${base}, which is not defined in stack manifest ${reader.rel(top)} or its imports`,
        key,
      );
    }
    const braw = isPlainMap(raw) ? raw : {};
    visiting.push(base);
    processChain(braw, base);
    visiting.pop();
    layers.raws.push(braw);
    if (config.stacks.inheritMetadata) {
      const md = inheritableMetadata(cache, braw);
      if (md) layers.metadata.push(md);
    }
    // Atmos assigns these scalars from every processed base in turn, empty included (§3 quirk).
    layers.backendType = str(braw.backend_type) ?? '';
    layers.remoteStateBackendType = str(braw.remote_state_backend_type) ?? '';
    layers.command = str(braw.command) ?? '';
    const rv = str(braw.required_version);
    if (rv) layers.requiredVersion = rv;
    layers.order.push(base);
  };

  const own = allComponents[name];
  processChain(isPlainMap(own) ? own : {}, name);
  layers.inheritance = inheritanceList(layers.order);
  return layers;
}

/** A base's metadata as its children inherit it: everything but `inherits` and `type` (§3). */
function inheritableMetadata(cache: ResolutionCache, base: Plain): Plain | undefined {
  if (cache.inheritableMetadata.has(base)) return cache.inheritableMetadata.get(base);
  const md = mapAt(base, 'metadata');
  let rest: Plain | undefined;
  if (md) {
    const { inherits: _i, type: _t, ...others } = md;
    rest = others;
  }
  cache.inheritableMetadata.set(base, rest);
  return rest;
}

export /** The Terraform folder of a component: explicit metadata.component, else a YAML-defined legacy `component:`'s folder. */
function folderOf(name: string, components: Plain, seen: Set<string> = new Set()): string {
  const raw = components[name];
  if (!isPlainMap(raw) || seen.has(name)) return name;
  seen.add(name);
  const mdc = str(mapAt(raw, 'metadata')?.component);
  if (mdc) return mdc;
  const legacy = str(raw.component);
  if (legacy && legacy !== name && isPlainMap(components[legacy])) return folderOf(legacy, components, seen);
  return name;
}

/** Bases in reverse processing order, deduplicated: highest priority first (§3). */
function inheritanceList(order: string[]): string[] {
  const out: string[] = [];
  for (const b of [...order].reverse()) if (!out.includes(b)) out.push(b);
  return out;
}
