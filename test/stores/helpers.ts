/** Shared by the store tests: the process environment the real cloud adapter reads, and a run's resolution with values. */
import { loadProjectWithValues } from '../../src/app/cloud-values.js';
import { memoryLog } from '../../src/ports/log.js';
import { nodeCloud } from '../../src/ports/node-cloud.js';
import { findInstance } from '../../src/stacks/resolve.js';
import type { Instance } from '../../src/stacks/types.js';
import { SecretMasker } from '../../src/util/secret-mask.js';

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

/** Resolves `dir` as a plan run does, reading store values through the real cloud adapter. */
export async function resolveReading(dir: string, reads: (stack: string, component: string) => boolean = () => true) {
  const log = memoryLog();
  const secrets = new SecretMasker();
  const project = await loadProjectWithValues({ cwd: dir, env: {}, log, reads }, { cloud: nodeCloud(), log }, secrets);
  return { project, log, secrets, get: (component: string, stack: string): Instance => findInstance(project.stacks, component, stack) };
}
