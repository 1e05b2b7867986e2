/**
 * `describe affected`: the instances a change between BASE and HEAD touches (graph/affected.ts has
 * the rules). HEAD is the working tree, resolved as every command resolves it; BASE is the base
 * commit's tree (app/git-base.ts), resolved with HEAD's atmos.yaml whose paths are moved into that
 * tree, as Atmos does. Only the changed files come from the commits themselves.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import { addDependents, dependentClosure, findAffected, type AffectedItem } from '../graph/affected.js';
import { posixRelative } from '../graph/matrix.js';
import type { Log } from '../ports/log.js';
import { describeStacksSection } from '../stacks/describe.js';
import { instanceKey } from '../stacks/identity.js';
import { Stacks } from '../stacks/resolve.js';
import type { Instance } from '../stacks/types.js';
import { terraformModuleCalls } from '../util/hcl.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { checkoutBase, type BaseSpec } from './git-base.js';
import type { AppPorts, Project } from './project.js';

export interface AffectedSettings {
  base: BaseSpec;
  /** Compare with the fork point when HEAD does not contain the base (app/git-base.ts). */
  forkPoint?: boolean;
  /** The pull request's head commit (the action: GitHub's merge commit then compares with its first parent). */
  prHead?: string;
  includeDependents?: boolean;
  includeSettings?: boolean;
  /** Only this stack (`--stack`). */
  stack?: string;
  excludeLocked?: boolean;
}

export interface AffectedResult {
  items: AffectedItem[];
  headCommit: string;
  baseCommit: string;
  changedFiles: number;
  /** HEAD's concrete instances (the affected ones are among them), for a matrix of them. */
  head: readonly Instance[];
}

export async function describeAffected(project: Project, settings: AffectedSettings, ports: AppPorts): Promise<AffectedResult> {
  const git = await checkoutBase(project.cwd, settings.base, { forkPoint: settings.forkPoint, prHead: settings.prHead }, ports);
  try {
    const config = project.config;
    // Config paths may spell the checkout through a link (/tmp, /var on macOS): map from that spelling.
    const headRoot = logicalRoot(config.basePath, git.headRoot);
    const changedFiles = git.changedFiles.map((f) => path.join(headRoot, path.relative(git.headRoot, f)));
    const inStack = (i: { stack: string }) => !settings.stack || i.stack === settings.stack;
    const head = project.stacks.all({ includeAbstract: false }).instances.filter(inStack);
    const headNames = project.stacks.instanceNames();
    const headKeys = new Set(headNames.map(instanceKey));

    const toBase = (p: string) => moved(p, headRoot, git.baseRoot);
    const fromBase = (p: string) => moved(p, git.baseRoot, headRoot);
    const baseConfig = rebased(config, toBase);
    const base = baseInstances(baseConfig, toBase(project.cwd), project, ports).filter(inStack);

    const modules = new Map<string, string[]>();
    const items = findAffected({
      head,
      headHas: (id) => headKeys.has(instanceKey(id)),
      headStacks: new Set(headNames.map((n) => n.stack)),
      base,
      sectionOf: (i, side) =>
        side === 'head' ? describeStacksSection(i, config) : (mapStrings(describeStacksSection(i, baseConfig), git.baseRoot, headRoot) as Plain),
      componentPathOf: (i, side) => posixRelative(project.cwd, side === 'head' ? i.componentPath : fromBase(i.componentPath)),
      changedFiles,
      moduleDirs: (i) => {
        let dirs = modules.get(i.componentPath);
        if (!dirs) modules.set(i.componentPath, (dirs = localModuleDirs(i.componentPath)));
        return dirs;
      },
      cwd: project.cwd,
      sections: configuredSections(config),
      excludeLocked: settings.excludeLocked,
      includeSettings: settings.includeSettings,
    });
    if (settings.includeDependents) {
      addDependents(items, head, {
        componentPathOf: (i) => posixRelative(project.cwd, i.componentPath),
        settingsOf: settings.includeSettings ? (i) => (describeStacksSection(i, config).settings as Plain | undefined) ?? {} : undefined,
      });
    }
    const order = (a: AffectedItem, b: AffectedItem) =>
      Number(a.deleted ?? false) - Number(b.deleted ?? false) || cmp(a.stack, b.stack) || cmp(a.component, b.component);
    return { items: items.sort(order), headCommit: git.headCommit, baseCommit: git.baseCommit, changedFiles: changedFiles.length, head };
  } finally {
    git.cleanup();
  }
}

