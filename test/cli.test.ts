import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, cleanEnv, copyExample, runDist, tempDir, writeTree } from './helpers/fs.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

describe('dist/cli on the bundled example', () => {
  it('prints the matrix of deployable instances, abstract bases left out', () => {
    const r = runDist('cli', ['matrix', '-C', EXAMPLES]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as { include: Record<string, string>[] };
    expect(m.include.map((e) => `${e.stack}/${e.component}`)).toEqual([
      'plat-ue2-dev/elasticache-cache',
      'plat-ue2-dev/elasticache-queue',
      'plat-ue2-dev/elasticache-sessions',
      'plat-ue2-dev/vpc',
      'plat-ue2-prod/elasticache-cache',
      'plat-ue2-prod/elasticache-queue',
      'plat-ue2-prod/elasticache-sessions',
      'plat-ue2-prod/vpc',
      'plat-ue2-staging/vpc',
    ]);
    expect(m.include[1]).toEqual({
      stack: 'plat-ue2-dev',
      component: 'elasticache-queue',
      base_component: 'elasticache',
      component_type: 'terraform',
      component_path: 'components/terraform/elasticache',
      workdir: '.workdir/terraform/plat-ue2-dev-elasticache-hqueue',
      workspace: 'plat-ue2-dev-elasticache-queue',
      stack_slug: 'plat-ue2-dev-elasticache-queue',
      manifest: 'stacks/orgs/acme/plat/dev/us-east-2.yaml',
      tool: 'terraform',
    });
  });

  it('filters the matrix by stack and component globs', () => {
    const r = runDist('cli', ['matrix', '--stacks', '*-prod', '--components', 'elasticache-*'], { cwd: EXAMPLES });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as { include: Record<string, string>[] };
    expect(m.include.map((e) => e.component)).toEqual(['elasticache-cache', 'elasticache-queue', 'elasticache-sessions']);
    expect(new Set(m.include.map((e) => e.stack))).toEqual(new Set(['plat-ue2-prod']));
  });

  it('lists abstract instances only when asked', () => {
    const r = runDist('cli', ['matrix', '-C', EXAMPLES, '--components', 'elasticache/*', '--include-abstract', 'yes']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { include: unknown[] }).include).toHaveLength(2);
  });

  it('describes one instance with values resolved by hand from the manifests', () => {
    const r = runDist('cli', ['describe', 'component', 'elasticache-queue', '-s', 'plat-ue2-prod', '--format', 'json', '-C', EXAMPLES]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Record<string, unknown>;
    // catalog defaults → instance vars → the prod stack's component override; globals from _defaults and mixins.
    expect(d.vars).toEqual({
      engine: 'redis',
      environment: 'ue2',
      label_order: ['namespace', 'tenant', 'environment', 'stage', 'name'],
      name: 'queue',
      namespace: 'acme',
      node_type: 'cache.r7g.large',
      num_nodes: 3,
      region: 'us-east-2',
      stage: 'prod',
      tags: { team: 'data' },
      tenant: 'plat',
    });
    expect(d.atmos_component).toBe('elasticache-queue');
    expect(d.atmos_stack).toBe('plat-ue2-prod');
    expect(d.atmos_stack_file).toBe('orgs/acme/plat/prod/us-east-2');
    expect(d.component).toBe('elasticache');
    expect(d.inheritance).toEqual(['elasticache/defaults']);
    expect(d.workspace).toBe('plat-ue2-prod-elasticache-queue');
    expect(d.backend_type).toBe('local');
    expect((d.component_info as Record<string, string>).component_path).toBe(path.join(EXAMPLES, 'components/terraform/elasticache'));
    expect(d.workdir).toBe(path.join(EXAMPLES, '.workdir/terraform/plat-ue2-prod-elasticache-hqueue'));
    expect(d.settings).toEqual({ depends_on: { '1': { component: 'vpc' } } });
  });

  it('prints describe stacks in Atmos shape, filtered by stack and component', () => {
    const r = runDist('cli', ['describe', 'stacks', '-s', 'plat-ue2-dev', '--components', 'vpc', '--format', 'json', '-C', EXAMPLES]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Record<string, { components: { terraform: Record<string, Record<string, unknown>> } }>;
    expect(Object.keys(d)).toEqual(['plat-ue2-dev']);
    const vpc = d['plat-ue2-dev'].components.terraform.vpc;
    expect(Object.keys(d['plat-ue2-dev'].components.terraform)).toEqual(['vpc']);
    expect((vpc.vars as Record<string, unknown>).cidr_block).toBe('10.10.0.0/16');
    expect(vpc.component_info).toEqual({ component_path: 'components/terraform/vpc', component_type: 'terraform' });
  });

  it('prints YAML by default', () => {
    const r = runDist('cli', ['describe', 'component', 'vpc', '-s', 'plat-ue2-dev', '-C', EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^atmos_component: vpc$/m);
    expect(r.stdout).toMatch(/^ {2}cidr_block: 10\.10\.0\.0\/16$/m);
  });
});

describe('dist/cli help and usage', () => {
  it('has --help on every command', () => {
    for (const cmd of [[], ['describe'], ['describe', 'component'], ['describe', 'stacks'], ['matrix'], ['version']]) {
      const r = runDist('cli', [...cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: atmos-action/);
      expect(r.stdout).toMatch(/--chdir/);
    }
  });

  it('rejects unknown commands and flags with exit code 2', () => {
    const a = runDist('cli', ['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown command "frobnicate"/);
    const b = runDist('cli', ['matrix', '--nope', '-C', EXAMPLES]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--nope/);
  });
});

describe('dist/cli errors', () => {
  const repo = (files: Record<string, string>) =>
    writeTree(tempDir(), {
      'atmos.yaml':
        'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["**/*"]\n  excluded_paths: ["catalog/**/*"]\ncomponents:\n  terraform:\n    base_path: components/terraform\n',
      ...files,
    });

  it('names the file and line of malformed YAML, exits 1, no stack trace', () => {
    const dir = repo({
      'stacks/dev.yaml': 'import:\n  - catalog/vpc\n',
      'stacks/catalog/vpc.yaml': 'components:\n  terraform:\n    vpc:\n      vars: {a: 1\n',
    });
    const r = runDist('cli', ['matrix', '-C', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stacks\/catalog\/vpc\.yaml:\d+: invalid YAML/);
    expect(r.stderr).toMatch(/import chain: .*dev\.yaml → .*catalog\/vpc\.yaml/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows a stack trace only with --debug', () => {
    const dir = repo({ 'stacks/dev.yaml': 'import:\n  - catalog/missing\n' });
    const plain = runDist('cli', ['matrix', '-C', dir]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/dev\.yaml:2: import "catalog\/missing" not found/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = runDist('cli', ['matrix', '-C', dir, '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('ATMOS_ACTION_DEBUG turns debug on in any on/off spelling; a malformed value stops the command, named', () => {
    const dir = repo({ 'stacks/dev.yaml': 'import:\n  - catalog/missing\n' });
    const on = runDist('cli', ['matrix', '-C', dir], { env: cleanEnv({ ATMOS_ACTION_DEBUG: '1' }) });
    expect(on.code).toBe(1);
    expect(on.stderr).toMatch(/\n\s+at /);
    const bad = runDist('cli', ['matrix', '-C', dir], { env: cleanEnv({ ATMOS_ACTION_DEBUG: 'loud' }) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: ATMOS_ACTION_DEBUG must be true or false (yes/no, on/off, 1/0), not "loud"\n');
  });

  it('refuses to describe an instance that uses YAML functions it does not evaluate, naming them', () => {
    const dir = repo({
      'stacks/dev.yaml': 'vars:\n  stage: dev\ncomponents:\n  terraform:\n    app:\n      vars:\n        account: !aws.account_id\n',
    });
    const r = runDist('cli', ['describe', 'component', 'app', '-s', 'dev', '-C', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/app in stack dev uses features atmos-action does not evaluate yet/);
    expect(r.stderr).toMatch(/vars\.account: !aws\.account_id \(YAML function\)/);
  });

  it('describes an output reference unresolved; --process-functions=false shows it as written', () => {
    const dir = repo({
      'stacks/dev.yaml': 'vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc: {}\n    app:\n      vars:\n        vpc_id: !terraform.output vpc vpc_id\n',
    });
    const r = runDist('cli', ['describe', 'component', 'app', '-s', 'dev', '-C', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('!terraform.output vpc dev .vpc_id (unresolved: read at run time)');
    const raw = runDist('cli', ['describe', 'component', 'app', '-s', 'dev', '--process-functions=false', '-C', dir]);
    expect(raw.stderr).toBe('');
    expect(raw.stdout).toContain('vpc_id: "!terraform.output vpc vpc_id"');
  });
});

describe('dist/cli workdir on the bundled example', () => {
  it('gives the three elasticache instances three distinct workdirs, each a copy of the shared root module', () => {
    const ws = tempDir('atmos-action-example-');
    copyExample(ws);
    const r = runDist('cli', ['workdir', 'provision', '--all', '--stacks', 'plat-ue2-dev', '--components', 'elasticache-*', '-C', ws]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `plat-ue2-dev/elasticache-cache: created from ${ws}/components/terraform/elasticache (1 file); .terraform.lock.hcl seeded from .terraform.lock.hcl`,
      `plat-ue2-dev/elasticache-queue: created from ${ws}/components/terraform/elasticache (1 file); .terraform.lock.hcl seeded from .terraform.lock.hcl`,
      `plat-ue2-dev/elasticache-sessions: created from ${ws}/components/terraform/elasticache (1 file); .terraform.lock.hcl seeded from .terraform.lock.hcl`,
    ]);
    const source = fs.readFileSync(path.join(ws, 'components/terraform/elasticache/main.tf'), 'utf8');
    for (const name of ['elasticache-hcache', 'elasticache-hqueue', 'elasticache-hsessions']) {
      const wd = path.join(ws, '.workdir/terraform', `plat-ue2-dev-${name}`);
      expect(fs.readFileSync(path.join(wd, 'main.tf'), 'utf8')).toBe(source);
      const meta = JSON.parse(fs.readFileSync(path.join(wd, '.atmos/metadata.json'), 'utf8')) as Record<string, string>;
      expect(meta).toMatchObject({ stack: 'plat-ue2-dev', source_type: 'local' });
    }
  });
});
