/** Shared by the store tests: the process environment the real cloud adapter reads, and a run's resolution with values. */
import { resolveWithValues } from '../../src/app/cloud-values.js';
import { openProject } from '../../src/app/project.js';
import { readRunStoreKeys } from '../../src/app/run-reads.js';
import { memoryLog } from '../../src/ports/log.js';
import { nodeCloud } from '../../src/ports/node-cloud.js';
import { instanceKey } from '../../src/stacks/identity.js';
import type { Instance } from '../../src/stacks/types.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { readDeferredValues } from '../../src/terraform/output-references.js';
import { secretRegistry } from '../../src/util/secrets.js';

/**
 * Sets `env` in process.env (the adapter reads it, as in the CLI and the action) and returns the
 * function that puts the previous values back (call it in afterAll: test files share a worker).
 */
export function setProcessEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Resolves `dir` as a plan run does, through the real cloud adapter: the instances `select` accepts
 * (all by default) resolved with their atmos.Store values, every store key they read read at once,
 * then each instance's values filled in. `get` gives an instance with the values it could read,
 * `faults` the reads that failed it (the reason its run would fail with).
 */
export async function resolveReading(dir: string, select: (stack: string, component: string) => boolean = () => true) {
  const log = memoryLog();
  const secrets = secretRegistry();
  const project = openProject({ cwd: dir, readValues: true }, { env: {}, log, cloud: nodeCloud(), secrets });
  const instances = await resolveWithValues(project, () => project.stacks.select(select), log);
  await readRunStoreKeys(project, instances, log);
  const read = new Map<string, { instance: Instance; errors: string[] }>();
  for (const i of instances) {
    read.set(
      instanceKey(i),
      await readDeferredValues(i, {
        find: (component, stack) => Promise.resolve(project.stacks.instance(component, stack)),
        basePath: project.config.basePath,
        cache: new Map(),
        log,
        exec: nodeExec,
        env: {},
        cloud: nodeCloud(),
        values: project.values,
      }),
    );
  }
  const one = (component: string, stack: string) => {
    const r = read.get(instanceKey({ stack, component }));
    if (!r) throw new Error(`${component} in ${stack} was not resolved by this run`);
    return r;
  };
  return {
    project,
    values: project.values!,
    log,
    secrets,
    get: (component: string, stack: string): Instance => one(component, stack).instance,
    faults: (component: string, stack: string): string[] => one(component, stack).errors,
  };
}
