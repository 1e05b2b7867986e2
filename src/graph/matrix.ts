import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import type { Log, Warning } from '../ports/log.js';
import { instanceKey, stackSlug, type InstanceId } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { toolOf, type Tool } from '../config/tool.js';
import { displayPath } from '../util/errors.js';
import { authWarnings, instanceCredentials } from './credentials.js';
import { emptySelectionWarnings, selectInstances, type InstanceFilter } from './select.js';
import { assertDistinctWorkdirs, buildWorkdirPath } from '../util/paths.js';
import { AtmosError } from '../util/errors.js';
import { MATRIX_OUTPUT_BUDGET_UTF16_BYTES, packEntries, utf16Bytes, type PackableEntry, type PackedLeg } from './pack.js';

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
 * Whether one top-level manifest alone defines an instance, from every manifest's instance names
 * (abstract ones included): only then does a leg look for it in that manifest (decision 40), so
 * that a leg never skips the check that several definitions agree.
 */
export function soleManifestRule(names: readonly InstanceId[]): (i: InstanceId) => boolean {
  const definitions = new Map<string, number>();
  for (const n of names) definitions.set(instanceKey(n), (definitions.get(instanceKey(n)) ?? 0) + 1);
  return (i) => definitions.get(instanceKey(i)) === 1;
}

/** The `manifest` of an instance's matrix entry (or apply level entry): relative to `cwd`, empty when several manifests define it. */
export function entryManifest(i: Instance, cwd: string, soleManifest: (i: InstanceId) => boolean): string {
  return i.stackFilePath && soleManifest(i) ? posixRelative(cwd, i.stackFilePath) : '';
}

/**
 * `soleManifest(i)`: whether one manifest alone defines the instance (then the entry names it).
 * Default: every instance has one.
 */
export function buildMatrix(instances: readonly Instance[], config: AtmosConfig, cwd: string, soleManifest: (i: InstanceId) => boolean = () => true): Matrix {
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
        manifest: entryManifest(i, cwd, soleManifest),
        tool: toolOf(i.command),
        ...(credentials.rolePlan && { role_plan: credentials.rolePlan }),
        ...(credentials.roleApply && { role_apply: credentials.roleApply }),
        ...(credentials.region && { region: credentials.region }),
      };
    }),
  };
}

/**
 * The matrix of the instances a filter selects (and `only` keeps), with the warnings both entry points owe the user:
 * instances whose plan will fail on an unevaluated feature, and a selection GitHub would refuse.
 */
export function selectMatrix(
  instances: readonly Instance[],
  config: AtmosConfig,
  cwd: string,
  filter: InstanceFilter,
  log: Log,
  soleManifest?: (i: InstanceId) => boolean,
  only?: (i: Instance) => boolean,
): Matrix {
  // `only` narrows after the globs matched (the affected instances): the globs are checked against all.
  const selected = selectInstances(instances, filter).filter((i) => !only || only(i));
  for (const w of emptySelectionWarnings(instances, filter)) log.warn(w);
  for (const w of [...unsupportedWarnings(selected, cwd), ...authWarnings(selected, config)]) log.warn(w.message, w.where);
  return buildMatrix(selected, config, cwd, soleManifest);
}

/** What a workflow reads: the matrix output, and how many legs and instances it holds. */
export interface MatrixLegs {
  /** `{"include":[…]}`: the entries themselves, or the packed legs. */
  json: string;
  legs: number;
  instances: number;
  packed: boolean;
}

/**
 * At most `maxLegs` legs: the entries as they are when they fit, else packed (graph/pack.ts).
 * `maxLegs` is at most what GitHub runs in one matrix.
 */
export function legsOf<T extends PackableEntry>(entries: readonly T[], maxLegs: number): readonly T[] | PackedLeg[] {
  if (!Number.isInteger(maxLegs) || maxLegs < 1 || maxLegs > GITHUB_MATRIX_LIMIT) {
    throw new AtmosError(
      `max-legs must be a whole number from 1 to ${GITHUB_MATRIX_LIMIT} (GitHub runs at most ${GITHUB_MATRIX_LIMIT} jobs per matrix), not ${maxLegs}`,
    );
  }
  return entries.length > maxLegs ? packEntries(entries, maxLegs) : entries;
}

/**
 * Refuses, with the remedy, an output larger than GitHub keeps for a job's outputs: where the
 * instance keys of a packed matrix no longer fit in one output.
 */
export function assertOutputFits(json: string, instances: number, output: string): void {
  const size = utf16Bytes(json);
  if (size <= MATRIX_OUTPUT_BUDGET_UTF16_BYTES) return;
  throw new AtmosError(
    `the ${output} output for ${instances} instance(s) is ${Math.ceil(size / 1000)} kB as GitHub counts it (UTF-16), more than the ` +
      `${MATRIX_OUTPUT_BUDGET_UTF16_BYTES / 1000} kB this action allows it of the 1 MB a job's outputs may hold: split the selection into ` +
      'several calls with stacks/components (each with its own group), or run the instances in one job (the plan or apply command with stacks/components)',
  );
}

/** The matrix output for at most `maxLegs` legs (see {@link legsOf}, {@link assertOutputFits}). */
export function matrixLegs(matrix: Matrix, maxLegs: number): MatrixLegs {
  const include = legsOf(matrix.include, maxLegs);
  const json = JSON.stringify({ include });
  assertOutputFits(json, matrix.include.length, 'matrix');
  return { json, legs: include.length, instances: matrix.include.length, packed: include !== matrix.include };
}

/**
 * One warning per place (file:line) that holds a value atmos-action does not evaluate, with how
 * many selected instances inherit it: one catalog line is one warning, not one per stack.
 */
export function unsupportedWarnings(selected: readonly Instance[], cwd: string): Warning[] {
  const byPlace = new Map<string, { value: string; instances: string[]; where: Warning['where'] }>();
  for (const i of selected) {
    for (const u of i.unsupported) {
      const place = u.file ? `${displayPath(u.file, cwd)}${u.line ? `:${u.line}` : ''}` : `${displayPath(i.stackFilePath, cwd)} (${u.path})`;
      const entry = byPlace.get(place) ?? { value: u.value, instances: [], where: u.file ? { file: u.file, line: u.line } : { file: i.stackFilePath } };
      const name = `${i.component} in ${i.stack}`;
      if (!entry.instances.includes(name)) entry.instances.push(name);
      byPlace.set(place, entry);
    }
  }
  return [...byPlace].map(([place, { value, instances, where }]) => {
    const who =
      instances.length === 1 ? instances[0] : `${instances.length} instances (${instances.slice(0, 3).join(', ')}${instances.length > 3 ? ', …' : ''})`;
    return { message: `${place}: ${value} is not evaluated by atmos-action yet; plans of ${who} will fail`, where };
  });
}
