/**
 * Rule 3 — section hierarchy (docs/atmos-compatibility.md §2.2).
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { resolveFixture, expectAtmosError, errorText, type Resolved } from './helpers.js';

describe('section hierarchy (§2.2)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('hierarchy');
  });

  it('vars: global → terraform.vars → base components → component → overrides', () => {
    // k1 only global; k2 up to terraform; k3 up to base; k4 up to component; k5 up to overrides
    expect(r.get('app', 'dev').vars).toEqual({
      stage: 'dev',
      k1: 'global',
      k2: 'terraform',
      k3: 'base',
      k4: 'component',
      k5: 'overrides',
    });
    // plain has no base; the file's overrides reach it too (same file, §2.4)
    expect(r.get('plain', 'dev').vars).toEqual({
      stage: 'dev',
      k1: 'global',
      k2: 'terraform',
      k3: 'terraform',
      k4: 'terraform',
      k5: 'overrides',
    });
  });

  it('settings: global → terraform.settings → base → component', () => {
    expect(r.get('app', 'dev').settings).toEqual({ s1: 'global', s2: 'terraform', s3: 'base' });
    expect(r.get('plain', 'dev').settings).toEqual({ s1: 'global', s2: 'terraform', s3: 'terraform' });
  });

  it('env: atmos.yaml env lowest, null removes the variable (component and overrides layers)', () => {
    // atmos_yaml_only: only in atmos.yaml; atmos_vs_root: root env beats atmos.yaml env.
    // LEVEL: root → terraform → base → component. REMOVE_AT_COMPONENT: null at component.
    // REMOVE_IN_OVERRIDES: null in overrides.env.
    expect(r.get('app', 'dev').env).toEqual({
      atmos_yaml_only: 'from-atmos-yaml',
      atmos_vs_root: 'root',
      ROOT_ONLY: 'root',
      LEVEL: 'component',
    });
    expect(r.get('plain', 'dev').env).toEqual({
      atmos_yaml_only: 'from-atmos-yaml',
      atmos_vs_root: 'root',
      ROOT_ONLY: 'root',
      LEVEL: 'terraform',
      REMOVE_AT_COMPONENT: 'set-at-root',
    });
  });

  it('providers start at terraform.providers, then base, then component', () => {
    expect(r.get('app', 'dev').providers).toEqual({
      aws: { region: 'us-west-2', profile: 'base', default_tags: { tags: { Team: 'tf' } } },
    });
    expect(r.get('plain', 'dev').providers).toEqual({
      aws: { region: 'us-east-1', profile: 'tf', default_tags: { tags: { Team: 'tf' } } },
    });
  });

  it('command: atmos.yaml components.terraform.command unless the component sets one', () => {
    expect(r.get('plain', 'dev').command).toBe('tofu');
    expect(r.get('app', 'dev').command).toBe('/opt/bin/terraform-1.9');
  });

  it('overrides.command / overrides.settings / overrides.providers carry the highest priority', () => {
    // command: atmos.yaml tofu → terraform.command → component → overrides.command
    const x = r.get('x', 'prod');
    expect(x.command).toBe('override-terraform');
    expect(x.settings).toEqual({ from_overrides: true, own: 'x' });
    expect(x.providers).toEqual({ aws: { region: 'eu-west-1', profile: 'x' } });
    // y only names x's folder (metadata.component does not inherit x's configuration)
    const y = r.get('y', 'prod');
    expect(y.baseComponent).toBe('x');
    expect(y.command).toBe('override-terraform');
    expect(y.settings).toEqual({ from_overrides: true });
    expect(y.providers).toEqual({ aws: { region: 'eu-west-1' } });
    expect(y.inheritance).toEqual([]);
  });
});

describe('root metadata allowlist (§2.2)', () => {
  it('root metadata (allowlisted keys) is the lowest metadata layer', () => {
    const r = resolveFixture('metadata-root');
    const a = r.get('a', 'dev');
    expect(a.metadata).toEqual({ locked: true, custom: { owner: 'platform' } });
    expect(a.locked).toBe(true);
    const b = r.get('b', 'dev');
    expect(b.metadata).toEqual({ locked: false, custom: { owner: 'platform', tier: 'gold' } });
    expect(b.locked).toBe(false);
  });

  it('a root metadata key outside the allowlist is an AtmosError', () => {
    const e = expectAtmosError(() => resolveFixture('metadata-root-bad'));
    expect(errorText(e)).toContain('component');
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 13 — command inheritance and overrides.command (§1.2, §2.2, §3 quirk, §10.5)
// ---------------------------------------------------------------------------------------------
describe('command (§2.2: atmos.yaml → terraform.command → base → component → overrides.command)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-command');
  });
  const cmd = (c: string, s: string) => r.get(c, s).command;

  it('a base component’s command is inherited; the component’s own beats it', () => {
    expect(cmd('inherits-cmd', 'dev')).toBe('base-tf');
    expect(cmd('own-cmd', 'dev')).toBe('own-tf');
    expect(cmd('plain', 'dev')).toBe('tofu');
  });

  it('quirk: the last processed base decides, an empty value included (then lower layers apply)', () => {
    // inherits [cmd-base, no-cmd-base]: base command = "base-tf", then "" → empty → the
    // atmos.yaml command applies (§3 quirk; an empty layer is skipped by the §2.2 chain).
    expect(cmd('last-empty', 'dev')).toBe('tofu');
    // inherits [no-cmd-base, cmd-base]: "" then "base-tf"
    expect(cmd('first-empty', 'dev')).toBe('base-tf');
  });

  it('base beats terraform.command; terraform.command beats atmos.yaml', () => {
    expect(cmd('inherits-cmd', 'prod')).toBe('base-tf');
    expect(cmd('plain', 'prod')).toBe('stack-tf');
  });

  it('overrides.command beats an inherited and an own command', () => {
    expect(cmd('inherits-cmd', 'staging')).toBe('ovr-tf');
    expect(cmd('own-cmd', 'staging')).toBe('ovr-tf');
  });
});
