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
 *   `| path`, registers it with the secret registry (so it never reaches a log) and hands it to terraform
 *   (store.ts, storeReadValue).
 */
import { AtmosError } from '../../util/errors.js';
import { deepMerge, isPlainMap, type ListMergeStrategy, type Plain } from '../../util/merge.js';
import { DeferredValue } from '../deferred.js';
import { parseSecretArgs } from './store-args.js';

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

/**
 * `!secret` as a read of the instance: the store and key its declaration gives (scope: whose stack
 * and component the key holds). A declaration that cannot be read (undeclared, SOPS, no store) is
 * recorded in the read and fails the instance when it runs; describe shows {@link MASKED} either way.
 * Throws on bad arguments.
 */
export function secretFunction(args: string, text: string, reader: { stack: string; component: string }, secrets: Readonly<Plain> | undefined): DeferredValue {
  const parsed = parseSecretArgs(args);
  const decl = (isPlainMap(secrets?.vars) ? secrets.vars : {})[parsed.name];
  const spec = isPlainMap(decl) ? decl : {};
  const scope: Scope = spec.scope === 'stack' || spec.scope === 'global' ? spec.scope : 'instance';
  let problem: string | undefined;
  if (decl === undefined) problem = `secret ${parsed.name} is not declared (declare it under the component's secrets.vars with a store)`;
  else if (typeof spec.sops === 'string' && spec.sops !== '')
    problem = `secret ${parsed.name} is kept in a SOPS file (sops: ${spec.sops}), which atmos-action does not read`;
  else if (typeof spec.store !== 'string' || spec.store === '') problem = `secret ${parsed.name} declares no store (secrets.vars.${parsed.name}.store)`;
  return new DeferredValue([
    {
      kind: 'secret',
      store: typeof spec.store === 'string' ? spec.store : '',
      stack: scope === 'global' ? '' : reader.stack,
      component: scope === 'instance' ? reader.component : '',
      key: typeof spec.reference === 'string' && spec.reference !== '' ? spec.reference : parsed.name,
      default: parsed.default,
      query: parsed.path,
      text,
      secret: { name: parsed.name, ...(problem ? { problem } : {}) },
    },
  ]);
}
