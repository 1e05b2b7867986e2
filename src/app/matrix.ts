/** `matrix`: the GitHub Actions matrix of the selected instances. */
import { selectMatrix, soleManifestRule, type Matrix } from '../graph/matrix.js';
import type { AffectedResult, AffectedSettings } from './affected.js';
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
 * Paths in the result are relative to the project's directory. One entry per instance; the
 * entry point packs them into legs (graph/matrix.ts `matrixLegs`). A name holding a secret is refused.
 */
export function matrix(project: Project, settings: MatrixSettings, ports: Pick<AppPorts, 'log' | 'secrets'>): Matrix {
  const { instances } = project.stacks.all({ includeAbstract: settings.includeAbstract });
  const filter = { stacks: settings.stacks, components: settings.components, includeAbstract: settings.includeAbstract };
  const m = selectMatrix(instances, project.config, project.cwd, filter, ports.log, soleManifestRule(project.stacks.instanceNames()));
  // Each entry's names become a leg's inputs, folder names and job names: none may hold a secret.
  refuseSecretNames(m.include, ports.secrets);
  return m;
}

/**
 * The matrix of the affected instances the globs select (`matrix` with `affected`): what changed
 * between the base and HEAD (app/affected.ts), never a deleted instance (each is named in a
 * warning instead: it has nothing to plan, and destroying it is not this matrix's job).
 */
export async function affectedMatrix(
  project: Project,
  settings: MatrixSettings,
  affected: AffectedSettings,
  ports: AppPorts,
): Promise<{ matrix: Matrix; result: AffectedResult }> {
  // Loaded here: a plain matrix, the common start of a workflow, never reads git.
  const { affectedInstances, describeAffected } = await import('./affected.js');
  const result = await describeAffected(project, affected, ports);
  const deleted = result.items.filter((i) => i.deleted);
  if (deleted.length) {
    const some = deleted.slice(0, 10).map((d) => `${d.component} in ${d.stack}`);
    ports.log.warn(
      `${deleted.length} instance(s) of the base commit are gone at HEAD and are not planned (destroy them before removing them from the stacks): ` +
        `${some.join(', ')}${deleted.length > some.length ? ', …' : ''}`,
    );
  }
  const filter = { stacks: settings.stacks, components: settings.components, includeAbstract: false };
  const keep = new Set(affectedInstances(result).map(instanceKey));
  const sole = soleManifestRule(project.stacks.instanceNames());
  const matrix = selectMatrix(result.head, project.config, project.cwd, filter, ports.log, sole, (i) => keep.has(instanceKey(i)));
  refuseSecretNames(matrix.include, ports.secrets);
  ports.log.info(
    `${matrix.include.length} affected instance(s) of ${result.head.length} (base ${result.baseCommit.slice(0, 12)}, ${result.changedFiles} changed file(s))`,
  );
  return { matrix, result };
}
