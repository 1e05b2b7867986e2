/**
 * Resolution where a run reads values from stores (docs/stores.md, "What is read when").
 *
 * `!store`, `!store.get` and `!secret` need nothing here: resolution leaves typed reads, and the
 * runner reads them for the instances it runs (terraform/store-reads.ts). `atmos.Store` is another
 * matter: a template computes with its value while the instance resolves, and resolution is
 * synchronous while a read is not. So the instances a run asks for resolve in passes: a pass that
 * meets a key not read yet records it and marks the instances that used it (and their readers) as
 * incomplete; the keys are read in one batch per store; the next pass resolves those instances
 * again (every other one stays resolved: no `!exec` runs twice) and finds the values. A value that
 * names another key (a template over a store value) takes one more pass. Only what is resolved
 * through here reads: an instance resolved otherwise (for its lock file, its name) meets unread
 * keys as nil, is marked incomplete all the same, and resolves again when a run asks for it here.
 */
import type { Log } from '../ports/log.js';
import { AtmosError } from '../util/errors.js';
import type { Project } from './project.js';

/** Passes before giving up (each value found may name another key to read). */
const MAX_PASSES = 5;

/** `resolve()` (a selection, one instance) with the `atmos.Store` values it needs read first, when the project reads values. */
export async function resolveWithValues<T>(project: Project, resolve: () => T, log?: Pick<Log, 'info'>): Promise<T> {
  const values = project.values;
  if (!values) return resolve();
  // Instances resolved before, outside a reading resolution, with values not read: resolved again.
  project.stacks.forgetIncomplete();
  for (let pass = 1; ; pass++) {
    let result: T | undefined;
    let failure: unknown;
    let failed = false;
    try {
      result = values.collect(resolve);
    } catch (e) {
      // A pass that lacked values may fail where the next will not (a template over a value not read yet).
      failed = true;
      failure = e;
    }
    if (!values.hasPending) {
      if (failed) throw failure;
      return result as T;
    }
    if (pass === MAX_PASSES) throw new AtmosError(`store values still missing after ${MAX_PASSES} passes: a chain of values naming other keys is too long`);
    const before = { ...values.stats };
    await values.fetchPending();
    log?.info(`read ${values.stats.keys - before.keys} value(s) from stores in ${values.stats.apiCalls - before.apiCalls} call(s)`);
    project.stacks.forgetIncomplete();
  }
}
