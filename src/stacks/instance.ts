import { planfileName, varfileName } from './names.js';
import type { DependencyRef, Instance, Section as Plain, UnsupportedFeature } from './types.js';

/** The fields an instance is built from (its lists still mutable: dependencies and the feature scan append to them). */
export type InstanceFields = Omit<Instance, 'sections' | 'unsupported'> & { unsupported: UnsupportedFeature[] };

/** An Instance whose `sections` (the describe shape) is assembled from its fields on access, not stored. */
export class ResolvedInstance implements Instance {
  declare stack: string;
  declare component: string;
  declare baseComponent: string;
  declare executionComponent: string;
  declare componentPath: string;
  declare stackFile: string;
  declare stackFilePath: string;
  declare vars: Plain;
  declare settings: Plain;
  declare env: Plain;
  declare providers: Plain;
  declare backendType: string;
  declare backend: Plain;
  declare remoteStateBackendType: string;
  declare remoteStateBackend: Plain;
  declare metadata: Plain;
  declare overrides: Plain;
  declare source: Plain;
  declare provision: Plain;
  declare command: string;
  declare inheritance: readonly string[];
  declare workspace: string;
  declare abstract: boolean;
  declare enabled: boolean;
  declare locked: boolean;
  declare varfileName: string;
  declare planfileName: string;
  declare dependencies: Plain;
  declare passthrough: Plain;
  declare dependsOn: readonly DependencyRef[];
  declare unsupported: UnsupportedFeature[];

  constructor(fields: InstanceFields) {
    // Field by field rather than Object.assign: this runs once per instance (10,000s per run).
    this.stack = fields.stack;
    this.component = fields.component;
    this.baseComponent = fields.baseComponent;
    this.executionComponent = fields.executionComponent;
    this.componentPath = fields.componentPath;
    this.stackFile = fields.stackFile;
    this.stackFilePath = fields.stackFilePath;
    this.vars = fields.vars;
    this.settings = fields.settings;
    this.env = fields.env;
    this.providers = fields.providers;
    this.backendType = fields.backendType;
    this.backend = fields.backend;
    this.remoteStateBackendType = fields.remoteStateBackendType;
    this.remoteStateBackend = fields.remoteStateBackend;
    this.metadata = fields.metadata;
    this.overrides = fields.overrides;
    this.source = fields.source;
    this.provision = fields.provision;
    this.command = fields.command;
    this.inheritance = fields.inheritance;
    this.workspace = fields.workspace;
    this.abstract = fields.abstract;
    this.enabled = fields.enabled;
    this.locked = fields.locked;
    this.varfileName = fields.varfileName;
    this.planfileName = fields.planfileName;
    this.dependencies = fields.dependencies;
    this.passthrough = fields.passthrough;
    this.dependsOn = fields.dependsOn;
    this.unsupported = fields.unsupported;
  }

  get sections(): Plain {
    return {
      atmos_component: this.component,
      atmos_manifest: this.stackFile,
      atmos_stack: this.stack,
      atmos_stack_file: this.stackFile,
      backend: this.backend,
      backend_type: this.backendType,
      command: this.command,
      component: this.baseComponent,
      component_info: { component_path: this.componentPath, component_type: 'terraform' },
      dependencies: this.dependencies,
      env: this.env,
      inheritance: this.inheritance,
      metadata: this.metadata,
      overrides: this.overrides,
      providers: this.providers,
      provision: this.provision,
      remote_state_backend: this.remoteStateBackend,
      remote_state_backend_type: this.remoteStateBackendType,
      settings: this.settings,
      source: this.source,
      stack: this.stack,
      vars: this.vars,
      workspace: this.workspace,
      ...this.passthrough,
    };
  }
}

/**
 * An Instance built by hand (library users, tests, benchmarks): the identity fields are required,
 * every section defaults to empty and the names follow the same rules as a resolved one.
 */
export function instanceOf(fields: Pick<InstanceFields, 'stack' | 'component' | 'componentPath'> & Partial<InstanceFields>): Instance {
  const baseComponent = fields.baseComponent ?? fields.component;
  return new ResolvedInstance({
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
    dependsOn: [],
    unsupported: [],
    ...fields,
  });
}
