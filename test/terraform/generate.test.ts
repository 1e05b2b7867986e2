import fs from 'node:fs';
import path from 'node:path';
import { instanceOf } from '../../src/stacks/instance.js';
import { atmosJson, backendConfig, generatedFiles, providersOverride, writeGeneratedFiles } from '../../src/terraform/generate.js';
import { requireTerraform, tempDir, terraformSync, terraformTestEnv } from './helpers.js';

const dirs: string[] = [];
const tmp = (p: string) => {
  const d = tempDir(p);
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('Atmos JSON serialisation', () => {
  it('sorts keys at every depth, indents by two, escapes < > & and ends with a newline (Go MarshalIndent)', () => {
    expect(atmosJson({ b: 1, a: { z: '<x & y>', c: [{ y: 1, x: 2 }] } })).toBe(
      '{\n  "a": {\n    "c": [\n      {\n        "x": 2,\n        "y": 1\n      }\n    ],\n    "z": "\\u003cx \\u0026 y\\u003e"\n  },\n  "b": 1\n}\n',
    );
    expect(JSON.parse(atmosJson({ s: '<&>' }))).toEqual({ s: '<&>' });
  });
});

describe('backend.tf.json', () => {
  const base = { stack: 'ue2-dev', component: 'vpc', workspace: 'ue2-dev' };
  it('nests the resolved backend under terraform.backend.<type>', () => {
    const backend = { bucket: 'acme-tfstate', key: 'terraform.tfstate', region: 'us-east-2', workspace_key_prefix: 'vpc' };
    expect(backendConfig({ ...base, backendType: 's3', backend })).toEqual({ terraform: { backend: { s3: backend } } });
  });
  it('makes cloud a top-level terraform block and fills {terraform_workspace}', () => {
    const backend = { organization: 'acme', workspaces: { name: 'app-{terraform_workspace}' } };
    expect(backendConfig({ ...base, backendType: 'cloud', backend })).toEqual({
      terraform: { cloud: { organization: 'acme', workspaces: { name: 'app-ue2-dev' } } },
    });
  });
  it('refuses an empty backend_type, naming the instance and the way out', () => {
    expect(() => backendConfig({ ...base, backendType: '', backend: {} })).toThrow(/vpc in stack ue2-dev.*backend_type is empty/);
  });
});

describe('providers_override.tf.json', () => {
  it('turns dotted keys into aliases after the base entry, sorted, keeping an explicit alias', () => {
    expect(
      providersOverride({
        'aws.usw2': { region: 'us-west-2' },
        aws: { region: 'us-east-2' },
        'aws.use1': { region: 'us-east-1', alias: 'east' },
        google: { project: 'p' },
      }),
    ).toEqual({
      provider: {
        aws: [{ region: 'us-east-2' }, { alias: 'east', region: 'us-east-1' }, { alias: 'usw2', region: 'us-west-2' }],
        google: { project: 'p' },
      },
    });
  });
});

describe('generatedFiles / writeGeneratedFiles', () => {
  it('generates the backend only when auto_generate_backend_file is on, the providers file only when providers are set', () => {
    const i = instanceOf({ stack: 'dev', component: 'app', componentPath: '/src/app', vars: { a: 1 }, backendType: 'local', backend: {} });
    expect(generatedFiles(i, { autoGenerateBackendFile: false }).map((f) => f.name)).toEqual(['dev-app.terraform.tfvars.json']);
    const j = instanceOf({ stack: 'dev', component: 'app', componentPath: '/src/app', backendType: 'local', providers: { terraform: {} } });
    expect(generatedFiles(j, { autoGenerateBackendFile: true }).map((f) => f.name)).toEqual([
      'dev-app.terraform.tfvars.json',
      'backend.tf.json',
      'providers_override.tf.json',
    ]);
  });

  it("writes with Atmos's modes, says which files changed, and leaves no temp files behind", async () => {
    const wd = tmp('atmos-gen-');
    const i = instanceOf({ stack: 'dev', component: 'app', componentPath: '/src/app', vars: { a: 1 }, backendType: 'local', backend: {} });
    const files = generatedFiles(i, { autoGenerateBackendFile: true });
    const first = await writeGeneratedFiles(wd, files);
    expect(first.map((w) => [w.name, w.changed])).toEqual([
      ['dev-app.terraform.tfvars.json', true],
      ['backend.tf.json', true],
    ]);
    expect(fs.statSync(path.join(wd, 'backend.tf.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(wd, 'dev-app.terraform.tfvars.json')).mode & 0o777).toBe(0o644);
    const again = await writeGeneratedFiles(wd, files);
    expect(again.every((w) => !w.changed)).toBe(true);
    expect(fs.readdirSync(wd).sort()).toEqual(['backend.tf.json', 'dev-app.terraform.tfvars.json']);
  });

  it('puts a varfile of a stack named org/dev in a sub-folder of the workdir, and refuses names that would escape it', async () => {
    const wd = tmp('atmos-gen-');
    const nested = instanceOf({ stack: 'org/dev', component: 'app', componentPath: '/src/app' });
    const [w] = await writeGeneratedFiles(wd, generatedFiles(nested, { autoGenerateBackendFile: false }));
    expect(w.path).toBe(path.join(wd, 'org', 'dev-app.terraform.tfvars.json'));
    const evil = [{ name: '../outside.json', content: '{}', mode: 0o644, kind: 'varfile' as const }];
    await expect(writeGeneratedFiles(wd, evil)).rejects.toThrow(/escape/);
    expect(fs.existsSync(path.join(wd, '..', 'outside.json'))).toBe(false);
  });
});

describe('real terraform accepts the generated files', () => {
  it('init uses the generated local backend, the varfile sets variables, and the providers override is valid', async () => {
    requireTerraform();
    const root = tmp('atmos-gen-tf-');
    const wd = path.join(root, 'wd');
    fs.mkdirSync(wd);
    fs.writeFileSync(
      path.join(wd, 'main.tf'),
      [
        'terraform {\n  required_providers {\n    terraform = { source = "terraform.io/builtin/terraform" }\n  }\n}',
        'provider "terraform" {}\nprovider "terraform" {\n  alias = "second"\n}',
        'variable "name" {\n  type = string\n}\nvariable "tags" {\n  type = map(string)\n}',
        'resource "terraform_data" "this" {\n  input = "${var.name}:${var.tags["team"]}"\n}',
        'output "value" {\n  value = terraform_data.this.output\n}\n',
      ].join('\n'),
    );
    const i = instanceOf({
      stack: 'dev',
      component: 'app',
      componentPath: '/unused',
      vars: { name: 'a<b>&c', tags: { team: 'core' } },
      backendType: 'local',
      backend: { path: 'state/app.tfstate' },
      providers: { terraform: {}, 'terraform.second': {} },
    });
    await writeGeneratedFiles(wd, generatedFiles(i, { autoGenerateBackendFile: true }));
    const env = terraformTestEnv(root);
    const init = terraformSync(wd, ['init', '-input=false', '-no-color'], env);
    expect(init.out).toContain('Successfully configured the backend "local"');
    expect(terraformSync(wd, ['validate', '-no-color'], env).code).toBe(0);
    const apply = terraformSync(wd, ['apply', '-auto-approve', '-input=false', '-no-color', '-var-file', i.varfileName], env);
    expect(apply.code).toBe(0);
    // The state went where backend.tf.json said, holding the value the varfile carried.
    const state = JSON.parse(fs.readFileSync(path.join(wd, 'state', 'app.tfstate'), 'utf8')) as { outputs: { value: { value: string } } };
    expect(state.outputs.value.value).toBe('a<b>&c:core');
  });
});
