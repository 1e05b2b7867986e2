/**
 * Rule 9 — canonical stack names (docs/atmos-compatibility.md §1.3), ATMOS_STACKS_NAME_PATTERN (§1.2).
 */
import { describe, it, expect } from '@jest/globals';
import { resolveFixture, instanceKeys, expectAtmosError, errorText } from './helpers.js';

describe('stack naming precedence (§1.3)', () => {
  it('manifest name: > name_template > name_pattern; an import can set name:; the template sees the component vars', () => {
    const r = resolveFixture('naming-template');
    expect(instanceKeys(r)).toEqual([
      'qa-thing@t1-ue2-qa', // component vars.stage: qa feeds the template (per-component naming)
      'vpc@custom-name', // manifest `name:`
      'vpc@from-import', // `name:` set by an imported file
      'vpc@t1-ue2-prod', // name_template beats name_pattern "{stage}"
    ]);
    const named = r.get('vpc', 'custom-name');
    expect(named.stackFile).toBe('deploy/named');
    expect(r.get('vpc', 't1-ue2-prod').stackFile).toBe('deploy/templated');
  });

  it('name_pattern {namespace}-{tenant}-{environment}-{stage}', () => {
    const r = resolveFixture('naming-pattern');
    expect(instanceKeys(r)).toEqual(['vpc@acme-plat-ue2-dev']);
  });

  it('ATMOS_STACKS_NAME_PATTERN overrides atmos.yaml; tokens other than the four context ones are ignored', () => {
    // "{tenant}-{region}-{stage}": {region} is not a context token → dropped
    const r = resolveFixture('naming-pattern', { ATMOS_STACKS_NAME_PATTERN: '{tenant}-{region}-{stage}' });
    expect(instanceKeys(r)).toEqual(['vpc@plat-dev']);
  });

  it('without name/template/pattern the stack is the file name (path under stacks.base_path, no extension)', () => {
    const r = resolveFixture('naming-file');
    expect(instanceKeys(r)).toEqual(['vpc@deploy/nested/dev']);
    const v = r.get('vpc', 'deploy/nested/dev');
    expect(v.stackFile).toBe('deploy/nested/dev');
    // workspace: every `/` becomes `-` (§5.3)
    expect(v.workspace).toBe('deploy-nested-dev');
  });

  it('two manifests resolving to one stack with conflicting definitions of a component → AtmosError', () => {
    const e = expectAtmosError(() => resolveFixture('naming-dup-conflict'));
    expect(errorText(e)).toContain('vpc');
  });

  it('identical definitions in two manifests of one stack are fine', () => {
    const r = resolveFixture('naming-dup-identical');
    expect(instanceKeys(r)).toEqual(['only-a@dev', 'only-b@dev', 'vpc@dev']);
    expect(r.get('vpc', 'dev').vars).toEqual({ stage: 'dev', cidr: '10.0.0.0/16' });
  });

  it('findInstance: unknown component or stack → AtmosError', () => {
    const r = resolveFixture('naming-pattern');
    expectAtmosError(() => r.get('nope', 'acme-plat-ue2-dev'));
    expectAtmosError(() => r.get('vpc', 'no-such-stack'));
  });

  it('findInstance: a stack argument containing / that matches a manifest path selects that file', () => {
    // §1.3: "-s value containing / that matches a manifest path selects that file directly"
    const r = resolveFixture('naming-pattern');
    const v = r.get('vpc', 'deploy/dev');
    expect(v.stack).toBe('acme-plat-ue2-dev');
    expect(v.stackFile).toBe('deploy/dev');
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 15 — `name:` from an imported _defaults file (§1.3 "the merged result, so an import can set it")
// ---------------------------------------------------------------------------------------------
describe('manifest name: from an imported _defaults file (§1.3, §2.1)', () => {
  it('names the stack; the importing manifest’s own name: beats it; name: beats name_pattern', () => {
    const r = resolveFixture('more-name-defaults');
    // _defaults.yaml is excluded as a top-level manifest; a imports it; b imports it and sets
    // its own name (the importing file beats its imports, §2.1); c falls back to name_pattern.
    expect(instanceKeys(r)).toEqual(['vpc@c-stage', 'vpc@from-defaults', 'vpc@own-b']);
    expect(r.get('vpc', 'from-defaults').stackFile).toBe('deploy/a');
    expect(r.get('vpc', 'own-b').stackFile).toBe('deploy/b');
    // a name:-named stack's workspace is the name (no base component, §5.3)
    expect(r.get('vpc', 'from-defaults').workspace).toBe('from-defaults');
  });
});
