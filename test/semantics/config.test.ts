/**
 * Rule 12 — atmos.yaml paths and environment overrides (docs/atmos-compatibility.md §1.1, §1.2).
 */
import path from 'node:path';
import { describe, it, expect } from '@jest/globals';
import { resolveFixture, fixture, instanceKeys, load } from './helpers.js';

describe('base_path resolution (§1.1)', () => {
  it('"./infra" is relative to the directory holding atmos.yaml; stacks/components base paths join onto it', () => {
    const F = fixture('config-paths');
    const config = load('config-paths');
    expect(config.configFile).toBe(path.join(F, 'atmos.yaml'));
    expect(config.configDir).toBe(F);
    expect(config.basePath).toBe(path.join(F, 'infra'));
    expect(config.stacks.basePath).toBe(path.join(F, 'infra/stacks'));
    expect(config.terraform.basePath).toBe(path.join(F, 'infra/components/terraform'));
    // included_paths are joined onto the absolute stacks base path
    expect(config.stacks.includedPaths).toEqual([path.join(F, 'infra/stacks', 'deploy/**/*')]);
    const r = resolveFixture('config-paths');
    const vpc = r.get('vpc', 'dev');
    expect(vpc.componentPath).toBe(path.join(F, 'infra/components/terraform/vpc'));
    expect(vpc.stackFile).toBe('deploy/dev');
  });

  it('a bare base_path that does not exist under the git root resolves against the config dir', () => {
    const F = fixture('config-bare');
    const config = load('config-bare');
    expect(config.basePath).toBe(path.join(F, 'sem-bare-root'));
    const r = resolveFixture('config-bare');
    expect(r.get('vpc', 'dev').componentPath).toBe(path.join(F, 'sem-bare-root/components/terraform/vpc'));
  });

  it('workspaces_enabled defaults to true, prefix_separator to "-" (§1.2)', () => {
    const config = load('config-paths');
    expect(config.terraform.workspacesEnabled).toBe(true);
    expect(config.terraform.workspacePrefixSeparator).toBe('-');
    expect(load('workspace-disabled').terraform.workspacesEnabled).toBe(false);
  });
});

describe('stacks.included_paths / excluded_paths (§1.2)', () => {
  it('selects top-level manifests: doublestar include, extension-less entry, exclusions', () => {
    // orgs/acme/_defaults.yaml and orgs/acme/skip/** are excluded (skip/ignored.yaml would fail
    // on its missing import if read); catalog/vpc.yaml is not included. No naming config →
    // file names.
    const r = resolveFixture('config-globs');
    expect(instanceKeys(r)).toEqual(['vpc@extra/solo', 'vpc@orgs/acme/dev']);
    expect(r.get('vpc', 'orgs/acme/dev').vars).toEqual({ stage: 'dev', from_defaults: true });
    expect(r.get('vpc', 'extra/solo').vars).toEqual({ solo: true });
  });
});

