import { DeferredValue, mapDeferred, type DeferredAt, type DeferredRead } from './deferred.js';
import { overlaySections, SECTION_FIELDS, type InstanceSections } from './instance-sections.js';
import { planfileName, varfileName } from './names.js';
import type { DependencyRef, Instance, Section as Plain, UnsupportedFeature } from './types.js';
import { lazy, withLazyFields } from '../util/lazy-fields.js';

/** What an instance is, apart from its sections: names, paths, flags. */
export type InstanceIdentity = Pick<
  Instance,
  | 'stack'
  | 'component'
  | 'baseComponent'
  | 'executionComponent'
  | 'componentPath'
  | 'stackFile'
  | 'stackFilePath'
  | 'backendType'
  | 'remoteStateBackendType'
  | 'inheritance'
  | 'workspace'
  | 'spaceliftStack'
  | 'atlantisProject'
  | 'abstract'
  | 'enabled'
  | 'locked'
  | 'varfileName'
  | 'planfileName'
>;

/** What resolution finds beside the sections: edges, values not evaluated, run-time reads. */
export interface InstanceFindings {
  dependsOn: readonly DependencyRef[];
  unsupported: UnsupportedFeature[];
  reads: readonly DeferredAt[];
}

/** Everything an instance is built from, as one object (hand-built instances, tests). */
export type InstanceFields = InstanceIdentity & InstanceSections & Partial<InstanceFindings>;

/** An Instance whose sections come from `src` (merged on first read) and whose `sections` (the describe shape) is assembled on access. */
export class ResolvedInstance implements Instance {
  declare stack: string;
  declare component: string;
  declare baseComponent: string;
  declare executionComponent: string;
  declare componentPath: string;
  declare stackFile: string;
  declare stackFilePath: string;
  declare backendType: string;
  declare remoteStateBackendType: string;
  declare inheritance: readonly string[];
  declare workspace: string;
  declare spaceliftStack?: string;
  declare atlantisProject?: string;
  declare abstract: boolean;
  declare enabled: boolean;
  declare locked: boolean;
  declare varfileName: string;
  declare planfileName: string;
  declare dependsOn: readonly DependencyRef[];
  declare unsupported: UnsupportedFeature[];
  declare reads: readonly DeferredAt[];
  private readonly src: InstanceSections;

  constructor(identity: InstanceIdentity, src: InstanceSections, findings: Partial<InstanceFindings> = {}) {
    // Field by field rather than Object.assign: this runs once per instance (10,000s per run).
    this.stack = identity.stack;
    this.component = identity.component;
    this.baseComponent = identity.baseComponent;
    this.executionComponent = identity.executionComponent;
    this.componentPath = identity.componentPath;
    this.stackFile = identity.stackFile;
    this.stackFilePath = identity.stackFilePath;
    this.backendType = identity.backendType;
    this.remoteStateBackendType = identity.remoteStateBackendType;
    this.inheritance = identity.inheritance;
    this.workspace = identity.workspace;
    if (identity.spaceliftStack !== undefined) this.spaceliftStack = identity.spaceliftStack;
    if (identity.atlantisProject !== undefined) this.atlantisProject = identity.atlantisProject;
    this.abstract = identity.abstract;
    this.enabled = identity.enabled;
    this.locked = identity.locked;
    this.varfileName = identity.varfileName;
    this.planfileName = identity.planfileName;
    this.src = src;
    this.dependsOn = findings.dependsOn ?? [];
    this.unsupported = findings.unsupported ?? [];
    this.reads = findings.reads ?? [];
  }

  get vars(): Plain {
    return this.src.vars;
  }
  get settings(): Plain {
    return this.src.settings;
  }
  get env(): Plain {
    return this.src.env;
  }
  get providers(): Plain {
    return this.src.providers;
  }
  get backend(): Plain {
    return this.src.backend;
  }
  get remoteStateBackend(): Plain {
    return this.src.remoteStateBackend;
  }
  get metadata(): Plain {
    return this.src.metadata;
  }
  get overrides(): Plain {
    return this.src.overrides;
  }
  get source(): Plain {
    return this.src.source;
  }
  get provision(): Plain {
    return this.src.provision;
  }
  get dependencies(): Plain {
    return this.src.dependencies;
  }
  get passthrough(): Plain {
    return this.src.passthrough;
  }
  get command(): string {
    return this.src.command;
  }

  get sections(): Plain {
    return { ...describeShape(this, this, true) };
  }
}

/**
 * Atmos's `describe component` shape of an instance, passthrough sections at the top level. Each
 * section is read when its key is: the template pass renders against this (without
 * `component_info`, as Atmos does), so a section no template reads is never merged.
 */
