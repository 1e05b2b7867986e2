/**
 * The resolved component instance: the one currency between the pipeline's parts
 * (stacks → graph → workdir → providers → terraform → report).
 */

export type Section = Record<string, unknown>;

/** A dependency edge declared by an instance, already matched to a concrete target stack. */
export interface DependencyRef {
  component: string;
  stack: string;
  /** Where it was declared: `dependencies.components` or `settings.depends_on`. */
  via: 'dependencies.components' | 'settings.depends_on';
}

/** Something in the instance that atmos-action does not evaluate (Go templates, YAML functions). */
export interface UnsupportedFeature {
  /** Dotted path inside the component section, e.g. `vars.vpc_id`. */
  path: string;
  /** The raw value, e.g. `!terraform.output vpc vpc_id`. */
  value: string;
  kind: 'yaml-function' | 'go-template';
}

export interface Instance {
  /** Canonical stack name (`atmos_stack`). */
  stack: string;
  /** Atmos component name, the key under `components.terraform` (`atmos_component`). */
  component: string;
  /** Terraform root module folder relative to the components base path (`component`). */
  baseComponent: string;
  /**
   * Folder terraform runs from, relative to the components base path. Equals `baseComponent`
   * except when `metadata.component` is only inherited from a base (Atmos quirk, reference §3).
   */
  executionComponent: string;
  /** Absolute path of the base component's folder (the workdir's source). */
  componentPath: string;
  /** Manifest file name: path under stacks.base_path without extension (`atmos_stack_file`). */
  stackFile: string;
  /** Absolute path of the top-level manifest. */
  stackFilePath: string;

  vars: Section;
  settings: Section;
  env: Section;
  providers: Section;
  backendType: string;
  /** `backend[backend_type]` with Atmos's defaults filled in. */
  backend: Section;
  remoteStateBackendType: string;
  remoteStateBackend: Section;
  metadata: Section;
  overrides: Section;
  source: Section;
  provision: Section;
  command: string;
  /** Bases in reverse processing order, highest priority first. */
  inheritance: string[];
  workspace: string;

  abstract: boolean;
  enabled: boolean;
  locked: boolean;

  varfileName: string;
  planfileName: string;

  /** The merged `dependencies` section (tools, components, files, folders). */
  dependencies: Section;
  /** Sections Atmos carries along that atmos-action passes through: auth, generate, hooks, required_providers, required_version, secrets, retry, test, mocks, depends_on. */
  passthrough: Section;

  dependsOn: DependencyRef[];
  unsupported: UnsupportedFeature[];

  /** The full resolved component section in Atmos's `describe component` shape (built on access). */
  readonly sections: Section;
}
