/**
 * Rule 9 — canonical stack names (docs/atmos-compatibility.md §1.3), ATMOS_STACKS_NAME_PATTERN (§1.2).
 */
import { describe, it, expect } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { Stacks } from '../../src/stacks/resolve.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { resolveFixture, instanceKeys, expectAtmosError } from './helpers.js';

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

  it('two manifests of one stack defining a component differently: the run goes on (last wins), only that instance fails, naming both files', () => {
    const r = resolveFixture('naming-dup-conflict');
    // describe stacks / list / matrix keep going with the last definition, as Atmos does
    expect(r.resolved.instances.find((i) => i.component === 'vpc' && i.stack === 'dev')?.vars.cidr).toBe('10.1.0.0/16');
    const e = expectAtmosError(() => r.get('vpc', 'dev'));
    expect(e.message).toMatch(/vpc is defined differently for stack dev in stacks\/deploy\/a\.yaml and stacks\/deploy\/b\.yaml/);
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

  it('findInstance: a manifest path finds the instance in that manifest, at its canonical stack name; a bare file name does not (§1.3)', () => {
    const r = resolveFixture('naming-pattern');
    expect(r.get('vpc', 'deploy/dev').stack).toBe('acme-plat-ue2-dev');
    expect(r.get('vpc', 'acme-plat-ue2-dev').stackFile).toBe('deploy/dev');
    const e = expectAtmosError(() => r.get('vpc', 'dev'));
    expect(e.message).toMatch(/^invalid stack "dev"; did you mean/);
  });

  it('findInstance: a mistyped stack or component is an error with the closest names', () => {
    const r = resolveFixture('naming-pattern');
    expect(expectAtmosError(() => r.get('vpc', 'acme-plat-ue2-deb')).message).toContain('did you mean "acme-plat-ue2-dev"?');
    expect(expectAtmosError(() => r.get('vcp', 'acme-plat-ue2-dev')).message).toContain('did you mean "vpc"?');
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

// ---------------------------------------------------------------------------------------------
// `-s` as a manifest path (§1.3): Atmos's stack lookup takes a value holding `/` that ends a
// manifest's path (with .yaml, .yml, .yaml.tmpl or .yml.tmpl) as that manifest.
// ---------------------------------------------------------------------------------------------
describe('a stack given as the path of its manifest (§1.3)', () => {
  const repo = () =>
    writeTree(tempDir('atmos-manifest-path-'), {
      'atmos.yaml':
        'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_template: "{{ .vars.tenant }}-{{ .vars.stage }}"\n',
      'components/terraform/vpc/main.tf': '',
      'stacks/deploy/nonprod.yaml': 'vars:\n  tenant: acme\n  stage: nonprod\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        cidr: 10.1.0.0/16\n',
      'stacks/deploy/prod.yaml.tmpl':
        'vars:\n  tenant: acme\n  stage: prod\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        cidr: "10.{{ `2` }}.0.0/16"\n',
    });

  it('resolves the instance in that manifest, named by its canonical stack; .tmpl manifests too', () => {
    const stacks = new Stacks(loadAtmosConfig({ cwd: repo(), env: {} }));
    const nonprod = stacks.instance('vpc', 'deploy/nonprod');
    expect([nonprod.stack, nonprod.stackFile, nonprod.vars.cidr]).toEqual(['acme-nonprod', 'deploy/nonprod', '10.1.0.0/16']);
    expect(stacks.instance('vpc', 'deploy/prod').stack).toBe('acme-prod');
    // the canonical name is still the documented way, and gives the same instance
    expect(stacks.instance('vpc', 'acme-nonprod')).toBe(nonprod);
  });

  it('a component the manifest does not define, and a bare file name, are errors with the closest names', () => {
    const stacks = new Stacks(loadAtmosConfig({ cwd: repo(), env: {} }));
    expect(expectAtmosError(() => stacks.instance('vcp', 'deploy/nonprod')).message).toBe(
      'component vcp not found in the manifest deploy/nonprod; did you mean "vpc"? (it has: vpc)',
    );
    // without `/` it is a stack name, as in Atmos
    expect(expectAtmosError(() => stacks.instance('vpc', 'nonprod')).message).toMatch(/^invalid stack "nonprod"; did you mean "acme-nonprod"\?/);
  });
});