export function describeShape(id: InstanceIdentity, s: InstanceSections, componentInfo: boolean): Plain {
  const shape = withLazyFields({
    atmos_component: id.component,
    atmos_manifest: id.stackFile,
    atmos_stack: id.stack,
    atmos_stack_file: id.stackFile,
    backend: lazy(() => s.backend),
    backend_type: id.backendType,
    command: lazy(() => s.command),
    component: id.baseComponent,
    dependencies: lazy(() => s.dependencies),
    env: lazy(() => s.env),
    inheritance: id.inheritance,
    metadata: lazy(() => s.metadata),
    overrides: lazy(() => s.overrides),
    providers: lazy(() => s.providers),
    provision: lazy(() => s.provision),
    remote_state_backend: lazy(() => s.remoteStateBackend),
    remote_state_backend_type: id.remoteStateBackendType,
    settings: lazy(() => s.settings),
    source: lazy(() => s.source),
    stack: id.stack,
    vars: lazy(() => s.vars),
    workspace: id.workspace,
  });
  if (componentInfo) shape.component_info = { component_path: id.componentPath, component_type: 'terraform' };
  if (id.spaceliftStack !== undefined) shape.spacelift_stack = id.spaceliftStack;
  if (id.atlantisProject !== undefined) shape.atlantis_project = id.atlantisProject;
  return Object.assign(shape, s.passthrough);
}

/** The same instance with some sections replaced (run-time values filled in), and some findings. */
export function withSections(instance: Instance, replaced: Partial<InstanceSections>, findings: Partial<InstanceFindings>): Instance {
  return new ResolvedInstance(instance, overlaySections(instance, replaced), {
    dependsOn: instance.dependsOn,
    unsupported: [...instance.unsupported],
    reads: instance.reads,
    ...findings,
  });
}

/** A read's value, or undefined when it is not known (the read then stays deferred). */
export type ReadValue = (read: DeferredRead, at: string) => { value: unknown } | undefined;

/**
 * The same instance with the reads `valueOf` knows replaced by their values; the others stay
 * deferred (and listed in `reads`). A value that is one read alone becomes the value read, whatever
 * its type; inside a longer string a value is printed (JSON for a list or map).
 */
export function withReadsReplaced(instance: Instance, valueOf: ReadValue): Instance {
  if (instance.reads.length === 0) return instance;
  const left: DeferredAt[] = [];
  const replaced: Partial<Record<keyof InstanceSections, unknown>> = {};
  for (const [field, name] of SECTION_FIELDS) {
    const before = instance[field];
    const after = mapDeferred(
      before,
      (v: DeferredValue, at: string) => {
        const whole = v.whole;
        if (whole) {
          const known = valueOf(whole, at);
          if (known) return known.value;
          left.push({ path: at, read: whole });
          return v;
        }
        const parts = v.parts.map((p) => {
          if (typeof p === 'string') return p;
          const known = valueOf(p, at);
          if (!known) left.push({ path: at, read: p });
          return !known ? p : typeof known.value === 'string' ? known.value : JSON.stringify(known.value);
        });
        return parts.every((p) => typeof p === 'string') ? parts.join('') : new DeferredValue(mergeText(parts));
      },
      name,
    );
    if (after !== before) replaced[field] = after;
  }
  return withSections(instance, replaced as Partial<InstanceSections>, { reads: left });
}

/** Adjacent text parts joined: a deferred value's parts alternate text and reads. */
function mergeText(parts: readonly (string | DeferredRead)[]): (string | DeferredRead)[] {
  const out: (string | DeferredRead)[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/**
 * An Instance built by hand (library users, tests, benchmarks): the identity fields are required,
 * every section defaults to empty and the names follow the same rules as a resolved one.
 */
export function instanceOf(fields: Pick<InstanceFields, 'stack' | 'component' | 'componentPath'> & Partial<InstanceFields>): Instance {
  const baseComponent = fields.baseComponent ?? fields.component;
  const all: InstanceFields = {
    baseComponent,
    executionComponent: baseComponent,
    stackFile: fields.stack,
    stackFilePath: '',
    vars: {},
    settings: {},
    env: {},
    providers: {},
    backendType: '',
    backend: {},
    remoteStateBackendType: '',
    remoteStateBackend: {},
    metadata: baseComponent !== fields.component ? { component: baseComponent } : {},
    overrides: {},
    source: {},
    provision: {},
    command: 'terraform',
    inheritance: [],
    workspace: baseComponent !== fields.component ? `${fields.stack}-${fields.component}` : fields.stack,
    abstract: false,
    enabled: true,
    locked: false,
    varfileName: varfileName(fields.stack, fields.component, baseComponent),
    planfileName: planfileName(fields.stack, fields.component, baseComponent),
    dependencies: {},
    passthrough: {},
    ...fields,
  };
  return new ResolvedInstance(all, all, all);
}
