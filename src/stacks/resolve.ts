/**
 * Stack manifests → component instances, resolved on demand (docs/architecture.md, "What is
 * resolved when"). Names come from every manifest: a stack is known by its canonical name, which
 * a name pattern or template computes from each manifest's vars, so finding one instance by name
 * reads every manifest (or only the one a matrix entry names). Everything else (an instance's
 * sections, templates, YAML functions, dependencies) is computed only for the instances a command
 * asks for, plus what their `atmos.Component` calls reach, each once per Stacks. An error in an
 * instance nobody asks for fails nobody; `all()` asks for every one and reports every error.
 *
 * One Stacks lives for one command: it holds the run's caches (resolve-cache.ts), nothing global.
 */
import { lineOf } from '../util/yaml.js';
import type { AtmosConfig } from '../config/types.js';
import type { Log } from '../ports/log.js';
import { silentLog } from '../ports/log.js';
import { AtmosError, ConfigurationErrors, ErrorCollector } from '../util/errors.js';
import { deepEqual, type Plain } from '../util/merge.js';
import { didYouMean } from '../util/suggest.js';
import { componentOutputs } from './atmos-component.js';
import { atmosStore } from './functions/store.js';
import type { StoreValues } from './functions/store-values.js';
import { componentLocation } from './base-components.js';
import { resolveComponent } from './component.js';
import { isOutputRead, placeKeys } from './deferred.js';
import { dependenciesOf, type InstanceDirectory } from './dependencies.js';
import { displayName, instanceKey, type InstanceId } from './identity.js';
import { ManifestReader } from './imports.js';
import type { ResolvedInstance } from './instance.js';
import { ReadChains } from './read-chains.js';
import { ResolutionCache, type ResolveRun } from './resolve-cache.js';
import { createEngine, type EngineOptions } from './stack-engine.js';
import { StackNames, type Definition, type InstanceName } from './stack-names.js';
import type { Instance } from './types.js';
import { locateUnsupported } from './unsupported.js';

export type { InstanceName } from './stack-names.js';

export interface ResolvedStacks {
  /** Every instance asked for, sorted by stack then component. */
  instances: Instance[];
  /** Absolute paths of the top-level manifests. */
  manifests: string[];
  /**
   * Instances two manifests of one stack define differently ({@link instanceKey} → why). Listing
   * and the matrix keep the last definition, as Atmos does; a command on that instance fails.
   */
  conflicts: Map<string, AtmosError>;
}

export interface ResolveOptions extends EngineOptions {
  log?: Log;
  /**
   * The store values of a run (app/cloud-values.ts): `atmos.Store` reads through them, and an
   * instance that met a key not read yet is resolved again by {@link Stacks.forgetIncomplete}.
   * Absent (inspection): atmos.Store renders as read at run time.
   */
  values?: StoreValues;
  /**
   * `resolveStacks` only: resolve abstract components too (default true). They are templates that
   * never deploy, so the deploy paths (matrix, workdir, plan) skip them; describe keeps them.
   */
  includeAbstract?: boolean;
}

/** A definition by its instance's name (not resolved). */
const idOf = (d: Definition): InstanceId => ({ stack: d.named.stack, component: d.sections.src.name });

export class Stacks implements InstanceDirectory {
  private readonly run: ResolveRun;
  private readonly names: StackNames;
  private readonly done = new Map<Definition, { instance?: ResolvedInstance; error?: unknown }>();
  /** Definitions being resolved, outermost first: a definition met again is an atmos.Component cycle. */
  private readonly inProgress: Definition[] = [];
  private readonly served = new Map<Definition, Plain>();
  /** Definitions resolved with a store value not read yet (atmos.Store): resolved again once it is. */
  private readonly incomplete = new Set<Definition>();
  private readonly readChains: ReadChains<Definition>;

  constructor(config: AtmosConfig, opts: ResolveOptions = {}) {
    const values = opts.values;
    const engine = createEngine(config, opts, {
      components: (component, stack) => this.serveComponent(component, stack),
      store: values ? (args) => atmosStore(values, args, () => this.markIncomplete()) : undefined,
    });
    this.run = {
      config,
      reader: new ManifestReader(config, engine.templates, engine.localsFunctions),
      cache: new ResolutionCache(),
      engine,
      log: opts.log ?? silentLog,
    };
    this.names = new StackNames(this.run);
    this.readChains = new ReadChains<Definition>({
      resolve: (d) => this.resolve(d),
      // A store's value is no instance's output: it starts no chain.
      target: (read, reader) => (isOutputRead(read) ? this.definitionFor(read.component, read.stack, reader.sections.stack.file) : undefined),
      name: (d) => displayName(idOf(d)),
      locate: (d, at) => componentLocation(this.run.reader, d.sections.stack.file, d.sections.src.name, placeKeys(at)),
    });
  }

