/**
 * `describe affected`: which instances a change between two commits touches, by Atmos's rules
 * (docs/atmos-compatibility.md, "describe affected"). Pure: the caller resolves both commits'
 * instances, lists the changed files and reads the module calls (app/affected.ts).
 *
 * For each deployable instance of HEAD, in Atmos's order (the first reason found is `affected`,
 * every one goes to `affected_all`): its `metadata` differs from BASE's; a changed file lies under
 * a local module its root module calls (`component.module`) or under its component folder
 * (`component`); one of the compared sections differs (`stack.<section>`); `settings` differs;
 * a file or folder it declares as a dependency changed (`file`, `folder`). An instance BASE does
 * not have differs in every section it has. An instance of BASE that HEAD no longer defines is
 * listed as deleted, never as something to plan.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { instanceKey, stackSlug, type InstanceId } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { deepEqual, isPlainMap, mapAt, type Plain } from '../util/merge.js';

/** Atmos's default list of compared sections, in its order (`describe.affected.sections` replaces it). */
export const AFFECTED_SECTIONS = [
  'vars',
  'env',
  'providers',
  'required_providers',
  'required_version',
  'generate',
  'backend',
  'backend_type',
  'remote_state_backend',
  'remote_state_backend_type',
  'auth',
  'command',
  'dependencies',
  'source',
  'provision',
] as const;

/** The fields every item and dependent of `describe affected` starts with, in Atmos's order. */
interface AffectedInstance {
  component: string;
  component_type: 'terraform';
  component_path: string;
  namespace?: string;
  tenant?: string;
  environment?: string;
  stage?: string;
  stack: string;
  stack_slug: string;
}

/** An instance that depends on an affected one (`--include-dependents`), with its own dependents. */
export interface AffectedDependent extends AffectedInstance {
  dependents: AffectedDependent[];
  included_in_dependents: boolean;
  settings: Plain | null;
}

/** One item of `describe affected`, with Atmos's field names, in its order. */
export interface AffectedItem extends AffectedInstance {
  affected: string;
  affected_all: string[];
  file?: string;
  folder?: string;
  /** null unless dependents were asked for, as Atmos prints it. */
  dependents: AffectedDependent[] | null;
  included_in_dependents: boolean;
  settings: Plain | null;
  deleted?: true;
  deletion_type?: 'component' | 'stack';
}

export interface AffectedInputs {
  /** HEAD's concrete instances (resolved). */
  head: readonly Instance[];
  /** Whether HEAD defines the instance at all (abstract ones too), and its stack. */
  headHas(id: InstanceId): boolean;
  headStacks: ReadonlySet<string>;
  /** BASE's concrete instances that resolved. */
  base: readonly Instance[];
  /** An instance's sections as `describe stacks` prints them, BASE's with its checkout's paths mapped back onto HEAD's. */
  sectionOf(i: Instance, side: 'head' | 'base'): Plain;
  /** `component_path` of an instance (relative to the working directory). */
  componentPathOf(i: Instance, side: 'head' | 'base'): string;
  /** Absolute paths of the files that differ between the two commits. */
  changedFiles: readonly string[];
  /** Absolute folders of the local modules an instance's root module calls (only asked when files changed). */
  moduleDirs(i: Instance): readonly string[];
  /** Where dependency paths are relative to (Atmos: the working directory). */
  cwd: string;
  /** The compared sections (default {@link AFFECTED_SECTIONS}). */
  sections?: readonly string[];
  excludeLocked?: boolean;
  includeSettings?: boolean;
}

/** A changed file under `dir` (absolute). */
function under(dir: string, files: readonly string[]): boolean {
  const prefix = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
  return files.some((f) => f.startsWith(prefix));
}

/** `dependencies.files`/`folders` (or their inline `components` form), else `settings.depends_on` file/folder entries. */
export function fileDependencies(i: Instance): { kind: 'file' | 'folder'; path: string }[] {
  const out: { kind: 'file' | 'folder'; path: string }[] = [];
  const deps = i.dependencies;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
  for (const p of strings(deps.files)) out.push({ kind: 'file', path: p });
  for (const p of strings(deps.folders)) out.push({ kind: 'folder', path: p });
  for (const c of Array.isArray(deps.components) ? deps.components : []) {
    if (isPlainMap(c) && (c.kind === 'file' || c.kind === 'folder') && typeof c.path === 'string' && c.path !== '') out.push({ kind: c.kind, path: c.path });
  }
  if (out.length) return out;
  for (const entry of Object.values(mapAt(i.settings, 'depends_on') ?? {})) {
    if (!isPlainMap(entry)) continue;
    if (typeof entry.file === 'string' && entry.file !== '') out.push({ kind: 'file', path: entry.file });
    if (typeof entry.folder === 'string' && entry.folder !== '') out.push({ kind: 'folder', path: entry.folder });
  }
  return out;
}

