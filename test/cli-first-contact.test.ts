/**
 * First contact (issue 7) through the real CLI from dist/: Atmos's stack-name rules for every
 * command, every error at once, no silent empties, and the CLI conventions people expect.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, cleanEnv, copyExample, distEntry, runDist, tempDir, writeTree } from './helpers/fs.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/semantics');
const ATMOS =
  'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_pattern: "{stage}"\ncomponents:\n  terraform:\n    base_path: components/terraform\n';

describe('stacks by canonical name, or by the path of their manifest as Atmos takes one', () => {
  const FILE = 'orgs/acme/plat/dev/us-east-2';
  // A copy: the commands write workdirs (provision before show: they run in this order).
  let copy = '';
  beforeAll(() => {
    copy = tempDir();
    copyExample(copy);
  });
  it.each([
    ['describe component', ['describe', 'component', 'vpc', '-s', FILE, '--format', 'json'], /"atmos_stack": "plat-ue2-dev"/],
    ['workdir provision', ['workdir', 'provision', 'vpc', '-s', FILE], /plat-ue2-dev/],
    ['workdir show', ['workdir', 'show', 'vpc', '-s', FILE], /plat-ue2-dev-vpc/],
    ['plan', ['plan', 'vpc', '-s', FILE], /vpc@plat-ue2-dev +changes/],
  ])('%s finds the instance in the manifest the path names, at its canonical stack', (_name, args, out) => {
    const r = runDist('cli', [...args, '-C', copy]);
    expect(r.stderr).not.toMatch(/invalid stack/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(out);
  });

  it('list components filters by canonical stack name only: a manifest path is "invalid stack", did you mean the canonical name', () => {
    const r = runDist('cli', ['list', 'components', '-s', FILE, '-C', copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: invalid stack "orgs\/acme\/plat\/dev\/us-east-2"; did you mean "plat-ue2-dev"\?/);
  });

  it('a mistyped stack or component is an error with the closest names', () => {
    const s = runDist('cli', ['describe', 'component', 'vpc', '-s', 'plat-ue2-dve', '-C', EXAMPLES]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/invalid stack "plat-ue2-dve"; did you mean "plat-ue2-dev"/);
    const c = runDist('cli', ['describe', 'component', 'vcp', '-s', 'plat-ue2-dev', '-C', EXAMPLES]);
    expect(c.stderr).toMatch(/component vcp not found in stack plat-ue2-dev; did you mean "vpc"\?/);
  });

  it('describe stacks -s with a stack that does not exist fails as describe component does, with the closest name', () => {
    const r = runDist('cli', ['describe', 'stacks', '-s', 'plat-ue2-dve', '--format', 'json', '-C', EXAMPLES]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/invalid stack "plat-ue2-dve"; did you mean "plat-ue2-dev"/);
  });

  it('-s takes the path of a manifest, as Atmos does: describe component and describe stacks find the instance there', () => {
    const d = runDist('cli', ['describe', 'component', 'vpc', '-s', 'orgs/acme/plat/dev/us-east-2', '--format', 'json', '-C', EXAMPLES]);
    expect(d.stderr).toBe('');
    expect(JSON.parse(d.stdout)).toMatchObject({ atmos_stack: 'plat-ue2-dev', atmos_manifest: 'orgs/acme/plat/dev/us-east-2', workspace: 'plat-ue2-dev' });
    const s = runDist('cli', ['describe', 'stacks', '-s', 'orgs/acme/plat/prod/us-east-2', '--components', 'vpc', '--format', 'json', '-C', EXAMPLES]);
    expect(Object.keys(JSON.parse(s.stdout))).toEqual(['plat-ue2-prod']);
    // a manifest path that does not define the component names what it has
    const c = runDist('cli', ['describe', 'component', 'vcp', '-s', 'orgs/acme/plat/dev/us-east-2', '-C', EXAMPLES]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/component vcp not found in the manifest orgs\/acme\/plat\/dev\/us-east-2; did you mean "vpc"\?/);
  });
});

describe('no silent empties', () => {
  it('a matrix selection matching nothing warns with close names (count 0 stays valid output)', () => {
    const r = runDist('cli', ['matrix', '--components', 'vcp', '-C', EXAMPLES]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ include: [] });
    expect(r.stderr).toMatch(/warning: components "vcp" matches nothing; did you mean "vpc"\?/);
  });

  it('workdir provision --all with a selection matching nothing warns with close names', () => {
    const copy = tempDir();
    copyExample(copy);
    const r = runDist('cli', ['workdir', 'provision', '--all', '--stacks', 'plat-ue2-dve', '-C', copy]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: stacks "plat-ue2-dve" matches nothing; did you mean "plat-ue2-dev"\?/);
  });

  it('no atmos.yaml and no stack manifests: one error saying where it looked, not `{}` and exit 0', () => {
    const dir = writeTree(tempDir(), { 'README.md': 'x\n' });
    const r = runDist('cli', ['describe', 'stacks'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: no atmos\.yaml found \(looked for atmos\.yaml and \.atmos\.yaml in .* and each parent directory/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('-C naming a missing directory says so', () => {
    const r = runDist('cli', ['matrix', '-C', 'no/such/dir'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: -C\/--chdir no\/such\/dir: no such directory/);
  });

  it('stray arguments are refused, not ignored', () => {
    const r = runDist('cli', ['matrix', 'foo', '-C', EXAMPLES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unexpected argument "foo": atmos-action matrix takes no arguments/);
  });
});

describe('every problem at once, only where it matters', () => {
  it('reports every configuration error of the run together, with file, line and import chain', () => {
    const dir = writeTree(tempDir(), {
      'atmos.yaml': ATMOS,
      'stacks/catalog/broken.yaml': 'vars:\n  bad: a: b\n',
      'stacks/deploy/a.yaml': 'import: [catalog/broken]\nvars:\n  stage: a\n',
      'stacks/deploy/b.yaml': 'vars:\n  stage: b\ncomponents:\n  terraform:\n    x:\n      metadata:\n        inherits: [ghost]\n',
    });
    const r = runDist('cli', ['matrix'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: 2 configuration errors:\n1\. stacks\/catalog\/broken\.yaml:2: invalid YAML/);
    expect(r.stderr).toMatch(/import chain: stacks\/deploy\/a\.yaml → stacks\/catalog\/broken\.yaml/);
    expect(r.stderr).toMatch(/\n2\. stacks\/deploy\/b\.yaml:7: component x inherits from ghost/);
  });

  it('two manifests defining one instance differently: matrix and list go on, only that instance fails, naming both files', () => {
    const dir = path.join(FIXTURES, 'naming-dup-conflict');
    const m = runDist('cli', ['matrix'], { cwd: dir });
    expect(m.code).toBe(0);
    expect((JSON.parse(m.stdout) as { include: { component: string }[] }).include.map((e) => e.component)).toContain('vpc');
    const d = runDist('cli', ['describe', 'component', 'vpc', '-s', 'dev'], { cwd: dir });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/vpc is defined differently for stack dev in stacks\/deploy\/a\.yaml and stacks\/deploy\/b\.yaml/);
    const all = runDist('cli', ['describe', 'stacks', '--format', 'json'], { cwd: dir });
    expect(all.code).toBe(0);
    // the last definition wins there, as in Atmos
    expect((JSON.parse(all.stdout) as { dev: { components: { terraform: { vpc: { vars: { cidr: string } } } } } }).dev.components.terraform.vpc.vars.cidr).toBe(
      '10.1.0.0/16',
    );
  });

  it('a warning about a place starts with its file:line, as an error does', () => {
    const cwd = writeTree(tempDir(), {
      'atmos.yaml': ATMOS,
      'stacks/deploy/dev.yaml':
        'vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc:\n      settings:\n        depends_on:\n          1:\n            component: dns\n',
      'components/terraform/vpc/main.tf': '',
    });
    const r = runDist('cli', ['matrix'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(
      'warning: stacks/deploy/dev.yaml:7: vpc (stack dev) depends on dns in stack dev, which does not exist; ignoring that dependency',
    );
  });

  it('a YAML function in a catalog file is one warning at its file:line, not one per inheriting stack', () => {
    const files: Record<string, string> = {
      'atmos.yaml': ATMOS,
      'stacks/catalog/vpc.yaml': 'components:\n  terraform:\n    vpc:\n      vars:\n        id: !aws.account_id\n',
    };
    for (const s of ['a', 'b', 'c']) files[`stacks/deploy/${s}.yaml`] = `import: [catalog/vpc]\nvars:\n  stage: ${s}\n`;
    const cwd = writeTree(tempDir(), { ...files, 'components/terraform/vpc/main.tf': '' });
    const r = runDist('cli', ['matrix'], { cwd });
    expect(r.code).toBe(0);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toEqual([expect.stringMatching(/^warning: stacks\/catalog\/vpc\.yaml:5: !aws\.account_id is not evaluated .*3 instances/)]);
    // describe and plan refuse one such instance naming that file and line, not the stack manifest
    const d = runDist('cli', ['describe', 'component', 'vpc', '-s', 'b'], { cwd });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/\n {2}stacks\/catalog\/vpc\.yaml:5: vars\.id: !aws\.account_id/);
    const p = runDist('cli', ['plan', 'vpc', '-s', 'b'], { cwd, env: cleanEnv({ HOME: cwd }) });
    expect(p.code).toBe(1);
    expect(p.stdout).toMatch(/vars\.id = !aws\.account_id \(.*stacks\/catalog\/vpc\.yaml:5\)/);
  });
});

describe('the CLI as people expect it', () => {
  it('--version and help [command]', () => {
    expect(runDist('cli', ['--version']).stdout).toMatch(/^atmos-action \d+\.\d+\.\d+\n$/);
    const h = runDist('cli', ['help', 'matrix']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: atmos-action matrix/);
    expect(runDist('cli', ['help']).stdout).toMatch(/list stacks/);
  });

  it('did you mean for a mistyped command; unknown flags in our words', () => {
    const c = runDist('cli', ['describe', 'stack']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^error: unknown command "describe stack"; did you mean "describe stacks"\?/);
    expect(runDist('cli', ['plna']).stderr).toMatch(/^error: unknown command "plna"; did you mean "plan"\?/);
    expect(runDist('cli', ['apply', '--al']).stderr).toMatch(/^error: unknown flag --al; did you mean "--all"\?/);
    const f = runDist('cli', ['matrix', '--stack', 'x', '-C', EXAMPLES]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/^error: unknown flag --stack; did you mean "--stacks"\?/);
    expect(f.stderr).not.toMatch(/To specify a positional argument/);
  });

  it('one --format vocabulary: json everywhere, text and table interchangeable', () => {
    expect(runDist('cli', ['matrix', '--format', 'json', '-C', EXAMPLES]).code).toBe(0);
    expect(runDist('cli', ['workdir', 'list', '--format', 'text', '-C', EXAMPLES]).code).toBe(0);
    const bad = runDist('cli', ['list', 'stacks', '--format', 'xml', '-C', EXAMPLES]);
    expect(bad.stderr).toMatch(/--format must be one of text, json/);
  });

  it('list stacks and list components', () => {
    const s = runDist('cli', ['list', 'stacks', '-C', EXAMPLES]);
    expect(s.stdout).toBe('plat-ue2-dev\nplat-ue2-prod\nplat-ue2-staging\n');
    const c = runDist('cli', ['list', 'components', '-s', 'plat-ue2-dev', '--format', 'json', '-C', EXAMPLES]);
    expect(JSON.parse(c.stdout)).toContain('vpc');
  });

  it('workdir clean names each workdir by its instance, once, with snake_case JSON', () => {
    const ws = writeTree(tempDir(), {
      'atmos.yaml': ATMOS,
      'components/terraform/vpc/main.tf': '',
      'stacks/deploy/dev.yaml': 'vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc: {}\n',
    });
    const prov = runDist('cli', ['workdir', 'provision', 'vpc', '-s', 'dev', '--workdir', '--format', 'json'], { cwd: ws });
    expect(prov.code).toBe(0);
    const keys: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          keys.push(k);
          walk(x);
        }
    };
    walk(JSON.parse(prov.stdout));
    expect(keys).toContain('lock_file');
    expect(keys.filter((k) => /[A-Z]/.test(k))).toEqual([]);
    const dry = runDist('cli', ['workdir', 'clean', '--all', '--dry-run', '--format', 'json'], { cwd: ws });
    expect(dry.stderr).toBe('');
    expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, removed: [{ stack: 'dev', component: 'vpc' }] });
    const r = runDist('cli', ['workdir', 'clean', '--all'], { cwd: ws });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^removed vpc in stack dev \(/);
  });

  it('no stack trace when the output is piped into a reader that stops early (EPIPE)', async () => {
    const files: Record<string, string> = { 'atmos.yaml': ATMOS };
    for (let i = 0; i < 300; i++)
      files[`stacks/deploy/s${i}.yaml`] = `vars:\n  stage: s${i}\n  blob: "${'x'.repeat(400)}"\ncomponents:\n  terraform:\n    vpc: {}\n`;
    const cwd = writeTree(tempDir(), files);
    const child = spawn(process.execPath, [distEntry('cli'), 'describe', 'stacks'], { cwd, env: cleanEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
