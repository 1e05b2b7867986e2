import type { AtmosConfig } from '../config/types.js';
import type { Log } from '../ports/log.js';
import { silentLog } from '../ports/log.js';
import { AtmosError, ErrorCollector } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { deepEqual, mapAt, type Plain } from '../util/merge.js';
import { resolveComponent, type StackGlobals } from './component.js';
import { resolveDependencies } from './dependencies.js';
import type { OutputRead } from './evaluate-instance.js';
import { addOutputDependencies } from './functions/dependencies.js';
import { createEngine, type EngineOptions } from './stack-engine.js';
import { ManifestReader } from './imports.js';
import { findTopLevelManifests, stackFileName } from './manifests.js';
import type { ResolvedInstance } from './instance.js';
import { ResolutionCache } from './resolve-cache.js';
import type { Instance, UnsupportedFeature } from './types.js';

/**
 * Stack manifests → resolved component instances (§2.5), split the way Atmos's stack processor is:
 * imports and file-scoped overrides (imports.ts), the base-component chain (base-components.ts),
 * one component's sections, names and workspace (component.ts), backend defaults (backend.ts),
 * the unsupported-feature scan (unsupported.ts). One ResolutionCache lives for one call.
 */

export interface ResolvedStacks {
  /** Every instance, abstract and disabled ones included, sorted by stack then component. */
  instances: Instance[];
  /** Absolute paths of the top-level manifests. */
  manifests: string[];
  /**
   * Instances two manifests of one stack define differently (`stack\0component` → why). Listing
   * and the matrix keep the last definition, as Atmos does; a command on that instance fails.
   */
  conflicts: Map<string, AtmosError>;
}

const ROOT_METADATA_KEYS = ['labels', 'tags', 'custom', 'enabled', 'locked', 'terraform_workspace_pattern'];

export interface ResolveOptions extends EngineOptions {
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
  const engine = createEngine(config, opts);
  const reader = new ManifestReader(config, engine.templates);
  const cache = new ResolutionCache();
  const manifests = findTopLevelManifests(config.stacks, config.configFile ? undefined : { cwd: config.configDir });
  const byKey = new Map<string, { instance: ResolvedInstance; file: string }>();
  const checkedNames = new Set<string>();
  const componentPaths = new Map<string, string>();
  const outputReads = new Map<ResolvedInstance, OutputRead[]>();
  const atmos = engine.templates.components;
  /** First-pass readers of atmos.Component by `component@stack`: resolved again in the second pass. */
  const deferred = new Map<string, { resolve: () => ResolvedInstance; top: string }>();
  // atmos.yaml `env:` flows into every component's env.
  const atmosEnvMayHoldFunctions = JSON.stringify(config.env).includes('!');

  const errors = new ErrorCollector();
  const conflicts = new Map<string, AtmosError>();
  for (const top of manifests) {
    errors.attempt(() => {
      const merged = reader.tree(top);
      const overrides = reader.componentOverrides(top);
      const globals: StackGlobals = {
        stackFile: stackFileName(config.stacks.basePath, top),
        mayHoldFunctions: atmosEnvMayHoldFunctions || reader.treeMayHoldFunctions(top),
        mayHoldTags: atmosEnvMayHoldFunctions || reader.treeTextHas(top, '!'),
        // The component pass needs the opening delimiter somewhere in the tree (or atmos.yaml env).
        mayHoldTemplates: reader.treeTextHas(top, config.templates.delimiters[0]) || JSON.stringify(config.env).includes(config.templates.delimiters[0]),
        checkedNames,
        componentPaths,
        stackParts: new Map(),
        root: merged,
        tf: mapAt(merged, 'terraform') ?? {},
        rootMetadata: pickKeys(mapAt(merged, 'metadata') ?? {}, ROOT_METADATA_KEYS),
        components: mapAt(mapAt(merged, 'components'), 'terraform') ?? {},
        manifestName: typeof merged.name === 'string' && merged.name !== '' ? merged.name : undefined,
        engine,
        outputReads,
      };
      for (const name of Object.keys(globals.components)) {
        if (!includeAbstract && mapAt(globals.components[name], 'metadata')?.type === 'abstract') continue;
        const resolve = () => resolveComponent(cache, config, reader, top, name, globals, overrides.get(name) ?? {});
        const deferralsBefore = atmos.deferrals;
        const instance = errors.attempt(() => {
          try {
            return resolve();
          } catch (e) {
            // A first-pass reader of atmos.Component fails on its placeholder: the second pass decides.
            if (atmos.deferrals > deferralsBefore) return undefined;
            throw e;
          }
        });
        if (atmos.deferrals > deferralsBefore) {
          if (instance) outputReads.delete(instance);
          deferred.set(atmos.lastDeferred, { resolve, top });
          continue;
        }
        if (!instance) continue;
        keep(instance, top);
      }
    });
  }
  if (deferred.size) resolveComponentReaders();
  errors.throwIfAny();

