import type { AtmosConfig, ListMergeStrategy } from '../config/types.js';
import type { Log } from '../ports/log.js';
import { silentLog } from '../ports/log.js';
import { AtmosError } from '../util/errors.js';
import { safeJoin, safeRelativeSegments } from '../util/safe-path.js';
import { lineOf } from '../util/yaml.js';
import { resolveDependencies } from './dependencies.js';
import { ManifestReader } from './imports.js';
import { findTopLevelManifests, stackFileName } from './manifests.js';
import { deepEqual, deepMerge, isPlainMap, mapAt, merge3, type Plain } from '../util/merge.js';
import { buildWorkspace, planfileName, renderNamePattern, renderSimpleTemplate, varfileName } from './names.js';
import { ResolvedInstance } from './instance.js';
import type { Instance, UnsupportedFeature } from './types.js';

/**
 * Stack manifests → resolved component instances (reference/atmos.md §2.5): imports and file-scoped
 * overrides (imports.ts), then per component the base chain (§3), the section hierarchy (§2.2),
 * backend defaults, the canonical stack name (§1.3), workspace and file names (§5).
 */

export interface ResolvedStacks {
  /** Every instance, abstract and disabled ones included, sorted by stack then component. */
  instances: Instance[];
  /** Absolute paths of the top-level manifests. */
  manifests: string[];
}

const ROOT_METADATA_KEYS = ['labels', 'tags', 'custom', 'enabled', 'locked', 'terraform_workspace_pattern'];

const YAML_FUNCTION = /^!(terraform\.(output|state)|env|exec|store(\.get)?|template|include(\.raw)?|repo-root|cwd|random|aws\.[a-z_]+|literal|secret|unset|sops|vault)(\s|$)/;

interface BaseLayers {
  /** Bases in processing order (deepest first). */
  order: string[];
  /** Their definitions, in the same order. */
  raws: Plain[];
  /** The `inheritance` output: bases in reverse processing order, deduplicated. */
  inheritance: string[];
  metadata: unknown[];
  backendType?: string;
  remoteStateBackendType?: string;
  command?: string;
  requiredVersion?: string;
}

