/**
 * First contact with real repositories (issue 7): Atmos's stack rules where we used to differ,
 * and every configuration error of a run reported together. Real files in temp dirs.
 */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { unsupportedWarnings } from '../../src/graph/matrix.js';
import { Stacks, resolveStacks, findInstance } from '../../src/stacks/resolve.js';
import { assertEvaluable } from '../../src/stacks/unsupported.js';
import { ConfigurationErrors } from '../../src/util/errors.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { expectAtmosError } from './helpers.js';

const ATMOS =
  'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_pattern: "{stage}"\ncomponents:\n  terraform:\n    base_path: components/terraform\n';

function resolve(files: Record<string, string>) {
  const root = writeTree(tempDir(), { 'atmos.yaml': ATMOS, ...files });
  const config = loadAtmosConfig({ cwd: root, env: {} });
  return { root, config, resolved: resolveStacks(config) };
}

describe('terraform workspace (§5.3)', () => {
  it('a literal metadata.terraform_workspace on the instance beats an inherited terraform_workspace_pattern', () => {
    const { resolved } = resolve({
      'stacks/catalog/base.yaml':
        'components:\n  terraform:\n    base:\n      metadata:\n        type: abstract\n        terraform_workspace_pattern: "{tenant}-{environment}-{stage}-{component}"\n',
      'stacks/deploy/test.yaml':
        'import: [catalog/base]\nvars:\n  stage: test\ncomponents:\n  terraform:\n    app:\n      metadata:\n        component: app\n        inherits: [base]\n        terraform_workspace: app-literal\n    other:\n      metadata:\n        component: app\n        inherits: [base]\n',
    });
    expect(findInstance(resolved, 'app', 'test').workspace).toBe('app-literal');
    // without a literal, the inherited pattern still applies (empty tokens stay empty, as in Atmos)
    expect(findInstance(resolved, 'other', 'test').workspace).toBe('--test-other');
  });
});

describe('backend types name a section (§2.2)', () => {
  it('remote_state_backend_type naming a type with no remote_state_backend section is an error naming component, stack and type', () => {
    const e = expectAtmosError(() =>
      resolve({
        'stacks/deploy/dev.yaml':
          'vars:\n  stage: dev\nterraform:\n  backend_type: s3\n  backend:\n    s3: {bucket: b}\n    local: {path: x}\ncomponents:\n  terraform:\n    vpc:\n      remote_state_backend_type: local\n',
      }),
    );
    expect(e.message).toMatch(/component vpc in stack dev: remote_state_backend_type is local, but there is no remote_state_backend\.local section/);
    expect(e.line).toBe(11);
  });

  it('remote_state_backend_type defaults to backend_type: a global remote_state_backend without a section for it is an error for that instance only', () => {
    // The usual catalog: every component on s3, remote state read through a role; one component
    // keeps its state locally and never sets remote_state_backend_type.
    const root = writeTree(tempDir(), {
      'atmos.yaml': ATMOS,
      'stacks/deploy/dev.yaml':
        'vars:\n  stage: dev\nterraform:\n  backend_type: s3\n  backend:\n    s3: {bucket: tfstate, region: us-east-2}\n  remote_state_backend:\n    s3: {role_arn: "arn:aws:iam::1:role/read"}\n' +
        'components:\n  terraform:\n    vpc: {}\n    scratch:\n      backend_type: local\n      backend:\n        local: {}\n',
    });
    const stacks = new Stacks(loadAtmosConfig({ cwd: root, env: {} }));
    const e = expectAtmosError(() => stacks.instance('scratch', 'dev'));
    expect(e.message).toBe(
      'component scratch in stack dev: remote_state_backend configures s3 but not local, its type (remote_state_backend_type is backend_type, local, when not set); ' +
        'add remote_state_backend.local (it may be empty) or set remote_state_backend_type',
    );
    expect(e.line).toBe(12); // the component
    expect(stacks.instance('vpc', 'dev').remoteStateBackend).toEqual({
      bucket: 'tfstate',
      region: 'us-east-2',
      workspace_key_prefix: 'vpc',
      role_arn: 'arn:aws:iam::1:role/read',
    });
  });

  it('an explicit remote_state_backend_type equal to backend_type is held to the same rule', () => {
    const e = expectAtmosError(() =>
      resolve({
        'stacks/deploy/dev.yaml':
          'vars:\n  stage: dev\nterraform:\n  backend_type: gcs\n  backend:\n    gcs: {bucket: b}\n  remote_state_backend:\n    s3: {bucket: x}\ncomponents:\n  terraform:\n    vpc:\n      remote_state_backend_type: gcs\n',
      }),
    );
    expect(e.message).toMatch(/component vpc in stack dev: remote_state_backend_type is gcs, but there is no remote_state_backend\.gcs section/);
  });

  it('backend_type naming a type the backend section does not configure is an error', () => {
    const e = expectAtmosError(() =>
      resolve({
        'stacks/deploy/dev.yaml':
          'vars:\n  stage: dev\nterraform:\n  backend_type: gcs\n  backend:\n    s3: {bucket: b}\ncomponents:\n  terraform:\n    vpc: {}\n',
      }),
    );
    expect(e.message).toMatch(/component vpc in stack dev: backend_type is gcs, but there is no backend\.gcs section/);
  });
});

