import type { Log } from '../ports/log.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import type { ResolvedInstance } from './instance.js';
import type { DependencyRef, Instance } from './types.js';

/**
 * Fills `dependsOn` of every instance, as Atmos 1.226 matches dependencies:
 * - `dependencies.components` (when non-empty) wins: `{component|name, stack?, kind?}`, same stack
 *   when `stack` is absent;
 * - otherwise legacy `settings.depends_on` (or a component-level `depends_on`): a map of
 *   `{component, stack?, namespace?, tenant?, environment?, stage?}`. With `stack` the match is
 *   exact; with no stack and no context fields it is the same stack; otherwise each set field must
 *   equal the target's var and each unset one the dependent's own var.
 * File and folder entries are affected-detection inputs, not instance edges, and are skipped here.
 * An entry naming no existing instance is warned about and skipped (as Atmos's scheduler does).
 */

const CONTEXT_FIELDS = ['namespace', 'tenant', 'environment', 'stage'] as const;

/** Runs while the instances are still being built, so it takes the mutable class, not the read-only Instance. */
export function resolveDependencies(instances: ResolvedInstance[], log: Log): void {
  const byComponent = new Map<string, ResolvedInstance[]>();
  for (const i of instances) {
    const list = byComponent.get(i.component);
    if (list) list.push(i);
    else byComponent.set(i.component, [i]);
  }
  const exists = (component: string, stack: string) => byComponent.get(component)?.some((t) => t.stack === stack) ?? false;

  for (const inst of instances) {
    const refs: DependencyRef[] = [];
    const add = (component: string, stack: string, via: DependencyRef['via']) => {
      if (component === inst.component && stack === inst.stack) return;
      if (!refs.some((r) => r.component === component && r.stack === stack)) refs.push({ component, stack, via });
    };
    const declared = inst.dependencies.components;
    if (Array.isArray(declared) && declared.length > 0) {
      for (const entry of declared) {
        if (!isPlainMap(entry)) continue;
        const kind = entry.kind;
        if (kind !== undefined && kind !== 'terraform') continue;
        const component = typeof entry.component === 'string' ? entry.component : typeof entry.name === 'string' ? entry.name : undefined;
        if (!component) continue;
        const stack = typeof entry.stack === 'string' && entry.stack !== '' ? entry.stack : inst.stack;
        if (stack.includes('{{')) {
          inst.unsupported.push({ path: 'dependencies.components.stack', value: stack, kind: 'go-template' });
          continue;
        }
        if (exists(component, stack)) add(component, stack, 'dependencies.components');
        else warnMissing(log, inst, component, stack);
      }
    } else {
      const own = mapAt(inst.passthrough, 'depends_on');
      const fromSettings = mapAt(inst.settings, 'depends_on');
      if (!own && !fromSettings) {
        inst.dependsOn = refs;
        continue;
      }
      const legacy = { ...own, ...fromSettings };
      for (const entry of Object.values(legacy)) {
        if (!isPlainMap(entry) || typeof entry.component !== 'string' || entry.component === '') continue;
        const component = entry.component;
        const targets = matchLegacy(inst, entry, byComponent.get(component) ?? []);
        if (targets.length === 0) warnMissing(log, inst, component, typeof entry.stack === 'string' ? entry.stack : inst.stack);
        for (const t of targets) add(component, t.stack, 'settings.depends_on');
      }
    }
    inst.dependsOn = refs;
  }
}

function matchLegacy(dependent: Instance, entry: Plain, candidates: Instance[]): Instance[] {
  if (typeof entry.stack === 'string' && entry.stack !== '') return candidates.filter((c) => c.stack === entry.stack);
  const setFields = CONTEXT_FIELDS.filter((f) => entry[f] !== undefined && entry[f] !== null && entry[f] !== '');
  if (setFields.length === 0) return candidates.filter((c) => c.stack === dependent.stack);
  return candidates.filter((c) =>
    CONTEXT_FIELDS.every((f) => {
      const want = setFields.includes(f) ? entry[f] : dependent.vars[f];
      return String(c.vars[f] ?? '') === String(want ?? '');
    }),
  );
}

function warnMissing(log: Log, inst: Instance, component: string, stack: string): void {
  log.warn(`${inst.component} (stack ${inst.stack}) depends on ${component} in stack ${stack}, which does not exist; ignoring that dependency`);
}
