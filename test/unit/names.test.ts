import { varfileName, planfileName } from '../../src/stacks/names.js';

describe('varfile and planfile names (§5.2)', () => {
  it('prefixes the folder part of the base component', () => {
    expect(varfileName('tenant1-ue2-dev', 'infra/vpc', 'infra/vpc')).toBe('tenant1-ue2-dev-infra-vpc.terraform.tfvars.json');
    expect(planfileName('ue2-dev', 'vpc/1', 'vpc')).toBe('ue2-dev-1.planfile');
    expect(varfileName('dev', 'cache-a', 'aws/elasticache')).toBe('dev-aws-cache-a.terraform.tfvars.json');
  });
});
