/**
 * What Atmos's integrations add to a component (docs/atmos-compatibility.md §2.2): the Spacelift
 * stack and Atlantis project names (`spacelift_stack`, `atlantis_project`), computed before the
 * template pass so templates can use them, and `settings.integrations.github`, atmos.yaml's
 * `integrations.github` under the component's own.
 */
import type { AtmosConfig } from '../config/types.js';
import { deepMerge, isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { renderNamePattern } from './names.js';

/** The names an instance gets; a key is present only when the integration names it. */
export interface IntegrationNames {
  spacelift_stack?: string;
  atlantis_project?: string;
}

export interface IntegrationInput {
  config: AtmosConfig;
  /** The Atmos component name. */
  component: string;
  /** The canonical stack name. */
  stack: string;
  /** The merged (unrendered) settings. */
  settings: Plain;
  /**
   * One var as the merged vars hold it (unrendered). A name reads five of them, so the vars
   * section is not merged for it (stacks/component-sections.ts `varValue`).
   */
  varOf: (key: string) => unknown;
  /** `stacks.name_template` rendered over the component's sections (undefined: a var is missing). */
  nameTemplate: () => string | undefined;
}

/** Whether an instance may get a name at all: its settings have a `spacelift` or `atlantis` key. */
export function mayHaveIntegrationNames(hasSettingsKey: (key: string) => boolean): boolean {
  return hasSettingsKey('spacelift') || hasSettingsKey('atlantis');
}

/**
 * Atmos's BuildSpaceliftStackNameFromComponentConfig and BuildAtlantisProjectNameFromComponentConfig.
 * Where Atmos fails on a missing name var or on no name template or pattern at all, the
 * canonical stack name stands in (decision 3).
 */
export function integrationNames(input: IntegrationInput): IntegrationNames {
  const out: IntegrationNames = {};
  const spacelift = mapAt(input.settings, 'spacelift');
  if (spacelift?.workspace_enabled === true) out.spacelift_stack = spaceliftStack(input, spacelift);
  const atlantis = atlantisProject(input, mapAt(input.settings, 'atlantis'));
  if (atlantis) out.atlantis_project = atlantis;
  return out;
}

function spaceliftStack(input: IntegrationInput, spacelift: Plain): string {
  const context = contextOf(input);
  if (typeof spacelift.stack_name_pattern === 'string') return replaceContextTokens(spacelift.stack_name_pattern, context);
  if (typeof spacelift.stack_name === 'string') return spacelift.stack_name;
  const { config } = input;
  const prefix =
    (config.stacks.nameTemplate
      ? input.nameTemplate()
      : config.stacks.namePattern
        ? renderNamePattern(config.stacks.namePattern, (k) => context[k])
        : undefined) ?? input.stack;
  return `${prefix}-${context.component}`.replace(/\//g, '-');
}

function atlantisProject(input: IntegrationInput, atlantis: Plain | undefined): string | undefined {
  if (!atlantis) return undefined;
  let template = mapAt(atlantis, 'project_template');
  if (!template && typeof atlantis.project_template_name === 'string' && atlantis.project_template_name !== '') {
    template = mapAt(mapAt(mapAt(mapAt(input.config.raw, 'integrations'), 'atlantis'), 'project_templates'), atlantis.project_template_name);
  }
  const name = template?.name;
  return typeof name === 'string' && name !== '' ? replaceContextTokens(name, contextOf(input)) : undefined;
}

/** Atmos's context from vars (string values only; `attributes` a list), with the component name, `/` → `-`. */
function contextOf(input: IntegrationInput): Record<string, string> {
  const ctx: Record<string, string> = { component: input.component.replace(/\//g, '-') };
  for (const k of ['namespace', 'tenant', 'environment', 'stage', 'region']) {
    const v = input.varOf(k);
    ctx[k] = typeof v === 'string' ? v : '';
  }
  const attributes = input.varOf('attributes');
  ctx.attributes = Array.isArray(attributes) ? attributes.map((a) => String(a)).join('-') : '';
  return ctx;
}

const CONTEXT_TOKENS = /\{(base-component|component-path|component|namespace|environment|region|tenant|stage|workspace|terraform_workspace|attributes)\}/g;

/** Atmos's ReplaceContextTokens: each `{token}`, the ones this context has no value for becoming ''. */
function replaceContextTokens(pattern: string, context: Record<string, string>): string {
  return pattern.replace(CONTEXT_TOKENS, (_all, token: string) => context[token] ?? '');
}

/**
 * `settings` with `integrations.github` = atmos.yaml's `integrations.github` under the
 * component's own (Atmos's processSettingsIntegrationsGithub); unchanged when atmos.yaml sets none.
 */
export function withGithubIntegration(config: AtmosConfig, settings: Plain): Plain {
  const global = mapAt(mapAt(config.raw, 'integrations'), 'github');
  if (!global || Object.keys(global).length === 0) return settings;
  const integrations = mapAt(settings, 'integrations') ?? {};
  const own = integrations.github;
  const github = deepMerge([global, isPlainMap(own) ? own : undefined], config.listMergeStrategy);
  return { ...settings, integrations: { ...integrations, github } };
}