/**
 * BASE's concrete instances that resolve. One that does not (a broken manifest the change fixes)
 * counts as absent, so its HEAD instance is affected; a BASE without stacks is empty, as in Atmos.
 */
function baseInstances(config: AtmosConfig, cwd: string, project: Project, ports: AppPorts): Instance[] {
  const quiet: Log = { ...ports.log, info: ports.log.debug, warn: (m) => ports.log.debug(`BASE: ${m}`) };
  const stacks = new Stacks(config, {
    log: quiet,
    env: ports.env,
    cwd,
    execSync: ports.execSync,
    processTemplates: project.switches.processTemplates,
    processFunctions: project.switches.processFunctions,
  });
  let names;
  try {
    names = stacks.instanceNames();
  } catch (e) {
    ports.log.warn(`the base commit's stacks cannot be read (${(e as Error).message}): every instance of HEAD counts as new`);
    return [];
  }
  const out: Instance[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    if (n.abstract || seen.has(instanceKey(n))) continue;
    seen.add(instanceKey(n));
    try {
      out.push(stacks.instance(n.component, n.stack));
    } catch (e) {
      ports.log.warn(`${n.component} in stack ${n.stack} does not resolve at the base commit (${(e as Error).message.split('\n')[0]}): it counts as new`);
    }
  }
  return out;
}

/** HEAD's atmos.yaml with its paths moved into BASE's tree (Atmos reads BASE with HEAD's configuration). */
function rebased(config: AtmosConfig, move: (p: string) => string): AtmosConfig {
  return {
    ...config,
    configDir: move(config.configDir),
    basePath: move(config.basePath),
    stacks: {
      ...config.stacks,
      basePath: move(config.stacks.basePath),
      includedPaths: config.stacks.includedPaths.map(move),
      excludedPaths: config.stacks.excludedPaths.map(move),
    },
    terraform: { ...config.terraform, basePath: move(config.terraform.basePath) },
    vendorBasePath: config.vendorBasePath && move(config.vendorBasePath),
  };
}

/** `p` moved from under `from` to under `to` (unchanged when it is not under `from`). */
function moved(p: string, from: string, to: string): string {
  const rel = path.relative(from, p);
  return rel === '' ? to : rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(to, rel);
}

/** The checkout's top folder as the configuration's paths spell it (they may go through a link). */
function logicalRoot(basePath: string, realRoot: string): string {
  try {
    return path.resolve(basePath, path.relative(fs.realpathSync(basePath), realRoot));
  } catch {
    return realRoot;
  }
}

/** Every string with `from` replaced by `to`: BASE's paths (`!repo-root`, folders) compare equal to HEAD's. */
function mapStrings(v: unknown, from: string, to: string): unknown {
  if (typeof v === 'string') return v.includes(from) ? v.split(from).join(to) : v;
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, from, to));
  if (isPlainMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, from, to)]));
  return v;
}

/** `describe.affected.sections` of atmos.yaml, when set: it replaces the compared sections. */
function configuredSections(config: AtmosConfig): string[] | undefined {
  const list = mapAt(mapAt(config.raw, 'describe'), 'affected')?.sections;
  return Array.isArray(list) && list.length > 0 ? list.filter((s): s is string => typeof s === 'string') : undefined;
}

/**
 * The folders of the local modules a root module calls: the `module` blocks of its `.tf` and
 * `.tf.json` files without a `version`, their `source` joined to the file's folder, as Atmos does.
 * A missing folder has none.
 */
function localModuleDirs(componentPath: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(componentPath).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json'));
  } catch {
    return [];
  }
  const dirs = new Set<string>();
  for (const name of names.sort()) {
    const file = path.join(componentPath, name);
    for (const call of terraformModuleCalls(fs.readFileSync(file, 'utf8'), file, name.endsWith('.json'))) {
      if (call.version === undefined) dirs.add(path.resolve(componentPath, call.source));
    }
  }
  return [...dirs];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The instances to plan: the affected ones (never a deleted one: it has nothing to plan at HEAD),
 * and, when dependents were asked for, every instance their dependents trees reach.
 */
export function affectedInstances(result: AffectedResult): Instance[] {
  const keys = new Set(result.items.filter((i) => !i.deleted).map(instanceKey));
  for (const d of dependentClosure(result.items)) keys.add(instanceKey(d));
  return result.head.filter((i) => keys.has(instanceKey(i)));
}
