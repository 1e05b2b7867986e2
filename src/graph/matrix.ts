import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import type { Log } from '../ports/log.js';
import { stackSlug } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { toolOf, type Tool } from '../config/tool.js';
import { displayPath } from '../util/errors.js';
import { authWarnings, instanceCredentials } from './credentials.js';
import { emptySelectionWarnings, selectInstances, type InstanceFilter } from './select.js';
import { assertDistinctWorkdirs, buildWorkdirPath } from '../util/paths.js';

/** One GitHub Actions matrix leg: everything a leg needs to run one instance. */
export interface MatrixEntry {
  stack: string;
  component: string;
  base_component: string;
  component_type: 'terraform';
  /** Base component folder, relative to the directory the matrix was computed in (posix). */
  component_path: string;
  /** Isolated workdir, relative to the same directory (posix). */
  workdir: string;
  workspace: string;
  /** `<stack>-<component with / → ->`, as Atmos's describe affected names it: handy for job names and artifacts. */
  stack_slug: string;
  /**
   * The top-level stack manifest that defines the instance, relative to the same directory (posix);
   * empty when several manifests define it. A leg passes it on (the action's `manifest` input) so
   * that it reads that manifest and its imports only, instead of every manifest of the repository.
   */
  manifest: string;
  /** The tool the instance's `command` runs (`tofu` for OpenTofu): which one the leg installs. */
  tool: Tool;
  // Credentials from the stack settings Cloud Posse's actions read (graph/credentials.ts); only
  // present when set, so a matrix without them stays as small as before.
  /** `settings.integrations.github.gitops.role.plan`: the role a plan leg assumes. */
  role_plan?: string;
  /** `settings.integrations.github.gitops.role.apply`: the role an apply leg assumes. */
  role_apply?: string;
  /** `settings.integrations.github.gitops.artifact-storage.region`. */
  region?: string;
}

export interface Matrix {
  include: MatrixEntry[];
}

/** GitHub refuses a matrix with more legs than this. */
export const GITHUB_MATRIX_LIMIT = 256;

/** `to` relative to `from`, with forward slashes: paths that go into outputs read the same on every runner. */
export function posixRelative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/') || '.';
}

/**
 * `soleManifest(i)`: whether one manifest alone defines the instance (then the entry names it).
 * Default: every instance has one.
 */
export function buildMatrix(instances: readonly Instance[], config: AtmosConfig, cwd: string, soleManifest: (i: Instance) => boolean = () => true): Matrix {
  assertDistinctWorkdirs(instances);
  return {
    include: instances.map((i) => {
      const credentials = instanceCredentials(i);
      return {
        stack: i.stack,
        component: i.component,
        base_component: i.baseComponent,
        component_type: 'terraform',
        component_path: posixRelative(cwd, i.componentPath),
        workdir: posixRelative(cwd, buildWorkdirPath(config.basePath, i.stack, i.component)),
        workspace: i.workspace,
        stack_slug: stackSlug(i),
        manifest: i.stackFilePath && soleManifest(i) ? posixRelative(cwd, i.stackFilePath) : '',
        tool: toolOf(i.command),
        ...(credentials.rolePlan && { role_plan: credentials.rolePlan }),
        ...(credentials.roleApply && { role_apply: credentials.roleApply }),
        ...(credentials.region && { region: credentials.region }),
      };
    }),
  };
}

/**
 * The matrix of the instances a filter selects, with the warnings both entry points owe the user:
 * instances whose plan will fail on an unevaluated feature, and a selection GitHub would refuse.
 */
export function selectMatrix(
  instances: readonly Instance[],
  config: AtmosConfig,
  cwd: string,
  filter: InstanceFilter,
  log: Log,
  soleManifest?: (i: Instance) => boolean,
): Matrix {
  const selected = selectInstances(instances, filter);
  for (const w of emptySelectionWarnings(instances, filter)) log.warn(w);
  for (const w of unsupportedWarnings(selected, cwd)) log.warn(w);
  for (const w of authWarnings(selected, config)) log.warn(w);
  if (selected.length > GITHUB_MATRIX_LIMIT) {
    log.warn(`the matrix has ${selected.length} legs; GitHub runs at most ${GITHUB_MATRIX_LIMIT} per matrix: narrow the stacks/components selection`);
  }
  return buildMatrix(selected, config, cwd, soleManifest);
}

/**
 * One warning per place (file:line) that holds a value atmos-action does not evaluate, with how
 * many selected instances inherit it: one catalog line is one warning, not one per stack.
 */
export function unsupportedWarnings(selected: readonly Instance[], cwd: string): string[] {
  const byPlace = new Map<string, { value: string; instances: string[] }>();
  for (const i of selected) {
    for (const u of i.unsupported) {
      const place = u.file ? `${displayPath(u.file, cwd)}${u.line ? `:${u.line}` : ''}` : `${displayPath(i.stackFilePath, cwd)} (${u.path})`;
      const entry = byPlace.get(place) ?? { value: u.value, instances: [] };
      const name = `${i.component} in ${i.stack}`;
      if (!entry.instances.includes(name)) entry.instances.push(name);
      byPlace.set(place, entry);
    }
  }
  return [...byPlace].map(([place, { value, instances }]) => {
    const who =
      instances.length === 1 ? instances[0] : `${instances.length} instances (${instances.slice(0, 3).join(', ')}${instances.length > 3 ? ', …' : ''})`;
    return `${place}: ${value} is not evaluated by atmos-action yet; plans of ${who} will fail`;
  });
}
