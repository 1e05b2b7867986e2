/**
 * Rule 10 — dependencies (docs/atmos-compatibility.md §4) → Instance.dependsOn.
 * Order of dependsOn is not specified by the reference, so both sides are sorted.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { resolveFixture, sortDeps, type Resolved } from './helpers.js';
import { instanceKeys } from './helpers.js';

describe('dependencies (§4)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('deps');
  });
  const deps = (c: string, s = 't1-ue2-dev') => sortDeps(r.get(c, s).dependsOn);

  it('settings.depends_on: same stack by default, explicit stack, context fields; file entries are not component deps', () => {
    // 3: {component: db, tenant: t2}: tenant must be t2; unset environment/stage must equal
    //    app's own (ue2/dev) → db in t2-ue2-dev.
    expect(deps('app')).toEqual([
      { component: 'db', stack: 't2-ue2-dev', via: 'settings.depends_on' },
      { component: 'dns', stack: 't2-ue2-dev', via: 'settings.depends_on' },
      { component: 'vpc', stack: 't1-ue2-dev', via: 'settings.depends_on' },
    ]);
  });

  it('non-empty dependencies.components wins over settings.depends_on; `name` is normalized to component', () => {
    expect(deps('svc')).toEqual([
      { component: 'db', stack: 't2-ue2-dev', via: 'dependencies.components' },
      { component: 'vpc', stack: 't1-ue2-dev', via: 'dependencies.components' },
    ]);
  });

  it('empty dependencies.components does not hide settings.depends_on', () => {
    expect(deps('empty-deps')).toEqual([{ component: 'vpc', stack: 't1-ue2-dev', via: 'settings.depends_on' }]);
  });

  it('deprecated component-level depends_on is accepted as the legacy form', () => {
    expect(deps('direct')).toEqual([{ component: 'app', stack: 't1-ue2-dev', via: 'settings.depends_on' }]);
  });

  it('no declarations → no dependencies', () => {
    expect(deps('vpc')).toEqual([]);
    expect(deps('dns', 't2-ue2-dev')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 10 — dependencies (§4, §8 "an unknown target gets a warning and is skipped")
// ---------------------------------------------------------------------------------------------
describe('dependencies (§4)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-deps');
  });

  it('resolves every manifest (an unknown dependency target is not an error)', () => {
    expect(instanceKeys(r)).toEqual(['app@t1-ue2-dev', 'db@t1-ue2-dev', 'db@t1-uw2-dev', 'db@t1-uw2-prod', 'db@t2-uw2-dev', 'svc@t1-ue2-dev']);
  });

  it('legacy entry with only environment: tenant/stage must equal the dependent’s own; unknown targets skipped', () => {
    // 1: environment uw2, tenant t1 and stage dev (app's own) → t1-uw2-dev only
    //    (not t2-uw2-dev: wrong tenant; not t1-uw2-prod: wrong stage; not t1-ue2-dev: wrong env)
    // 2: component ghost exists nowhere → no entry
    // 3: stack t9-ue2-dev does not exist → no entry
    expect(sortDeps(r.get('app', 't1-ue2-dev').dependsOn)).toEqual([{ component: 'db', stack: 't1-uw2-dev', via: 'settings.depends_on' }]);
  });

  it('dependencies.components: an unknown component is skipped, the rest kept', () => {
    expect(sortDeps(r.get('svc', 't1-ue2-dev').dependsOn)).toEqual([{ component: 'db', stack: 't1-ue2-dev', via: 'dependencies.components' }]);
  });
});
