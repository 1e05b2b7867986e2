/** `matrix`: the GitHub Actions matrix of the selected instances. */
import { selectMatrix, soleManifestRule, type Matrix } from '../graph/matrix.js';
import type { AppPorts, Project } from './project.js';

export interface MatrixSettings {
  /** Globs on canonical stack names; empty = all. */
  stacks: string[];
  /** Globs on component names; empty = all. */
  components: string[];
  includeAbstract: boolean;
}

/**
 * Every instance is resolved and every error reported (a matrix must not hide a broken instance).
 * Paths in the result are relative to the project's directory. One entry per instance; the
 * entry point packs them into legs (graph/matrix.ts `matrixLegs`).
 */
export function matrix(project: Project, settings: MatrixSettings, ports: Pick<AppPorts, 'log'>): Matrix {
  const { instances } = project.stacks.all({ includeAbstract: settings.includeAbstract });
  const filter = { stacks: settings.stacks, components: settings.components, includeAbstract: settings.includeAbstract };
  return selectMatrix(instances, project.config, project.cwd, filter, ports.log, soleManifestRule(project.stacks.instanceNames()));
}
