/**
 * Rules 7 and 8 — Terraform workspace (docs/atmos-compatibility.md §5.3, §3 "Workspace override") and
 * varfile/planfile names (§5.2).
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { resolveFixture, type Resolved } from './helpers.js';
import { instanceKeys } from './helpers.js';

describe('workspace (§5.3)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('workspace');
  });
  const ws = (c: string) => r.get(c, 'tenant1-ue2-dev').workspace;

  it('no base component → <stack>', () => {
    expect(ws('vpc')).toBe('tenant1-ue2-dev');
    // a `/` in the Atmos name without a base is still "no base"
    expect(ws('infra/vpc')).toBe('tenant1-ue2-dev');
  });

  it('metadata.component equal to the Atmos name counts as no base', () => {
    expect(ws('same-name')).toBe('tenant1-ue2-dev');
  });

  it('base component → <stack>-<atmos component>, `/` → `-`', () => {
    // docs example: vpc/1 with metadata.component vpc → <ctx>-vpc-1
    expect(ws('vpc/1')).toBe('tenant1-ue2-dev-vpc-1');
    expect(ws('net-blue')).toBe('tenant1-ue2-dev-net-blue');
  });

  it('metadata.terraform_workspace literal, `/` → `-`', () => {
    expect(ws('lit')).toBe('my-literal');
  });

  it('metadata.terraform_workspace_pattern tokens from vars (stack named by name_pattern)', () => {
    expect(ws('pat')).toBe('ue2-dev-pat');
  });

  it('terraform_workspace_pattern beats terraform_workspace', () => {
    expect(ws('both')).toBe('tenant1-dev-pattern');
  });

  it('backend_type http → default', () => {
    expect(ws('httpb')).toBe('default');
  });
});

describe('workspaces_enabled: false (§1.2, §5.3)', () => {
  it('every instance uses the default workspace, overrides included', () => {
    const r = resolveFixture('workspace-disabled');
    expect(r.get('vpc', 'dev').workspace).toBe('default');
    expect(r.get('vpc/1', 'dev').workspace).toBe('default');
    expect(r.get('lit', 'dev').workspace).toBe('default');
  });
});

describe('varfile and planfile names (§5.2)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('workspace');
  });

  it('plain component', () => {
    const v = r.get('vpc', 'tenant1-ue2-dev');
    expect(v.varfileName).toBe('tenant1-ue2-dev-vpc.terraform.tfvars.json');
    expect(v.planfileName).toBe('tenant1-ue2-dev-vpc.planfile');
  });

  it('infra/vpc in tenant1-ue2-dev (reference example)', () => {
    const v = r.get('infra/vpc', 'tenant1-ue2-dev');
    expect(v.varfileName).toBe('tenant1-ue2-dev-infra-vpc.terraform.tfvars.json');
    expect(v.planfileName).toBe('tenant1-ue2-dev-infra-vpc.planfile');
  });

  it('derived component: folder prefix from the base, last segment of the Atmos name', () => {
    // net-blue, base infra/vpc: prefix "infra", comp "net-blue"
    const v = r.get('net-blue', 'tenant1-ue2-dev');
    expect(v.varfileName).toBe('tenant1-ue2-dev-infra-net-blue.terraform.tfvars.json');
    expect(v.planfileName).toBe('tenant1-ue2-dev-infra-net-blue.planfile');
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 6 — terraform_workspace_pattern context tokens: name_pattern vs name_template
// (§3 "Workspace override" and its quirk; §10.4)
// ---------------------------------------------------------------------------------------------
describe('terraform_workspace_pattern under name_pattern vs name_template (§3 quirk)', () => {
  it('name_pattern naming: {tenant}/{stage} come from vars, {component} is the Atmos name', () => {
    const r = resolveFixture('more-ws-naming');
    expect(instanceKeys(r)).toEqual(['derived@acme-dev', 'pat@acme-dev']);
    expect(r.get('pat', 'acme-dev').workspace).toBe('acme-dev-pat');
    // no override, base component pat ≠ derived → <stack>-<atmos component> (§5.3)
    expect(r.get('derived', 'acme-dev').workspace).toBe('acme-dev-derived');
  });

  it('name_template naming: the context tokens are empty, {component} is still filled', () => {
    // ATMOS_STACKS_NAME_TEMPLATE sets a template, which beats the name_pattern (§1.3). The
    // template renders the same stack name, acme-dev. Per the §3 quirk, {tenant} and {stage}
    // are "" here, so "{tenant}-{stage}-{component}" → "--pat".
    const r = resolveFixture('more-ws-naming', { ATMOS_STACKS_NAME_TEMPLATE: '{{ .vars.tenant }}-{{ .vars.stage }}' });
    expect(instanceKeys(r)).toEqual(['derived@acme-dev', 'pat@acme-dev']);
    expect(r.get('pat', 'acme-dev').workspace).toBe('--pat');
    // the ordinary rule does not depend on the context tokens
    expect(r.get('derived', 'acme-dev').workspace).toBe('acme-dev-derived');
  });
});