  function keep(instance: ResolvedInstance, top: string): void {
    if (instance.unsupported.length) locateUnsupported(reader, top, instance.unsupported);
    const key = `${instance.stack}\u0000${instance.component}`;
    const prev = byKey.get(key);
    if (prev && !deepEqual(comparable(prev.instance), comparable(instance))) {
      conflicts.set(
        key,
        new AtmosError(
          `component ${instance.component} is defined differently for stack ${instance.stack} in ${reader.rel(prev.file)} and ${reader.rel(top)}; ` +
            'two manifests that resolve to the same stack name must agree (check `name:`, name_pattern/name_template and the vars they use)',
          { file: top },
        ),
      );
    }
    // The last definition wins, as in Atmos's describe stacks.
    if (!prev || conflicts.has(key)) byKey.set(key, { instance, file: top });
  }

  /** Second pass (atmos-component.ts): each atmos.Component reader, and what it reads, resolved once. */
  function resolveComponentReaders(): void {
    const done = new Set<string>();
    const resolveKey = (k: string): ResolvedInstance => {
      const d = deferred.get(k)!;
      const instance = d.resolve();
      done.add(k);
      keep(instance, d.top);
      return instance;
    };
    atmos.mode = 'resolve';
    atmos.resolveTarget = (component, stack) => {
      const k = `${component}@${stack}`;
      if (deferred.has(k)) return done.has(k) ? byKey.get(`${stack}\u0000${component}`)!.instance : resolveKey(k);
      const hit = byKey.get(`${stack}\u0000${component}`);
      if (!hit) throw new AtmosError(`component ${component} not found in stack ${stack}`);
      return hit.instance;
    };
    for (const k of deferred.keys()) if (!done.has(k)) errors.attempt(() => resolveKey(k));
  }

  const instances = [...byKey.values()].map((v) => v.instance).sort(byStackThenComponent);
  resolveDependencies(instances, log);
  addOutputDependencies(instances, outputReads, log);
  return { instances, manifests, conflicts };
}

/**
 * One instance by component and canonical stack name (Atmos knows a stack only by its canonical
 * name, docs/atmos-compatibility.md §1.3). Unknown names fail with the closest known ones.
 */
export function findInstance(resolved: ResolvedStacks, component: string, stack: string): Instance {
  const hit = resolved.instances.find((i) => i.component === component && i.stack === stack);
  if (hit) {
    const conflict = resolved.conflicts.get(`${hit.stack}\u0000${hit.component}`);
    if (conflict) throw conflict;
    return hit;
  }
  assertKnownStack(resolved, stack);
  const inStack = resolved.instances.filter((i) => i.stack === stack).map((i) => i.component);
  throw new AtmosError(`component ${component} not found in stack ${stack}${didYouMean(component, inStack)} (it has: ${someOf(inStack.sort())})`);
}

/** Fails with Atmos's "invalid stack" and a hint when `stack` is not a canonical stack name. */
export function assertKnownStack(resolved: ResolvedStacks, stack: string): void {
  if (resolved.instances.some((i) => i.stack === stack)) return;
  const byFile = resolved.instances.find((i) => i.stackFile === stack);
  const hint = byFile
    ? `; did you mean "${byFile.stack}"? (the manifest ${stack} names its stack ${byFile.stack})`
    : didYouMean(
        stack,
        resolved.instances.map((i) => i.stack),
      );
  throw new AtmosError(`invalid stack "${stack}"${hint}`);
}

/**
 * Where each unsupported value is written: the first file of the stack's tree (the manifest,
 * then its imports, latest first) whose text holds it, and the line there.
 */
function locateUnsupported(reader: ManifestReader, top: string, features: UnsupportedFeature[]): void {
  const files = [top, ...reader.transitiveImports(top).reverse()];
  for (const f of features) {
    // The whole first line of the value, else (quoted arguments) the tag or `{{` alone.
    const needles = [f.value.split('\n')[0], f.kind === 'yaml-function' ? f.value.split(/\s/)[0] : '{{'];
    for (const needle of needles) {
      const file = files.find((x) => reader.textOf(x)?.includes(needle));
      if (!file) continue;
      const text = reader.textOf(file)!;
      f.file = file;
      f.line = text.slice(0, text.indexOf(needle)).split('\n').length;
      break;
    }
  }
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
