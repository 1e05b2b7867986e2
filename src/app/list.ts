/** `list stacks` and `list components`: the names a user reaches for first, as Atmos lists them. */
import { assertKnownStack } from '../stacks/resolve.js';
import { AtmosError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { loadProject, type AppPorts, type ProjectSettings } from './project.js';

export interface ListSettings extends ProjectSettings {
  /** list stacks: only stacks that hold this component. */
  component?: string;
  /** list components: only the components of this stack. */
  stack?: string;
}

/** Canonical stack names, sorted. */
export function listStacks(settings: ListSettings, ports: Pick<AppPorts, 'env' | 'log'>): string[] {
  const { stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
  const c = settings.component;
  if (c !== undefined && !stacks.instances.some((i) => i.component === c)) {
    throw new AtmosError(
      `component ${c} is not defined in any stack${didYouMean(
        c,
        stacks.instances.map((i) => i.component),
      )}`,
    );
  }
  return [...new Set(stacks.instances.filter((i) => c === undefined || i.component === c).map((i) => i.stack))].sort();
}

/** Component names (abstract ones included, as Atmos lists them), sorted. */
export function listComponents(settings: ListSettings, ports: Pick<AppPorts, 'env' | 'log'>): string[] {
  const { stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
  const s = settings.stack;
  if (s !== undefined) assertKnownStack(stacks, s);
  return [...new Set(stacks.instances.filter((i) => s === undefined || i.stack === s).map((i) => i.component))].sort();
}
