/**
 * One component of one stack → its Instance (docs/atmos-compatibility.md §2.2, §2.5): the section hierarchy merged
 * over the base chain, backend and remote-state backend, the canonical stack name (§1.3), the
 * workspace and file names (§5). This function is long because it follows Atmos's order of
 * section processing step by step; splitting it would hide that order.
 */
import type { AtmosConfig, ListMergeStrategy } from '../config/types.js';
import { safeJoin, safeRelativeSegments } from '../util/safe-path.js';
import { deepEqual, deepMerge, isPlainMap, mapAt, merge3, type Plain } from '../util/merge.js';
import { withBackendDefaults } from './backend.js';
import { basesOf, componentError, folderOf, str } from './base-components.js';
import type { ManifestReader } from './imports.js';
import { ResolvedInstance, type InstanceFields } from './instance.js';
import { buildWorkspace, planfileName, renderNamePattern, varfileName } from './names.js';
import { evaluateInstance, type OutputRead } from './evaluate-instance.js';
import { renderNameTemplate, renderWorkspaceTemplate, type StackEngine } from './stack-engine.js';
import type { ResolutionCache } from './resolve-cache.js';
import type { UnsupportedFeature } from './types.js';
import { findUnsupported } from './unsupported.js';
import { mergeSecretsSection } from './functions/secret.js';

export interface StackGlobals {
  /** Manifest file name (§1.3), the stack name of last resort. */
  stackFile: string;
  /** False when no file of this manifest's tree can hold a YAML function or template: skip the scan. */
  mayHoldFunctions: boolean;
  /** Whether this manifest's tree may hold a YAML function tag (`!`) / a template action. */
  mayHoldTags: boolean;
  mayHoldTemplates: boolean;
  /** Names already checked by safeRelativeSegments. */
  checkedNames: Set<string>;
  componentPaths: Map<string, string>;
  /** Root + terraform layers of a section, merged once per stack (under the config's list strategy). */
  stackParts: Map<string, Plain>;
  root: Plain;
  tf: Plain;
  rootMetadata: Plain;
  components: Plain;
  manifestName?: string;
  /** Templates and YAML functions for this run. */
  engine: StackEngine;
  /** `!terraform.output`/`!terraform.state` reads per instance, for the dependency edges. */
  outputReads: Map<ResolvedInstance, OutputRead[]>;
}

/** What most instances carry as passthrough sections: nothing. Shared, so 10,000 instances hold one. */
const EMPTY_PASSTHROUGH: Plain = Object.freeze({
  auth: {},
  generate: {},
  hooks: {},
  required_providers: {},
  required_version: '',
}) as Plain;

/** Bases + component layers of each section, per component definition (shared across stacks). */
function componentPartsOf(cache: ResolutionCache, raw: Plain, bases: Plain[]): Map<string, Plain> {
  let entry = cache.componentParts.get(raw);
  if (!entry || entry.bases.length !== bases.length || entry.bases.some((b, i) => b !== bases[i])) {
    entry = { bases, parts: new Map() };
    cache.componentParts.set(raw, entry);
  }
  return entry.parts;
}

function lastNonEmpty(...values: (string | undefined)[]): string {
  let out = '';
  for (const v of values) if (v) out = v;
  return out;
}

