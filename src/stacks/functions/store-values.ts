/**
 * The values a run reads from stores, memoized for the run and read in batches.
 *
 * Stack resolution is synchronous, a cloud read is not; so resolution asks this object for a key
 * (`lookup`) and gets the value, the fault, or "pending" (the key is then recorded). The caller
 * (app/cloud-values.ts) reads every pending key at once (`fetchPending`: per store, in the fewest
 * calls its API allows) and resolves again; the second pass finds every value here. Each key is read
 * once per run, however many instances or functions use it.
 *
 * A value read from a `secret: true` store is registered with the masker the moment it arrives,
 * before resolution (or anything else) could print it.
 */
import type { StoreConfig } from '../../config/stores.js';
import type { AtmosConfig } from '../../config/types.js';
import { CloudError, type CloudFault, type CloudPorts } from '../../ports/cloud.js';
import { AtmosError } from '../../util/errors.js';
import type { SecretMasker } from '../../util/secret-mask.js';
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

export interface StoreValuesOptions {
  /**
   * Whether an instance's functions read their values. Inspection commands read nothing (`!store`
   * stays as written, `!secret` shows `<MASKED>`); a plan reads for the instances it runs.
   */
  reads?: (stack: string, component: string) => boolean;
  masker?: SecretMasker;
}

const memoKey = (store: string, key: string) => `${store}\u0000${key}`;

export class StoreValues {
  private readonly memo = new Map<string, Lookup>();
  private readonly pending = new Map<string, { store: StoreConfig; key: string }>();
  private readonly clients: StoreClients | null;
  readonly stats: ValueStats = { lookups: 0, keys: 0, apiCalls: 0 };

  /** `cloud` null: nothing is ever read (inspection commands). */
  constructor(
    readonly config: AtmosConfig,
    cloud: CloudPorts | null,
    private readonly opts: StoreValuesOptions = {},
  ) {
    this.clients = cloud ? new StoreClients(config, cloud) : null;
  }

  /** Whether this instance's store functions and secrets are read (else shown as written / masked). */
  reads(stack: string, component: string): boolean {
    return this.clients !== null && (this.opts.reads?.(stack, component) ?? true);
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

  /** The value of `key` in `store` if read, its fault, or pending (recorded for the next fetch). Throws AtmosError for a store that cannot be read. */
  lookup(store: StoreConfig, key: string): Lookup {
    this.stats.lookups++;
    const k = memoKey(store.name, key);
    const known = this.memo.get(k);
    if (known) return known;
    if (!this.clients) return { state: 'pending' };
    this.clients.client(store); // refuses an unreadable kind or identity now, at the function that uses it
    this.pending.set(k, { store, key });
    return { state: 'pending' };
  }

  /** Registers a value derived from a secret (after `| path`), as Atmos registers what `!secret` returns. */
  registerSecret(value: unknown): void {
    this.opts.masker?.register(value);
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Reads every pending key: one batch per store, stores in parallel. */
  async fetchPending(): Promise<void> {
    if (!this.clients || this.pending.size === 0) return;
    const byStore = new Map<string, { store: StoreConfig; keys: string[] }>();
    for (const { store, key } of this.pending.values()) {
      const entry = byStore.get(store.name) ?? { store, keys: [] };
      entry.keys.push(key);
      byStore.set(store.name, entry);
    }
    this.pending.clear();
    await Promise.all(
      [...byStore.values()].map(async ({ store, keys }) => {
        this.stats.keys += keys.length;
        let batch;
        try {
          batch = await this.clients!.client(store).read(keys);
        } catch (e) {
          const fault: CloudFault = e instanceof CloudError ? e.fault : { code: 'Error', message: (e as Error)?.message ?? String(e), notFound: false };
          for (const key of keys) this.memo.set(memoKey(store.name, key), { state: 'fault', fault });
          return;
        }
        this.stats.apiCalls += batch.calls;
        for (const key of keys) {
          const r = batch.results.get(key) ?? { fault: { code: 'Missing', message: 'no result returned', notFound: false } };
          if ('value' in r) {
            if (store.secret) this.opts.masker?.register(r.value);
            this.memo.set(memoKey(store.name, key), { state: 'value', value: decodeStored(store, r.value) });
          } else {
            this.memo.set(memoKey(store.name, key), { state: 'fault', fault: r.fault });
          }
        }
      }),
    );
  }
}

/** A fault as one line: the store, the key, and the SDK's code. */
export function describeFault(store: StoreConfig, key: string, fault: CloudFault): string {
  return `store ${store.name} (${store.kind}) key ${key}: ${fault.notFound ? 'not found' : 'read failed'} (${fault.code}: ${fault.message})`;
}
