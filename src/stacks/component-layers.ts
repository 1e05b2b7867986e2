/**
 * The first three phases Atmos's component processor runs for one component of one stack (its
 * processComponent: extractComponentSections, processComponentOverrides,
 * processComponentInheritance), and what the later ones ask of the layers found:
 *
 * 1. extraction: the component's own definition from the stack's `components.terraform`;
 * 2. inheritance: the `component:` / `metadata.inherits` chain (base-components.ts);
 * 3. overrides: the file-scoped `overrides` reaching it (imports.ts, §2.4).
 *
 * The layers of a section come from three places: the stack (root and terraform sections,
 * atmos.yaml), the definition (bases and the component, shared by every stack importing the
 * catalog) and the instance (its overrides). What is asked of them (does a section hold a
 * template?) is answered once per stack and once per definition, so most instances cost a few
 * map lookups. The fourth phase, the merge, is component-sections.ts.
 */
import { isPlainMap, type Plain } from '../util/merge.js';
import { basesOf, folderOf, str, type BaseLayers } from './base-components.js';
import type { SectionField } from './instance-sections.js';
import type { ComponentParts, ResolveRun } from './resolve-cache.js';
import type { SubtreeScan } from './section-templates.js';
import type { StackLayers } from './stack-layers.js';

/** The component's layers, found by the first three phases. */
export interface ComponentSource {
  name: string;
  /** Extraction: the definition under `components.terraform.<name>` (empty when it is not a map). */
  raw: Plain;
  /** Inheritance: the base chain, deepest first. */
  bases: BaseLayers;
  /** Overrides: what the manifest's file-scoped overrides set for this component. */
  overrides: Plain;
}

/** Extraction, inheritance and overrides of component `name` in a stack. Throws an inheritance error naming the file. */
export function extractComponent(run: ResolveRun, stack: StackLayers, name: string): ComponentSource {
  const own = stack.components[name];
  return {
    name,
    raw: isPlainMap(own) ? own : {},
    bases: basesOf(run.cache, run.config, run.reader, stack.file, name, stack.components),
    overrides: stack.overridesOf(name),
  };
}

/** The sections a passthrough field folds in (besides required_version). */
export const PASSTHROUGH_SECTIONS = ['auth', 'generate', 'hooks', 'required_providers', 'depends_on', 'secrets', 'retry', 'test', 'mocks', 'locals'];

/** The values one section is made of, by where they come from. */
export interface LayerGroups {
  stack: unknown[];
  definition: unknown[];
  instance: unknown[];
}

export function lastNonEmpty(...values: (string | undefined)[]): string {
  let out = '';
  for (const v of values) if (v) out = v;
  return out;
}

/** A component's layers, and what can be known of its sections from them without merging. */
export class ComponentLayers {
  private parts?: ComponentParts;
  private groupMemo: Partial<Record<SectionField, LayerGroups>> = {};

  constructor(
    protected readonly run: ResolveRun,
    readonly stack: StackLayers,
    readonly src: ComponentSource,
  ) {}

  /** The Terraform folder (metadata.component, else a YAML-defined legacy `component:`'s folder). */
  get baseComponent(): string {
    return folderOf(this.src.name, this.stack.components);
  }

  get backendType(): string {
    return lastNonEmpty(str(this.stack.tf.backend_type), this.src.bases.backendType, str(this.src.raw.backend_type));
  }

  /** `remote_state_backend_type` as written (empty: the backend type applies). */
  get explicitRemoteStateBackendType(): string {
    return lastNonEmpty(str(this.stack.tf.remote_state_backend_type), this.src.bases.remoteStateBackendType, str(this.src.raw.remote_state_backend_type));
  }

  /**
   * Whether a section may hold what `scan` looks for (a template, a function tag): whether one of
   * the values it is made of does. Answered per stack for the stack's layers and per definition
   * for the catalog's, so most instances cost two map lookups per section.
   */
  mayHold(field: SectionField, scan: SubtreeScan): boolean {
    let groups: LayerGroups | undefined;
    const holds = (memo: Map<unknown, Map<string, boolean>>, part: 'stack' | 'definition'): boolean => {
      let byField = memo.get(scan);
      if (!byField) memo.set(scan, (byField = new Map()));
      let v = byField.get(field);
      if (v === undefined) {
        groups ??= this.groups(field);
        v = groups[part].some((l) => scan.holds(l));
        byField.set(field, v);
      }
      return v;
    };
    if (holds(this.stack.headHolds, 'stack') || holds(this.partsEntry().holds, 'definition')) return true;
    if (Object.keys(this.src.overrides).length === 0) return false;
    return (groups ?? this.groups(field)).instance.some((l) => scan.holds(l));
  }

