/** `describe component` and `describe stacks`. */
import { emptySelectionWarnings, selectionManifests, type OneInstance } from '../graph/select.js';
import { describeComponent as describeInstance, describeStacksByStack } from '../stacks/describe.js';
import type { Instance } from '../stacks/types.js';
import { assertEvaluable } from '../stacks/unsupported.js';
import { withLocalStateValues, type LocalStateReadContext } from '../terraform/local-state.js';
import type { Plain } from '../util/merge.js';
import type { AppPorts, Project } from './project.js';

/** The instance, and the top-level manifest to look in first (a matrix entry's `manifest`, relative to the project's directory). */
export type DescribeComponentSettings = OneInstance;

/**
 * One instance as Atmos prints it, plus its workdir: only that instance (and what its
 * atmos.Component calls read) is resolved. Refuses an instance using features not evaluated yet.
 */
export function describeComponent(project: Project, settings: DescribeComponentSettings): Plain {
  const instance = project.stacks.instance(settings.component, settings.stack, { manifest: selectionManifests(project, settings) });
  // Asked not to evaluate: show the values as written rather than refuse them.
  const { processTemplates, processFunctions } = project.switches;
  if (processTemplates !== false && processFunctions !== false) assertEvaluable(instance);
  return describeInstance(localStateFiller(project)(instance), project.config);
}

/**
 * Fills in the `!terraform.state` values whose local state exists (docs/atmos-compatibility.md
 * §11.6); each state is read once per command, the instance read looked up in the reader's manifest first.
 */
function localStateFiller(project: Project): (instance: Instance) => Instance {
  const cache: LocalStateReadContext['cache'] = new Map();
  return (reader) =>
    withLocalStateValues(reader, {
      find: (component, stack) => project.stacks.instance(component, stack, { manifest: reader.stackFilePath }),
      basePath: project.config.basePath,
      cache,
    });
}

export interface DescribeStacksSettings {
  /** Only these stacks (canonical names, as Atmos knows them); empty = all. */
  stacks: string[];
  /** Only these components; empty = all. */
  components: string[];
}

/**
 * Atmos's `describe stacks` shape. Every instance is resolved, and every error reported. A stack
 * given that names no stack (canonical name, or manifest file name as Atmos's filter takes it) is
 * "invalid stack", as in `describe component`.
 */
export function describeStacks(project: Project, settings: DescribeStacksSettings, ports: Pick<AppPorts, 'log'>): Plain {
  return Object.fromEntries(describeStacksStreamed(project, settings, ports));
}

/**
 * The same, one stack at a time, for a printer that writes each and lets it go. Every instance is
 * resolved, every error reported and the selection checked before the first stack is given.
 */
export function describeStacksStreamed(project: Project, settings: DescribeStacksSettings, ports: Pick<AppPorts, 'log'>): Iterable<[string, Plain]> {
  const stacks = project.stacks.all();
  const known = new Set(stacks.instances.flatMap((i) => [i.stack, i.stackFile]));
  for (const s of settings.stacks) if (!known.has(s)) project.stacks.assertKnownStack(s);
  for (const w of emptySelectionWarnings(stacks.instances, { stacks: [], components: settings.components })) ports.log.warn(w);
  const instances = stacks.instances.map(localStateFiller(project));
  return describeStacksByStack({ ...stacks, instances }, project.config, { stacks: settings.stacks, components: settings.components });
}
