/**
 * Second batch of the semantics corpus: rules the first batch did not cover. Every expectation is
 * derived by hand from /work/shared/reference/atmos.md (section cited per test), never from the
 * engine's output. Fixtures: test/fixtures/semantics/more-<scenario>/.
 *
 * Not repeated here (already covered by the first batch):
 * - atmos.yaml `env:` as the lowest env layer (hierarchy.test.ts) and ATMOS_CLI_CONFIG_PATH as a
 *   directory (config.test.ts). The directory form is still exercised below by the
 *   more-inherit-meta and more-describe fixtures, whose atmos.yaml files live in sub-directories.
 * - overrides from an earlier *direct* sibling import (overrides.test.ts test3); here the
 *   overrides come from a nested import (the "and its subtree" half of §2.4).
 * - `name:` set by an imported catalog file (naming.test.ts); here from a `./_defaults` file, and
 *   the importing manifest's own `name:` beating it.
 */
import path from 'node:path';
import { describe, it, expect, beforeAll } from '@jest/globals';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { describeComponent, describeStacks } from '../../src/stacks/describe.js';
import {
  resolveFixture,
  fixture,
  load,
  instanceKeys,
  expectAtmosError,
  errorText,
  sortDeps,
  type Resolved,
} from './helpers.js';

