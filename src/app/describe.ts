/** `describe component` and `describe stacks`. */
import { emptySelectionWarnings } from '../graph/select.js';
import { describeComponent as describeInstance, describeStacks as describeAllStacks } from '../stacks/describe.js';
import { findInstance } from '../stacks/resolve.js';
import { assertEvaluable } from '../stacks/unsupported.js';
import type { Plain } from '../util/merge.js';
import { loadProject, type AppPorts, type ProjectSettings } from './project.js';

export interface DescribeComponentSettings extends ProjectSettings {
  stack: string;
  component: string;
}

/** One resolved instance as Atmos prints it, plus its workdir. Refuses an instance using features not evaluated yet. */
export function describeComponent(settings: DescribeComponentSettings, ports: Pick<AppPorts, 'env' | 'log'>): Plain {
  const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
  const instance = findInstance(stacks, settings.component, settings.stack);
  assertEvaluable(instance);
  return describeInstance(instance, config);
}

export interface DescribeStacksSettings extends ProjectSettings {
  /** Only these stacks (canonical names, as Atmos knows them); empty = all. */
  stacks: string[];
  /** Only these components; empty = all. */
  components: string[];
}

/** Atmos's `describe stacks` shape. */
export function describeStacks(settings: DescribeStacksSettings, ports: Pick<AppPorts, 'env' | 'log'>): Plain {
  const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log });
  for (const w of emptySelectionWarnings(stacks.instances, { stacks: settings.stacks, components: settings.components })) ports.log.warn(w);
  return describeAllStacks(stacks, config, { stacks: settings.stacks, components: settings.components });
}
