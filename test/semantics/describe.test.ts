/** `describe stacks` and `describe component`: the shapes Atmos prints (§7.3) and the workdir field (§6.2). */
import path from 'node:path';
import { describeComponent, describeStacks } from '../../src/stacks/describe.js';
import { resolveFixture, fixture, type Resolved } from './helpers.js';
import { describe, it, expect, beforeAll } from '@jest/globals';

type Plain = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Rules 8, 9 — describe stacks shape (§7.3) and describe component `workdir` (§6.2)
// ---------------------------------------------------------------------------------------------
describe('describe stacks (§7.3)', () => {
  const F = fixture('more-describe');
  const env = (d: string) => ({ ATMOS_CLI_CONFIG_PATH: path.join(F, d) });
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-describe', env('conf-default'), F);
  });
  const terraformOf = (out: Plain, stack: string) => ((out[stack] as Plain).components as Plain).terraform as Record<string, Plain>;

  it('keys are canonical stack names → components.terraform.<atmos component>', () => {
    const out = describeStacks(r.resolved, r.config);
    expect(Object.keys(out).sort()).toEqual(['acme-dev', 'acme-prod', 'team/dev']);
    expect(Object.keys(out['acme-dev'] as Plain)).toEqual(['components']);
    expect(Object.keys(terraformOf(out, 'acme-dev')).sort()).toEqual(['my-app/api-v2', 'vpc']);
    expect(Object.keys(terraformOf(out, 'acme-prod'))).toEqual(['vpc']);
    expect(Object.keys(terraformOf(out, 'team/dev'))).toEqual(['vpc']);
  });

  it('per-component fields; component_info.component_path is relative to the base path', () => {
    const t = terraformOf(describeStacks(r.resolved, r.config), 'acme-dev');
    const vpc = t['vpc'];
    expect(vpc.atmos_component).toBe('vpc');
    expect(vpc.atmos_stack).toBe('acme-dev');
    expect(vpc.stack).toBe('acme-dev');
    expect(vpc.atmos_stack_file).toBe('deploy/dev');
    expect(vpc.atmos_manifest).toBe('deploy/dev');
    expect(vpc.component).toBe('vpc');
    expect(vpc.workspace).toBe('acme-dev');
    expect(vpc.vars).toEqual({ tenant: 'acme', stage: 'dev', cidr: '10.0.0.0/16' });
    expect(vpc.component_info).toEqual({ component_path: 'components/terraform/vpc', component_type: 'terraform' });
    // default include_empty → empty maps are printed
    expect(vpc.env).toEqual({});
    expect(vpc.settings).toEqual({});
    expect(vpc.overrides).toEqual({});

    const api = t['my-app/api-v2'];
    expect(api.atmos_component).toBe('my-app/api-v2');
    expect(api.component).toBe('app');
    expect(api.component_info).toEqual({ component_path: 'components/terraform/app', component_type: 'terraform' });
    expect(api.env).toEqual({ FOO: 'bar' });
  });

  it('filters by stack and by component', () => {
    const byStack = describeStacks(r.resolved, r.config, { stacks: ['acme-dev'] });
    expect(Object.keys(byStack)).toEqual(['acme-dev']);
    expect(Object.keys(terraformOf(byStack, 'acme-dev')).sort()).toEqual(['my-app/api-v2', 'vpc']);

    const byComp = describeStacks(r.resolved, r.config, { components: ['my-app/api-v2'] });
    expect(Object.keys(byComp)).toEqual(['acme-dev']);
    expect(Object.keys(terraformOf(byComp, 'acme-dev'))).toEqual(['my-app/api-v2']);

    const both = describeStacks(r.resolved, r.config, { stacks: ['acme-prod'], components: ['vpc'] });
    expect(Object.keys(both)).toEqual(['acme-prod']);
    expect(Object.keys(terraformOf(both, 'acme-prod'))).toEqual(['vpc']);

    expect(describeStacks(r.resolved, r.config, { stacks: ['acme-prod'], components: ['my-app/api-v2'] })).toEqual({});
  });

  it('describe.settings.include_empty: false drops empty maps and keeps non-empty ones', () => {
    const r2 = resolveFixture('more-describe', env('conf-noempty'), F);
    expect(r2.config.describeIncludeEmpty).toBe(false);
    const t = terraformOf(describeStacks(r2.resolved, r2.config), 'acme-dev');
    const vpc = t['vpc'];
    for (const k of ['env', 'settings', 'overrides', 'providers', 'backend', 'metadata', 'hooks', 'generate', 'auth']) {
      expect(vpc).not.toHaveProperty(k);
    }
    expect(vpc.vars).toEqual({ tenant: 'acme', stage: 'dev', cidr: '10.0.0.0/16' });
    expect(vpc.component_info).toEqual({ component_path: 'components/terraform/vpc', component_type: 'terraform' });
    const api = t['my-app/api-v2'];
    expect(api.env).toEqual({ FOO: 'bar' });
    expect(api.metadata).toEqual({ component: 'app' });
  });
});

describe('describe component workdir (§6.2)', () => {
  const F = fixture('more-describe');
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-describe', { ATMOS_CLI_CONFIG_PATH: path.join(F, 'conf-default') }, F);
  });

  it('<base>/.workdir/terraform/<stack>-<escaped instance>: `-`→`-h` first, then `/`→`-s`', () => {
    // "my-app/api-v2" → "my-happ/api-hv2" → "my-happ-sapi-hv2"; the stack's own `-` is not escaped
    const out = describeComponent(r.get('my-app/api-v2', 'acme-dev'), r.config);
    expect(out.workdir).toBe(path.join(F, '.workdir/terraform/acme-dev-my-happ-sapi-hv2'));
    expect(describeComponent(r.get('vpc', 'acme-prod'), r.config).workdir).toBe(path.join(F, '.workdir/terraform/acme-prod-vpc'));
  });

  it('a `/` in the stack name stays a real sub-directory', () => {
    expect(describeComponent(r.get('vpc', 'team/dev'), r.config).workdir).toBe(path.join(F, '.workdir/terraform/team/dev-vpc'));
  });
});