describe('environment overrides (§1.1, §1.2)', () => {
  // atmos.yaml lives in config-env/conf (base_path: ".."), reached via ATMOS_CLI_CONFIG_PATH;
  // the CWD is config-env itself, which has no atmos.yaml.
  const F = fixture('config-env');
  const baseEnv = { ATMOS_CLI_CONFIG_PATH: path.join(F, 'conf') };

  it('ATMOS_CLI_CONFIG_PATH: base_path ".." is relative to the atmos.yaml dir', () => {
    const config = load('config-env', baseEnv, F);
    expect(config.configDir).toBe(path.join(F, 'conf'));
    expect(config.basePath).toBe(F);
    const r = resolveFixture('config-env', baseEnv, F);
    expect(instanceKeys(r)).toEqual(['vpc@dev']);
    expect(r.get('vpc', 'dev').vars).toEqual({ stage: 'dev', tree: 'main' });
  });

  it('ATMOS_BASE_PATH (relative) resolves against the CWD, not the atmos.yaml dir', () => {
    const env = { ...baseEnv, ATMOS_BASE_PATH: './real' };
    expect(load('config-env', env, F).basePath).toBe(path.join(F, 'real'));
    const r = resolveFixture('config-env', env, F);
    expect(instanceKeys(r)).toEqual(['vpc@real']);
    const vpc = r.get('vpc', 'real');
    expect(vpc.vars).toEqual({ stage: 'real', tree: 'real' });
    expect(vpc.componentPath).toBe(path.join(F, 'real/components/terraform/vpc'));
  });

  it('ATMOS_BASE_PATH (absolute) is used as is', () => {
    const env = { ...baseEnv, ATMOS_BASE_PATH: path.join(F, 'real') };
    expect(load('config-env', env, F).basePath).toBe(path.join(F, 'real'));
  });

  it('ATMOS_STACKS_BASE_PATH replaces stacks.base_path (joined onto the base path)', () => {
    const env = { ...baseEnv, ATMOS_STACKS_BASE_PATH: 'alt-stacks' };
    const config = load('config-env', env, F);
    expect(config.stacks.basePath).toBe(path.join(F, 'alt-stacks'));
    const r = resolveFixture('config-env', env, F);
    expect(instanceKeys(r)).toEqual(['vpc@alt']);
    expect(r.get('vpc', 'alt').vars).toEqual({ stage: 'alt', tree: 'alt-stacks' });
    // components still come from <base>/components/terraform
    expect(r.get('vpc', 'alt').componentPath).toBe(path.join(F, 'components/terraform/vpc'));
  });

  it('ATMOS_STACKS_NAME_PATTERN replaces stacks.name_pattern', () => {
    const config = load('naming-pattern', { ATMOS_STACKS_NAME_PATTERN: '{stage}' });
    expect(config.stacks.namePattern).toBe('{stage}');
    expect(instanceKeys(resolveFixture('naming-pattern', { ATMOS_STACKS_NAME_PATTERN: '{stage}' }))).toEqual(['vpc@dev']);
  });

  it('ATMOS_COMPONENTS_TERRAFORM_BASE_PATH replaces components.terraform.base_path', () => {
    const env = { ...baseEnv, ATMOS_COMPONENTS_TERRAFORM_BASE_PATH: 'real/components/terraform' };
    expect(load('config-env', env, F).terraform.basePath).toBe(path.join(F, 'real/components/terraform'));
    const r = resolveFixture('config-env', env, F);
    expect(r.get('vpc', 'dev').componentPath).toBe(path.join(F, 'real/components/terraform/vpc'));
  });

  it('ATMOS_COMPONENTS_TERRAFORM_COMMAND replaces components.terraform.command', () => {
    const env = { ...baseEnv, ATMOS_COMPONENTS_TERRAFORM_COMMAND: 'tofu' };
    expect(load('config-env', env, F).terraform.command).toBe('tofu');
    expect(resolveFixture('config-env', env, F).get('vpc', 'dev').command).toBe('tofu');
    // without it: empty → terraform (§1.2)
    expect(resolveFixture('config-env', baseEnv, F).get('vpc', 'dev').command).toBe('terraform');
  });

  it('ATMOS_STACKS_INCLUDED_PATHS / ATMOS_STACKS_EXCLUDED_PATHS are comma separated and replace the lists', () => {
    const inc = resolveFixture('config-globs', { ATMOS_STACKS_INCLUDED_PATHS: 'extra/solo,catalog/*' });
    expect(instanceKeys(inc)).toEqual(['vpc@catalog/vpc', 'vpc@extra/solo']);
    expect(inc.get('vpc', 'catalog/vpc').vars).toEqual({ catalog: true });
    const exc = resolveFixture('config-globs', {
      ATMOS_STACKS_EXCLUDED_PATHS: '**/_defaults.yaml,orgs/acme/skip/**,extra/**',
    });
    expect(instanceKeys(exc)).toEqual(['vpc@orgs/acme/dev']);
  });

  it('ATMOS_STACKS_NAME_TEMPLATE sets a name template, which beats name_pattern', () => {
    const r = resolveFixture('naming-pattern', { ATMOS_STACKS_NAME_TEMPLATE: '{{ .vars.namespace }}-{{ .vars.stage }}' });
    expect(instanceKeys(r)).toEqual(['vpc@acme-dev']);
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

  it("an empty ATMOS_COMPONENTS_TERRAFORM_COMMAND counts as unset (a workflow input left empty keeps atmos.yaml's tofu)", () => {
    expect(load('more-config-import', { ATMOS_COMPONENTS_TERRAFORM_COMMAND: '' }).terraform.command).toBe('tofu');
    expect(load('more-config-import', { ATMOS_COMPONENTS_TERRAFORM_COMMAND: 'terraform' }).terraform.command).toBe('terraform');
  });
});
