/** `list stacks` and `list components`: the names a user reaches for first, as Atmos lists them. */
import { AtmosError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import type { Project } from './project.js';

export interface ListSettings {
  /** list stacks: only stacks that hold this component. */
  component?: string;
  /** list components: only the components of this stack. */
  stack?: string;
}

/** Canonical stack names, sorted. Every instance is resolved, and every error reported, as Atmos does. */
export function listStacks(project: Project, settings: ListSettings): string[] {
  const { instances } = project.stacks.all();
  const c = settings.component;
  if (c !== undefined && !instances.some((i) => i.component === c)) {
    throw new AtmosError(
      `component ${c} is not defined in any stack${didYouMean(
        c,
        instances.map((i) => i.component),
      )}`,
    );
  }
  return [...new Set(instances.filter((i) => c === undefined || i.component === c).map((i) => i.stack))].sort();
}

/** Component names (abstract ones included, as Atmos lists them), sorted. */
export function listComponents(project: Project, settings: ListSettings): string[] {
  const { instances } = project.stacks.all();
  const s = settings.stack;
  if (s !== undefined) project.stacks.assertKnownStack(s);
  return [...new Set(instances.filter((i) => s === undefined || i.stack === s).map((i) => i.component))].sort();
}