describe('every configuration error of a run, together', () => {
  it('reports errors from several manifests and components at once, each with its file, line and import chain', () => {
    let caught: unknown;
    try {
      resolve({
        'stacks/catalog/broken.yaml': 'vars:\n  bad: a: b\n',
        'stacks/deploy/a.yaml': 'import: [catalog/broken]\nvars:\n  stage: a\n',
        'stacks/deploy/b.yaml':
          'vars:\n  stage: b\ncomponents:\n  terraform:\n    x:\n      metadata:\n        inherits: [ghost]\n    y:\n      metadata:\n        inherits: [phantom]\n',
        'stacks/deploy/c.yaml': 'vars:\n  stage: c\ncomponents:\n  terraform:\n    fine: {}\n',
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigurationErrors);
    const all = (caught as ConfigurationErrors).errors;
    expect(all).toHaveLength(3);
    expect(all[0]).toMatchObject({ file: expect.stringMatching(/catalog\/broken\.yaml$/), line: 2 });
    expect(all[0].chain.map((f) => path.basename(f))).toEqual(['a.yaml', 'broken.yaml']);
    expect(all[1].message).toMatch(/inherits from ghost/);
    expect(all[2].message).toMatch(/inherits from phantom/);
    const text = (caught as ConfigurationErrors).describe();
    expect(text).toMatch(/^3 configuration errors:\n1\. /);
    expect(text).not.toMatch(/c\.yaml|component fine/);
  });
});

describe('unsupported features, once per place', () => {
  it('one warning per file:line however many instances inherit it, naming the catalog file', () => {
    const stacks: Record<string, string> = {
      'stacks/catalog/vpc.yaml': 'components:\n  terraform:\n    vpc:\n      vars:\n        plain: 1\n        id: !aws.account_id\n',
    };
    for (const s of ['a', 'b', 'c', 'd']) stacks[`stacks/deploy/${s}.yaml`] = `import: [catalog/vpc]\nvars:\n  stage: ${s}\n`;
    const { root, resolved } = resolve(stacks);
    const warnings = unsupportedWarnings(resolved.instances, root);
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(/^stacks\/catalog\/vpc\.yaml:6: !aws\.account_id is not evaluated .* 4 instances/),
        where: { file: path.join(root, 'stacks/catalog/vpc.yaml'), line: 6 },
      },
    ]);
    // the refusal of one instance names the line in the catalog, not the top-level manifest
    const e = expectAtmosError(() => assertEvaluable(findInstance(resolved, 'vpc', 'c')));
    expect(e.file).toBe(path.join(root, 'stacks/catalog/vpc.yaml'));
    expect(e.line).toBe(6);
  });
});

describe('name_template we cannot evaluate', () => {
  it('names atmos.yaml and the line of name_template', () => {
    const root = writeTree(tempDir(), {
      'atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["**/*"]\n  name_template: "{{ .vars.stage | nosuchfn }}"\n',
      'stacks/dev.yaml': 'vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc: {}\n    app: {}\n',
    });
    const e = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: root, env: {} })));
    expect(e.file).toBe(path.join(root, 'atmos.yaml'));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/stacks\.name_template.*function "nosuchfn" not defined/);
  });
});

describe('no atmos.yaml and nothing under the defaults', () => {
  it('fails with one message saying where it looked, instead of an empty result', () => {
    const root = writeTree(tempDir(), { 'README.md': 'not an Atmos repository\n' });
    const e = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: root, env: {} })));
    expect(e.message).toContain(`no atmos.yaml found (looked for atmos.yaml and .atmos.yaml in ${root} and each parent directory`);
    expect(e.message).toMatch(/find no stack manifests \(.*stacks does not exist\)/);
  });
});
