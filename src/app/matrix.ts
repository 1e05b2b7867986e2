/** `matrix`: the GitHub Actions matrix of the selected instances. */
import { selectMatrix, type Matrix } from '../graph/matrix.js';
import { loadProject, type AppPorts, type ProjectSettings } from './project.js';

export interface MatrixSettings extends ProjectSettings {
  /** Globs on canonical stack names; empty = all. */
  stacks: string[];
  /** Globs on component names; empty = all. */
  components: string[];
  includeAbstract: boolean;
}

/** Paths in the result are relative to `settings.cwd`. */
export function matrix(settings: MatrixSettings, ports: Pick<AppPorts, 'env' | 'log' | 'execSync'>): Matrix {
  const { config, stacks } = loadProject({
    cwd: settings.cwd,
    env: ports.env,
    log: ports.log,
    execSync: ports.execSync,
    includeAbstract: settings.includeAbstract,
  });
  const filter = { stacks: settings.stacks, components: settings.components, includeAbstract: settings.includeAbstract };
  return selectMatrix(stacks.instances, config, settings.cwd, filter, ports.log);
}