/** The context vars Atmos copies onto deleted items and dependents (set ones only). */
function contextOf(i: Instance): Pick<AffectedItem, 'namespace' | 'tenant' | 'environment' | 'stage'> {
  const out: Record<string, string> = {};
  for (const k of ['namespace', 'tenant', 'environment', 'stage'] as const) {
    const v = i.vars[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

export function findAffected(inputs: AffectedInputs): AffectedItem[] {
  const base = new Map(inputs.base.map((i) => [instanceKey(i), i]));
  const sections = inputs.sections ?? AFFECTED_SECTIONS;
  const files = inputs.changedFiles;
  const items: AffectedItem[] = [];
  for (const i of inputs.head) {
    if (i.abstract || !i.enabled || (inputs.excludeLocked && i.locked)) continue;
    const was = base.get(instanceKey(i));
    const now = inputs.sectionOf(i, 'head');
    const before = was ? inputs.sectionOf(was, 'base') : undefined;
    const differs = (name: string) => !before || !(name in before) || !deepEqual(now[name], before[name]);
    const reasons: string[] = [];
    let file: string | undefined;
    let folder: string | undefined;
    if (isPlainMap(now.metadata) && differs('metadata')) reasons.push('stack.metadata');
    if (files.length && inputs.moduleDirs(i).some((d) => under(d, files))) reasons.push('component.module');
    if (under(i.componentPath, files)) reasons.push('component');
    for (const name of sections) if (name in now && differs(name)) reasons.push(`stack.${name}`);
    if (isPlainMap(now.settings)) {
      if (differs('settings')) reasons.push('stack.settings');
      for (const dep of fileDependencies(i)) {
        const abs = path.resolve(inputs.cwd, dep.path);
        const match = picomatch(dep.kind === 'folder' ? `${abs}/**` : abs, { dot: true });
        if (files.some((f) => match(f))) {
          reasons.push(dep.kind);
          if (dep.kind === 'file') file = dep.path;
          else folder = dep.path;
          break;
        }
      }
    }
    if (reasons.length === 0) continue;
    items.push({
      component: i.component,
      component_type: 'terraform',
      component_path: inputs.componentPathOf(i, 'head'),
      stack: i.stack,
      stack_slug: stackSlug(i),
      affected: reasons[0]!,
      affected_all: reasons,
      ...(file !== undefined && { file }),
      ...(folder !== undefined && { folder }),
      dependents: null,
      included_in_dependents: false,
      settings: inputs.includeSettings ? ((now.settings as Plain | undefined) ?? {}) : null,
    });
  }
  for (const i of inputs.base) {
    if (i.abstract || inputs.headHas(i)) continue;
    const whole = !inputs.headStacks.has(i.stack);
    const reason = whole ? 'deleted.stack' : 'deleted';
    items.push({
      component: i.component,
      component_type: 'terraform',
      component_path: inputs.componentPathOf(i, 'base'),
      ...contextOf(i),
      stack: i.stack,
      stack_slug: stackSlug(i),
      affected: reason,
      affected_all: [reason],
      dependents: null,
      included_in_dependents: false,
      settings: null,
      deleted: true,
      deletion_type: whole ? 'stack' : 'component',
    });
  }
  return items;
}

/**
 * `--include-dependents`: each affected item gets the tree of instances that depend on it (the
 * dependency rules of docs/atmos-compatibility.md §4, plus output references, which Atmos does not
 * know), each sorted by stack slug; `included_in_dependents` marks an item that another item's
 * tree holds, and, within a tree, a dependent that a peer's tree holds. Deleted items get none.
 */
export function addDependents(
  items: AffectedItem[],
  head: readonly Instance[],
  describe: { componentPathOf(i: Instance): string; settingsOf?(i: Instance): Plain },
): void {
  const dependentsOf = new Map<string, Instance[]>();
  for (const i of head) {
    if (i.abstract || !i.enabled) continue;
    for (const d of i.dependsOn) {
      const list = dependentsOf.get(instanceKey(d));
      if (list) list.push(i);
      else dependentsOf.set(instanceKey(d), [i]);
    }
  }
  // A cycle stops at the instance already on the path (Atmos would recurse without end).
  const tree = (id: InstanceId, onPath: Set<string>): AffectedDependent[] =>
    (dependentsOf.get(instanceKey(id)) ?? [])
      .filter((i) => !onPath.has(instanceKey(i)))
      .map((i) => ({
        component: i.component,
        component_type: 'terraform' as const,
        component_path: describe.componentPathOf(i),
        ...contextOf(i),
        stack: i.stack,
        stack_slug: stackSlug(i),
        dependents: tree(i, new Set([...onPath, instanceKey(i)])),
        included_in_dependents: false,
        settings: describe.settingsOf ? describe.settingsOf(i) : null,
      }))
      .sort((a, b) => cmp(a.stack_slug, b.stack_slug) || cmp(a.component, b.component) || cmp(a.stack, b.stack));
  for (const item of items) item.dependents = item.deleted ? [] : tree(item, new Set([instanceKey(item)]));
  const holds = (list: readonly AffectedDependent[], slug: string): boolean => list.some((d) => d.stack_slug === slug || holds(d.dependents, slug));
  const markPeers = (list: AffectedDependent[]) => {
    list.forEach((d, n) => {
      d.included_in_dependents = list.some((p, m) => m !== n && (p.stack_slug === d.stack_slug || holds(p.dependents, d.stack_slug)));
      markPeers(d.dependents);
    });
  };
  items.forEach((item, n) => {
    item.included_in_dependents = items.some((other, m) => m !== n && holds(other.dependents ?? [], item.stack_slug));
    if (!item.included_in_dependents) markPeers(item.dependents ?? []);
  });
}

/** Every instance an affected item's dependents tree reaches, once each (what a plan of the affected instances adds). */
export function dependentClosure(items: readonly AffectedItem[]): InstanceId[] {
  const seen = new Map<string, InstanceId>();
  const walk = (list: readonly AffectedDependent[]) => {
    for (const d of list) {
      if (seen.has(instanceKey(d))) continue;
      seen.set(instanceKey(d), { stack: d.stack, component: d.component });
      walk(d.dependents);
    }
  };
  for (const item of items) walk(item.dependents ?? []);
  return [...seen.values()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
