/**
 * What Atmos's integrations add to a component (docs/atmos-compatibility.md §2.2): the Spacelift
 * stack and Atlantis project names, in the output and in the template data, and
 * settings.integrations.github from atmos.yaml.
 */
import { describe, expect, it } from '@jest/globals';
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
