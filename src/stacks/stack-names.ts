/**
 * The names phase of resolution: every manifest's components with their canonical stack names
 * (§1.3), read without resolving any. A name pattern or template needs each manifest's vars, so
 * finding an instance by its stack name reads every manifest; a manifest named in advance (a
 * matrix entry's) is read alone. Each component is named when someone asks for it: finding one
 * instance names the definitions of its component only (one per manifest), listing names them
 * all, and a deploy command never names an abstract one.
 */
import path from 'node:path';
import type { AtmosError } from '../util/errors.js';
import { ConfigurationErrors, ErrorCollector } from '../util/errors.js';
import { mapAt } from '../util/merge.js';
import { stackNameOf, type StackName } from './component.js';
import { extractComponent } from './component-layers.js';
import { ComponentSections } from './component-sections.js';
import { findTopLevelManifests } from './manifests.js';
import type { ResolveRun } from './resolve-cache.js';
import { StackLayers } from './stack-layers.js';

/** The extensions a manifest path given without one may have, in Atmos's order. */
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.yaml.tmpl', '.yml.tmpl'];

/** An instance known by name, not resolved. */
export interface InstanceName {
  stack: string;
  component: string;
  abstract: boolean;
  /** Absolute path of the top-level manifest that defines it. */
  manifest: string;
}

/** Component `layers.components[name]` of one top-level manifest, with its stack name. */
export interface Definition {
  readonly sections: ComponentSections;
  readonly named: StackName;
  readonly abstract: boolean;
  /** Where the manifest's tree lists it among its components. */
  readonly position: number;
}

/** One top-level manifest: its layers, and each component named once, on first need. */
interface ManifestNames {
  layers?: StackLayers;
  /** Why the manifest could not be read. */
  readErrors: AtmosError[];
  /** Each component's position in the manifest's tree (its definition is merged only when read). */
  components?: Map<string, number>;
  /** Each component asked about so far: its definition, or why it could not be named. */
  named: Map<string, { definition?: Definition; errors: AtmosError[] }>;
  /** The whole manifest, named: the concrete components, then (when asked for) the abstract ones. */
  concrete?: { definitions: Definition[]; errors: AtmosError[] };
  abstract?: { definitions: Definition[]; errors: AtmosError[] };
}

interface NameIndex {
  /** Whether the abstract components are in it too. */
  withAbstract: boolean;
  /** Definitions by stack, then component (several when several manifests define one instance). */
  byStack: Map<string, Map<string, Definition[]>>;
  byComponent: Map<string, Definition[]>;
  errors: AtmosError[];
}

/**
 * Finding one instance by name names only the definitions of its component, one per manifest
 * (a name depends on the component's own vars, so the others need not be looked at); listing
 * names them all. Either way a component is named once per command, and every lookup returns the
 * same Definition objects, which the resolver's memo is keyed by.
 */
export class StackNames {
  private manifestList?: string[];
  private readonly names = new Map<string, ManifestNames>();
  private index?: NameIndex;
  private readonly byComponent = new Map<string, Definition[]>();

  constructor(private readonly run: ResolveRun) {}

  /** Absolute paths of the top-level manifests (listed, not read). */
  manifests(): string[] {
    const config = this.run.config;
    this.manifestList ??= findTopLevelManifests(config.stacks, config.configFile ? undefined : { cwd: config.configDir });
    return this.manifestList;
  }

  /** Every instance by name, abstract ones included, in manifest order. */
  instanceNames(): InstanceName[] {
    return this.groups(true)
      .flat()
      .map((d) => ({ stack: d.named.stack, component: d.sections.src.name, abstract: d.abstract, manifest: d.sections.stack.file }));
  }

  /** Errors met while reading names (a manifest that does not parse, a component whose base is missing). */
  errors(withAbstract: boolean): AtmosError[] {
    return this.nameIndex(withAbstract).errors;
  }

  /** Every definition of `component`, abstract ones included, in manifest order. */
  definitionsOfComponent(component: string): Definition[] {
    if (this.index?.withAbstract) return this.index.byComponent.get(component) ?? [];
    let defs = this.byComponent.get(component);
    if (!defs) {
      defs = [];
      for (const top of this.manifests()) {
        const d = this.definition(this.manifest(top), component);
        if (d) defs.push(d);
      }
      this.byComponent.set(component, defs);
    }
    return defs;
  }

  /** A definition in the manifest whose file name is `stackFile` (a hint for a stack given by file name). */
  byStackFile(stackFile: string): Definition | undefined {
    for (const m of this.names.values()) {
      const found = [...(m.concrete?.definitions ?? []), ...(m.abstract?.definitions ?? [])].find((d) => d.sections.stack.stackFile === stackFile);
      if (found) return found;
    }
    return undefined;
  }

  /** A manifest's layers (reads it and its imports; resolves nothing). */
  private manifest(top: string): ManifestNames {
    let m = this.names.get(top);
    if (!m) {
      const errors = new ErrorCollector();
      const layers = errors.attempt(() => new StackLayers(top, this.run.config, this.run.reader));
      m = { layers, readErrors: collected(errors), named: new Map() };
      this.names.set(top, m);
    }
    return m;
  }

  private componentsOf(m: ManifestNames): Map<string, number> {
    if (!m.components) {
      m.components = new Map();
      Object.keys(m.layers?.components ?? {}).forEach((name, position) => m.components!.set(name, position));
    }
    return m.components;
  }

