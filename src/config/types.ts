/** The parts of atmos.yaml that atmos-action honours, resolved to absolute paths once. */

import type { ListMergeStrategy } from '../util/merge.js';
import type { AuthSettings, StoreConfig } from './stores.js';

export type { ListMergeStrategy };

export interface TerraformSettings {
  /** Absolute path of the Terraform root modules folder (`components.terraform.base_path`). */
  basePath: string;
  /** `components.terraform.base_path` as written, relative to base_path. */
  basePathRelative: string;
  command: string;
  autoGenerateBackendFile: boolean;
  /** `auto_generate_files`: write the `generate:` section's files before terraform runs. */
  autoGenerateFiles: boolean;
  initRunReconfigure: boolean;
  deployRunInit: boolean;
  applyAutoApprove: boolean;
  initPassVars: boolean;
  planSkipPlanfile: boolean;
  /** `workspaces_enabled`; absent means enabled. */
  workspacesEnabled: boolean;
  /** `workspace.prefix_separator`, `-` by default. */
  workspacePrefixSeparator: string;
  /** `components.terraform.source.ttl`, the default TTL for remote sources. */
  sourceTtl?: string;
}

export interface StacksSettings {
  /** Absolute stacks root. */
  basePath: string;
  /** Absolute doublestar globs selecting top-level manifests. */
  includedPaths: string[];
  excludedPaths: string[];
  namePattern?: string;
  nameTemplate?: string;
  /** Where name_template is set, for errors: atmos.yaml (its line is found when an error needs it), or the environment variable. */
  nameTemplateFrom?: { file?: string; env?: string };
  inheritMetadata: boolean;
  inheritSource: boolean;
}

export interface TemplatesSettings {
  /** `templates.settings.enabled`: the component-section pass runs only when true. */
  enabled: boolean;
  sprig: boolean;
  gomplate: boolean;
  /** `evaluations`, at least 1. */
  evaluations: number;
  /** `delimiters`, `['{{', '}}']` by default. */
  delimiters: [string, string];
  /** `templates.settings.ignore_missing_template_values`: import-time and name_template default. */
  ignoreMissingTemplateValues: boolean;
  /** `templates.settings.env` (string values): set while the component pass renders. */
  env?: Readonly<Record<string, string>>;
}

export interface AtmosConfig {
  /** Absolute path of the atmos.yaml that was read, or null when the built-in defaults apply. */
  configFile: string | null;
  /** Directory that relative paths in atmos.yaml resolve against. */
  configDir: string;
  /** Absolute base path. */
  basePath: string;
  stacks: StacksSettings;
  terraform: TerraformSettings;
  listMergeStrategy: ListMergeStrategy;
  templatesEnabled: boolean;
  /** `templates.settings` of atmos.yaml (all switches off when atmos.yaml omits them, as in Atmos). */
  templates: TemplatesSettings;
  /** Top-level `env:` of atmos.yaml: the lowest-priority env of every component. */
  env: Record<string, unknown>;
  describeIncludeEmpty: boolean;
  /** `vendor.base_path` (or `ATMOS_VENDOR_BASE_PATH`) made absolute: the vendor manifest file or folder, when set. */
  vendorBasePath?: string;
  /** `stores:` by name (config/stores.ts). */
  stores: Record<string, StoreConfig>;
  /** The identities and providers of `auth:` a store may name. */
  auth: AuthSettings;
  /** The whole merged atmos.yaml, for `atmos_cli_config`-style output. */
  raw: Record<string, unknown>;
}