  get config(): AtmosConfig {
    return this.run.config;
  }

  /** Absolute paths of the top-level manifests (listed, not read). */
  manifests(): string[] {
    return this.names.manifests();
  }

  /** Every instance by name, abstract ones included, in manifest order. Reads every manifest; resolves nothing. */
  instanceNames(): InstanceName[] {
    return this.names.instanceNames();
  }

  exists(component: string, stack: string, near?: string): boolean {
    return (near !== undefined && this.names.local(near, component, stack).length > 0) || this.names.definitionsOf(component, stack).length > 0;
  }

  /** Where an instance is written, for annotations: its manifest, and the line of its component there when it is written there. */
  placeOf(instance: Pick<Instance, 'component' | 'stackFilePath'>): { file: string; line?: number } {
    const text = this.run.reader.textOf(instance.stackFilePath);
    return { file: instance.stackFilePath, line: text ? lineOf(text, ['components', 'terraform', instance.component]) : undefined };
  }

  instancesOf(component: string): { stack: string; varOf(name: string): unknown }[] {
    return this.names.definitionsOfComponent(component).map((d) => ({ stack: d.named.stack, varOf: (n: string) => d.sections.varValue(n) }));
  }

  /**
   * One instance by component and canonical stack name (Atmos knows a stack only by its canonical
   * name, docs/atmos-compatibility.md §1.3). `manifest`: the top-level manifest(s) to look in first (a
   * matrix entry's, or the reader's own); the others are read only if it is not there. Unknown
   * names fail with the closest known ones; `deployable` refuses an abstract component.
   */
  instance(component: string, stack: string, opts: { manifest?: string | readonly string[]; deployable?: boolean } = {}): Instance {
    const near = typeof opts.manifest === 'string' ? [opts.manifest] : (opts.manifest ?? []);
    let defs = near.flatMap((m) => this.names.local(m, component, stack));
    if (defs.length === 0) defs = this.names.definitionsOf(component, stack);
    if (defs.length === 0) defs = this.inManifestNamed(component, stack);
    if (defs.length === 0) throw this.notFound(component, stack);
    const last = defs[defs.length - 1]!;
    if (opts.deployable && last.abstract) {
      throw new AtmosError(
        `component ${component} in stack ${stack} is abstract (metadata.type: abstract): it is a base for other components and is never deployed`,
        { file: last.sections.stack.file },
      );
    }
    const conflict = this.conflictOf(defs);
    if (conflict) throw conflict;
    return this.resolveChecked(defs[0]!);
  }

  /**
   * The concrete instances whose names `match` accepts, resolved (every error together). An
   * instance two manifests define keeps the last definition, as in `all()`.
   */
  select(match: (stack: string, component: string) => boolean): Instance[] {
    const errors = new ErrorCollector();
    for (const e of this.names.errors(false)) errors.add(e);
    const out: Instance[] = [];
    for (const defs of this.names.groups(false)) {
      const d = defs[defs.length - 1]!;
      if (d.abstract || !match(d.named.stack, d.sections.src.name)) continue;
      const instance = errors.attempt(() => this.resolveChecked(d));
      if (instance) out.push(instance);
    }
    errors.throwIfAny();
    return out.sort(byStackThenComponent);
  }

