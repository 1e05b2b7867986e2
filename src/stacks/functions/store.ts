/**
 * `!store`, `!store.get` and the `atmos.Store` template function (docs/stores.md).
 *
 * `!store` and `!store.get` become a typed read where they are written (deferred.ts): describe,
 * list and matrix show them as written and contact nothing; the runner reads them when the
 * instance runs ({@link storeAddress}, then {@link storeReadValue}): the value with `| query`
 * applied; on a failed read the `| default` (a string, as in Atmos) or an error that fails this
 * instance only, naming the store, the key and the SDK's error code.
 *
 * `atmos.Store` returns its value into a template that may compute with it (`.a.b`, `toJSON`), so
 * it is read while the instance resolves, where a run reads values (app/cloud-values.ts); it gives
 * nil on a failed read, as Atmos does. Where nothing is read it renders as a note saying so.
 */
import type { StoreConfig } from '../../config/stores.js';
import { DeferredValue, type StoreRead } from '../deferred.js';
import { queryPath } from './args.js';
import { parseStoreArgs, parseStoreGetArgs } from './store-args.js';
import { rawStoreKey, storeKey } from './store-registry.js';
import { describeFault, type StoreKey, type StoreValues } from './store-values.js';

/** A `| query` over a value read: the YQ paths real stacks use (`.a.b[0]`); anything else is an error. */
export function applyQuery(value: unknown, query: string): { value: unknown } | { error: string } {
  const q = query.trim().startsWith('.') ? query.trim() : `.${query.trim()}`;
  const v = queryPath(value, q);
  if (v === undefined) return { error: `the query ${JSON.stringify(query)} is not supported (only paths like .a.b[0])` };
  return { value: v };
}

/** `!store` / `!store.get` as a read of the instance (`readerStack`: the stack `!store` means when it names none). Throws on bad arguments. */
export function storeFunction(tag: 'store' | 'store.get', args: string, text: string, readerStack: string): DeferredValue {
  if (tag === 'store.get') {
    const p = parseStoreGetArgs(args);
    return new DeferredValue([{ kind: tag, store: p.store, stack: '', component: '', key: p.key, default: p.default, query: p.query, text }]);
  }
  const p = parseStoreArgs(args);
  return new DeferredValue([
    { kind: tag, store: p.store, stack: p.stack ?? readerStack, component: p.component, key: p.key, default: p.default, query: p.query, text },
  ]);
}

/**
 * The store and key a read names. Throws, naming the store, for one that cannot be read: not in
 * atmos.yaml, of a kind or identity atmos-action does not read, a secret store read by `!store`
 * (or a plain one by `!secret`), or a `!secret` whose declaration is unusable.
 */
export function storeAddress(read: StoreRead, values: StoreValues): StoreKey {
  if (read.secret?.problem) throw new Error(read.secret.problem);
  const store = values.store(read.store);
  if (read.secret && !store.secret) {
    throw new Error(`secret ${read.secret.name}: store ${store.name} is not a secret store (set secret: true on it in atmos.yaml)`);
  }
  if (!read.secret && store.secret) {
    throw new Error(`store ${store.name} is a secret store (secret: true): read it with !secret, declared under the component's secrets.vars`);
  }
  values.assertReadable(store);
  const key = read.kind === 'store.get' ? rawStoreKey(store, read.key) : storeKey(store, { stack: read.stack, component: read.component, key: read.key });
  return { store, key };
}

/**
 * The value of a read whose key the run has read: `| default` on a failed read, `| query` (`| path`)
 * applied; a secret's value (after its path) registered for masking. Throws on a failed read
 * without default, naming the store, the key and the SDK's code.
 */
export function storeReadValue(read: StoreRead, at: StoreKey, values: StoreValues): unknown {
  values.stats.lookups++;
  const r = values.known(at.store, at.key);
  const label = read.secret ? `secret ${read.secret.name}: ` : '';
  if (!r || r.state === 'pending') throw new Error(`${label}store ${at.store.name} key ${at.key} was not read`);
  if (r.state === 'fault') {
    if (read.default !== undefined) return read.default;
    throw new Error(`${label}${describeFault(at.store, at.key, r.fault)}`);
  }
  if (!read.secret && r.value === null && read.default !== undefined) return read.default;
  let value = r.value;
  if (read.query !== undefined) {
    const q = applyQuery(value, read.query);
    if ('error' in q) throw new Error(q.error);
    value = q.value;
  }
  if (read.secret) values.registerSecret(value);
  return value;
}

/** What `atmos.Store` renders as where nothing is read. */
export function storeNotRead(store: string, stack: string, component: string, key: string): string {
  return `atmos.Store ${store} ${stack} ${component} ${key} (read at run time)`;
}

/**
 * `atmos.Store "<store>" "<stack>" "<component>" "<key>"` where a run reads values (`values` absent:
 * inspection, the note). Throws (a template error) for an unknown or secret store; nil on a failed
 * read, as in Atmos, and for a key not read yet (`pending` is called: the caller resolves again once
 * it is read).
 */
export function atmosStore(values: StoreValues | undefined, args: unknown[], pending: () => void): unknown {
  if (args.length !== 4 || args.some((a) => typeof a !== 'string')) throw new Error('usage: atmos.Store "<store>" "<stack>" "<component>" "<key>"');
  const [name, stack, component, key] = args as string[];
  if (!values) return storeNotRead(name!, stack!, component!, key!);
  const store: StoreConfig = values.store(name!);
  if (store.secret) throw new Error(`store ${store.name} is a secret store (secret: true): atmos.Store cannot read it; use !secret`);
  const r = values.lookup(store, storeKey(store, { stack: stack!, component: component!, key: key! }));
  if (r.state === 'pending') pending();
  return r.state === 'value' ? r.value : null;
}
