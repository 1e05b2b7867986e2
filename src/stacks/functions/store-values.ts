/**
 * The values one run reads from stores, memoized for the run and read in batches (docs/stores.md).
 *
 * Two kinds of callers:
 * - the runner, for `!store`, `!store.get` and `!secret` (typed reads, deferred.ts): before the
 *   instances run it hands every key they read to {@link StoreValues.read} at once, which reads
 *   them per store in the fewest calls its API allows; each instance then finds its values here;
 * - `atmos.Store`, whose value a template computes with while an instance resolves: resolution is
 *   synchronous, so {@link StoreValues.lookup} answers from the memo or records the key as pending;
 *   the caller (app/cloud-values.ts) reads the pending keys in one batch per store and resolves
 *   again the instances that met one (and only those).
 * Each key is read once per run, however many instances or functions use it.
 *
 * A value read from a `secret: true` store is registered with the run's secret registry the moment it arrives,
 * before anything could print it.
 */
import type { StoreConfig } from '../../config/stores.js';
import type { AtmosConfig } from '../../config/types.js';
import { CloudError, type CloudFault, type CloudPorts } from '../../ports/cloud.js';
import { AtmosError } from '../../util/errors.js';
import type { Secrets } from '../../util/secrets.js';
import { decodeStored, StoreClients } from './store-registry.js';

export type Lookup = { state: 'value'; value: unknown } | { state: 'fault'; fault: CloudFault } | { state: 'pending' };

export interface ValueStats {
  /** Lookups by functions (`!store`, `!store.get`, `atmos.Store`, `!secret`), memo hits included. */
  lookups: number;
  /** Distinct keys read from the stores. */
  keys: number;
  /** API calls those reads took. */
  apiCalls: number;
}

/** A key of a store. */
export interface StoreKey {
  store: StoreConfig;
  key: string;
}

const memoKey = (store: string, key: string) => `${store}\u0000${key}`;

export class StoreValues {
  private readonly memo = new Map<string, Lookup>();
  private readonly pending = new Map<string, StoreKey>();
  private readonly clients: StoreClients;
  /** Resolutions under way that read what they meet (app/cloud-values.ts); outside them nothing is recorded. */
  private collecting = 0;
  readonly stats: ValueStats = { lookups: 0, keys: 0, apiCalls: 0 };

  constructor(
    readonly config: AtmosConfig,
    cloud: CloudPorts,
    private readonly secrets?: Secrets,
  ) {
    this.clients = new StoreClients(config, cloud);
  }

  /** The named store; throws AtmosError naming it when it is not in atmos.yaml. */
  store(name: string): StoreConfig {
    const s = this.config.stores[name];
    if (!s) {
      const known = Object.keys(this.config.stores);
      throw new AtmosError(`store ${JSON.stringify(name)} is not defined in atmos.yaml \`stores:\`${known.length ? ` (defined: ${known.join(', ')})` : ''}`);
    }
    return s;
  }

  /** Throws AtmosError for a store atmos-action cannot read (its kind, its identity), naming it. */
  assertReadable(store: StoreConfig): void {
    this.clients.client(store);
  }

  /**
   * The value of `key` in `store` if read, its fault, or pending: recorded for {@link fetchPending}
   * when a resolution that reads values asked ({@link collect}); a resolution outside one (a
   * selection made only to find lock files) reads nothing. Throws AtmosError for a store that
   * cannot be read.
   */
  lookup(store: StoreConfig, key: string): Lookup {
    this.stats.lookups++;
    const known = this.memo.get(memoKey(store.name, key));
    if (known) return known;
    this.assertReadable(store);
    if (this.collecting > 0) this.pending.set(memoKey(store.name, key), { store, key });
    return { state: 'pending' };
  }

  /** Runs `resolve`, recording the keys it meets that are not read yet. */
  collect<T>(resolve: () => T): T {
    this.collecting++;
    try {
      return resolve();
    } finally {
      this.collecting--;
    }
  }

  /** What the run read for `key` (undefined: not read). */
  known(store: StoreConfig, key: string): Lookup | undefined {
    return this.memo.get(memoKey(store.name, key));
  }

  /** Reads every key not read yet (and any pending one): one batch per store, stores in parallel. */
  async read(keys: Iterable<StoreKey>): Promise<void> {
    for (const k of keys) {
      const mk = memoKey(k.store.name, k.key);
      if (!this.memo.has(mk)) this.pending.set(mk, k);
    }
    await this.fetchPending();
  }

  /** Registers a value derived from a secret (after `| path`), as Atmos registers what `!secret` returns. */
  registerSecret(value: unknown): void {
    this.secrets?.addValue(value);
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Reads every pending key: one batch per store, stores in parallel. */
  async fetchPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const byStore = new Map<string, { store: StoreConfig; keys: string[] }>();
    for (const { store, key } of this.pending.values()) {
      const entry = byStore.get(store.name) ?? { store, keys: [] };
      entry.keys.push(key);
      byStore.set(store.name, entry);
    }
    this.pending.clear();
    await Promise.all([...byStore.values()].map(({ store, keys }) => this.readBatch(store, keys)));
  }

  private async readBatch(store: StoreConfig, keys: string[]): Promise<void> {
    this.stats.keys += keys.length;
    let batch;
    try {
      batch = await this.clients.client(store).read(keys);
    } catch (e) {
      const fault: CloudFault =
        e instanceof CloudError
          ? e.fault
          : { code: e instanceof AtmosError ? 'Configuration' : 'Error', message: (e as Error)?.message ?? String(e), notFound: false };
      for (const key of keys) this.memo.set(memoKey(store.name, key), { state: 'fault', fault });
      return;
    }
    this.stats.apiCalls += batch.calls;
    for (const key of keys) {
      const r = batch.results.get(key) ?? { fault: { code: 'Missing', message: 'no result returned', notFound: false } };
      if ('value' in r) {
        if (store.secret) this.secrets?.addValue(r.value);
        this.memo.set(memoKey(store.name, key), { state: 'value', value: decodeStored(store, r.value) });
      } else {
        this.memo.set(memoKey(store.name, key), { state: 'fault', fault: r.fault });
      }
    }
  }
}

/** A fault as one line: the store, the key, and the SDK's code. */
export function describeFault(store: StoreConfig, key: string, fault: CloudFault): string {
  return `store ${store.name} (${store.kind}) key ${key}: ${fault.notFound ? 'not found' : 'read failed'} (${fault.code}: ${fault.message})`;
}
