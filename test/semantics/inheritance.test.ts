/**
 * Rule 5 — component inheritance and metadata (reference §3), plus the `describe component`
 * shape for a derived component (§7.3).
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { describeComponent } from '../../src/stacks/describe.js';
import { resolveFixture, fixture, expectAtmosError, errorText, type Resolved } from './helpers.js';

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
    expect((out.component_info as Record<string, unknown>).component_path).toBe(
      fixture('inheritance', 'components/terraform/infra/vpc'),
    );
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
