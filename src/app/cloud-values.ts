/**
 * Resolution with the values a run reads from the clouds (`!store`, `!store.get`, `atmos.Store`,
 * `!secret`). Resolution is synchronous and cloud reads are not, so it runs in passes: a pass
 * records the keys it could not find yet, they are read in one batch per store (memoized for the
 * run), and the next pass finds them; a value that names another key (a template over a store
 * value) takes one more pass. Only the instances `reads` accepts read anything; the others keep
 * what inspection commands show.
 */
import { loadAtmosConfig } from '../config/load.js';
import { selects } from '../graph/select.js';
import type { AtmosConfig } from '../config/types.js';
import { StoreValues } from '../stacks/functions/store-values.js';
import { instanceKey } from '../terraform/run-instance.js';
import { AtmosError } from '../util/errors.js';
import { SecretMasker } from '../util/secret-mask.js';
import { loadProject, type AppPorts, type Project } from './project.js';
import type { ProvisionTarget } from './provision.js';

/** Passes before giving up (each value found may name another key to read). */
const MAX_PASSES = 5;

export interface ValuesProject extends Project {
  values: StoreValues;
}

export async function loadProjectWithValues(
  opts: Omit<Parameters<typeof loadProject>[0], 'config' | 'values' | 'execResults'> & {
    /** Which instances read their values (the ones a run runs). */
    reads: (stack: string, component: string) => boolean;
  },
  ports: Pick<AppPorts, 'cloud' | 'log'>,
  secrets: SecretMasker,
): Promise<ValuesProject> {
  const config: AtmosConfig = loadAtmosConfig({ cwd: opts.cwd, env: opts.env });
  const values = new StoreValues(config, ports.cloud ?? null, { reads: opts.reads, masker: secrets });
  const execResults = new Map<string, unknown>();
  for (let pass = 1; ; pass++) {
    let project: Project | undefined;
    let failure: unknown;
    try {
      project = loadProject({ ...opts, config, values, execResults });
    } catch (e) {
      // A pass that lacked values may fail where the next will not (a template over a value not read yet).
      failure = e;
    }
    if (!values.hasPending) {
      if (project) return { ...project, values };
      throw failure;
    }
    if (pass === MAX_PASSES) throw new AtmosError(`store values still missing after ${MAX_PASSES} passes: a chain of values naming other keys is too long`);
    const before = { ...values.stats };
    await values.fetchPending();
    ports.log?.info(`read ${values.stats.keys - before.keys} value(s) from stores in ${values.stats.apiCalls - before.apiCalls} call(s)`);
  }
}

/**
 * Which instances a run reads values for: the reviewed plans it applies, else the one instance or
 * the instances the globs select. Nothing else is contacted (a plan leg does not read the secrets
 * of every instance in the repository).
 */
export function valueReaders(target: ProvisionTarget, planfiles?: ReadonlyMap<string, string>): (stack: string, component: string) => boolean {
  if (planfiles) return (stack, component) => planfiles.has(instanceKey({ stack, component }));
  if ('component' in target) return (stack, component) => stack === target.stack && component === target.component;
  return selects(target);
}

/** The masker a run uses: the entry point's (it also feeds `::add-mask::`), or a new one. */
export function runSecrets(ports: Pick<AppPorts, 'secrets'>): SecretMasker {
  return ports.secrets ?? new SecretMasker();
}
