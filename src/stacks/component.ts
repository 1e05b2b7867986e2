/**
 * One component of one stack → its Instance (docs/atmos-compatibility.md §2.2, §2.5): the section hierarchy merged
 * over the base chain, backend and remote-state backend, the canonical stack name (§1.3), the
 * workspace and file names (§5). This function is long because it follows Atmos's order of
 * section processing step by step; splitting it would hide that order.
 */
import type { AtmosConfig, ListMergeStrategy } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { safeJoin, safeRelativeSegments } from '../util/safe-path.js';
import { deepEqual, deepMerge, isPlainMap, mapAt, merge3, type Plain } from '../util/merge.js';
import { withBackendDefaults } from './backend.js';
import { basesOf, componentError, folderOf, str } from './base-components.js';
import type { ManifestReader } from './imports.js';
import { ResolvedInstance } from './instance.js';
import { buildWorkspace, planfileName, renderNamePattern, renderSimpleTemplate, varfileName } from './names.js';
import type { ResolutionCache } from './resolve-cache.js';
import type { UnsupportedFeature } from './types.js';
import { findUnsupported } from './unsupported.js';

export interface StackGlobals {
  /** Manifest file name (§1.3), the stack name of last resort. */
  stackFile: string;
  /** False when no file of this manifest's tree can hold a YAML function or template: skip the scan. */
  mayHoldFunctions: boolean;
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
  const headOf = (s: string, withRoot: boolean): unknown[] =>
    s === 'env' ? [config.env, g.root.env, g.tf.env] : [withRoot ? g.root[s] : undefined, g.tf[s]];
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
    const namingData: Plain = { vars, settings, env, metadata, component: baseComponent, atmos_component: name };
    stack = renderNameTemplate(config, namingData);
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
  const workspace =
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
    unsupported.push({ path: 'metadata.terraform_workspace_template', value: String(metadata.terraform_workspace_template), kind: 'go-template' });
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
  for (const s of ['secrets', 'retry', 'test', 'mocks'] as const) {
    const v = tfOnly(s, s === 'retry');
    if (Object.keys(v).length) passthrough[s] = v;
  }
  if (deepEqual(passthrough, EMPTY_PASSTHROUGH)) passthrough = EMPTY_PASSTHROUGH;

  const instance = new ResolvedInstance({
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
  });
  if (g.mayHoldFunctions) findUnsupported(instance.sections, config.templatesEnabled, unsupported);
  return instance;
}



/** stacks.name_template → stack name; a template we cannot evaluate is an error at its line in atmos.yaml. */
function renderNameTemplate(config: AtmosConfig, data: Plain): string | undefined {
  const from = config.stacks.nameTemplateFrom;
  try {
    return renderSimpleTemplate(config.stacks.nameTemplate ?? '', data, from?.env ? `stacks.name_template (from ${from.env})` : 'stacks.name_template');
  } catch (e) {
    if (!(e instanceof AtmosError) || !from?.file) throw e;
    throw new AtmosError(e.message, { file: from.file, line: from.line });
  }
}