  /** Every instance resolved (abstract ones too unless told), each error reported: list, describe stacks, matrix. */
  all(opts: { includeAbstract?: boolean } = {}): ResolvedStacks {
    const includeAbstract = opts.includeAbstract ?? true;
    const errors = new ErrorCollector();
    for (const e of this.names.errors(includeAbstract)) errors.add(e);
    const conflicts = new Map<string, AtmosError>();
    const instances: Instance[] = [];
    for (const defs of this.names.groups(includeAbstract)) {
      const key = instanceKey(idOf(defs[0]!));
      const kept = defs.filter((d) => includeAbstract || !d.abstract);
      if (kept.length === 0) continue;
      const resolved = kept.map((d) => errors.attempt(() => this.resolveChecked(d)));
      if (resolved.some((i) => i === undefined)) continue;
      const conflict = kept.length > 1 ? this.conflictOf(kept) : undefined;
      if (conflict) conflicts.set(key, conflict);
      // The last definition wins when they differ, as in Atmos's describe stacks.
      instances.push((conflict ? resolved[resolved.length - 1] : resolved[0])!);
    }
    errors.throwIfAny();
    return { instances: instances.sort(byStackThenComponent), manifests: this.manifests(), conflicts };
  }

  /** Fails with Atmos's "invalid stack" and a hint when `stack` is not a canonical stack name. */
  assertKnownStack(stack: string): void {
    const names = this.instanceNames();
    if (names.some((n) => n.stack === stack)) return;
    throw this.unknownStack(stack, names);
  }

  /**
   * Not a canonical stack name: a manifest path (`deploy/nonprod`) selects the component in that
   * manifest, as Atmos's stack lookup does (docs/atmos-compatibility.md §1.3); the instance keeps its
   * canonical stack name.
   */
  private inManifestNamed(component: string, stack: string): Definition[] {
    const manifest = this.names.manifestNamed(stack);
    if (!manifest) return [];
    const defs = this.names.ofComponentIn(manifest, component);
    if (defs.length > 0) return defs;
    const here = this.names.instanceNames().filter((n) => n.manifest === manifest);
    throw new AtmosError(
      `component ${component} not found in the manifest ${stack}${didYouMean(
        component,
        here.map((n) => n.component),
      )} (it has: ${someOf([...new Set(here.map((n) => n.component))].sort())})`,
      { file: manifest },
    );
  }

  private notFound(component: string, stack: string): AtmosError {
    const names = this.instanceNames();
    const error = names.some((n) => n.stack === stack)
      ? new AtmosError(
          `component ${component} not found in stack ${stack}${didYouMean(
            component,
            names.filter((n) => n.stack === stack).map((n) => n.component),
          )} (it has: ${someOf([...new Set(names.filter((n) => n.stack === stack).map((n) => n.component))].sort())})`,
        )
      : this.unknownStack(stack, names);
    // A manifest that could not be read may be where it is.
    const unread = this.names.errors(true);
    return unread.length ? new ConfigurationErrors([...unread, error]) : error;
  }

  private unknownStack(stack: string, names: InstanceName[]): AtmosError {
    const byFile = this.names.byStackFile(stack);
    const hint = byFile
      ? `; did you mean "${byFile.named.stack}"? (the manifest ${stack} names its stack ${byFile.named.stack})`
      : didYouMean(stack, [...new Set(names.map((n) => n.stack))]);
    return new AtmosError(`invalid stack "${stack}"${hint}`);
  }

  /** Two definitions of one instance that differ, as an error naming both files. */
  private conflictOf(defs: Definition[]): AtmosError | undefined {
    if (defs.length < 2) return undefined;
    const first = this.resolve(defs[0]!);
    for (const d of defs.slice(1)) {
      const other = this.resolve(d);
      if (deepEqual(comparable(first), comparable(other))) continue;
      const reader = this.run.reader;
      return new AtmosError(
        `component ${other.component} is defined differently for stack ${other.stack} in ${reader.rel(first.stackFilePath)} and ${reader.rel(other.stackFilePath)}; ` +
          'two manifests that resolve to the same stack name must agree (check `name:`, name_pattern/name_template and the vars they use)',
        { file: d.sections.stack.file },
      );
    }
    return undefined;
  }

  /** One definition resolved, once per run (its failure too); a definition met again while it resolves is a cycle. */
  private resolve(def: Definition): ResolvedInstance {
    const memo = this.done.get(def);
    if (memo) {
      if (memo.error !== undefined) throw memo.error;
      return memo.instance!;
    }
    const at = this.inProgress.indexOf(def);
    if (at >= 0) {
      const cycle = [...this.inProgress.slice(at), def].map((d) => displayName(idOf(d))).join(' → ');
      throw new AtmosError(`atmos.Component cycle: ${cycle} (an instance cannot read itself, directly or through others)`);
    }
    this.inProgress.push(def);
    try {
      const instance = resolveComponent(this.run, def.sections, def.named);
      const locate = (at: string) => componentLocation(this.run.reader, def.sections.stack.file, def.sections.src.name, placeKeys(at));
      instance.dependsOn = dependenciesOf(instance, (f, k) => def.sections.mayHaveKey(f, k), this, this.run.log, instance.unsupported, locate);
      if (instance.unsupported.length) locateUnsupported(this.run.reader, def.sections.stack.file, instance.unsupported);
      this.done.set(def, { instance });
      return instance;
    } catch (e) {
      this.done.set(def, { error: e });
      throw e;
    } finally {
      this.inProgress.pop();
    }
  }

