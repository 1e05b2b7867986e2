/**
 * One component of one stack → its Instance (docs/atmos-compatibility.md §2.2, §2.5), in Atmos's
 * order: extraction, inheritance, overrides and the merge (component-sections.ts); the canonical
 * stack name (§1.3) and the checks that name it; the workspace and file names (§5); then the
 * template pass and the YAML functions (evaluate-instance.ts).
 */
import { safeJoin, safeRelativeSegments } from '../util/safe-path.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { componentError, str } from './base-components.js';
import type { ComponentSections } from './component-sections.js';
import { evaluateInstance } from './evaluate-instance.js';
import { integrationNames, mayHaveIntegrationNames } from './integrations.js';
import { versionTrackOf } from './versions.js';
import { ResolvedInstance, type InstanceIdentity } from './instance.js';
import { overlaySections } from './instance-sections.js';
import { buildWorkspace, planfileName, renderNamePattern, varfileName } from './names.js';
import type { ResolveRun } from './resolve-cache.js';
import { renderNameTemplate, renderWorkspaceTemplate } from './stack-engine.js';
import { templateEnv } from './templating.js';
import type { UnsupportedFeature } from './types.js';
import { findUnsupported } from './unsupported.js';
import { lazy, withLazyFields } from '../util/lazy-fields.js';

/** A canonical stack name and how it was found. */
export interface StackName {
  stack: string;
  /** From `stacks.name_template` (then a workspace pattern takes no context tokens from vars). */
  byTemplate: boolean;
}

/**
 * The canonical stack name of a component instance (§1.3): the manifest's `name:`, else
 * `stacks.name_template`, else `stacks.name_pattern`, else the manifest's file name. Only what the
 * rule reads is merged (a name pattern reads a few vars).
 */
export function stackNameOf(run: ResolveRun, sections: ComponentSections): StackName {
  const { config } = run;
  const layers = sections.stack;
  if (layers.manifestName) return { stack: layers.manifestName, byTemplate: false };
  if (config.stacks.nameTemplate) {
    const stack = renderNameTemplate(run.engine, config.stacks.nameTemplate, sections.namingData(), layers.label);
    if (stack !== undefined) return { stack, byTemplate: true };
  }
  if (config.stacks.namePattern) {
    const stack = renderNamePattern(config.stacks.namePattern, (name) => sections.varValue(name));
    if (stack) return { stack, byTemplate: false };
  }
  return { stack: layers.stackFile, byTemplate: false };
}

/** Resolves the instance the sections describe, named `named`. Throws an AtmosError naming the file (and line). */
export function resolveComponent(run: ResolveRun, sections: ComponentSections, named: StackName): ResolvedInstance {
  const { config, reader, engine } = run;
  const layers = sections.stack;
  const { name, raw } = sections.src;
  const top = layers.file;
  const { stack } = named;

  const backendType = sections.backendType;
  const ownBackend = mapAt(raw, 'backend');
  if (backendType && ownBackend && Object.keys(ownBackend).length > 0 && !(backendType in ownBackend)) {
    throw componentError(
      reader,
      top,
      name,
      `component ${name}: backend configures ${Object.keys(ownBackend).join(', ')} but backend_type is ${backendType}; ` +
        `put the settings under backend.${backendType} or change backend_type`,
      ['backend'],
    );
  }
  const missing = missingBackendSection(sections);
  if (missing) throw componentError(reader, top, name, `component ${name} in stack ${stack}: ${missing.why}`, [missing.key]);

  const metadata = sections.metadata;
  const ownMetadata = mapAt(raw, 'metadata') ?? {};
  const baseComponent = sections.baseComponent;
  const executionComponent = str(metadata.component) || baseComponent;
  const checked = run.cache.checkedNames;
  const check = (value: string, what: string) => {
    if (checked.has(value)) return;
    try {
      safeRelativeSegments(value, what);
    } catch (e) {
      throw componentError(reader, top, name, `component ${name} in stack ${stack}: ${(e as Error).message}`);
    }
    checked.add(value);
  };
  check(stack, 'stack name');
  check(name, 'component name');
  check(baseComponent, 'metadata.component');
  check(executionComponent, 'metadata.component');

  let workspace =
    buildWorkspace({
      stack,
      component: name,
      baseComponent,
      backendType,
      metadata,
      ownMetadata,
      varOf: (v) => sections.varValue(v),
      workspacesEnabled: config.terraform.workspacesEnabled,
      contextTokensFromVars: !named.byTemplate,
    }) ?? '';
  if (workspace === '') {
    const data: Plain = withLazyFields({
      vars: lazy(() => sections.vars),
      settings: lazy(() => sections.settings),
      env: lazy(() => sections.env),
      metadata,
      backend: lazy(() => sections.backend),
      backend_type: backendType,
      component: baseComponent,
      atmos_component: name,
      atmos_stack: stack,
      stack,
      atmos_stack_file: layers.stackFile,
      atmos_manifest: layers.stackFile,
    });
    workspace = renderWorkspaceTemplate(engine, String(metadata.terraform_workspace_template), data, reader, top, name);
  }

  const integrations = mayHaveIntegrationNames((key) => sections.mayHaveKey('settings', key))
    ? integrationNames({
        config,
        component: name,
        stack,
        settings: sections.settings,
        varOf: (key) => sections.varValue(key),
        nameTemplate: () => renderNameTemplate(engine, config.stacks.nameTemplate!, sections.namingData(), layers.label),
      })
    : {};

  let componentPath = run.cache.componentPaths.get(executionComponent);
  if (componentPath === undefined) {
    componentPath = safeJoin(config.terraform.basePath, executionComponent, 'component folder');
    run.cache.componentPaths.set(executionComponent, componentPath);
  }
  const identity: InstanceIdentity = {
    stack,
    component: name,
    baseComponent,
    executionComponent,
    componentPath,
    stackFile: layers.stackFile,
    stackFilePath: top,
    backendType,
    remoteStateBackendType: sections.explicitRemoteStateBackendType || backendType,
    inheritance: sections.src.bases.inheritance,
    workspace,
    spaceliftStack: integrations.spacelift_stack,
    atlantisProject: integrations.atlantis_project,
    abstract: ownMetadata.type === 'abstract',
    enabled: metadata.enabled !== false,
    locked: metadata.locked === true,
    varfileName: varfileName(stack, name, baseComponent),
    planfileName: planfileName(stack, name, baseComponent),
  };

  sections.checkSecretDeclarations();
  const tags = layers.mayHold('tags');
  const templates = layers.mayHold('templates');
  if (!tags && !(config.templatesEnabled && templates)) return new ResolvedInstance(identity, sections);
  const componentPass = engine.componentPass ? engine.templates : null;
  const unsupported: UnsupportedFeature[] = [];
  let instance = new ResolvedInstance(identity, sections, { unsupported });
  if (componentPass || engine.functions) {
    const evaluated = evaluateInstance(identity, sections, {
      templates: templates ? componentPass : null,
      functions: tags ? engine.functions : null,
      templateScan: engine.templateScan,
      functionScan: engine.functionScan,
      tokens: engine.tokens,
      mayHold: (field, kind) => sections.mayHold(field, kind === 'template' ? engine.templateScan : engine.functionScan),
      keysHolding: (field, kind) => sections.keysHolding(field, kind === 'template' ? engine.templateScan : engine.functionScan),
      locate: (t) => locateText(run, top, t),
      templateEnv: () => templateEnv(config, sections.mayHaveKey('settings', 'templates') ? sections.settings : undefined),
      deferredMerges: (field) => sections.deferredMerges(field),
      strategy: sections.strategy,
      versions: () => versionTrackOf(config, layers.root),
    });
    unsupported.push(...evaluated.unsupported);
    instance = new ResolvedInstance(identity, overlaySections(sections, evaluated.replaced), { unsupported, reads: evaluated.reads });
  }
  // What the passes left (switched off, or not evaluated at all) is listed, never guessed.
  if (!componentPass || !engine.functions) findUnsupported(instance.sections, config.templatesEnabled && !componentPass, unsupported, !engine.functions);
  return instance;
}