export function resolveComponent(
  cache: ResolutionCache,
  config: AtmosConfig,
  reader: ManifestReader,
  top: string,
  name: string,
  g: StackGlobals,
  overrides: Plain,
): ResolvedInstance {
  const raw = isPlainMap(g.components[name]) ? (g.components[name] as Plain) : {};
  const bases = basesOf(cache, config, reader, top, name, g.components);
  const noSourceInheritance = !config.stacks.inheritSource;
  const baseList = (s: string): unknown[] =>
    bases.raws.length === 0 || (noSourceInheritance && (s === 'source' || s === 'provision')) ? [] : bases.raws.map((b) => b[s]);

  // Merging is associative under replace/append (merge.ts), so the stack-wide layers (root,
  // terraform) are merged once per stack and the catalog-side layers (bases, component) once per
  // definition, shared by every stack that imports it. The element-wise `merge` strategy is not
  // associative, and a component with its own strategy is rare: both fold every layer in order.
  const parts = componentPartsOf(cache, raw, bases.raws);
  const headOf = (s: string, withRoot: boolean): unknown[] => (s === 'env' ? [config.env, g.root.env, g.tf.env] : [withRoot ? g.root[s] : undefined, g.tf[s]]);
  const mergeLayers = (s: string, strategy: ListMergeStrategy, opts: { root: boolean; overrides: boolean }): Plain => {
    const top = opts.overrides ? overrides[s] : undefined;
    if (strategy !== config.listMergeStrategy || strategy === 'merge') {
      return deepMerge([...headOf(s, opts.root), ...baseList(s), raw[s], top], strategy);
    }
    let head = g.stackParts.get(s);
    if (!head) {
      head = deepMerge(headOf(s, opts.root), strategy);
      g.stackParts.set(s, head);
    }
    let tail = parts.get(s);
    if (!tail) {
      tail = deepMerge([...baseList(s), raw[s]], strategy);
      parts.set(s, tail);
    }
    return merge3(head, tail, top, strategy);
  };

  // settings first: a component may choose its own list_merge_strategy (§2.3).
  const settingsGlobal = mergeLayers('settings', config.listMergeStrategy, { root: true, overrides: true });
  const own = str(settingsGlobal.list_merge_strategy);
  const strategy: ListMergeStrategy = own === 'append' || own === 'merge' || own === 'replace' ? own : config.listMergeStrategy;
  const merge = (layers: unknown[]) => deepMerge(layers, strategy);

  const layered = (s: string) => mergeLayers(s, strategy, { root: true, overrides: true });
  const vars = layered('vars');
  const settings = strategy === config.listMergeStrategy ? settingsGlobal : layered('settings');
  const tfOnly = (s: string, withOverrides: boolean) => mergeLayers(s, strategy, { root: false, overrides: withOverrides });

  const envMerged = layered('env');
  let env: Plain = envMerged;
  if (Object.values(envMerged).some((v) => v === null || v === undefined)) {
    env = {};
    for (const [k, v] of Object.entries(envMerged)) if (v !== null && v !== undefined) env[k] = v;
  }

  const cacheMetadata = strategy === config.listMergeStrategy;
  let metadataTail = cacheMetadata ? parts.get('\u0000metadata') : undefined;
  if (!metadataTail) {
    metadataTail = merge([...bases.metadata, raw.metadata]);
    if (cacheMetadata) parts.set('\u0000metadata', metadataTail);
  }
  const metadata = merge3(g.rootMetadata, metadataTail, undefined, strategy);
  const ownMetadata = mapAt(raw, 'metadata') ?? {};

  const baseComponent = folderOf(name, g.components);
  const executionComponent = str(metadata.component) || baseComponent;

  const backendType = lastNonEmpty(str(g.tf.backend_type), bases.backendType, str(raw.backend_type));
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
  const backendAll = merge([g.tf.backend, ...baseList('backend'), raw.backend]);
  // Checked once the canonical stack name is known, to name it.
  const missingSections: [key: string, type: string, section: string][] = [];
  // A backend section that configures other types but not this one would be silently ignored.
  if (backendType && Object.keys(backendAll).length > 0 && !isPlainMap(backendAll[backendType])) {
    missingSections.push(['backend_type', backendType, 'backend']);
  }
  const backend = withBackendDefaults(cache, config, backendType, mapAt(backendAll, backendType) ?? {}, {
    name,
    baseComponent,
    metadataName: str(metadata.name),
    globalAzurermKey: str(mapAt(mapAt(g.tf, 'backend'), 'azurerm')?.key),
    componentAzurermKey: () => str(mapAt(merge([...baseList('backend'), raw.backend]), 'azurerm')?.key),
  });
  const explicitRemoteStateType = lastNonEmpty(str(g.tf.remote_state_backend_type), bases.remoteStateBackendType, str(raw.remote_state_backend_type));
  const remoteStateBackendType = explicitRemoteStateType || backendType;
  if (explicitRemoteStateType && explicitRemoteStateType !== backendType) {
    const layers = [g.tf.remote_state_backend, ...baseList('remote_state_backend'), raw.remote_state_backend];
    if (!layers.some((l) => isPlainMap(mapAt(l, explicitRemoteStateType)))) {
      missingSections.push(['remote_state_backend_type', explicitRemoteStateType, 'remote_state_backend']);
    }
  }
  // Starts from the resolved backend (defaults filled in), and only when the types agree (§2.2, §5.4).
  const remoteStateBackend = merge([
    remoteStateBackendType === backendType ? backend : undefined,
    mapAt(g.tf.remote_state_backend, remoteStateBackendType),
    ...baseList('remote_state_backend').map((b) => mapAt(b, remoteStateBackendType)),
    mapAt(raw.remote_state_backend, remoteStateBackendType),
  ]);

  const command = lastNonEmpty(config.terraform.command, str(g.tf.command), bases.command, str(raw.command), str(overrides.command)) || 'terraform';
  const requiredVersion = lastNonEmpty(str(g.tf.required_version), bases.requiredVersion, str(raw.required_version));

  const sourceLayers = [g.tf.source, ...baseList('source'), raw.source];
  const lastSource = [...sourceLayers].reverse().find((s) => s !== undefined && s !== null);
  const source: Plain = typeof lastSource === 'string' ? { uri: lastSource } : merge(sourceLayers);
  const provision = merge([g.tf.provision, ...baseList('provision'), raw.provision]);
  const dependencies = merge([g.root.dependencies, g.tf.dependencies, ...baseList('dependencies'), raw.dependencies]);

  // Canonical stack name (§1.3).
  const stackFile = g.stackFile;
  let stack: string | undefined = g.manifestName;
  let byTemplate = false;
  if (!stack && config.stacks.nameTemplate) {
    const namingData: Plain = {
      vars,
      settings,
      env,
      metadata,
      providers: tfOnly('providers', true),
      backend,
      backend_type: backendType,
      component: baseComponent,
      atmos_component: name,
    };
    stack = renderNameTemplate(g.engine, config.stacks.nameTemplate, namingData, reader.rel(top));
    byTemplate = stack !== undefined;
  }
  if (!stack && config.stacks.namePattern) stack = renderNamePattern(config.stacks.namePattern, vars);
  if (!stack) stack = stackFile;
  if (missingSections.length) {
    const [key, type, section] = missingSections[0];
    throw componentError(
      reader,
      top,
      name,
      `component ${name} in stack ${stack}: ${key} is ${type}, but there is no ${section}.${type} section; add one (it may be empty: ${section}: {${type}: {}}) or change ${key}`,
      [key],
    );
  }

  try {
    for (const [value, what] of [
      [stack, 'stack name'],
      [name, 'component name'],
      [baseComponent, 'metadata.component'],
      [executionComponent, 'metadata.component'],
    ] as const) {
      if (g.checkedNames.has(value)) continue;
      safeRelativeSegments(value, what);
      g.checkedNames.add(value);
    }
  } catch (e) {
    throw componentError(reader, top, name, `component ${name} in stack ${stack}: ${(e as Error).message}`);
  }

  const unsupported: UnsupportedFeature[] = [];
  let workspace =
    buildWorkspace({
      stack,
      component: name,
      baseComponent,
      backendType,
      metadata,
      ownMetadata,
      vars,
      workspacesEnabled: config.terraform.workspacesEnabled,
      contextTokensFromVars: !byTemplate,
    }) ?? '';
  if (workspace === '') {
    const data: Plain = {
      vars,
      settings,
      env,
      metadata,
      backend,
      backend_type: backendType,
      component: baseComponent,
      atmos_component: name,
      atmos_stack: stack,
      stack,
      atmos_stack_file: stackFile,
      atmos_manifest: stackFile,
    };
    workspace = renderWorkspaceTemplate(g.engine, String(metadata.terraform_workspace_template), data, reader, top, name);
  }

  const abstract = ownMetadata.type === 'abstract';
  const enabled = metadata.enabled !== false;
  const locked = metadata.locked === true;
  let componentPath = g.componentPaths.get(executionComponent);
  if (componentPath === undefined) {
    componentPath = safeJoin(config.terraform.basePath, executionComponent, 'component folder');
    g.componentPaths.set(executionComponent, componentPath);
  }

  let passthrough: Plain = {
    auth: layered('auth'),
    generate: layered('generate'),
    hooks: layered('hooks'),
    required_providers: tfOnly('required_providers', true),
    required_version: requiredVersion,
  };
  if (isPlainMap(raw.depends_on)) passthrough.depends_on = raw.depends_on;
  const secrets = mergeSecretsSection(
    { stack: g.root.secrets, bases: baseList('secrets'), component: raw.secrets, overrides: overrides.secrets },
    strategy,
    `component ${name} in ${stackFile}`,
  );
  if (Object.keys(secrets).length) passthrough.secrets = secrets;
  for (const s of ['retry', 'test', 'mocks'] as const) {
    const v = tfOnly(s, s === 'retry');
    if (Object.keys(v).length) passthrough[s] = v;
  }
  if (deepEqual(passthrough, EMPTY_PASSTHROUGH)) passthrough = EMPTY_PASSTHROUGH;

  const fields: InstanceFields = {
    stack,
    component: name,
    baseComponent,
    executionComponent,
    componentPath,
    stackFile,
    stackFilePath: top,
    vars,
    settings,
    env,
    providers: tfOnly('providers', true),
    backendType,
    backend,
    remoteStateBackendType,
    remoteStateBackend,
    metadata,
    overrides,
    source,
    provision,
    command,
    inheritance: bases.inheritance,
    workspace,
    abstract,
    enabled,
    locked,
    varfileName: varfileName(stack, name, baseComponent),
    planfileName: planfileName(stack, name, baseComponent),
    dependencies,
    passthrough,
    dependsOn: [],
    unsupported,
  };
  let reads: OutputRead[] = [];
  if (g.mayHoldFunctions) {
    const componentPass = g.engine.componentPass ? g.engine.templates : null;
    if (componentPass || g.engine.functions) {
      reads = evaluateInstance(fields, {
        templates: g.mayHoldTemplates ? componentPass : null,
        functions: g.mayHoldTags ? g.engine.functions : null,
        templateScan: g.engine.templateScan,
        functionScan: g.engine.functionScan,
        locate: (t) => locateText(reader, top, t),
      });
    }
    // What the passes left (switched off, or not evaluated at all) is listed, never guessed.
    if (!componentPass || !g.engine.functions) {
      findUnsupported(new ResolvedInstance(fields).sections, config.templatesEnabled && !componentPass, unsupported, !g.engine.functions);
    }
  }
  const instance = new ResolvedInstance(fields);
  if (reads.length) g.outputReads.set(instance, reads);
  return instance;
}

/** The manifest (the top one or an import) and line where `text` is written, for template errors. */
function locateText(reader: ManifestReader, top: string, text: string): { file?: string; line?: number } {
  const needle = text.split('\n')[0];
  for (const f of [top, ...reader.transitiveImports(top).reverse()]) {
    const src = reader.textOf(f);
    const at = src?.indexOf(needle) ?? -1;
    if (src && at >= 0) return { file: f, line: src.slice(0, at).split('\n').length };
  }
  return { file: top };
}
