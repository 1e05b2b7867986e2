/**
 * Rule 10 — dependencies (reference §4) → Instance.dependsOn.
 * Order of dependsOn is not specified by the reference, so both sides are sorted.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { resolveFixture, sortDeps, type Resolved } from './helpers.js';

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