/**
 * A backend type with no section of its own would be silently ignored: what is wrong (a sentence
 * after the instance's name) and the key to point at, for the first such. Read from the layers (the
 * last layer that sets the type decides whether the merged section holds a map), without merging.
 */
function missingBackendSection(sections: ComponentSections): { why: string; key: string } | undefined {
  const { raw, bases } = sections.src;
  const tf = sections.stack.tf;
  const type = sections.backendType;
  const noSection = (key: string, t: string, section: string) => ({
    why: `${key} is ${t}, but there is no ${section}.${t} section; add one (it may be empty: ${section}: {${t}: {}}) or change ${key}`,
    key,
  });
  const backendLayers = [tf.backend, ...bases.raws.map((b) => b.backend), raw.backend];
  if (type && backendLayers.some((l) => isPlainMap(l) && Object.keys(l).length > 0)) {
    const last = [...backendLayers].reverse().find((l) => isPlainMap(l) && type in l) as Plain | undefined;
    if (!last || !isPlainMap(last[type])) return noSection('backend_type', type, 'backend');
  }
  // The remote-state type is the backend type unless set; remote_state_backend sections that
  // configure some type must configure that one (Atmos's checkRemoteStateBackendTypeMatch).
  const explicit = sections.explicitRemoteStateBackendType;
  const remoteType = explicit || type;
  const layers = [tf.remote_state_backend, ...bases.raws.map((b) => b.remote_state_backend), raw.remote_state_backend];
  const configured = [...new Set(layers.flatMap((l) => (isPlainMap(l) ? Object.keys(l) : [])))].sort();
  if (remoteType && configured.length > 0 && !configured.includes(remoteType)) {
    if (explicit) return noSection('remote_state_backend_type', explicit, 'remote_state_backend');
    return {
      why:
        `remote_state_backend configures ${configured.join(', ')} but not ${type}, its type (remote_state_backend_type is backend_type, ${type}, when not set); ` +
        `add remote_state_backend.${type} (it may be empty) or set remote_state_backend_type`,
      key: 'remote_state_backend',
    };
  }
  // Stricter than Atmos: a remote-state type of its own and no section at all would borrow nothing.
  if (explicit && explicit !== type && configured.length === 0) return noSection('remote_state_backend_type', explicit, 'remote_state_backend');
  return undefined;
}

/** The manifest (the top one or an import) and line where `text` is written, for template errors. */
function locateText(run: ResolveRun, top: string, text: string): { file?: string; line?: number } {
  const needle = text.split('\n')[0];
  for (const f of [top, ...run.reader.transitiveImports(top).reverse()]) {
    const src = run.reader.textOf(f);
    const at = src?.indexOf(needle) ?? -1;
    if (src && at >= 0) return { file: f, line: src.slice(0, at).split('\n').length };
  }
  return { file: top };
}
