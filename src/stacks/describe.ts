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
  const out: Record<string, { components: { terraform: Plain } }> = {};
  for (const i of resolved.instances) {
    if (filter.stacks?.length && !filter.stacks.includes(i.stack)) continue;
    if (filter.components?.length && !filter.components.includes(i.component)) continue;
    const stack = (out[i.stack] ??= { components: { terraform: {} } });
    let section: Plain = {
      ...printable(i.sections),
      ...resolvedDependencies(i),
      component_info: {
        ...(i.sections.component_info as Plain),
        component_path: path.relative(config.basePath, i.componentPath).split(path.sep).join('/'),
      },
    };
    if (!config.describeIncludeEmpty) section = dropEmpty(section);
    stack.components.terraform[i.component] = section;
  }
  return sortKeys(out) as Plain;
}

function dropEmpty(m: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(m)) {
    if (isPlainMap(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}
