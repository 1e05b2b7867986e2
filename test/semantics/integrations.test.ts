/**
 * What Atmos's integrations add to a component (docs/atmos-compatibility.md §2.2): the Spacelift
 * stack and Atlantis project names, in the output and in the template data, and
 * settings.integrations.github from atmos.yaml.
 */
import { describe, expect, it } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { resolveFixture } from './helpers.js';

describe('integrations (§2.2)', () => {
  it('spacelift_stack and atlantis_project are computed before templates, as Atmos names them', () => {
    const r = resolveFixture('integrations');
    const vpc = r.get('infra/vpc', 'tenant1-ue2-dev');
    expect(vpc.sections.spacelift_stack).toBe('tenant1-ue2-dev-infra-vpc');
    expect(vpc.sections.atlantis_project).toBe('tenant1-ue2-dev-infra-vpc');
    expect(vpc.vars.tags).toEqual({ spacelift_stack: 'tenant1-ue2-dev-infra-vpc', atlantis_project: 'tenant1-ue2-dev-infra-vpc' });

    const named = r.get('vpc-named', 'tenant1-ue2-dev');
    expect([named.sections.spacelift_stack, named.sections.atlantis_project]).toEqual(['tenant1-ue2-dev-custom-vpc-named', 'ue2-dev-vpc-named']);

    const off = r.get('vpc-off', 'tenant1-ue2-dev');
    expect('spacelift_stack' in off.sections || 'atlantis_project' in off.sections).toBe(false);
    expect(off.vars.tags).toEqual({ spacelift_stack: '<no value>', atlantis_project: '<no value>' });
  });

  it("settings.integrations.github is atmos.yaml's integrations.github under the component's own", () => {
    const r = resolveFixture('integrations');
    expect(r.get('infra/vpc', 'tenant1-ue2-dev').settings.integrations).toEqual({
      github: { gitops: { 'opentofu-version': '1.8.4', 'infracost-enabled': true } },
    });
    expect(r.get('vpc-off', 'tenant1-ue2-dev').settings.integrations).toEqual({
      github: { gitops: { 'opentofu-version': '1.8.4', 'infracost-enabled': false } },
    });
  });
});

describe('the context tokens of an integration name', () => {
  it('{attributes} is the merged list, appended across the stack, the catalog and the component, as in the vars', () => {
    const root = writeTree(tempDir(), {
      'atmos.yaml':
        'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{tenant}-{stage}"\n' +
        'components:\n  terraform:\n    base_path: components/terraform\nsettings:\n  list_merge_strategy: append\n',
      'stacks/catalog/vpc.yaml':
        'components:\n  terraform:\n    vpc:\n      settings:\n        spacelift: { workspace_enabled: true, stack_name_pattern: "{tenant}-{stage}-{attributes}-{component}" }\n' +
        '      vars:\n        attributes: [catalog]\n        tags: { from: catalog }\n',
      'stacks/deploy/dev.yaml':
        'import: [catalog/vpc]\nvars:\n  tenant: acme\n  stage: dev\n  attributes: [stack]\n' +
        'components:\n  terraform:\n    vpc:\n      vars:\n        attributes: [own]\n',
      'components/terraform/vpc/main.tf': '',
    });
    const vpc = resolveStacks(loadAtmosConfig({ cwd: root, env: {} })).instances.find((i) => i.component === 'vpc')!;
    expect(vpc.vars.attributes).toEqual(['stack', 'catalog', 'own']);
    expect(vpc.sections.spacelift_stack).toBe('acme-dev-stack-catalog-own-vpc');
  });
});
