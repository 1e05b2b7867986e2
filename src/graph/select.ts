import path from 'node:path';
import picomatch from 'picomatch';
import { instanceKey, type InstanceId } from '../stacks/identity.js';
import type { Stacks } from '../stacks/resolve.js';
import type { Instance } from '../stacks/types.js';
import { AtmosError, ErrorCollector } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';

/** Stack and component globs (or exact names); an empty list matches every name. */
export interface InstanceGlobs {
  stacks: string[];
  components: string[];
}

/**
 * One named instance. `manifest`: the top-level manifest that defines it (a matrix entry's,
 * relative to the project's directory); when given, that manifest is read first, and the others
 * only if the instance is not there.
 */
export interface OneInstance extends InstanceId {
  manifest?: string;
}

/**
 * Named instances: a packed matrix leg's `instances` (graph/pack.ts). `manifests`: the top-level
 * manifests that define them (relative to the project's directory), looked in first.
 */
export interface InstanceList {
  instances: readonly InstanceId[];
  manifests?: readonly string[];
}

/**
 * What a command runs on, whichever entry point parsed it: one named instance, a list of named
 * instances, or the deployable instances the globs select (both lists empty: every deployable instance).
 */
export type Selection = OneInstance | InstanceList | InstanceGlobs;

export function isOneInstance(selection: Selection): selection is OneInstance {
  return 'component' in selection;
}

export function isInstanceList(selection: Selection): selection is InstanceList {
  return 'instances' in selection;
}

/** A selection as given: CLI flags and positionals, or action inputs. Empty strings count as not given. */
export interface SelectionInput {
  component?: string;
  stack?: string;
  /** `--all` (the CLI's explicit "every instance"). */
  all?: boolean;
  stacks?: string[];
  components?: string[];
}

/** How an entry point words each mistake (its own flag or input names), and what giving nothing means. */
export interface SelectionWords {
  /** Giving nothing selects every instance (the action) instead of being an error (the CLI, where `--all` says it). */
  emptyMeansAll: boolean;
  /** One instance and globs (or all) together. */
  mixed: string;
  /** A component without a stack. */
  noStack: string;
  /** A stack without a component, or (unless emptyMeansAll) nothing at all. */
  noComponent: string;
  /** Builds the error (the CLI's usage error, exit code 2); default a configuration error. */
  error?: (message: string) => Error;
}

/**
 * The one selection parser of every command, CLI and action: a component and a stack name one
 * instance; `all` or any stack/component glob select by globs; the two together are refused.
 */
export function parseSelection(input: SelectionInput, words: SelectionWords): Selection {
  const fail = (m: string) => (words.error ?? ((x: string) => new AtmosError(x)))(m);
  const component = input.component?.trim() || undefined;
  const stack = input.stack?.trim() || undefined;
  const globs: InstanceGlobs = { stacks: cleanList(input.stacks), components: cleanList(input.components) };
  const byGlobs = input.all === true || globs.stacks.length > 0 || globs.components.length > 0;
  if (byGlobs && (component !== undefined || stack !== undefined)) throw fail(words.mixed);
  if (byGlobs) return globs;
  if (component !== undefined && stack === undefined) throw fail(words.noStack);
  if (component === undefined && (stack !== undefined || !words.emptyMeansAll)) throw fail(words.noComponent);
  return component !== undefined && stack !== undefined ? { stack, component } : globs;
}

/** One named instance, for the commands that take nothing else (describe, workdir show, clean of one workdir). */
export function parseOneInstance(input: Pick<SelectionInput, 'component' | 'stack'>, words: Omit<SelectionWords, 'emptyMeansAll' | 'mixed'>): InstanceId {
  return parseSelection({ component: input.component, stack: input.stack }, { ...words, emptyMeansAll: false, mixed: '' }) as InstanceId;
}

/** Where a selection is looked up: the project's stacks, and the directory a one-instance selection's manifest is relative to. */
export interface SelectionScope {
  readonly cwd: string;
  readonly stacks: Stacks;
}

/**
 * The instances a selection names, and only those resolved: the named instance(s) (an error when
 * one does not exist or is abstract; every such error at once), or the enabled, concrete instances
 * its globs select (and `only` accepts, by name: the instances of reviewed plans).
 */