  /**
   * Forgets the instances resolved with a store value that was not read yet (and the instances that
   * read their sections), so that the next request resolves them again, with the values read since.
   * Every other instance stays resolved: `!exec` and templates do not run twice for them.
   */
  forgetIncomplete(): void {
    if (this.incomplete.size) this.readChains.forget();
    for (const d of this.incomplete) {
      this.done.delete(d);
      this.served.delete(d);
    }
    this.incomplete.clear();
  }

  /** The instances being resolved used a value not read yet: each of them, readers included. */
  private markIncomplete(): void {
    for (const d of this.inProgress) this.incomplete.add(d);
  }

  /** A definition resolved, and the chain of instances whose outputs it reads checked for a cycle. */
  private resolveChecked(def: Definition): ResolvedInstance {
    const instance = this.resolve(def);
    this.readChains.check(def);
    return instance;
  }

  /** The definition an instance of `component` in `stack` resolves from, looked up in the manifest `near` first. */
  private definitionFor(component: string, stack: string, near?: string): Definition | undefined {
    const local = near ? this.names.local(near, component, stack) : [];
    return (local.length ? local : this.names.definitionsOf(component, stack))[0];
  }

  /** `atmos.Component`: the sections of the instance read (in describe shape, with `.outputs`), served once per run. */
  private serveComponent(component: string, stack: string): Plain {
    // Looked up in the reader's own manifest first (the one being resolved innermost).
    const reader = this.inProgress[this.inProgress.length - 1];
    const def = this.definitionFor(component, stack, reader?.sections.stack.file);
    if (!def) throw new AtmosError(`component ${component} not found in stack ${stack}`);
    let sections = this.served.get(def);
    // A reader of an instance resolved with a value not read yet is as incomplete as it is.
    if (this.incomplete.has(def)) this.markIncomplete();
    if (!sections) {
      const instance = this.resolve(def);
      const tokens = this.run.engine.tokens;
      sections = { ...(tokens.encode(instance.sections) as Plain), outputs: componentOutputs(instance.component, instance.stack, tokens) };
      this.served.set(def, sections);
    }
    return sections;
  }
}

/** Every instance (abstract ones too unless told), every error reported: the one-shot form of {@link Stacks.all}. */
export function resolveStacks(config: AtmosConfig, opts: ResolveOptions = {}): ResolvedStacks {
  return new Stacks(config, opts).all({ includeAbstract: opts.includeAbstract });
}

/** One instance of a resolved set, by component and stack; a conflicting one fails naming both files. */
export function findInstance(resolved: ResolvedStacks, component: string, stack: string): Instance {
  // A canonical name, else (holding `/`) a manifest's path, as Stacks.instance takes them.
  const hit =
    resolved.instances.find((i) => i.component === component && i.stack === stack) ??
    (stack.indexOf('/') > 0 ? resolved.instances.find((i) => i.component === component && i.stackFile === stack) : undefined);
  if (hit) {
    const conflict = resolved.conflicts.get(instanceKey(hit));
    if (conflict) throw conflict;
    return hit;
  }
  if (!resolved.instances.some((i) => i.stack === stack)) {
    const byFile = resolved.instances.find((i) => i.stackFile === stack);
    const hint = byFile
      ? `; did you mean "${byFile.stack}"? (the manifest ${stack} names its stack ${byFile.stack})`
      : didYouMean(
          stack,
          resolved.instances.map((i) => i.stack),
        );
    throw new AtmosError(`invalid stack "${stack}"${hint}`);
  }
  const inStack = resolved.instances.filter((i) => i.stack === stack).map((i) => i.component);
  throw new AtmosError(`component ${component} not found in stack ${stack}${didYouMean(component, inStack)} (it has: ${someOf(inStack.sort())})`);
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
