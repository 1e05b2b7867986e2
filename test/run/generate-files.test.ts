/**
 * `generate:` files written into each instance's workdir before terraform runs
 * (docs/atmos-compatibility.md §5.8), on a repository shaped like Atmos's generate-files example:
 * the root module exists only as the stack's `generate:` section, `auto_generate_files: true`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, writeTree } from '../helpers/fs.js';
import { requireTerraform, terraformTestEnv } from '../terraform/helpers.js';
import { readFiles } from '../workdir/helpers.js';
import { cli } from './helpers.js';

const ATMOS_YAML = (autoGenerate: boolean) =>
  'base_path: "./"\ncomponents:\n  terraform:\n    base_path: "components/terraform"\n' +
  (autoGenerate ? '    auto_generate_files: true\n' : '') +
  'stacks:\n  base_path: "stacks"\n  included_paths:\n    - "deploy/**/*"\n  name_template: "{{ .vars.stage }}"\n';

const CATALOG = `components:
  terraform:
    demo:
      vars:
        app_name: "myapp"
      generate:
        "versions.tf":
          terraform:
            required_version: ">= 1.0.0"
        "locals.tf":
          locals:
            environment: "{{ .vars.stage }}"
        "variables.tf": |
          variable "stage" {
            type = string
          }
          variable "app_name" {
            type = string
          }
        "outputs.tf": |
          output "app_name" {
            value = "\${var.app_name}-\${local.environment}"
          }
        "terraform.tfvars":
          app_name: "{{ .vars.app_name }}"
        "config.json":
          stage: "{{ .vars.stage }}"
`;

function repo(autoGenerate: boolean, extra: Record<string, string> = {}): string {
  return writeTree(tempDir('atmos-generate-files-'), {
    'atmos.yaml': ATMOS_YAML(autoGenerate),
    'stacks/catalog/demo.yaml': CATALOG,
    'stacks/deploy/dev.yaml':
      'vars:\n  stage: dev\nimport:\n  - catalog/demo\ncomponents:\n  terraform:\n    demo:\n      vars:\n        app_name: "myapp-dev"\n',
    'stacks/deploy/prod.yaml': 'vars:\n  stage: prod\nimport:\n  - catalog/demo\n',
    ...extra,
  });
}

describe('generate: with auto_generate_files (§5.8)', () => {
  it('writes the files into each workdir, plans from them, and never creates the component folder', async () => {
    requireTerraform();
    const dir = repo(true);
    const env = terraformTestEnv(tempDir('atmos-generate-home-'));
    const r = await cli(['plan', '--all', '-C', dir], env);
    expect(`${r.code} ${r.code ? r.stderr.slice(-1500) : ''}`).toBe('0 ');
    expect(r.stderr).toContain('[demo@dev] workdir dev/demo: created without files: the component folder');
    expect(r.stderr).toMatch(/\[demo@dev\]\s+\+ app_name = "myapp-dev-dev"/);
    expect(r.stderr).toMatch(/\[demo@prod\]\s+\+ app_name = "myapp-prod"/);
    const dev = readFiles(path.join(dir, '.workdir/terraform/dev-demo'));
    expect(dev['locals.tf']).toBe('locals {\n  environment = "dev"\n}\n\n');
    expect(dev['terraform.tfvars']).toBe('app_name = "myapp-dev"\n');
    expect(dev['config.json']).toBe('{\n  "stage": "dev"\n}');
    expect(fs.existsSync(path.join(dir, 'components'))).toBe(false);

    // the generated files are the terraform step's: a re-provision neither deletes them loudly nor counts them as changes
    const again = await cli(['workdir', 'provision', 'demo', '-s', 'dev', '--workdir', '-C', dir], env);
    expect(again.stdout.trim()).toBe('dev/demo: unchanged');
  }, 60_000);

  it('a generated file replaces the component folder file of the same name in the workdir, never in the folder', async () => {
    requireTerraform();
    const source = {
      'components/terraform/demo/versions.tf': 'terraform {\n  required_version = ">= 0.1"\n}\n',
      'components/terraform/demo/extra.tf': '# kept\n',
    };
    const dir = repo(true, source);
    const env = terraformTestEnv(tempDir('atmos-generate-home-'));
    const r = await cli(['plan', 'demo', '-s', 'dev', '-C', dir], env);
    expect(`${r.code} ${r.code ? r.stderr.slice(-1500) : ''}`).toBe('0 ');
    const wd = path.join(dir, '.workdir/terraform/dev-demo');
    expect(fs.readFileSync(path.join(wd, 'versions.tf'), 'utf8')).toBe('terraform {\n  required_version = ">= 1.0.0"\n}\n\n');
    expect(fs.readFileSync(path.join(wd, 'extra.tf'), 'utf8')).toBe('# kept\n');
    expect(readFiles(path.join(dir, 'components/terraform/demo'))).toEqual({
      'versions.tf': source['components/terraform/demo/versions.tf'],
      'extra.tf': '# kept\n',
    });
    const again = await cli(['workdir', 'provision', 'demo', '-s', 'dev', '--workdir', '-C', dir], env);
    expect(again.stdout.trim()).toBe('dev/demo: unchanged');
  }, 60_000);

  it('without auto_generate_files the section is not written, as in Atmos', async () => {
    const dir = repo(false, { 'components/terraform/demo/main.tf': '# module\n' });
    const env = terraformTestEnv(tempDir('atmos-generate-home-'));
    const r = await cli(['plan', 'demo', '-s', 'dev', '-C', dir], env);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.workdir/terraform/dev-demo/locals.tf'))).toBe(false);
  }, 60_000);
});