type Plain = Record<string, unknown>;

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
// Rules 2, 3 — per-component list_merge_strategy (§2.3, issue #2396), `!append` through
// inheritance (§2.3 "A list tagged !append appends whatever the strategy")
// ---------------------------------------------------------------------------------------------
describe('per-component settings.list_merge_strategy and !append through inheritance (§2.3)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-lists');
  });

  it('atmos.yaml has no strategy → replace for the config', () => {
    expect(r.config.listMergeStrategy).toBe('replace');
  });

  it('settings.list_merge_strategy: append on the component governs its merges', () => {
    // vars: global {tags:[global]} → base {tags:[base]} → own {tags:[own]}, appended.
    const a = r.get('appender', 'dev');
    expect(a.vars).toEqual({ stage: 'dev', tags: ['global', 'base', 'own'], l2: ['g'] });
    expect(a.settings).toEqual({ list_merge_strategy: 'append' });
  });

  it('a sibling without the setting keeps the atmos.yaml strategy (replace)', () => {
    expect(r.get('replacer', 'dev').vars).toEqual({ stage: 'dev', tags: ['own'], l2: ['g'] });
    expect(r.get('base', 'dev').vars).toEqual({ stage: 'dev', tags: ['base'], l2: ['g'] });
  });

  it('the setting may come from a base component’s settings (any level)', () => {
    // viabase inherits base2 whose settings carry append: global [global] ← base2 [b2] ← own [own]
    const v = r.get('viabase', 'dev');
    expect(v.settings).toEqual({ list_merge_strategy: 'append' });
    expect(v.vars).toEqual({ stage: 'dev', tags: ['global', 'b2', 'own'], l2: ['g'] });
    // base2's own (abstract) instance also merges under append: [global] + [b2]
    expect(r.get('base2', 'dev').vars).toEqual({ stage: 'dev', tags: ['global', 'b2'], l2: ['g'] });
  });

  it('!append through inheritance: base l: [a], component l: !append [b] → [a, b] under replace', () => {
    // l2: global [g] ← lbase !append [b] ← lchild !append [c] → every step appends → [g, b, c]
    expect(r.get('lchild', 'dev').vars).toEqual({ stage: 'dev', tags: ['global'], l: ['a', 'b'], l2: ['g', 'b', 'c'] });
    // lbase's own instance: global [g] ← !append [b]
    expect(r.get('lbase', 'dev').vars).toEqual({ stage: 'dev', tags: ['global'], l: ['a'], l2: ['g', 'b'] });
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
    expect(keys(all)).toEqual([
      'appender@dev',
      'base2@dev',
      'base@dev',
      'lbase@dev',
      'lchild@dev',
      'replacer@dev',
      'viabase@dev',
    ]);
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

// ---------------------------------------------------------------------------------------------
// Rule 5 — atmos.yaml `import:` (§1.1; README "its import: list and .atmos.d/ merge under it")
// ---------------------------------------------------------------------------------------------
describe('atmos.yaml import: (§1.1)', () => {
  it('imported keys apply; the importing atmos.yaml wins on conflicts; .atmos.d/ is imported too', () => {
    const config = load('more-config-import');
    // command: tofu (atmos.yaml) beats imported-terraform (conf/shared.yaml)
    expect(config.terraform.command).toBe('tofu');
    // only in the import
    expect(config.terraform.applyAutoApprove).toBe(true);
    // only in .atmos.d/extra.yaml
    expect(config.terraform.deployRunInit).toBe(true);
    // name_pattern "{stage}" (atmos.yaml) beats "{tenant}-{stage}" (import)
    expect(config.stacks.namePattern).toBe('{stage}');
    // env maps deep-merge: from_import from the import, both from atmos.yaml
    expect(config.env).toEqual({ from_import: 'imported', both: 'main' });

    const r = resolveFixture('more-config-import');
    expect(instanceKeys(r)).toEqual(['vpc@dev']);
    const vpc = r.get('vpc', 'dev');
    expect(vpc.command).toBe('tofu');
    expect(vpc.env).toEqual({ from_import: 'imported', both: 'main' });
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

// ---------------------------------------------------------------------------------------------
// Rule 7 — remote_state_backend_type / remote_state_backend (§2.2)
// ---------------------------------------------------------------------------------------------
/*
 * Derivation: §2.2 resolves `backend` to "only the backend[backend_type] sub-map", and §5.4 calls
 * that resolved section "the backend[backend_type] map with the defaults of §2.2 filled in". The
 * `backend[type]` that remote_state_backend starts from is that resolved backend. (Atmos agrees:
 * stack_processor_backend.go processTerraformRemoteStateBackend receives
 * `{finalComponentBackendType: finalComponentBackend}`, after setS3BackendDefaults.) So the s3 default
 * workspace_key_prefix is part of it, and a backend key of another type never is.
 */
describe('remote_state_backend (§2.2)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-remote-state');
  });
  const S3 = { bucket: 'tfstate', region: 'us-east-2' };

  it('remote_state_backend_type defaults to backend_type; the section starts from backend[type]', () => {
    // backend[s3] is the resolved backend, s3 default (workspace_key_prefix = Atmos name "plain")
    // included, then terraform.remote_state_backend.s3 on top.
    const p = r.get('plain', 'dev');
    expect(p.backendType).toBe('s3');
    expect(p.backend).toEqual({ ...S3, workspace_key_prefix: 'plain' });
    expect(p.remoteStateBackendType).toBe('s3');
    expect(p.remoteStateBackend).toEqual({ ...S3, workspace_key_prefix: 'plain', role_arn: 'read-role' });
  });

  it('backend[type] ← terraform.remote_state_backend[type] ← base ← component', () => {
    // backend: {bucket, region us-east-2, workspace_key_prefix: vpc (base component)}
    // ← terraform: role_arn ← rs-base: profile ← app: region us-west-2 (beats the backend's region)
    const a = r.get('app', 'dev');
    expect(a.backend).toEqual({ ...S3, workspace_key_prefix: 'vpc' });
    expect(a.remoteStateBackendType).toBe('s3');
    expect(a.remoteStateBackend).toEqual({
      bucket: 'tfstate',
      region: 'us-west-2',
      workspace_key_prefix: 'vpc',
      role_arn: 'read-role',
      profile: 'base-profile',
    });
  });

  it('an explicit remote_state_backend_type selects that key; the backend only contributes its own type', () => {
    // backend_type s3 → the resolved backend is only backend[s3] (§2.2 "only the
    // backend[backend_type] sub-map is kept"), so terraform.backend.gcs does not reach the
    // gcs remote state; only the component's remote_state_backend.gcs does.
    const o = r.get('other', 'dev');
    expect(o.backendType).toBe('s3');
    expect(o.backend).toEqual({ ...S3, workspace_key_prefix: 'other' });
    expect(o.remoteStateBackendType).toBe('gcs');
    expect(o.remoteStateBackend).toEqual({ prefix: 'custom' });
  });

  it('describe component shows remote_state_backend[_type]', () => {
    const out = describeComponent(r.get('app', 'dev'), r.config);
    expect(out.remote_state_backend_type).toBe('s3');
    expect(out.remote_state_backend).toEqual(r.get('app', 'dev').remoteStateBackend);
  });
});

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
  const terraformOf = (out: Plain, stack: string) =>
    ((out[stack] as Plain).components as Plain).terraform as Record<string, Plain>;

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
    expect(describeComponent(r.get('vpc', 'acme-prod'), r.config).workdir).toBe(
      path.join(F, '.workdir/terraform/acme-prod-vpc'),
    );
  });

  it('a `/` in the stack name stays a real sub-directory', () => {
    expect(describeComponent(r.get('vpc', 'team/dev'), r.config).workdir).toBe(
      path.join(F, '.workdir/terraform/team/dev-vpc'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 10 — dependencies (§4, §8 "an unknown target gets a warning and is skipped")
// ---------------------------------------------------------------------------------------------
describe('dependencies, second batch (§4)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-deps');
  });

  it('resolves every manifest (an unknown dependency target is not an error)', () => {
    expect(instanceKeys(r)).toEqual([
      'app@t1-ue2-dev',
      'db@t1-ue2-dev',
      'db@t1-uw2-dev',
      'db@t1-uw2-prod',
      'db@t2-uw2-dev',
      'svc@t1-ue2-dev',
    ]);
  });

  it('legacy entry with only environment: tenant/stage must equal the dependent’s own; unknown targets skipped', () => {
    // 1: environment uw2, tenant t1 and stage dev (app's own) → t1-uw2-dev only
    //    (not t2-uw2-dev: wrong tenant; not t1-uw2-prod: wrong stage; not t1-ue2-dev: wrong env)
    // 2: component ghost exists nowhere → no entry
    // 3: stack t9-ue2-dev does not exist → no entry
    expect(sortDeps(r.get('app', 't1-ue2-dev').dependsOn)).toEqual([
      { component: 'db', stack: 't1-uw2-dev', via: 'settings.depends_on' },
    ]);
  });

  it('dependencies.components: an unknown component is skipped, the rest kept', () => {
    expect(sortDeps(r.get('svc', 't1-ue2-dev').dependsOn)).toEqual([
      { component: 'db', stack: 't1-ue2-dev', via: 'dependencies.components' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 12 — overrides from a nested earlier import reach later siblings (§2.4)
// ---------------------------------------------------------------------------------------------
describe('overrides from an import subtree (§2.4)', () => {
  /*
   * dev = [catalog/early, mixins/team → catalog/ovr, catalog/late] + own component; top call ({}, {}).
   *   inline_dev = {}; acc = {}
   *   early: processed with ({}, {}) → early.overrides = {}; returns ({}, {}) → acc = {}
   *   team: inline_T = {}; acc_T = {}
   *     ovr: inline_O = merge({vars:{o:ovr}}, {}, {}) = {vars:{o:ovr}}; returns (inline_O, {})
   *     acc_T = merge({}, {}, inline_O) = {vars:{o:ovr}}; team returns ({}, acc_T)
   *   acc = merge({}, acc_T, {}) = {vars:{o:ovr}}
   *   late: processed with ({}, acc) → late.overrides = merge(acc, {}) = {vars:{o:ovr}}
   *   own (dev's own components): overrides = merge(acc, inline_dev) = {vars:{o:ovr}}
   * Global vars of catalog/ovr (from_ovr_file) reach every component, early included.
   */
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-overrides');
  });

  it('an earlier import is not reached', () => {
    const e = r.get('early', 'dev');
    expect(e.vars).toEqual({ stage: 'dev', from_ovr_file: true, o: 'early' });
    expect(e.overrides).toEqual({});
  });

  it('a later sibling import and the importing file are reached', () => {
    const l = r.get('late', 'dev');
    expect(l.vars).toEqual({ stage: 'dev', from_ovr_file: true, o: 'ovr' });
    expect(l.overrides).toEqual({ vars: { o: 'ovr' } });
    expect(r.get('own', 'dev').vars).toEqual({ stage: 'dev', from_ovr_file: true, o: 'ovr' });
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

// ---------------------------------------------------------------------------------------------
// Rule 14 — YAML errors (README "duplicate keys refused, errors with file and line"; §2.2 a
// manifest is a map of sections)
// ---------------------------------------------------------------------------------------------
describe('YAML errors, second batch', () => {
  it('a duplicate key in one map is an AtmosError with the file and line of the duplicate', () => {
    // stacks/catalog/dup.yaml line 6 is the second `a:` under vpc.vars
    const e = expectAtmosError(() => resolveFixture('more-yaml-dup'));
    expect(String(e.file).replace(/\\/g, '/')).toMatch(/catalog\/dup\.yaml$/);
    expect(e.line).toBe(6);
  });

  it('a manifest whose top level is a list is an AtmosError naming the file', () => {
    const e = expectAtmosError(() => resolveFixture('more-yaml-list'));
    expect(errorText(e).replace(/\\/g, '/')).toContain('catalog/listy');
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 15 — `name:` from an imported _defaults file (§1.3 "the merged result, so an import can set it")
// ---------------------------------------------------------------------------------------------
describe('manifest name: from an imported _defaults file (§1.3, §2.1)', () => {
  it('names the stack; the importing manifest’s own name: beats it; name: beats name_pattern', () => {
    const r = resolveFixture('more-name-defaults');
    // _defaults.yaml is excluded as a top-level manifest; a imports it; b imports it and sets
    // its own name (the importing file beats its imports, §2.1); c falls back to name_pattern.
    expect(instanceKeys(r)).toEqual(['vpc@c-stage', 'vpc@from-defaults', 'vpc@own-b']);
    expect(r.get('vpc', 'from-defaults').stackFile).toBe('deploy/a');
    expect(r.get('vpc', 'own-b').stackFile).toBe('deploy/b');
    // a name:-named stack's workspace is the name (no base component, §5.3)
    expect(r.get('vpc', 'from-defaults').workspace).toBe('from-defaults');
  });
});
