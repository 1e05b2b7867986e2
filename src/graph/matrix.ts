import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import type { Log } from '../ports/log.js';
import type { Instance } from '../stacks/types.js';
import { selectInstances, type InstanceFilter } from './select.js';
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

export function buildMatrix(instances: readonly Instance[], config: AtmosConfig, cwd: string): Matrix {
  assertDistinctWorkdirs(instances);
  return {
    include: instances.map((i) => ({
      stack: i.stack,
      component: i.component,
      base_component: i.baseComponent,
      component_type: 'terraform',
      component_path: posixRelative(cwd, i.componentPath),
      workdir: posixRelative(cwd, buildWorkdirPath(config.basePath, i.stack, i.component)),
      workspace: i.workspace,
      stack_slug: `${i.stack}-${i.component.replace(/\//g, '-')}`,
    })),
  };
}

/**
 * The matrix of the instances a filter selects, with the warnings both entry points owe the user:
 * instances whose plan will fail on an unevaluated feature, and a selection GitHub would refuse.
 */
export function selectMatrix(instances: readonly Instance[], config: AtmosConfig, cwd: string, filter: InstanceFilter, log: Log): Matrix {
  const selected = selectInstances(instances, filter);
  for (const i of selected) {
    if (i.unsupported.length) {
      log.warn(`${i.component} (stack ${i.stack}) uses ${i.unsupported[0].value} (${i.unsupported[0].path}), which atmos-action does not evaluate yet; its plan will fail`);
    }
  }
  if (selected.length > GITHUB_MATRIX_LIMIT) {
    log.warn(`the matrix has ${selected.length} legs; GitHub runs at most ${GITHUB_MATRIX_LIMIT} per matrix: narrow the stacks/components selection`);
  }
  return buildMatrix(selected, config, cwd);
}
