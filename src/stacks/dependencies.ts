import type { Log } from '../ports/log.js';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { isOutputRead, readFunction } from './deferred.js';
import { instanceKey } from './identity.js';
import type { SectionField } from './instance-sections.js';
import type { DependencyRef, Instance, UnsupportedFeature } from './types.js';

/**
 * The instances one instance depends on, as Atmos 1.226 matches dependencies:
 * - `dependencies.components` (when non-empty) wins: `{component|name, stack?, kind?}`, same stack
 *   when `stack` is absent;
 * - otherwise legacy `settings.depends_on` (or a component-level `depends_on`): a map of
 *   `{component, stack?, namespace?, tenant?, environment?, stage?}`. With `stack` the match is
 *   exact; with no stack and no context fields it is the same stack; otherwise each set field must
 *   equal the target's var and each unset one the dependent's own var.
 * File and folder entries are affected-detection inputs, not instance edges, and are skipped here.
 * An entry naming no existing instance is warned about and skipped (as Atmos's scheduler does).
 * An output read of an instance that does not exist is an error of the reader, as in Atmos, where
 * reading it means describing it.
 *
 * Beyond Atmos (docs/atmos-compatibility.md §11.6): an instance that reads another instance's
 * outputs (`!terraform.output`, `!terraform.state`, `atmos.Component`) depends on it, so the reader
 * runs after the instance it reads when both are in the run, instead of reading stale or missing values.
 *
 * Targets are looked up by name only ({@link InstanceDirectory}): finding an edge never resolves
 * the instance at its other end.
 */

const CONTEXT_FIELDS = ['namespace', 'tenant', 'environment', 'stage'] as const;

/** What the dependency rules need to know about other instances. */
export interface InstanceDirectory {
  /** Whether the instance exists; `near` is a manifest to look in first (the dependent's own: most edges stay in one stack). */
  exists(component: string, stack: string, near?: string): boolean;
  /** Every instance of `component`: its stack and its vars as merged (the legacy context match reads four of them). */
  instancesOf(component: string): { stack: string; varOf(name: string): unknown }[];
}

/** Whether a section can hold a key at all (no layer sets it: no need to merge the section to know). */
export type KeyProbe = (field: SectionField, key: string) => boolean;

/** Where a place of the instance (`vars.vpc_id`) is written, for errors. */
export type PlaceLocator = (at: string) => { file?: string; line?: number; chain?: string[] };

export function dependenciesOf(
  inst: Instance,
  probe: KeyProbe,
  directory: InstanceDirectory,
  log: Log,
  unsupported: UnsupportedFeature[],
  locate: PlaceLocator,
): DependencyRef[] {
  const refs: DependencyRef[] = [];
  const seen = new Set([instanceKey(inst)]);
  const add = (component: string, stack: string, via: DependencyRef['via']) => {
    const key = instanceKey({ stack, component });
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ component, stack, via });
  };
  const declared = probe('dependencies', 'components') ? inst.dependencies.components : undefined;
  if (Array.isArray(declared) && declared.length > 0) {
    for (const entry of declared) {
      if (!isPlainMap(entry)) continue;
      const kind = entry.kind;
      if (kind !== undefined && kind !== 'terraform') continue;
      const component = typeof entry.component === 'string' ? entry.component : typeof entry.name === 'string' ? entry.name : undefined;
      if (!component) continue;
      const stack = typeof entry.stack === 'string' && entry.stack !== '' ? entry.stack : inst.stack;
      if (stack.includes('{{')) {
        unsupported.push({ path: 'dependencies.components.stack', value: stack, kind: 'go-template' });
        continue;
      }
      if (directory.exists(component, stack, inst.stackFilePath)) add(component, stack, 'dependencies.components');
      else warnMissing(log, inst, component, stack, locate('dependencies.components'));
    }
  } else {
    const own = probe('passthrough', 'depends_on') ? mapAt(inst.passthrough, 'depends_on') : undefined;
    const fromSettings = probe('settings', 'depends_on') ? mapAt(inst.settings, 'depends_on') : undefined;
    if (own || fromSettings) {
      for (const entry of Object.values({ ...own, ...fromSettings })) {
        if (!isPlainMap(entry) || typeof entry.component !== 'string' || entry.component === '') continue;
        const component = entry.component;
        const targets = matchLegacy(inst, entry, directory);
        if (targets.length === 0) {
          const at = fromSettings && Object.values(fromSettings).includes(entry) ? 'settings.depends_on' : 'depends_on';
          warnMissing(log, inst, component, typeof entry.stack === 'string' ? entry.stack : inst.stack, locate(at));
        }
        for (const stack of targets) add(component, stack, 'settings.depends_on');
      }
    }
  }
  for (const { path, read } of inst.reads) {
    // A store's value is no instance's output: no edge (as in Atmos, where YAML functions add none).
    if (!isOutputRead(read)) continue;
    const via = readFunction(read);
    if (instanceKey(read) === instanceKey(inst)) continue;
    if (!directory.exists(read.component, read.stack, inst.stackFilePath)) {
      throw new AtmosError(
        `component ${inst.component} in stack ${inst.stack}: ${via} at ${path} reads ${read.expression} of component ${read.component} in stack ${read.stack}, which does not exist`,
        locate(path),
      );
    }
    if (seen.has(instanceKey(read))) continue;
    add(read.component, read.stack, via);
    log.info(
      `${inst.component} (stack ${inst.stack}) depends on ${read.component} (stack ${read.stack}): it reads its output ${read.expression} (${via} at ${path})`,
    );
  }
  return refs;
}

function matchLegacy(dependent: Instance, entry: Plain, directory: InstanceDirectory): string[] {
  const component = entry.component as string;
  const stack = typeof entry.stack === 'string' && entry.stack !== '' ? entry.stack : undefined;
  const setFields = CONTEXT_FIELDS.filter((f) => entry[f] !== undefined && entry[f] !== null && entry[f] !== '');
  // An exact stack, or the dependent's own: found by name.
  if (stack !== undefined || setFields.length === 0) {
    return directory.exists(component, stack ?? dependent.stack, dependent.stackFilePath) ? [stack ?? dependent.stack] : [];
  }
  return directory
    .instancesOf(component)
    .filter((c) =>
      CONTEXT_FIELDS.every((f) => {
        const want = setFields.includes(f) ? entry[f] : dependent.vars[f];
        return String(c.varOf(f) ?? '') === String(want ?? '');
      }),
    )
    .map((c) => c.stack);
}

function warnMissing(log: Log, inst: Instance, component: string, stack: string, where: ReturnType<PlaceLocator>): void {
  log.warn(`${inst.component} (stack ${inst.stack}) depends on ${component} in stack ${stack}, which does not exist; ignoring that dependency`, {
    file: where.file ?? inst.stackFilePath,
    line: where.line,
  });
}
