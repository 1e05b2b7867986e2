/**
 * `!store`, `!store.get` and the `atmos.Store` template function (docs/stores.md).
 *
 * Where the instance's values are read (a plan or apply of it), each function looks its key up in
 * the run's {@link StoreValues}: the value, `| query` applied; on a failed read its `| default` (a
 * string, as in Atmos) or a fault that fails this instance only, naming the store, the key, the
 * component, the stack and the SDK's error code. `atmos.Store` gives nil on a failed read, as Atmos
 * does. Where nothing is read (describe, list, matrix), `!store` stays as written and `atmos.Store`
 * renders as a note saying it is read at run time.
 */
import type { StoreConfig } from '../../config/stores.js';
import { queryPath } from './args.js';
import type { FunctionContext } from './evaluate.js';
import { parseStoreArgs, parseStoreGetArgs, type StoreArgs } from './store-args.js';
import { rawStoreKey, storeKey } from './store-registry.js';
import { describeFault, type StoreValues } from './store-values.js';

/** A `| query` over a value read: the YQ paths real stacks use (`.a.b[0]`); anything else is a fault. */
export function applyQuery(value: unknown, query: string): { value: unknown } | { error: string } {
  const q = query.trim().startsWith('.') ? query.trim() : `.${query.trim()}`;
  const v = queryPath(value, q);
  if (v === undefined) return { error: `the query ${JSON.stringify(query)} is not supported (only paths like .a.b[0])` };
  return { value: v };
}

/** `!store` / `!store.get` at `at`; undefined keeps the text (not read here, or not read yet). */
export function evaluateStoreFunction(tag: 'store' | 'store.get', args: string, raw: string, at: string, ctx: FunctionContext): unknown {
  const values = ctx.ports.values;
  if (!values || !values.reads(ctx.stack, ctx.component)) return undefined;
  const fault = (message: string): undefined => {
    ctx.faults.push({ path: at, message: `component ${ctx.component} in stack ${ctx.stack}: ${at}: ${raw}: ${message}` });
    return undefined;
  };
  let parsed;
  let store: StoreConfig;
  let key: string;
  try {
    parsed = tag === 'store' ? parseStoreArgs(args) : parseStoreGetArgs(args);
    store = values.store(parsed.store);
    if (store.secret) {
      return fault(`store ${store.name} is a secret store (secret: true): read it with !secret, declared under the component's secrets.vars`);
    }
    key =
      tag === 'store'
        ? storeKey(store, { stack: (parsed as StoreArgs).stack ?? ctx.stack, component: (parsed as StoreArgs).component, key: parsed.key })
        : rawStoreKey(store, parsed.key);
    const r = values.lookup(store, key);
    if (r.state === 'pending') return undefined;
    if (r.state === 'fault') return parsed.default !== undefined ? parsed.default : fault(describeFault(store, key, r.fault));
    if (r.value === null && parsed.default !== undefined) return parsed.default;
    if (parsed.query === undefined) return r.value;
    const q = applyQuery(r.value, parsed.query);
    return 'error' in q ? fault(q.error) : q.value;
  } catch (e) {
    return fault((e as Error).message);
  }
}

/** What `atmos.Store` renders as where nothing is read. */
export function storeNotRead(store: string, stack: string, component: string, key: string): string {
  return `atmos.Store ${store} ${stack} ${component} ${key} (read at run time)`;
}

/**
 * `atmos.Store "<store>" "<stack>" "<component>" "<key>"` for the instance being rendered (`reader`).
 * Throws (a template error) for an unknown or secret store; a failed read gives nil, as in Atmos.
 */
export function atmosStore(values: StoreValues | undefined, reader: { stack: string; component: string } | undefined, args: unknown[]): unknown {
  if (args.length !== 4 || args.some((a) => typeof a !== 'string')) throw new Error('usage: atmos.Store "<store>" "<stack>" "<component>" "<key>"');
  const [name, stack, component, key] = args as string[];
  if (!values || !reader || !values.reads(reader.stack, reader.component)) return storeNotRead(name!, stack!, component!, key!);
  const store = values.store(name!);
  if (store.secret) throw new Error(`store ${store.name} is a secret store (secret: true): atmos.Store cannot read it; use !secret`);
  const r = values.lookup(store, storeKey(store, { stack: stack!, component: component!, key: key! }));
  return r.state === 'value' ? r.value : null;
}
