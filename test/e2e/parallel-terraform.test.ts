import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, runDist, tempDir, writeTree } from '../helpers/fs.js';

/**
 * The point of workdirs: twelve instances of one root module run terraform at the same time, each
 * in its own folder, with real terraform. terraform_data is built in, so no provider is downloaded.
 */
const INSTANCES = Array.from({ length: 12 }, (_, i) => `cache-${String(i + 1).padStart(2, '0')}`);

function repo(): string {
  const components = INSTANCES.map(
    (name) => `    ${name}:\n      metadata:\n        component: elasticache\n        inherits: [cache/defaults]\n      vars:\n        name: ${name}\n`,
  ).join('');
  return writeTree(tempDir('atmos-action-e2e-'), {
    'atmos.yaml':
      'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\n',
    'stacks/deploy/dev.yaml': `vars:\n  stage: dev\nterraform:\n  provision:\n    workdir:\n      enabled: true\ncomponents:\n  terraform:\n    cache/defaults:\n      metadata:\n        type: abstract\n${components}`,
    'components/terraform/elasticache/main.tf': [
      // A (local) backend block makes init write .terraform/, the folder instances used to race on.
      'terraform {\n  backend "local" {}\n}',
      'variable "name" {\n  type    = string\n  default = "unset"\n}',
      'resource "terraform_data" "cluster" {\n  input = var.name\n}',
      'output "name" {\n  value = terraform_data.cluster.output\n}',
      '',
    ].join('\n'),
  });
}

function terraform(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('12 instances of one root module, in parallel, with real terraform', () => {
  it('provision gives each its own workdir, and terraform init + apply run in all of them at once without interfering', async () => {
    const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
    if (version.status !== 0) throw new Error('terraform must be on PATH for this test (v1.11 is on these machines)');

    const dir = repo();
    const p = runDist('cli', ['workdir', 'provision', '--all', '--parallelism', '12', '-C', dir]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout.trim().split('\n')).toHaveLength(12);

    const home = tempDir('atmos-action-tf-home-');
    const cliConfig = path.join(home, 'terraformrc');
    fs.writeFileSync(cliConfig, '');
    const env = cleanEnv({ HOME: home, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' });
    const workdirs = INSTANCES.map((name) => path.join(dir, '.workdir/terraform', `dev-${name.replace(/-/g, '-h')}`));

    const results = await Promise.all(
      workdirs.map(async (wd, i) => {
        const init = await terraform(wd, ['init', '-input=false', '-no-color'], env);
        if (init.code !== 0) return { init };
        const apply = await terraform(wd, ['apply', '-auto-approve', '-input=false', '-no-color', `-var=name=${INSTANCES[i]}`], env);
        return { init, apply };
      }),
    );
    results.forEach((r, i) => {
      expect(`${INSTANCES[i]} init: ${r.init.code}`).toBe(`${INSTANCES[i]} init: 0`);
      expect(`${INSTANCES[i]} apply: ${r.apply?.code}${r.apply?.code ? `\n${r.apply.out}` : ''}`).toBe(`${INSTANCES[i]} apply: 0`);
    });

    // Each workdir holds its own .terraform/ and its own state, naming its own instance.
    workdirs.forEach((wd, i) => {
      expect(fs.existsSync(path.join(wd, '.terraform'))).toBe(true);
      const state = JSON.parse(fs.readFileSync(path.join(wd, 'terraform.tfstate'), 'utf8')) as { outputs: { name: { value: string } } };
      expect(state.outputs.name.value).toBe(INSTANCES[i]);
    });
    // The shared source folder was never touched by terraform.
    expect(fs.readdirSync(path.join(dir, 'components/terraform/elasticache'))).toEqual(['main.tf']);

    // A later provision keeps each instance's state and .terraform, and changes nothing.
    const again = runDist('cli', ['workdir', 'provision', '--all', '-C', dir]);
    expect(again.code).toBe(0);
    expect(
      again.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith(': unchanged')),
    ).toBe(true);
    expect(fs.existsSync(path.join(workdirs[0], 'terraform.tfstate'))).toBe(true);

    // Clean refuses every one of them: each holds local state.
    const clean = runDist('cli', ['workdir', 'clean', '--all', '-C', dir]);
    expect(clean.code).toBe(0);
    expect(clean.stdout.match(/^skipped .*holds local Terraform state/gm)).toHaveLength(12);
  });
});
