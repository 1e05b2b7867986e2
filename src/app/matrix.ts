/** `matrix`: the GitHub Actions matrix of the selected instances. */
import { selectMatrix, type Matrix } from '../graph/matrix.js';
import { instanceKey } from '../stacks/identity.js';
import { refuseSecretNames } from '../util/secrets.js';
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
 * Paths in the result are relative to the project's directory. A name holding a secret is refused.
 */
export function matrix(project: Project, settings: MatrixSettings, ports: Pick<AppPorts, 'log' | 'secrets'>): Matrix {
  const { instances } = project.stacks.all({ includeAbstract: settings.includeAbstract });
  // An entry names its manifest only when one manifest alone defines the instance: a leg then reads that one.
  const definitions = new Map<string, number>();
  for (const n of project.stacks.instanceNames()) definitions.set(instanceKey(n), (definitions.get(instanceKey(n)) ?? 0) + 1);
  const filter = { stacks: settings.stacks, components: settings.components, includeAbstract: settings.includeAbstract };
  const m = selectMatrix(instances, project.config, project.cwd, filter, ports.log, (i) => definitions.get(instanceKey(i)) === 1);
  // Each entry's names become a leg's inputs, folder names and job names: none may hold a secret.
  refuseSecretNames(m.include, ports.secrets);
  return m;
}
