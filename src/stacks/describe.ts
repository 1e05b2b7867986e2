import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import { buildWorkdirPath } from '../util/paths.js';
import { isPlainMap, type Plain } from '../util/merge.js';
import { isOutputRead, mapDeferred, MASKED, readLabel, type DeferredRead, type DeferredValue } from './deferred.js';
import type { ResolvedStacks } from './resolve.js';
import type { Instance } from './types.js';

/**
 * A deferred value as describe prints it: its text, each output read in words, marked as read at
 * run time; `!store` and `!store.get` as written, `!secret` as Atmos's mask (inspection reads no store).
 */
export function deferredText(v: DeferredValue): string {
  const shown = (r: DeferredRead) => (isOutputRead(r) ? `${readLabel(r)} (unresolved: read at run time)` : r.kind === 'secret' ? MASKED : r.text);
  return v.parts.map((p) => (typeof p === 'string' ? p : shown(p))).join('');
}

/** The sections with every deferred value as its text (describe's output is plain YAML/JSON). */
function printable(sections: Plain): Plain {
  return mapDeferred(sections, deferredText) as Plain;
}

/** Keys sorted recursively, as Atmos's Go maps print. Lists keep their order. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainMap(v)) {
    const out: Plain = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/**
 * Beyond Atmos: the instances this one runs after, and how each edge was found (`settings.depends_on`,
 * `dependencies.components`, or an output it reads: `!terraform.output`, `!terraform.state`,
 * `atmos.Component`). Absent when there are none, so dependency-free output keeps Atmos's shape.
 */
function resolvedDependencies(instance: Instance): Plain {
  if (instance.dependsOn.length === 0) return {};
  return { resolved_dependencies: instance.dependsOn.map((d) => ({ component: d.component, stack: d.stack, via: d.via })) };
}

/** `describe component` output: Atmos's fields plus `workdir`, the instance's isolated workdir, and its resolved dependencies. */
export function describeComponent(instance: Instance, config: AtmosConfig): Plain {
  return sortKeys({
    ...printable(instance.sections),
    ...resolvedDependencies(instance),
    workdir: buildWorkdirPath(config.basePath, instance.stack, instance.component),
  }) as Plain;
}

/**
 * `describe stacks` shape: `{<stack>: {components: {terraform: {<component>: section}}}}`, with
 * `component_info.component_path` relative to the base path as Atmos prints it there.
 */
export function describeStacks(resolved: ResolvedStacks, config: AtmosConfig, filter: { stacks?: string[]; components?: string[] } = {}): Plain {
  return Object.fromEntries(describeStacksByStack(resolved, config, filter));
}

/**
 * The same, one stack at a time, in the order the whole map prints its keys: a printer can write
 * each stack and let it go, so the output never has to be held at once (report/describe-stacks.ts).
 */
export function* describeStacksByStack(
  resolved: ResolvedStacks,
  config: AtmosConfig,
  filter: { stacks?: string[]; components?: string[] } = {},
): Generator<[string, Plain]> {
  const byStack = new Map<string, Instance[]>();
  for (const i of resolved.instances) {
    // A stack by its canonical name or its manifest's file name, as Atmos's filter takes it.
    if (filter.stacks?.length && !filter.stacks.includes(i.stack) && !filter.stacks.includes(i.stackFile)) continue;
    if (filter.components?.length && !filter.components.includes(i.component)) continue;
    const list = byStack.get(i.stack);
    if (list) list.push(i);
    else byStack.set(i.stack, [i]);
  }
  for (const stack of objectKeyOrder([...byStack.keys()])) {
    const terraform: Plain = {};
    for (const i of byStack.get(stack)!) terraform[i.component] = describeStacksSection(i, config);
    yield [stack, sortKeys({ components: { terraform } }) as Plain];
  }
}

/** One instance's section as `describe stacks` prints it (keys not sorted): what `describe affected` compares too. */
export function describeStacksSection(i: Instance, config: AtmosConfig): Plain {
  const section: Plain = {
    ...printable(i.sections),
    ...resolvedDependencies(i),
    component_info: {
      ...(i.sections.component_info as Plain),
      component_path: path.relative(config.basePath, i.componentPath).split(path.sep).join('/'),
    },
  };
  return config.describeIncludeEmpty ? section : dropEmpty(section);
}

/** Array-index keys (`"0"`, `"42"`) ascending, then the others sorted: the order of a JS object's keys once sorted (what printing the whole map gives). */
function objectKeyOrder(keys: string[]): string[] {
  const isIndex = (k: string) => /^(0|[1-9]\d*)$/.test(k) && Number(k) < 2 ** 32 - 1;
  const sorted = [...keys].sort();
  return [...sorted.filter(isIndex).sort((a, b) => Number(a) - Number(b)), ...sorted.filter((k) => !isIndex(k))];
}

function dropEmpty(m: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(m)) {
    if (isPlainMap(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}
