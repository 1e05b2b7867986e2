import { renderSimpleTemplate, varfileName, planfileName } from '../../src/stacks/names.js';

describe('name templates', () => {
  it('renders field references with Go-style trim markers', () => {
    expect(renderSimpleTemplate('{{ .vars.tenant }}-{{.vars.stage}}', { vars: { tenant: 't', stage: 'dev' } }, 'x')).toBe('t-dev');
    expect(renderSimpleTemplate('{{- .vars.a -}} - {{- .vars.b }}', { vars: { a: 1, b: 2 } }, 'x')).toBe('1-2');
    expect(renderSimpleTemplate('{{ .vars.a -}} - {{ .vars.b }}', { vars: { a: 1, b: 2 } }, 'x')).toBe('1- 2');
  });

  it('returns undefined when a referenced value is missing', () => {
    expect(renderSimpleTemplate('{{ .vars.tenant }}', { vars: {} }, 'x')).toBeUndefined();
  });

  it('refuses template logic it cannot evaluate, naming it', () => {
    expect(() => renderSimpleTemplate('{{ .vars.a | upper }}', { vars: { a: 'x' } }, 'stacks.name_template')).toThrow(
      /stacks.name_template uses the template expression \{\{ \.vars\.a \| upper \}\}/,
    );
  });
});

describe('varfile and planfile names (§5.2)', () => {
  it('prefixes the folder part of the base component', () => {
    expect(varfileName('tenant1-ue2-dev', 'infra/vpc', 'infra/vpc')).toBe('tenant1-ue2-dev-infra-vpc.terraform.tfvars.json');
    expect(planfileName('ue2-dev', 'vpc/1', 'vpc')).toBe('ue2-dev-1.planfile');
    expect(varfileName('dev', 'cache-a', 'aws/elasticache')).toBe('dev-aws-cache-a.terraform.tfvars.json');
  });
});
