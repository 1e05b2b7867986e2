/**
 * What a run reads for the instances it runs, besides running them (docs/architecture.md, "What
 * is read when"; docs/stores.md):
 * - the instances their outputs are read from, resolved on demand (in the reader's manifest
 *   first), with the `atmos.Store` values they need;
 * - before anything starts, every `!store`/`!store.get`/`!secret` key they read, one batch per store;
 * - the workdirs `terraform output -json` (and `terraform state pull`) read in: where this run runs
 *   the read instance, its own; where the state is local, the workdir on this machine; otherwise
 *   (a plan leg in its own CI job) the read instance's workdir is provisioned and initialised for
 *   reading (terraform/read-workdir.ts), once per run, its providers prepared with the run's.
 */
import type { TerraformSettings } from '../config/types.js';
import type { Log } from '../ports/log.js';
import { isOutputRead, readTarget } from '../stacks/deferred.js';
import { instanceKey } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { resolveOutputReferences, type OutputReadContext } from '../terraform/output-references.js';
import { initForRead } from '../terraform/read-workdir.js';
import { stateObject } from '../terraform/state-readers.js';
import { readStoreKeys, storeKeysOf } from '../terraform/store-reads.js';
import { buildWorkdirPath } from '../util/paths.js';
import { provisionWorkdir, type ProvisionOptions } from '../workdir/provision.js';
import { resolveWithValues } from './cloud-values.js';
import type { InitPreparation } from './prepare-init.js';
import type { AppPorts, Project } from './project.js';

/** How `reader` finds an instance it reads: in its own manifest first, with the store values its templates read. */
export function finder(project: Project, reader: Instance, log: Log): (component: string, stack: string) => Promise<Instance> {
  return (component, stack) => resolveWithValues(project, () => project.stacks.instance(component, stack, { manifest: reader.stackFilePath }), log);
}

/** Reads every store key `instances` read, in one batch per store (a no-op where the project reads no values). */
export async function readRunStoreKeys(project: Project, instances: readonly Instance[], log: Log): Promise<void> {
  const values = project.values;
  if (values) await readStoreKeys(values, storeKeysOf(instances, values), log);
}

const localState = (i: Instance) => i.backendType === '' || i.backendType === 'local';

/** Whether terraform must read `target`'s outputs (`way`) in a workdir this run provisions for it. */
function readsInOwnWorkdir(target: Instance, way: 'state' | 'output', running: ReadonlySet<string>): boolean {
  if (running.has(instanceKey(target)) || localState(target)) return false;
  if (way === 'output') return true;
  try {
    return stateObject(target) === undefined;
  } catch {
    return false;
  }
}

/**
 * The instances whose workdirs `readers` need initialised here to read them (their providers are
 * prepared with the run's). One that cannot be found is left to its reader, which reports it.
 */
export async function readInitTargets(project: Project, readers: readonly Instance[], running: ReadonlySet<string>, log: Log): Promise<Instance[]> {
  const out = new Map<string, Instance>();
  for (const reader of readers) {
    const find = finder(project, reader, log);
    for (const { read } of reader.reads) {
      if (!isOutputRead(read)) continue;
      const { component, stack, way } = readTarget(read);
      const target = await find(component, stack).catch(() => undefined);
      if (target && readsInOwnWorkdir(target, way, running)) out.set(instanceKey(target), target);
    }
  }
  return [...out.values()];
}

export interface ReadWorkdirSettings {
  project: Project;
  /** Keys of the instances this run runs. */
  running: ReadonlySet<string>;
  provision: ProvisionOptions;
  terraform: TerraformSettings;
  prepared: InitPreparation;
  initGate?: <T>(init: () => Promise<T>) => Promise<T>;
  signal?: AbortSignal;
  /** The read context the read instance's own values are filled in with (its backend may read a store). */
  context: (reader: Instance, log: Log) => OutputReadContext;
}

/** The run's `workdirToRead`: where terraform reads an instance; those of other jobs made ready once per run. */
export function readWorkdirs(
  s: ReadWorkdirSettings,
  ports: AppPorts,
): { ranHere(instance: Instance, terraformDir: string): void; workdirToRead(target: Instance, log: Log): Promise<string> } {
  const ran = new Map<string, string>();
  const ready = new Map<string, Promise<string>>();
  const base = s.project.config.basePath;
  const prepare = async (target: Instance, log: Log): Promise<string> => {
    // What init needs of it (backend, env, providers, generated files) with its own reads filled in.
    const filled = await resolveOutputReferences(target, s.context(target, log), ['backend', 'env', 'providers', 'passthrough']);
    const wd = await provisionWorkdir(filled, s.provision, { ...ports, log });
    await initForRead(
      {
        instance: filled,
        workdir: wd.terraformDir,
        reprovisioned: wd.changed,
        settings: s.terraform,
        env: s.prepared.envFor?.(filled) ?? s.prepared.env,
        initGate: s.prepared.gateFor?.(filled) ?? s.initGate,
        signal: s.signal,
      },
      { exec: ports.exec, log },
    );
    return wd.terraformDir;
  };
  return {
    ranHere: (instance, terraformDir) => void ran.set(instanceKey(instance), terraformDir),
    workdirToRead: (target, log) => {
      const key = instanceKey(target);
      const here = ran.get(key);
      if (here) return Promise.resolve(here);
      // Local state is on this machine or nowhere; an instance this run runs is read where it ran.
      if (localState(target) || s.running.has(key)) return Promise.resolve(buildWorkdirPath(base, target.stack, target.component));
      let p = ready.get(key);
      if (!p) {
        p = prepare(target, log);
        ready.set(key, p);
      }
      return p;
    },
  };
}