interface StackGlobals {
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

export interface ResolveOptions {
  log?: Log;
  /**
   * Resolve abstract components too (default true). They are templates that never deploy, so the
   * deploy paths (matrix, workdir, plan) skip them; describe keeps them.
   */
  includeAbstract?: boolean;
}

export function resolveStacks(config: AtmosConfig, opts: ResolveOptions = {}): ResolvedStacks {
  const includeAbstract = opts.includeAbstract ?? true;
  const log = opts.log ?? silentLog;
  const reader = new ManifestReader(config);
  const manifests = findTopLevelManifests(config.stacks);
  const byKey = new Map<string, { instance: Instance; file: string }>();
  const checkedNames = new Set<string>();
  const componentPaths = new Map<string, string>();
  // atmos.yaml `env:` flows into every component's env.
  const atmosEnvMayHoldFunctions = JSON.stringify(config.env).includes('!');

  for (const top of manifests) {
    const merged = reader.tree(top);
    const overrides = reader.componentOverrides(top);
    const globals: StackGlobals = {
      stackFile: stackFileName(config.stacks.basePath, top),
      mayHoldFunctions: atmosEnvMayHoldFunctions || reader.treeMayHoldFunctions(top),
      checkedNames,
      componentPaths,
      stackParts: new Map(),
      root: merged,
      tf: mapAt(merged, 'terraform') ?? {},
      rootMetadata: pickKeys(mapAt(merged, 'metadata') ?? {}, ROOT_METADATA_KEYS),
      components: mapAt(mapAt(merged, 'components'), 'terraform') ?? {},
      manifestName: typeof merged.name === 'string' && merged.name !== '' ? merged.name : undefined,
    };
    for (const name of Object.keys(globals.components)) {
      if (!includeAbstract && mapAt(globals.components[name], 'metadata')?.type === 'abstract') continue;
      const instance = resolveComponent(config, reader, top, name, globals, overrides.get(name) ?? {});
      const key = `${instance.stack}\u0000${instance.component}`;
      const prev = byKey.get(key);
      if (prev) {
        if (!deepEqual(comparable(prev.instance), comparable(instance))) {
          throw new AtmosError(
            `component ${name} is defined differently for stack ${instance.stack} in ${reader.rel(prev.file)} and ${reader.rel(top)}; ` +
              'two manifests that resolve to the same stack name must agree (check `name:`, name_pattern/name_template and the vars they use)',
            { file: top },
          );
        }
        continue;
      }
      byKey.set(key, { instance, file: top });
    }
  }

  const instances = [...byKey.values()].map((v) => v.instance).sort(byStackThenComponent);
  resolveDependencies(instances, log);
  return { instances, manifests };
}

export function findInstance(resolved: ResolvedStacks, component: string, stack: string): Instance {
  const hit = resolved.instances.find((i) => i.component === component && (i.stack === stack || i.stackFile === stack));
  if (hit) return hit;
  const stacks = new Set(resolved.instances.map((i) => i.stack));
  if (!stacks.has(stack) && !resolved.instances.some((i) => i.stackFile === stack)) {
    throw new AtmosError(`stack ${stack} not found; known stacks: ${someOf([...stacks].sort())}`);
  }
  const inStack = resolved.instances.filter((i) => i.stack === stack || i.stackFile === stack).map((i) => i.component);
  throw new AtmosError(`component ${component} not found in stack ${stack}; it has: ${someOf(inStack.sort())}`);
}

/** A readable list for an error message: the first 20 names, then how many more. */
function someOf(names: string[]): string {
  if (names.length === 0) return '(none)';
  return names.length <= 20 ? names.join(', ') : `${names.slice(0, 20).join(', ')} and ${names.length - 20} more`;
}

function byStackThenComponent(a: Instance, b: Instance): number {
  if (a.stack !== b.stack) return a.stack < b.stack ? -1 : 1;
  return a.component < b.component ? -1 : a.component > b.component ? 1 : 0;
}

/** What two definitions of one stack/component must agree on (everything but where they came from). */
function comparable(i: Instance): Plain {
  const { atmos_stack_file: _f, atmos_manifest: _m, ...rest } = i.sections;
  return rest;
}

function pickKeys(m: Plain, keys: string[]): Plain {
  const out: Plain = {};
  for (const k of keys) if (k in m) out[k] = m[k];
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function componentError(reader: ManifestReader, top: string, name: string, message: string, key: (string | number)[] = []): AtmosError {
  // Point at the file that defines the component, not just the top-level manifest, when we can.
  const files = [top, ...reader.transitiveImports(top)].reverse();
  const file = files.find((f) => name in reader.componentsDefinedIn(f)) ?? top;
  const text = reader.textOf(file);
  const line = text ? lineOf(text, ['components', 'terraform', name, ...key]) : undefined;
  const chain = file === top ? [top] : [top, file];
  return new AtmosError(message, { file, line, chain });
}

/** Walks a component's `component:` and `metadata.inherits` chain (§3), collecting each base's sections in order. */
/**
 * Base chains per component definition. A chain depends only on the definitions it looked up, and
 * catalog definitions are the same objects in every stack that imports them, so a chain is reused
 * while each name it looked up still maps to the same object.
 */
const baseChains = new WeakMap<Plain, { looked: [string, unknown][]; layers: BaseLayers }>();

function basesOf(config: AtmosConfig, reader: ManifestReader, top: string, name: string, components: Plain): BaseLayers {
  const own = components[name];
  if (!isPlainMap(own)) return collectBases(config, reader, top, name, components, []);
  const hit = baseChains.get(own);
  if (hit && hit.looked.every(([n, v]) => components[n] === v)) return hit.layers;
  const looked: [string, unknown][] = [];
  const layers = collectBases(config, reader, top, name, components, looked);
  baseChains.set(own, { looked, layers });
  return layers;
}

function collectBases(
  config: AtmosConfig,
  reader: ManifestReader,
  top: string,
  name: string,
  allComponents: Plain,
  looked: [string, unknown][],
): BaseLayers {
  const layers: BaseLayers = { order: [], raws: [], metadata: [], inheritance: [] };
  const visiting: string[] = [name];
  const components = new Proxy(allComponents, {
    get(target, key: string) {
      const v = target[key];
      looked.push([key, v]);
      return v;
    },
  });

  const processChain = (raw: Plain, owner: string) => {
    const legacy = str(raw.component);
    if (legacy && legacy !== owner && isPlainMap(components[legacy])) processBase(legacy, owner, ['component']);
    const md = mapAt(raw, 'metadata');
    const inherits = md?.inherits;
    if (inherits === undefined || inherits === null) return;
    if (!Array.isArray(inherits) || inherits.some((b) => typeof b !== 'string')) {
      throw componentError(reader, top, owner, `component ${owner}: metadata.inherits must be a list of component names`, ['metadata', 'inherits']);
    }
    for (const b of inherits as string[]) processBase(b, owner, ['metadata', 'inherits']);
  };

  const processBase = (base: string, owner: string, key: string[]) => {
    if (visiting.includes(base)) {
      throw componentError(
        reader,
        top,
        owner,
        `inheritance cycle: ${[...visiting.slice(visiting.indexOf(base)), base].join(' → ')}`,
        key,
      );
    }
    const raw = components[base];
    if (raw === undefined) {
      throw componentError(
        reader,
        top,
        owner,
        `component ${owner} inherits from ${base}, which is not defined in stack manifest ${reader.rel(top)} or its imports`,
        key,
      );
    }
    const braw = isPlainMap(raw) ? raw : {};
    visiting.push(base);
    processChain(braw, base);
    visiting.pop();
    layers.raws.push(braw);
    if (config.stacks.inheritMetadata) {
      const md = inheritableMetadata(braw);
      if (md) layers.metadata.push(md);
    }
    // Atmos assigns these scalars from every processed base in turn, empty included (§3 quirk).
    layers.backendType = str(braw.backend_type) ?? '';
    layers.remoteStateBackendType = str(braw.remote_state_backend_type) ?? '';
    layers.command = str(braw.command) ?? '';
    const rv = str(braw.required_version);
    if (rv) layers.requiredVersion = rv;
    layers.order.push(base);
  };

  const own = allComponents[name];
  processChain(isPlainMap(own) ? own : {}, name);
  layers.inheritance = inheritanceList(layers.order);
  return layers;
}

const inheritableMetadataCache = new WeakMap<Plain, Plain | undefined>();

/** A base's metadata as its children inherit it: everything but `inherits` and `type` (§3). */
function inheritableMetadata(base: Plain): Plain | undefined {
  if (inheritableMetadataCache.has(base)) return inheritableMetadataCache.get(base);
  const md = mapAt(base, 'metadata');
  let rest: Plain | undefined;
  if (md) {
    const { inherits: _i, type: _t, ...others } = md;
    rest = others;
  }
  inheritableMetadataCache.set(base, rest);
  return rest;
}

/** The Terraform folder of a component: explicit metadata.component, else a YAML-defined legacy `component:`'s folder. */
function folderOf(name: string, components: Plain, seen: Set<string> = new Set()): string {
  const raw = components[name];
  if (!isPlainMap(raw) || seen.has(name)) return name;
  seen.add(name);
  const mdc = str(mapAt(raw, 'metadata')?.component);
  if (mdc) return mdc;
  const legacy = str(raw.component);
  if (legacy && legacy !== name && isPlainMap(components[legacy])) return folderOf(legacy, components, seen);
  return name;
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
const componentParts = new WeakMap<Plain, { bases: Plain[]; parts: Map<string, Plain> }>();

function componentPartsOf(raw: Plain, bases: Plain[]): Map<string, Plain> {
  let entry = componentParts.get(raw);
  if (!entry || entry.bases.length !== bases.length || entry.bases.some((b, i) => b !== bases[i])) {
    entry = { bases, parts: new Map() };
    componentParts.set(raw, entry);
  }
  return entry.parts;
}

function lastNonEmpty(...values: (string | undefined)[]): string {
  let out = '';
  for (const v of values) if (v) out = v;
  return out;
}

function resolveComponent(
  config: AtmosConfig,
  reader: ManifestReader,
  top: string,
  name: string,
  g: StackGlobals,
  overrides: Plain,
): Instance {
  const raw = isPlainMap(g.components[name]) ? (g.components[name] as Plain) : {};
  const bases = basesOf(config, reader, top, name, g.components);
  const noSourceInheritance = !config.stacks.inheritSource;
  const baseList = (s: string): unknown[] =>
    bases.raws.length === 0 || (noSourceInheritance && (s === 'source' || s === 'provision')) ? [] : bases.raws.map((b) => b[s]);

  // Merging is associative under replace/append (merge.ts), so the stack-wide layers (root,
  // terraform) are merged once per stack and the catalog-side layers (bases, component) once per
  // definition, shared by every stack that imports it. The element-wise `merge` strategy is not
  // associative, and a component with its own strategy is rare: both fold every layer in order.
  const parts = componentPartsOf(raw, bases.raws);
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
  const backend = withBackendDefaults(config, backendType, mapAt(backendAll, backendType) ?? {}, {
    name,
    baseComponent,
    metadataName: str(metadata.name),
    globalAzurermKey: str(mapAt(mapAt(g.tf, 'backend'), 'azurerm')?.key),
    componentAzurermKey: () => str(mapAt(merge([...baseList('backend'), raw.backend]), 'azurerm')?.key),
  });
  const remoteStateBackendType =
    lastNonEmpty(str(g.tf.remote_state_backend_type), bases.remoteStateBackendType, str(raw.remote_state_backend_type)) || backendType;
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
    stack = renderSimpleTemplate(config.stacks.nameTemplate, namingData, 'stacks.name_template');
    byTemplate = stack !== undefined;
  }
  if (!stack && config.stacks.namePattern) stack = renderNamePattern(config.stacks.namePattern, vars);
  if (!stack) stack = stackFile;

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

/** Bases in reverse processing order, deduplicated: highest priority first (§3). */
function inheritanceList(order: string[]): string[] {
  const out: string[] = [];
  for (const b of [...order].reverse()) if (!out.includes(b)) out.push(b);
  return out;
}

interface BackendNaming {
  name: string;
  baseComponent: string;
  metadataName?: string;
  globalAzurermKey?: string;
  /** Only computed for azurerm. */
  componentAzurermKey: () => string | undefined;
}

/** Backends with a defaulted prefix, per source backend and prefix: instances of one stack share one backend map. */
const defaultedBackends = new WeakMap<Plain, Map<string, Plain>>();

function withDefault(backend: Plain, key: string, value: string): Plain {
  let byValue = defaultedBackends.get(backend);
  if (!byValue) {
    byValue = new Map();
    defaultedBackends.set(backend, byValue);
  }
  const cacheKey = `${key}\u0000${value}`;
  let out = byValue.get(cacheKey);
  if (!out) {
    out = { ...backend, [key]: value };
    byValue.set(cacheKey, out);
  }
  return out;
}

/** s3 workspace_key_prefix, gcs prefix and azurerm key defaults (§2.2). */
function withBackendDefaults(config: AtmosConfig, type: string, backend: Plain, n: BackendNaming): Plain {
  const sep = config.terraform.workspacePrefixSeparator;
  const rawPrefix = n.metadataName || (n.baseComponent !== n.name ? n.baseComponent : '') || n.name;
  const prefix = rawPrefix.includes('/') ? rawPrefix.replace(/\//g, sep) : rawPrefix;
  if (type === 's3' && (backend.workspace_key_prefix === undefined || backend.workspace_key_prefix === null)) {
    return withDefault(backend, 'workspace_key_prefix', prefix);
  }
  if (type === 'gcs' && (backend.prefix === undefined || backend.prefix === null)) {
    return withDefault(backend, 'prefix', prefix);
  }
  if (type === 'azurerm' && !n.componentAzurermKey()) {
    const key = [n.globalAzurermKey, `${prefix}.terraform.tfstate`].filter(Boolean).join('/');
    return { ...backend, key };
  }
  return backend;
}

/** Records YAML functions and (when templates are on) Go templates, which are not evaluated (yet). */
function findUnsupported(sections: Plain, templatesEnabled: boolean, out: UnsupportedFeature[]): void {
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      if (YAML_FUNCTION.test(v)) out.push({ path: at, value: v, kind: 'yaml-function' });
      else if (templatesEnabled && v.includes('{{')) out.push({ path: at, value: v, kind: 'go-template' });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`));
    } else if (isPlainMap(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
    }
  };
  for (const s of ['vars', 'settings', 'env', 'providers', 'backend', 'remote_state_backend', 'metadata', 'source', 'provision', 'dependencies', 'command', 'generate', 'required_providers']) {
    walk(sections[s], s);
  }
}

/** The error an entry point raises when a selected instance needs something we do not evaluate. */
export function assertEvaluable(instance: Instance): void {
  if (instance.unsupported.length === 0) return;
  const list = instance.unsupported
    .slice(0, 10)
    .map((u) => `  ${u.path}: ${u.value} (${u.kind === 'yaml-function' ? 'YAML function' : 'Go template'})`)
    .join('\n');
  const more = instance.unsupported.length > 10 ? `\n  … and ${instance.unsupported.length - 10} more` : '';
  throw new AtmosError(
    `component ${instance.component} in stack ${instance.stack} uses features atmos-action does not evaluate yet, so its values would be wrong:\n${list}${more}`,
    { file: instance.stackFilePath },
  );
}
