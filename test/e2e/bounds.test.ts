import fs from 'node:fs';
import path from 'node:path';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { runAction } from '../helpers/action-run.js';
import { cleanEnv, runDist, tempDir, writeTree } from '../helpers/fs.js';
import { manyEntries, writePlanFolders } from '../helpers/plans.js';

/** Inputs that are wrong or huge: a clear error, bounded, before any work; one broken record never hides the rest. */
const ATMOS_YAML =
  'base_path: "."\ncomponents:\n  terraform:\n    base_path: components\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_pattern: "{stage}"\n';

function repo(files: Record<string, string | Buffer>): string {
  const dir = tempDir('atmos-action-bounds-');
  writeTree(dir, { 'atmos.yaml': ATMOS_YAML, 'components/app/main.tf': '' });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
const cli = (dir: string, ...args: string[]) => runDist('cli', [...args, '-C', dir], { env: cleanEnv() });

describe('bad bytes', () => {
  it('a stack manifest that is not UTF-8 is an error naming the file and line, not U+FFFD', () => {
    const latin1 = Buffer.concat([Buffer.from('vars:\n  stage: dev\n  owner: "Ren'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const r = cli(repo({ 'stacks/dev.yaml': latin1 }), 'list', 'stacks');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stacks\/dev\.yaml is not valid UTF-8 \(line 3, bytes 0xe9220a…\): save the file as UTF-8/);
  });

  it('a UTF-16 manifest (as some Windows editors save it) is named as such', () => {
    const text = 'vars:\n  stage: dev\n';
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.from(text, 'utf16le')]) {
      const r = cli(repo({ 'stacks/dev.yaml': bytes }), 'list', 'stacks');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/stacks\/dev\.yaml is UTF-16 encoded; Atmos reads configuration as UTF-8: save the file as UTF-8/);
    }
  });
});

describe('bounds', () => {
  it('an import chain deeper than 1,000 levels is an error naming its ends, not a stack overflow', () => {
    const files: Record<string, string> = { 'stacks/dev.yaml': 'import:\n  - deep/l0\nvars:\n  stage: dev\ncomponents:\n  terraform:\n    app: {}\n' };
    for (let i = 0; i < 5000; i++) files[`stacks/deep/l${i}.yaml`] = i < 4999 ? `import:\n  - deep/l${i + 1}\n` : 'vars: {}\n';
    const r = cli(repo(files), 'describe', 'component', 'app', '-s', 'dev');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/call stack/);
    expect(r.stderr).toMatch(
      /imports nest more than 1000 levels deep: stacks\/dev\.yaml → stacks\/deep\/l0\.yaml → stacks\/deep\/l1\.yaml → … → stacks\/deep\/l99[79]\.yaml/,
    );
    expect(r.stderr.length).toBeLessThan(2000);
  });

  it('a 300 KB name is shortened in messages', () => {
    const name = `svc-${'x'.repeat(300_000)}-end`;
    const r = cli(
      repo({ 'stacks/dev.yaml': `vars:\n  stage: dev\ncomponents:\n  terraform:\n    ? ${name}\n    : metadata:\n        component: app\n` }),
      'workdir',
      'provision',
      '--all',
      '--workdir',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/component svc-x{196}…\(299768 more characters\)…x{36}-end in stack dev: its workdir folder name is \d+ bytes long/);
    expect(r.stderr.length).toBeLessThan(4000);
  });
});

describe('before the work, not after', () => {
  it('a plans directory nobody can write to fails the plan before terraform runs', async () => {
    const dir = repo({});
    const ran = path.join(dir, 'terraform-ran');
    writeTree(dir, {
      'fake-terraform.sh': `#!/bin/sh\ntouch ${ran}\nexit 1\n`,
      'stacks/dev.yaml': `vars:\n  stage: dev\ncomponents:\n  terraform:\n    app:\n      command: ${path.join(dir, 'fake-terraform.sh')}\n`,
    });
    fs.chmodSync(path.join(dir, 'fake-terraform.sh'), 0o755);
    // Read-only for everyone: a 0555 folder, or for root (whom modes do not stop) a folder of /proc.
    const readOnly = process.getuid?.() === 0 ? '/proc/1' : path.join(dir, 'ro');
    if (readOnly !== '/proc/1') fs.mkdirSync(readOnly, { mode: 0o555 });
    const r = await runAction({ command: 'plan', stack: 'dev', component: 'app', 'plans-dir': readOnly }, { workspace: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::cannot store plans in .*: .*; nothing was planned: choose a writable plans-dir/);
    expect(fs.existsSync(ran)).toBe(false);
  });
});

describe('one broken record', () => {
  let api: GitHubApiFake;
  beforeAll(async () => {
    api = await startGitHubApi();
  });
  afterAll(() => api.close());

  it('a corrupt result.json shows that instance as failed, and the comment still shows the rest', async () => {
    const plans = tempDir('atmos-action-corrupt-');
    const entries = manyEntries(4);
    await writePlanFolders(plans, entries);
    fs.writeFileSync(path.join(plans, 'org-hue1-hstage0--service-h001/result.json'), '{"status": "chan');
    const r = await runAction(
      { command: 'comment', 'plans-dir': plans, 'github-token': api.token },
      { workspace: repo({}), pullRequest: 5, env: { GITHUB_API_URL: api.url } },
    );
    expect(r.code).toBe(0);
    const body = api.comments('acme/infra', 5)[0]!.body;
    expect(body).toContain('4 instance(s): 3 with changes, 0 without, 1 failed.');
    expect(body).toContain('| org-ue1-stage0 | service-001 | – | ❌ failed | – |');
    expect(body).toMatch(/<b>org-ue1-stage0 \/ service-001<\/b>: failed<\/summary>\n\n```\nresult.json cannot be read: /);
    expect(body).toContain('| org-ue0-stage0 | service-000 |');
  });
});