export function selectedInstances(scope: SelectionScope, selection: Selection, only?: (id: InstanceId) => boolean): Instance[] {
  const manifest = selectionManifests(scope, selection);
  if (isOneInstance(selection)) return [scope.stacks.instance(selection.component, selection.stack, { deployable: true, manifest })];
  if (isInstanceList(selection)) {
    const errors = new ErrorCollector();
    const seen = new Set<string>();
    const out: Instance[] = [];
    for (const id of selection.instances) {
      if (seen.has(instanceKey(id)) || (only && !only(id))) continue;
      seen.add(instanceKey(id));
      const instance = errors.attempt(() => scope.stacks.instance(id.component, id.stack, { deployable: true, manifest }));
      if (instance) out.push(instance);
    }
    errors.throwIfAny();
    return out.sort(byStackThenComponent);
  }
  const byName = nameMatcher(selection);
  return selectInstances(scope.stacks.select(only ? (stack, component) => byName(stack, component) && only({ stack, component }) : byName), selection);
}

/** For each glob of a selection that matches no concrete instance, a warning naming the closest names (names only: nothing is resolved). */
export function selectionWarnings(scope: SelectionScope, selection: Selection): string[] {
  if (isOneInstance(selection) || isInstanceList(selection)) return [];
  return emptySelectionWarnings(
    scope.stacks.instanceNames().filter((n) => !n.abstract),
    selection,
  );
}

/** The manifest(s) a selection of named instances gives, as absolute paths (undefined for globs or none given). */
export function selectionManifests(scope: Pick<SelectionScope, 'cwd'>, selection: Selection | undefined): string[] | undefined {
  if (!selection) return undefined;
  const given = isOneInstance(selection) ? (selection.manifest ? [selection.manifest] : []) : isInstanceList(selection) ? (selection.manifests ?? []) : [];
  return given.length ? given.map((m) => path.resolve(scope.cwd, m)) : undefined;
}

function cleanList(list: string[] | undefined): string[] {
  return (list ?? [])
    .flatMap((g) => g.split(','))
    .map((g) => g.trim())
    .filter(Boolean);
}

export interface InstanceFilter {
  /** Globs (or exact names) matched against the canonical stack name; any match selects. */
  stacks?: string[];
  /** Globs (or exact names) matched against the Atmos component name. */
  components?: string[];
  /** Keep abstract instances (never deployable; only for describe). */
  includeAbstract?: boolean;
  /** Keep instances with metadata.enabled: false. */
  includeDisabled?: boolean;
}

function matcher(globs: string[] | undefined): (name: string) => boolean {
  const list = cleanList(globs);
  if (list.length === 0) return () => true;
  const m = picomatch(list, { dot: true });
  return (name) => m(name);
}

/** Whether a stack/component pair matches the filter's globs (names only: nothing needs resolving to ask). */
export function nameMatcher(filter: Pick<InstanceFilter, 'stacks' | 'components'>): (stack: string, component: string) => boolean {
  const stackOk = matcher(filter.stacks);
  const componentOk = matcher(filter.components);
  return (stack, component) => stackOk(stack) && componentOk(component);
}

/** Instances chosen by stack/component globs; deployable ones only unless asked otherwise. Order is stable: stack, then component. */
export function selectInstances(instances: readonly Instance[], filter: InstanceFilter = {}): Instance[] {
  const stackOk = matcher(filter.stacks);
  const componentOk = matcher(filter.components);
  return instances
    .filter((i) => (filter.includeAbstract || !i.abstract) && (filter.includeDisabled || i.enabled))
    .filter((i) => stackOk(i.stack) && componentOk(i.component))
    .sort(byStackThenComponent);
}

function byStackThenComponent(a: InstanceId, b: InstanceId): number {
  return a.stack === b.stack ? cmp(a.component, b.component) : cmp(a.stack, b.stack);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * For each stack/component pattern that matches no instance, a warning naming the closest known
 * names: an empty selection is never silent.
 */
export function emptySelectionWarnings(
  instances: readonly Pick<Instance, 'stack' | 'component'>[],
  filter: Pick<InstanceFilter, 'stacks' | 'components'>,
  words: { stacks: string; components: string } = { stacks: 'stacks', components: 'components' },
): string[] {
  const out: string[] = [];
  const check = (patterns: string[] | undefined, names: string[], what: string) => {
    for (const p of cleanList(patterns)) {
      const m = picomatch(p, { dot: true });
      if (names.some((n) => m(n))) continue;
      out.push(`${what} ${JSON.stringify(p)} matches nothing${didYouMean(p, names)}`);
    }
  };
  check(filter.stacks, [...new Set(instances.map((i) => i.stack))], words.stacks);
  check(filter.components, [...new Set(instances.map((i) => i.component))], words.components);
  return out;
}
