/**
 * Rule 5 — component inheritance and metadata (docs/atmos-compatibility.md §3), plus the `describe component`
 * shape for a derived component (§7.3).
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { describeComponent } from '../../src/stacks/describe.js';
import { resolveFixture, fixture, expectAtmosError, errorText, type Resolved } from './helpers.js';
import path from 'node:path';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { load } from './helpers.js';

describe('inheritance (§3)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('inheritance');
  });

  it('metadata.inherits: list order, each base chain first, later base wins, component wins', () => {
    // Processing order for derived: base-a, then base-b's chain (base-root) and base-b.
    //   vars acc: base-a {a, shared: base-a, chain: base-a}
    //           ← base-root {root, chain: base-root, shared: base-root}
    //           ← base-b {b, shared: base-b} ← derived {own}
    const d = r.get('derived', 'dev');
    expect(d.vars).toEqual({
      stage: 'dev',
      a: 'base-a',
      root: 'base-root',
      b: 'base-b',
      shared: 'base-b',
      chain: 'base-root',
      own: 'derived',
    });
    expect(d.settings).toEqual({ from_a: true });
    // reverse processing order [base-a, base-root, base-b], highest priority first
    expect(d.inheritance).toEqual(['base-b', 'base-root', 'base-a']);
  });

  it('metadata.component names the folder (may contain /)', () => {
    const d = r.get('derived', 'dev');
    expect(d.baseComponent).toBe('infra/vpc');
    expect(d.componentPath).toBe(fixture('inheritance', 'components/terraform/infra/vpc'));
  });

  it('a base with its own inherits resolves its chain for its own instance too', () => {
    const b = r.get('base-b', 'dev');
    expect(b.vars).toEqual({ stage: 'dev', root: 'base-root', chain: 'base-root', shared: 'base-b', b: 'base-b' });
    expect(b.inheritance).toEqual(['base-root']);
    expect(b.baseComponent).toBe('base-b');
  });

  it('diamonds are allowed', () => {
    // order: top, left, top, right → x from right (processed last), y from left
    expect(r.get('diamond', 'dev').vars).toEqual({ stage: 'dev', t: 'top', x: 'right', y: 'left', r: 'right', d: 'diamond' });
  });

  it('metadata is inherited except inherits and type; the component keeps its own', () => {
    // base-a {type, custom} → custom only; base-root none; base-b {inherits} → nothing
    expect(r.get('derived', 'dev').metadata).toEqual({
      custom: { team: 'net' },
      component: 'infra/vpc',
      inherits: ['base-a', 'base-b'],
    });
  });

  it('top-level component: X inherits X and uses its folder when X is a YAML component of the stack', () => {
    const ld = r.get('legacy-derived', 'dev');
    expect(ld.vars).toEqual({ stage: 'dev', lb: 'legacy-base', shared_legacy: 'derived' });
    expect(ld.baseComponent).toBe('legacy-base');
    expect(ld.componentPath).toBe(fixture('inheritance', 'components/terraform/legacy-base'));
    expect(ld.inheritance).toEqual(['legacy-base']);
  });

  it('top-level component: chain is processed before metadata.inherits', () => {
    // processing order [legacy-base, base-root] → inheritance reversed
    const m = r.get('mixed', 'dev');
    expect(m.vars).toEqual({
      stage: 'dev',
      lb: 'legacy-base',
      shared_legacy: 'base',
      root: 'base-root',
      chain: 'base-root',
      shared: 'base-root',
      own: 'mixed',
    });
    expect(m.inheritance).toEqual(['base-root', 'legacy-base']);
    expect(m.baseComponent).toBe('legacy-base');
  });

  it('top-level component: pointing at a mere folder is ignored', () => {
    const fo = r.get('folder-only', 'dev');
    expect(fo.vars).toEqual({ stage: 'dev', fo: 'folder-only' });
    expect(fo.baseComponent).toBe('folder-only');
    expect(fo.componentPath).toBe(fixture('inheritance', 'components/terraform/folder-only'));
    expect(fo.inheritance).toEqual([]);
    // no base component → workspace is the stack name (§5.3; golden no-name-prod)
    expect(fo.workspace).toBe('dev');
  });

  it('abstract, enabled and locked flags', () => {
    const flags = (c: string) => {
      const i = r.get(c, 'dev');
      return { abstract: i.abstract, enabled: i.enabled, locked: i.locked };
    };
    expect(flags('base-a')).toEqual({ abstract: true, enabled: true, locked: false });
    // type: abstract is not inherited
    expect(flags('derived')).toEqual({ abstract: false, enabled: true, locked: false });
    expect(flags('disabled')).toEqual({ abstract: false, enabled: false, locked: false });
    expect(flags('locked-one')).toEqual({ abstract: false, enabled: true, locked: true });
    // metadata.enabled: false is inherited from the abstract base (metadata inheritance)
    expect(flags('inherits-off')).toEqual({ abstract: false, enabled: false, locked: false });
  });

  it('abstract and disabled instances are still listed', () => {
    const keys = r.resolved.instances.map((i) => i.component);
    expect(keys).toEqual(expect.arrayContaining(['base-a', 'top', 'left', 'right', 'off-base', 'disabled']));
    expect(r.resolved.instances).toHaveLength(16);
  });

  it('describe component output for a derived component (§7.3, §3 component vs atmos_component)', () => {
    const out = describeComponent(r.get('derived', 'dev'), r.config);
    expect(out.atmos_component).toBe('derived');
    expect(out.atmos_stack).toBe('dev');
    expect(out.atmos_stack_file).toBe('deploy/dev');
    expect(out.component).toBe('infra/vpc');
    expect(out.vars).toEqual({
      stage: 'dev',
      a: 'base-a',
      root: 'base-root',
      b: 'base-b',
      shared: 'base-b',
      chain: 'base-root',
      own: 'derived',
    });
    expect(out.inheritance).toEqual(['base-b', 'base-root', 'base-a']);
    expect(out.settings).toEqual({ from_a: true });
    expect(out.metadata).toEqual({ custom: { team: 'net' }, component: 'infra/vpc', inherits: ['base-a', 'base-b'] });
    expect(out.env).toEqual({});
    expect(out.overrides).toEqual({});
    // §5.3: base component present and different → <stack>-<atmos component>
    expect(out.workspace).toBe('dev-derived');
    // describe component: absolute component_path
    expect((out.component_info as Record<string, unknown>).component_path).toBe(fixture('inheritance', 'components/terraform/infra/vpc'));
  });
});

describe('inheritance errors (§3)', () => {
  it('an inheritance cycle is an AtmosError naming the cycle', () => {
    const e = expectAtmosError(() => resolveFixture('inheritance-cycle'));
    const text = errorText(e);
    expect(text).toContain('cyc-one');
    expect(text).toContain('cyc-two');
  });

  it('an unknown base in metadata.inherits is an AtmosError naming the base and the component or file', () => {
    const e = expectAtmosError(() => resolveFixture('inheritance-unknown'));
    const text = errorText(e);
    expect(text).toContain('ghost-base');
    expect(/needs-ghost|deploy\/dev/.test(text)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 1 — stacks.inherit.metadata (§1.2, §3 "Metadata inheritance", §2.2 metadata layer)
// ---------------------------------------------------------------------------------------------
describe('stacks.inherit.metadata (§1.2, §3)', () => {
  // atmos.yaml files live in more-inherit-meta/{on,off} (base_path ".."), reached through
  // ATMOS_CLI_CONFIG_PATH; the fixture root itself has no atmos.yaml.
  const F = fixture('more-inherit-meta');
  const withConf = (d: string) => resolveFixture('more-inherit-meta', { ATMOS_CLI_CONFIG_PATH: path.join(F, d) }, F);

  it('the config flag is read: default true, `false` when set', () => {
    expect(load('more-inherit-meta', { ATMOS_CLI_CONFIG_PATH: path.join(F, 'on') }, F).stacks.inheritMetadata).toBe(true);
    expect(load('more-inherit-meta', { ATMOS_CLI_CONFIG_PATH: path.join(F, 'off') }, F).stacks.inheritMetadata).toBe(false);
  });

  it('default (true): base metadata except inherits/type is merged under the component’s own', () => {
    // base.metadata = {type, name, terraform_workspace, locked, custom}; type is never inherited.
    const child = withConf('on').get('child', 'dev');
    expect(child.metadata).toEqual({
      name: 'stable-base',
      terraform_workspace: 'base-ws',
      locked: true,
      custom: { team: 'net' },
      component: 'vpc',
      inherits: ['base'],
    });
    expect(child.locked).toBe(true);
    expect(child.abstract).toBe(false);
    // §3 workspace override: the inherited metadata.terraform_workspace literal wins
    expect(child.workspace).toBe('base-ws');
    // §2.2 s3 default: metadata.name (inherited) beats the base component
    expect(child.backend).toEqual({ bucket: 'b', workspace_key_prefix: 'stable-base' });
  });

  it('false: base metadata is NOT inherited (other sections still are)', () => {
    const child = withConf('off').get('child', 'dev');
    expect(child.metadata).toEqual({ component: 'vpc', inherits: ['base'] });
    expect(child.locked).toBe(false);
    // no terraform_workspace; base component vpc ≠ child → <stack>-<atmos component> (§5.3)
    expect(child.workspace).toBe('dev-child');
    // backend is still inherited; no metadata.name → the base component "vpc" (§2.2)
    expect(child.backendType).toBe('s3');
    expect(child.backend).toEqual({ bucket: 'b', workspace_key_prefix: 'vpc' });
    expect(child.inheritance).toEqual(['base']);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 11 — resolveStacks({ includeAbstract: false })
// ---------------------------------------------------------------------------------------------
describe('includeAbstract: false (§3 metadata.type: abstract)', () => {
  it('drops abstract instances; concrete ones resolve identically (bases are still used)', () => {
    const config = load('more-lists');
    const all = resolveStacks(config);
    const concrete = resolveStacks(config, { includeAbstract: false });
    const keys = (x: typeof all) => x.instances.map((i) => `${i.component}@${i.stack}`).sort();
    expect(keys(all)).toEqual(['appender@dev', 'base2@dev', 'base@dev', 'lbase@dev', 'lchild@dev', 'replacer@dev', 'viabase@dev']);
    expect(keys(concrete)).toEqual(['appender@dev', 'lchild@dev', 'replacer@dev', 'viabase@dev']);
    expect(concrete.instances.every((i) => !i.abstract)).toBe(true);
    for (const c of concrete.instances) {
      const twin = all.instances.find((i) => i.component === c.component && i.stack === c.stack)!;
      expect(c.vars).toEqual(twin.vars);
      expect(c.settings).toEqual(twin.settings);
      expect(c.metadata).toEqual(twin.metadata);
      expect(c.inheritance).toEqual(twin.inheritance);
      expect(c.workspace).toEqual(twin.workspace);
    }
    // spot check against the hand-derived value (not only self-consistency)
    expect(concrete.instances.find((i) => i.component === 'viabase')!.vars).toEqual({
      stage: 'dev',
      tags: ['global', 'b2', 'own'],
      l2: ['g'],
    });
  });
});
