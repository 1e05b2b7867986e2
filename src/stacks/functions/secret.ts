/**
 * `!secret NAME [| path Q] [| default V]` and the `secrets:` section it reads (docs/stores.md),
 * following Atmos's secrets rules:
 * - NAME must be declared under the component's `secrets.vars.NAME` with a `store:` that is a
 *   `secret: true` store; an undeclared name is an error naming it.
 * - Where a declaration is written sets its scope: the stack manifest's top-level `secrets:` is
 *   stack-scoped (one value per stack: the key has no component segment), a component's (and its
 *   bases' and overrides') is instance-scoped; `scope: global` (no stack, no component) is kept
 *   wherever it is written. Any other explicit scope that contradicts the position is an error.
 * - Inspection commands show `<MASKED>` and contact nothing. A plan or apply reads the value, applies
 *   `| path`, registers it with the masker (so it never reaches a log) and hands it to terraform.
 */
import { AtmosError } from '../../util/errors.js';
import { deepMerge, isPlainMap, type ListMergeStrategy, type Plain } from '../../util/merge.js';
import type { FunctionContext } from './evaluate.js';
import { applyQuery } from './store.js';
import { parseSecretArgs } from './store-args.js';
import { storeKey } from './store-registry.js';
import { describeFault } from './store-values.js';

/** What inspection commands show for a secret (Atmos's mask replacement). */
export const MASKED = '<MASKED>';

type Scope = 'instance' | 'stack' | 'global';

/** A copy of one layer's `secrets:` with the scope its position implies stamped on each declaration. */
function stampScope(section: unknown, scope: Exclude<Scope, 'global'>, where: string): unknown {
  if (!isPlainMap(section) || !isPlainMap(section.vars)) return section;
  const vars: Plain = {};
  for (const [name, spec] of Object.entries(section.vars)) {
    if (!isPlainMap(spec)) {
      vars[name] = spec;
      continue;
    }
    const written = typeof spec.scope === 'string' ? spec.scope : '';
    if (written !== '' && written !== scope && written !== 'global') {
      throw new AtmosError(`${where}: secrets.vars.${name} declares scope ${JSON.stringify(written)} but its position makes it ${scope}-scoped`);
    }
    vars[name] = written === 'global' ? spec : { ...spec, scope };
  }
  return { ...section, vars };
}

/**
 * The component's `secrets:` section: the stack's top-level `secrets:` (stack scope), then the base
 * components', the component's and the overrides' (instance scope), deep-merged in that order.
 */
export function mergeSecretsSection(
  layers: { stack: unknown; bases: readonly unknown[]; component: unknown; overrides: unknown },
  strategy: ListMergeStrategy,
  where: string,
): Plain {
  const { stack, bases, component, overrides } = layers;
  if (stack === undefined && bases.every((b) => b === undefined) && component === undefined && overrides === undefined) return {};
  return deepMerge(
    [
      stampScope(stack, 'stack', where),
      ...bases.map((b) => stampScope(b, 'instance', where)),
      stampScope(component, 'instance', where),
      stampScope(overrides, 'instance', where),
    ],
    strategy,
  );
}

/** `!secret` at `at`; undefined keeps the text. */
export function evaluateSecret(args: string, raw: string, at: string, ctx: FunctionContext): unknown {
  const fault = (message: string): undefined => {
    ctx.faults.push({ path: at, message: `component ${ctx.component} in stack ${ctx.stack}: ${at}: ${raw}: ${message}` });
    return undefined;
  };
  let parsed;
  try {
    parsed = parseSecretArgs(args);
  } catch (e) {
    return fault((e as Error).message);
  }
  const values = ctx.ports.values;
  if (!values || !values.reads(ctx.stack, ctx.component)) return MASKED;
  const decls = isPlainMap(ctx.secrets?.vars) ? ctx.secrets.vars : {};
  const decl = decls[parsed.name];
  if (decl === undefined) return fault(`secret ${parsed.name} is not declared (declare it under the component's secrets.vars with a store)`);
  const spec = isPlainMap(decl) ? decl : {};
  if (typeof spec.sops === 'string' && spec.sops !== '')
    return fault(`secret ${parsed.name} is kept in a SOPS file (sops: ${spec.sops}), which atmos-action does not read`);
  if (typeof spec.store !== 'string' || spec.store === '') return fault(`secret ${parsed.name} declares no store (secrets.vars.${parsed.name}.store)`);
  try {
    const store = values.store(spec.store);
    if (!store.secret) return fault(`secret ${parsed.name}: store ${store.name} is not a secret store (set secret: true on it in atmos.yaml)`);
    const scope: Scope = spec.scope === 'stack' || spec.scope === 'global' ? spec.scope : 'instance';
    const name = typeof spec.reference === 'string' && spec.reference !== '' ? spec.reference : parsed.name;
    const key = storeKey(store, {
      stack: scope === 'global' ? '' : ctx.stack,
      component: scope === 'instance' ? ctx.component : '',
      key: name,
    });
    const r = values.lookup(store, key);
    if (r.state === 'pending') return MASKED;
    if (r.state === 'fault') return parsed.default !== undefined ? parsed.default : fault(`secret ${parsed.name}: ${describeFault(store, key, r.fault)}`);
    let value = r.value;
    if (parsed.path) {
      const q = applyQuery(value, parsed.path);
      if ('error' in q) return fault(q.error);
      value = q.value;
    }
    values.registerSecret(value);
    return value;
  } catch (e) {
    return fault((e as Error).message);
  }
}
