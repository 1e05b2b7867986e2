/**
 * The names phase of resolution: every manifest's components with their canonical stack names
 * (§1.3), read without resolving any. A name pattern or template needs each manifest's vars, so
 * finding an instance by its stack name reads every manifest; a manifest named in advance (a
 * matrix entry's) is read alone. Abstract components are named only when someone asks for them:
 * a deploy command never does.
 */
import type { AtmosError } from '../util/errors.js';
import { ConfigurationErrors, ErrorCollector } from '../util/errors.js';
import { mapAt } from '../util/merge.js';
import { stackNameOf, type StackName } from './component.js';
import { extractComponent } from './component-layers.js';
import { ComponentSections } from './component-sections.js';
import { findTopLevelManifests } from './manifests.js';
import type { ResolveRun } from './resolve-cache.js';
import { StackLayers } from './stack-layers.js';

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

interface ManifestNames {
  /** The concrete components, named. */
  definitions: Definition[];
  /** The abstract ones: read and named only when asked for (a deploy command never needs them). */
  abstract: { layers: StackLayers; name: string; position: number }[];
  abstractNamed?: Definition[];
  /** Why the manifest, or a component's name in it, could not be read. */
  errors: AtmosError[];
  abstractErrors: AtmosError[];
}

interface NameIndex {
  /** Whether the abstract components are in it too. */
  withAbstract: boolean;
  /** Definitions by stack, then component (several when several manifests define one instance). */
  byStack: Map<string, Map<string, Definition[]>>;
  byComponent: Map<string, Definition[]>;
  errors: AtmosError[];
}

export class StackNames {
  private manifestList?: string[];
  private readonly names = new Map<string, ManifestNames>();
  private index?: NameIndex;

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

  /** Every definition of `component`, abstract ones included. */
  definitionsOfComponent(component: string): Definition[] {
    return this.nameIndex(true).byComponent.get(component) ?? [];
  }

  /** A definition in the manifest whose file name is `stackFile` (a hint for a stack given by file name). */
  byStackFile(stackFile: string): Definition | undefined {
    return [...this.names.values()].flatMap((m) => [...m.definitions, ...(m.abstractNamed ?? [])]).find((d) => d.sections.stack.stackFile === stackFile);
  }

  /** The names of one manifest's components (reads it and its imports; resolves nothing). */
  private manifestNames(top: string, withAbstract = false): ManifestNames {
    let m = this.names.get(top);
    if (!m) {
      m = { definitions: [], abstract: [], errors: [], abstractErrors: [] };
      this.names.set(top, m);
      const errors = new ErrorCollector();
      const layers = errors.attempt(() => new StackLayers(top, this.run.config, this.run.reader));
      Object.keys(layers?.components ?? {}).forEach((name, position) => {
        if (mapAt(layers!.components[name], 'metadata')?.type === 'abstract') m!.abstract.push({ layers: layers!, name, position });
        else this.name({ layers: layers!, name, position }, false, m!.definitions, errors);
      });
      m.errors = collected(errors);
    }
    if (withAbstract && !m.abstractNamed) {
      const errors = new ErrorCollector();
      m.abstractNamed = [];
      for (const a of m.abstract) this.name(a, true, m.abstractNamed, errors);
      m.abstractErrors = collected(errors);
    }
    return m;
  }

  /** Extraction, inheritance and overrides of one component, and its stack name. */
  private name(at: { layers: StackLayers; name: string; position: number }, abstract: boolean, into: Definition[], errors: ErrorCollector): void {
    errors.attempt(() => {
      const sections = new ComponentSections(this.run, at.layers, extractComponent(this.run, at.layers, at.name));
      into.push({ sections, named: stackNameOf(this.run, sections), abstract, position: at.position });
    });
  }

  /** The definitions of `component` in `stack` in one manifest (abstract ones looked at only if no concrete one matches). */
  local(manifest: string, component: string, stack: string): Definition[] {
    if (!this.manifests().includes(manifest)) return [];
    const match = (d: Definition) => d.sections.src.name === component && d.named.stack === stack;
    const concrete = this.manifestNames(manifest).definitions.filter(match);
    return concrete.length ? concrete : (this.manifestNames(manifest, true).abstractNamed ?? []).filter(match);
  }

  /** Every manifest's definitions of `component` in `stack`, in manifest order. */
  definitionsOf(component: string, stack: string): Definition[] {
    return this.nameIndex().byStack.get(stack)?.get(component) ?? this.nameIndex(true).byStack.get(stack)?.get(component) ?? [];
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
      const m = this.manifestNames(top, withAbstract);
      index.errors.push(...m.errors, ...(withAbstract ? m.abstractErrors : []));
      const defs = withAbstract ? [...m.definitions, ...m.abstractNamed!].sort((x, y) => x.position - y.position) : m.definitions;
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
