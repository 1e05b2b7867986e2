/**
 * The runner's side of `!store`, `!store.get` and `!secret` (docs/stores.md): before the instances
 * of a run start, every key they read is read at once, one batch per store (each key once per run,
 * however many instances read it); when an instance runs, each read finds its value in the run's
 * memo. A read that fails fails the instance holding it, named with the store, the key and the SDK's
 * error code; the other instances run.
 */
import type { Log } from '../ports/log.js';
import { isOutputRead, type StoreRead } from '../stacks/deferred.js';
import { storeAddress, storeReadValue } from '../stacks/functions/store.js';
import type { StoreKey, StoreValues } from '../stacks/functions/store-values.js';
import type { Instance } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';

/** The keys the store reads of `instances` name (a read that cannot be addressed fails its instance later). */
export function storeKeysOf(instances: readonly Instance[], values: StoreValues): StoreKey[] {
  const keys: StoreKey[] = [];
  for (const i of instances) {
    for (const { read } of i.reads) {
      if (isOutputRead(read)) continue;
      try {
        keys.push(storeAddress(read, values));
      } catch {
        // reported by the instance that holds it, when it runs
      }
    }
  }
  return keys;
}

/** Reads the keys not read yet in this run, and says how many it read in how many calls. */
export async function readStoreKeys(values: StoreValues, keys: Iterable<StoreKey>, log: Pick<Log, 'info'>): Promise<void> {
  const before = { ...values.stats };
  await values.read(keys);
  const read = values.stats.keys - before.keys;
  if (read > 0) log.info(`read ${read} value(s) from stores in ${values.stats.apiCalls - before.apiCalls} call(s)`);
}

/** The failure of one read, naming the instance, where the read is and the function as written. */
function readError(instance: Instance, at: string, read: StoreRead, message: string): InstanceError {
  return new InstanceError(`component ${instance.component} in stack ${instance.stack}: ${at}: ${read.text}: ${message}`);
}

/** The store and key of a read of `instance` at `at`, or the error that fails it. */
export function storeKeyAt(instance: Instance, at: string, read: StoreRead, values: StoreValues | undefined): StoreKey | InstanceError {
  if (!values) return readError(instance, at, read, 'values from stores are not read by this command');
  try {
    return storeAddress(read, values);
  } catch (e) {
    return readError(instance, at, read, (e as Error).message);
  }
}

/** The value of a read whose key was read (see {@link readStoreKeys}); throws the error that fails the instance. */
export function storeValueAt(instance: Instance, at: string, read: StoreRead, key: StoreKey | InstanceError, values: StoreValues | undefined): unknown {
  if (key instanceof InstanceError) throw key;
  try {
    return storeReadValue(read, key, values!);
  } catch (e) {
    throw readError(instance, at, read, (e as Error).message);
  }
}
