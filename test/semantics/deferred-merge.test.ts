/**
 * Atmos's deferred merge of YAML function values (docs/atmos-compatibility.md §2.3): a place one
 * layer sets with a function is merged after the function is resolved, so a base's `!template`
 * map and a component's map give their union. Shaped after Atmos's atmos-yaml-functions-merge
 * scenario.
 */
import { describe, expect, it } from '@jest/globals';
import { resolveFixture } from './helpers.js';

const env = { STAGE_NAME: 'from-env' };

describe('deferred merge of YAML function values (§2.3)', () => {
  const r = resolveFixture('deferred-merge', env);
  const vars = (component: string) => r.get(component, 'test').vars;

  it("a base's !template map and the component's map give the union, the component winning", () => {
    expect(vars('test-deep-merge').template_config).toEqual({ enabled: false, timeout: 30, retries: 3, new_key: 'new_value' });
  });

  it("a component's !template map over a base's plain map gives the union", () => {
    expect(vars('test-mirror-precedence').mirror_config).toEqual({ enabled: true, base_only: 'yes', new_key: 'new_value' });
  });

  it('two functions at one place are both resolved, then merged', () => {
    expect(vars('test-yaml-to-yaml').template_config).toEqual({ enabled: false, timeout: 60, retries: 3 });
  });

  it('lists follow the list merge strategy; a plain scalar wins outright', () => {
    const v = vars('test-list-yaml-to-concrete');
    expect(v.vpc_ids).toEqual(['vpc-custom-1']);
    expect(v.network_config).toEqual({ vpc_id: 'vpc-override', region: 'us-east-1' });
    expect(vars('test-scalar-overrides-map-function').template_config).toBe('just-a-plain-string');
  });

  it('under append, a !template list and the component list are joined; nested functions merge with their map', () => {
    const v = vars('test-env-append');
    expect(v.subnets).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(v.nested).toEqual({ from_env: 'from-env', plain: 'component' });
  });

  it('an output read merged over a map stays a read; one a layer above replaces is no read', () => {
    const app = r.get('test-outputs', 'test');
    expect(app.vars.subnet_ids).toEqual(['subnet-1']);
    expect(app.reads).toEqual([{ path: 'vars.network', read: { kind: 'terraform.output', component: 'vpc', stack: 'test', expression: '.network' } }]);
  });

  it('without YAML functions processed, the plain merge stands (Atmos: the higher layer as written)', () => {
    const off = resolveFixture('deferred-merge', env, undefined, { processFunctions: false });
    expect(off.get('test-deep-merge', 'test').vars.template_config).toEqual({ new_key: 'new_value', enabled: false });
  });
});