  /**
   * The top-level keys of a section whose value may hold what `scan` looks for: a key holds it in
   * the merged section only if it does in a layer. Undefined for the sections whose keys do not
   * come one to one from their layers (backends, passthrough, source, command): walk them whole.
   */
  keysHolding(field: SectionField, scan: SubtreeScan): readonly string[] | undefined {
    if (field === 'backend' || field === 'remoteStateBackend' || field === 'passthrough' || field === 'source' || field === 'command') return undefined;
    let groups: LayerGroups | undefined;
    const keysOf = (layers: unknown[]): string[] => {
      const out: string[] = [];
      for (const l of layers) if (isPlainMap(l)) for (const [k, v] of Object.entries(l)) if (!out.includes(k) && scan.holds(v)) out.push(k);
      return out;
    };
    const memoised = (memo: Map<unknown, Map<string, string[]>>, part: 'stack' | 'definition'): string[] => {
      let byField = memo.get(scan);
      if (!byField) memo.set(scan, (byField = new Map()));
      let v = byField.get(field);
      if (v === undefined) {
        groups ??= this.groups(field);
        v = keysOf(groups[part]);
        byField.set(field, v);
      }
      return v;
    };
    const keys = [...memoised(this.stack.headKeys, 'stack'), ...memoised(this.partsEntry().keys, 'definition')];
    if (Object.keys(this.src.overrides).length > 0) keys.push(...keysOf((groups ?? this.groups(field)).instance));
    return [...new Set(keys)];
  }

  /**
   * The values a section is made of, by where they come from: the stack (root and terraform
   * layers, atmos.yaml), the definition (bases and the component), the instance (its overrides).
   * The backends also count the metadata their defaults are named after.
   */
  protected groups(field: SectionField): LayerGroups {
    return (this.groupMemo[field] ??= this.groupsOf(field));
  }

  /**
   * A top-level key of a section as the merge gives it, without merging: the value of the last
   * layer that sets it, or undefined when that value is a map or list (those may merge with lower
   * layers) or no layer sets it (then `found` is false).
   */
  protected layerValue(field: SectionField, key: string): { found: boolean; value?: unknown; merges?: boolean } {
    const { stack, definition, instance } = this.groups(field);
    for (const part of [instance, definition, stack]) {
      for (let i = part.length - 1; i >= 0; i--) {
        const l = part[i];
        if (!isPlainMap(l) || !(key in l)) continue;
        const v = l[key];
        return typeof v === 'object' && v !== null ? { found: true, merges: true } : { found: true, value: v };
      }
    }
    return { found: false };
  }

  private groupsOf(field: SectionField): LayerGroups {
    const { raw, overrides, bases } = this.src;
    const { tf, root, rootMetadata } = this.stack;
    const config = this.run.config;
    const b = (s: string) => this.baseList(s);
    switch (field) {
      case 'env':
        return { stack: [config.env, root.env, tf.env], definition: [...b('env'), raw.env], instance: [overrides.env] };
      case 'vars':
      case 'settings':
        return { stack: [root[field], tf[field]], definition: [...b(field), raw[field]], instance: [overrides[field]] };
      case 'providers':
        return { stack: [tf.providers], definition: [...b('providers'), raw.providers], instance: [overrides.providers] };
      case 'metadata':
        return { stack: [rootMetadata], definition: [...bases.metadata, raw.metadata], instance: [] };
      case 'backend':
      case 'remoteStateBackend': {
        const remote = field === 'remoteStateBackend';
        return {
          stack: [tf.backend, remote ? tf.remote_state_backend : undefined, rootMetadata],
          definition: [
            ...b('backend'),
            raw.backend,
            ...(remote ? [...b('remote_state_backend'), raw.remote_state_backend] : []),
            ...bases.metadata,
            raw.metadata,
          ],
          instance: [],
        };
      }
      case 'overrides':
        return { stack: [], definition: [], instance: [overrides] };
      case 'source':
      case 'provision':
        return { stack: [tf[field]], definition: [...b(field), raw[field]], instance: [] };
      case 'dependencies':
        return { stack: [root.dependencies, tf.dependencies], definition: [...b('dependencies'), raw.dependencies], instance: [] };
      case 'command':
        return { stack: [config.terraform.command, tf.command], definition: [bases.command, raw.command], instance: [overrides.command] };
      case 'passthrough':
        return {
          stack: [tf.required_version, ...PASSTHROUGH_SECTIONS.flatMap((s) => [root[s], tf[s]])],
          definition: [bases.requiredVersion, raw.required_version, ...PASSTHROUGH_SECTIONS.flatMap((s) => [...b(s), raw[s]])],
          instance: PASSTHROUGH_SECTIONS.map((s) => overrides[s]),
        };
    }
  }

  protected baseList(s: string): unknown[] {
    const raws = this.src.bases.raws;
    if (raws.length === 0 || (!this.run.config.stacks.inheritSource && (s === 'source' || s === 'provision'))) return [];
    return raws.map((b) => b[s]);
  }

  /** What this definition (with these bases) contributes, shared by every stack that imports it. */
  protected partsEntry(): ComponentParts {
    if (this.parts) return this.parts;
    const cache = this.run.cache.componentParts;
    const bases = this.src.bases.raws;
    let entry = cache.get(this.src.raw);
    if (!entry || entry.bases.length !== bases.length || entry.bases.some((b, i) => b !== bases[i])) {
      entry = { bases, parts: new Map(), holds: new Map(), keys: new Map() };
      cache.set(this.src.raw, entry);
    }
    this.parts = entry;
    return entry;
  }
}
