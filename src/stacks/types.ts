import type { DeferredAt } from './deferred.js';

/**
 * The resolved component instance: the one currency between the pipeline's parts
 * (stacks → graph → workdir → providers → terraform → report).
 */

/**
 * A resolved section. Instances share merged subtrees (that is what makes resolution fast), so
 * sections are read-only: a stray write would change other instances too.
 */
export type Section = { readonly [key: string]: unknown };

/** A dependency edge declared by an instance, already matched to a concrete target stack. */
export interface DependencyRef {
  readonly component: string;
  readonly stack: string;
  /** Where it was declared or found: `dependencies.components`, `settings.depends_on`, or an output read. */
  readonly via: 'dependencies.components' | 'settings.depends_on' | '!terraform.output' | '!terraform.state' | 'atmos.Component';
}

/** Something in the instance that atmos-action does not evaluate (Go templates, YAML functions). */
export interface UnsupportedFeature {
  /** Dotted path inside the component section, e.g. `vars.vpc_id`. */
  readonly path: string;
  /** The raw value, e.g. `!terraform.output vpc vpc_id`. */
  readonly value: string;
  readonly kind: 'yaml-function' | 'go-template';
  /** Where the value is written (file and 1-based line), when found in the stack's manifests. */
  file?: string;
  line?: number;
}

export interface Instance {
  /** Canonical stack name (`atmos_stack`). */
  readonly stack: string;
  /** Atmos component name, the key under `components.terraform` (`atmos_component`). */
  readonly component: string;
  /** Terraform root module folder relative to the components base path (`component`). */
  readonly baseComponent: string;
  /**
   * Folder terraform runs from, relative to the components base path. Equals `baseComponent`
   * except when `metadata.component` is only inherited from a base (Atmos quirk, docs/atmos-compatibility.md §3).
   */
  readonly executionComponent: string;
  /** Absolute path of the base component's folder (the workdir's source). */
  readonly componentPath: string;
  /** Manifest file name: path under stacks.base_path without extension (`atmos_stack_file`). */
  readonly stackFile: string;
  /** Absolute path of the top-level manifest. */
  readonly stackFilePath: string;

  readonly vars: Section;
  readonly settings: Section;
  readonly env: Section;
  readonly providers: Section;
  readonly backendType: string;
  /** `backend[backend_type]` with Atmos's defaults filled in. */
  readonly backend: Section;
  readonly remoteStateBackendType: string;
  readonly remoteStateBackend: Section;
  readonly metadata: Section;
  readonly overrides: Section;
  readonly source: Section;
  readonly provision: Section;
  readonly command: string;
  /** Bases in reverse processing order, highest priority first. */
  readonly inheritance: readonly string[];
  readonly workspace: string;
  /** The Spacelift stack name, when `settings.spacelift.workspace_enabled` (integrations.ts). */
  readonly spaceliftStack?: string;
  /** The Atlantis project name, when `settings.atlantis` names a project template (integrations.ts). */
  readonly atlantisProject?: string;

  readonly abstract: boolean;
  readonly enabled: boolean;
  readonly locked: boolean;

  readonly varfileName: string;
  readonly planfileName: string;

  /** The merged `dependencies` section (tools, components, files, folders). */
  readonly dependencies: Section;
  /**
   * Sections Atmos carries along that atmos-action passes through: auth, generate, hooks,
   * required_providers, required_version, secrets, retry, test, mocks, depends_on.
   */
  readonly passthrough: Section;

  readonly dependsOn: readonly DependencyRef[];
  readonly unsupported: readonly UnsupportedFeature[];
  /**
   * Values known only when the instance runs (`!terraform.output`, `!terraform.state`,
   * `atmos.Component … .outputs`): each sits in a section as a DeferredValue (deferred.ts), listed
   * here with its path. The instance depends on each instance it reads.
   */
  readonly reads: readonly DeferredAt[];

  /** The full resolved component section in Atmos's `describe component` shape (built on access). */
  readonly sections: Section;
}
