/** `!terraform.state` / `!terraform.output` read by the runner (docs/atmos-compatibility.md §11.6), with real terraform. */
import fs from 'node:fs';
import path from 'node:path';
import { cli, jsonResults, makeRepo } from './helpers.js';

const TEMPLATED_ATMOS_YAML =
  'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\n    auto_generate_backend_file: true\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\ntemplates:\n  settings:\n    enabled: true\n';

describe('output references at run time', () => {
  it('the reader runs after the instance it reads (no depends_on declared) and gets its outputs from the local state', async () => {
    const repo = makeRepo({ app: { vars: { name: '!terraform.state vpc .name' } }, vpc: {}, other: { vars: { name: '!terraform.output vpc name' } } });
    const plan = await cli(['plan', '--all', '--parallelism', '3', '--format', 'json', '-C', repo.dir], repo.env);
    expect(plan.code).toBe(1);
    expect(jsonResults(plan).app).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no state yet \(not provisioned\)/) });

    const apply = await cli(['apply', '--auto-approve', '--all', '--parallelism', '3', '--format', 'json', '-C', repo.dir], repo.env);
    expect(apply.stderr).toContain('app (stack dev) depends on vpc (stack dev): it reads its output .name (!terraform.state at vars.name)');
    expect(apply.code).toBe(0);
    // each way read once per run: the state directly, the outputs through terraform
    expect(apply.stderr.match(/read the state of vpc@dev/g)).toHaveLength(1);
    expect(apply.stderr.match(/read the outputs of vpc@dev with terraform output -json/g)).toHaveLength(1);
    const state = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(repo.dir, '.workdir/terraform', name, 'terraform.tfstate.d', name, 'terraform.tfstate'), 'utf8'));
    expect(state('dev-app').outputs.name.value).toBe('vpc');
    expect(state('dev-other').outputs.name.value).toBe('vpc');
    const ev = repo.readEvents();
    expect(ev.indexOf('end vpc')).toBeLessThan(ev.lastIndexOf('start vpc'));
  }, 120_000);

  it('!terraform.output and atmos.Component outputs come from `terraform output -json` in the read instance, wherever its backend keeps the state', async () => {
    const repo = makeRepo(
      {
        vpc: {},
        other: { vars: { name: '!terraform.output vpc .name' } },
        third: { vars: { name: '{{ (atmos.Component "vpc" .stack).outputs.name }}-x' } },
      },
      { 'atmos.yaml': TEMPLATED_ATMOS_YAML },
    );
    // The local backend keeps workspace states elsewhere: only terraform itself knows where.
    const file = path.join(repo.dir, 'stacks/deploy/dev.yaml');
    const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
    stack.terraform.backend.local.workspace_dir = 'states';
    fs.writeFileSync(file, JSON.stringify(stack));

    const described = await cli(['describe', 'component', 'third', '-s', 'dev', '--format', 'json', '-C', repo.dir], repo.env);
    expect(described.code).toBe(0);
    expect(JSON.parse(described.stdout).vars.name).toBe('atmos.Component vpc dev .name (unresolved: read at run time)-x');

    const apply = await cli(['apply', '--auto-approve', '--all', '--parallelism', '3', '--format', 'json', '-C', repo.dir], repo.env);
    expect(apply.stderr).toContain('third (stack dev) depends on vpc (stack dev): it reads its output .name (atmos.Component at vars.name)');
    expect(apply.code).toBe(0);
    expect(apply.stderr.match(/read the outputs of vpc@dev with terraform output -json/g)).toHaveLength(1);
    const state = (name: string) => JSON.parse(fs.readFileSync(path.join(repo.dir, '.workdir/terraform', name, 'states', name, 'terraform.tfstate'), 'utf8'));
    expect(state('dev-other').outputs.name.value).toBe('vpc');
    expect(state('dev-third').outputs.name.value).toBe('vpc-x');
    const ev = repo.readEvents();
    // readers log under the name they read: `other` is "vpc" too, `third` is "vpc-x"
    expect(ev.filter((e) => e === 'start vpc')).toHaveLength(2);
    expect(ev.indexOf('end vpc')).toBeLessThan(ev.lastIndexOf('start vpc'));
    expect(ev.indexOf('end vpc')).toBeLessThan(ev.indexOf('start vpc-x'));
  }, 120_000);
});
