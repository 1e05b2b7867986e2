/** `describe component` and `describe stacks`. */
import { emptySelectionWarnings, selectionManifest, type OneInstance } from '../graph/select.js';
import { describeComponent as describeInstance, describeStacks as describeAllStacks } from '../stacks/describe.js';
import { assertEvaluable } from '../stacks/unsupported.js';
import type { Plain } from '../util/merge.js';
import type { AppPorts, Project } from './project.js';

/** The instance, and the top-level manifest to look in first (a matrix entry's `manifest`, relative to the project's directory). */
export type DescribeComponentSettings = OneInstance;

/**
 * One instance as Atmos prints it, plus its workdir: only that instance (and what its
 * atmos.Component calls read) is resolved. Refuses an instance using features not evaluated yet.
 */
export function describeComponent(project: Project, settings: DescribeComponentSettings): Plain {
  const instance = project.stacks.instance(settings.component, settings.stack, { manifest: selectionManifest(project, settings) });
  // Asked not to evaluate: show the values as written rather than refuse them.
  const { processTemplates, processFunctions } = project.switches;
  if (processTemplates !== false && processFunctions !== false) assertEvaluable(instance);
  return describeInstance(instance, project.config);
}

export interface DescribeStacksSettings {
  /** Only these stacks (canonical names, as Atmos knows them); empty = all. */
  stacks: string[];
  /** Only these components; empty = all. */
  components: string[];
}

/** Atmos's `describe stacks` shape. Every instance is resolved, and every error reported. */
export function describeStacks(project: Project, settings: DescribeStacksSettings, ports: Pick<AppPorts, 'log'>): Plain {
  const stacks = project.stacks.all();
  for (const w of emptySelectionWarnings(stacks.instances, { stacks: settings.stacks, components: settings.components })) ports.log.warn(w);
  return describeAllStacks(stacks, project.config, { stacks: settings.stacks, components: settings.components });
}