  private isAbstract(m: ManifestNames, name: string): boolean {
    return mapAt(m.layers?.components[name], 'metadata')?.type === 'abstract';
  }

  /** Component `name` of one manifest, named (extraction, inheritance, overrides, and its stack name), once. */
  private named(m: ManifestNames, name: string): { definition?: Definition; errors: AtmosError[] } | undefined {
    const position = this.componentsOf(m).get(name);
    if (position === undefined) return undefined;
    let n = m.named.get(name);
    if (!n) {
      const errors = new ErrorCollector();
      const layers = m.layers!;
      const definition = errors.attempt((): Definition => {
        const sections = new ComponentSections(this.run, layers, extractComponent(this.run, layers, name));
        return { sections, named: stackNameOf(this.run, sections), abstract: this.isAbstract(m, name), position };
      });
      n = { definition, errors: collected(errors) };
      m.named.set(name, n);
    }
    return n;
  }

  private definition(m: ManifestNames, name: string): Definition | undefined {
    return this.named(m, name)?.definition;
  }

  /** A whole manifest named: its concrete components, or its abstract ones. */
  private manifestNames(top: string, kind: 'concrete' | 'abstract'): { definitions: Definition[]; errors: AtmosError[] } {
    const m = this.manifest(top);
    let out = m[kind];
    if (!out) {
      const errors = new ErrorCollector();
      if (kind === 'concrete') for (const e of m.readErrors) errors.add(e);
      const definitions: Definition[] = [];
      for (const name of this.componentsOf(m).keys()) {
        if (this.isAbstract(m, name) !== (kind === 'abstract')) continue;
        const n = this.named(m, name)!;
        for (const e of n.errors) errors.add(e);
        if (n.definition) definitions.push(n.definition);
      }
      out = m[kind] = { definitions, errors: collected(errors) };
    }
    return out;
  }

  /** The definitions of `component` in `stack` in one manifest (a manifest defines a component once). */
  local(manifest: string, component: string, stack: string): Definition[] {
    return this.ofComponentIn(manifest, component).filter((d) => d.named.stack === stack);
  }

  /** The definition of `component` in one manifest, whatever stack it names. */
  ofComponentIn(manifest: string, component: string): Definition[] {
    if (!this.manifests().includes(manifest)) return [];
    const d = this.definition(this.manifest(manifest), component);
    return d ? [d] : [];
  }

  /**
   * The top-level manifest a `-s` value names by its path, as Atmos's stack lookup takes one: a value
   * holding `/` (not first) whose path, plus `.yaml`, `.yml`, `.yaml.tmpl` or `.yml.tmpl`, ends a
   * manifest's path (`deploy/nonprod` → `stacks/deploy/nonprod.yaml`). The first in manifest order.
   */
  manifestNamed(value: string): string | undefined {
    if (value.indexOf('/') <= 0) return undefined;
    const ends = MANIFEST_EXTENSIONS.map((ext) => `/${value}${ext}`);
    return this.manifests().find((m) => ends.some((e) => m.split(path.sep).join('/').endsWith(e)));
  }

  /** Every manifest's definitions of `component` in `stack`, in manifest order (the abstract ones only if no concrete one matches). */
  definitionsOf(component: string, stack: string): Definition[] {
    const all = this.definitionsOfComponent(component).filter((d) => d.named.stack === stack);
    const concrete = all.filter((d) => !d.abstract);
    return concrete.length ? concrete : all;
  }

  /** The definitions of each instance, instance by instance (abstract ones only when asked for). */
  groups(withAbstract: boolean): Definition[][] {
    const out: Definition[][] = [];
    for (const components of this.nameIndex(withAbstract).byStack.values()) {
      for (const defs of components.values()) {
        const kept = withAbstract ? defs : defs.filter((d) => !d.abstract);
        if (kept.length) out.push(kept);
      }
    }
    return out;
  }

  /**
   * Names from every manifest; the abstract components' too when asked for (then in the order the
   * manifests define them, so that listings and errors come in the order of the files).
   */
  private nameIndex(withAbstract = false): NameIndex {
    if (this.index && (this.index.withAbstract || !withAbstract)) return this.index;
    const index: NameIndex = { withAbstract, byStack: new Map(), byComponent: new Map(), errors: [] };
    for (const top of this.manifests()) {
      const concrete = this.manifestNames(top, 'concrete');
      const abstract = withAbstract ? this.manifestNames(top, 'abstract') : undefined;
      index.errors.push(...concrete.errors, ...(abstract?.errors ?? []));
      const defs = abstract ? [...concrete.definitions, ...abstract.definitions].sort((x, y) => x.position - y.position) : concrete.definitions;
      for (const d of defs) add(index, d);
    }
    this.index = index;
    return index;
  }
}

function add(index: NameIndex, d: Definition): void {
  let components = index.byStack.get(d.named.stack);
  if (!components) index.byStack.set(d.named.stack, (components = new Map()));
  push(components, d.sections.src.name, d);
  push(index.byComponent, d.sections.src.name, d);
}

function collected(errors: ErrorCollector): AtmosError[] {
  try {
    errors.throwIfAny();
    return [];
  } catch (e) {
    return e instanceof ConfigurationErrors ? e.errors : [e as AtmosError];
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
