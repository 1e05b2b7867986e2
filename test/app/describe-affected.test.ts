/**
 * `describe affected` (CLI) and `matrix` with `affected: true` (action), on real git histories in
 * temp repositories: a base commit, one change committed on top, and the bundle run against them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runAction } from '../helpers/action-run.js';
import { cleanEnv, runDist, tempDir, writeTree } from '../helpers/fs.js';

const FILES: Record<string, string> = {
  'atmos.yaml': `base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["deploy/**/*"]
  name_pattern: "{stage}"
`,
  'stacks/catalog/app.yaml': `components:
  terraform:
    vpc:
      vars: { cidr: 10.0.0.0/16 }
    app:
      vars:
        vpc_id: !terraform.output vpc vpc_id
    dns:
      settings:
        depends_on:
          1: { file: config/dns.json }
`,
  'stacks/deploy/dev.yaml': `import: [catalog/app]
vars: { stage: dev }
`,
  'stacks/deploy/prod.yaml': `import: [catalog/app]
vars: { stage: prod }
`,
  'components/terraform/vpc/main.tf': 'variable "cidr" {}\noutput "vpc_id" { value = "v" }\n',
  'components/terraform/app/main.tf': 'variable "vpc_id" {}\nmodule "label" {\n  source = "../../../modules/label"\n}\n',
  'components/terraform/dns/main.tf': '# dns\n',
  'modules/label/main.tf': 'output "id" { value = "x" }\n',
  'config/dns.json': '{}\n',
  'README.md': 'infra\n',
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv({ GIT_CONFIG_NOSYSTEM: '1' }),
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A repository with the fixture committed on main (the base), then `change` committed on top (HEAD). */
function history(change: (root: string) => void): { root: string; base: string; head: string } {
  const root = writeTree(tempDir('atmos-affected-'), FILES);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  const base = git(root, 'rev-parse', 'HEAD');
  change(root);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', 'change');
  return { root, base, head: git(root, 'rev-parse', 'HEAD') };
}

const edit = (root: string, rel: string, from: string, to: string) => {
  const p = path.join(root, rel);
  fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(from, to));
};

interface Item {
  component: string;
  stack: string;
  affected: string;
  affected_all: string[];
  file?: string;
  deleted?: boolean;
  deletion_type?: string;
  dependents: { component: string; stack: string; dependents: unknown[] }[] | null;
}

function affected(root: string, ...args: string[]): Item[] {
  const r = runDist('cli', ['describe', 'affected', ...args], { cwd: root });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Item[];
}
const names = (items: Item[]) => items.map((i) => `${i.stack}/${i.component}:${i.affected}${i.deleted ? ' deleted' : ''}`);

describe('describe affected on a real git history', () => {
  it('a changed var affects only the instances whose resolved vars differ; an edited README affects nothing', () => {
    const { root, base } = history((r) => {
      edit(
        r,
        'stacks/deploy/prod.yaml',
        'vars: { stage: prod }',
        'vars: { stage: prod }\ncomponents:\n  terraform:\n    vpc:\n      vars: { cidr: 10.1.0.0/16 }',
      );
      fs.writeFileSync(path.join(r, 'README.md'), 'infra, edited\n');
    });
    const items = affected(root, '--sha', base);
    expect(names(items)).toEqual(['prod/vpc:stack.vars']);
    expect(items[0]).toMatchObject({ component_path: 'components/terraform/vpc', stack_slug: 'prod-vpc', affected_all: ['stack.vars'], dependents: null });
  });

  it('files under the component folder, under a local module it calls, and a declared file dependency', () => {
    const { root, base } = history((r) => {
      fs.writeFileSync(path.join(r, 'components/terraform/vpc/extra.tf'), '# more\n');
      fs.writeFileSync(path.join(r, 'modules/label/main.tf'), 'output "id" { value = "y" }\n');
      fs.writeFileSync(path.join(r, 'config/dns.json'), '{"ttl": 60}\n');
    });
    const items = affected(root, '--ref', base);
    expect(names(items)).toEqual([
      'dev/app:component.module',
      'dev/dns:file',
      'dev/vpc:component',
      'prod/app:component.module',
      'prod/dns:file',
      'prod/vpc:component',
    ]);
    expect(items.find((i) => i.component === 'dns')!.file).toBe('config/dns.json');
  });

  it('--include-dependents follows output references; --format matrix lists the affected instances and their dependents', () => {
    const { root, base } = history((r) => edit(r, 'stacks/deploy/dev.yaml', 'vars: { stage: dev }', 'vars: { stage: dev, owner: net }'));
    // Every dev instance's vars differ (the stack-level var); app depends on vpc through !terraform.output.
    const items = affected(root, '--sha', base, '--include-dependents');
    expect(names(items)).toEqual(['dev/app:stack.vars', 'dev/dns:stack.vars', 'dev/vpc:stack.vars']);
    expect(items.find((i) => i.component === 'vpc')!.dependents).toEqual([expect.objectContaining({ component: 'app', stack: 'dev', dependents: [] })]);

    const only = history((r) =>
      edit(r, 'stacks/deploy/dev.yaml', 'vars: { stage: dev }', 'vars: { stage: dev }\ncomponents:\n  terraform:\n    vpc:\n      vars: { cidr: 10.2.0.0/16 }'),
    );
    const m = runDist('cli', ['describe', 'affected', '--sha', only.base, '--include-dependents', '--format', 'matrix'], { cwd: only.root });
    expect(m.code).toBe(0);
    const include = (JSON.parse(m.stdout) as { include: { stack: string; component: string }[] }).include;
    expect(include.map((e) => `${e.stack}/${e.component}`)).toEqual(['dev/app', 'dev/vpc']);
  });

  it('deleted instances and stacks are listed with deleted: true and never in the matrix', () => {
    const { root, base } = history((r) => {
      fs.rmSync(path.join(r, 'stacks/deploy/prod.yaml'));
      edit(r, 'stacks/catalog/app.yaml', '    dns:\n      settings:\n        depends_on:\n          1: { file: config/dns.json }\n', '');
    });
    const items = affected(root, '--sha', base);
    expect(names(items)).toEqual([
      'dev/dns:deleted deleted',
      'prod/app:deleted.stack deleted',
      'prod/dns:deleted.stack deleted',
      'prod/vpc:deleted.stack deleted',
    ]);
    expect(items[0]).toMatchObject({ deleted: true, deletion_type: 'component', stage: 'dev' });
    expect(items[1]).toMatchObject({ deletion_type: 'stack' });
    const m = runDist('cli', ['describe', 'affected', '--sha', base, '--format', 'matrix'], { cwd: root });
    expect(JSON.parse(m.stdout)).toEqual({ include: [] });
  });

  it('--repo-path compares with another checkout; a missing base names the remedy', () => {
    const { root, base } = history((r) => fs.writeFileSync(path.join(r, 'components/terraform/dns/main.tf'), '# dns v2\n'));
    const other = tempDir('atmos-affected-base-');
    git(root, 'worktree', 'add', '-q', '--detach', other, base);
    expect(names(affected(root, '--repo-path', other))).toEqual(['dev/dns:component', 'prod/dns:component']);

    const r = runDist('cli', ['describe', 'affected', '--ref', 'no-such-branch'], { cwd: root });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /the base no-such-branch is not in this clone and could not be fetched from origin: check out with the full history \(actions\/checkout with fetch-depth: 0\)/,
    );
  });
});

describe('the action: matrix with affected: true', () => {
  /** A shallow clone of `origin` at HEAD, as actions/checkout makes it with the default fetch-depth 1. */
  function shallowClone(origin: string): string {
    const clone = tempDir('atmos-affected-clone-');
    git(clone, 'clone', '-q', '--depth=1', `file://${origin}`, '.');
    return clone;
  }

  it('in a shallow clone of a pull request, fetches the base commit and plans only the affected instances', async () => {
    const { root, base } = history((r) => fs.writeFileSync(path.join(r, 'components/terraform/vpc/extra.tf'), '# more\n'));
    const clone = shallowClone(root);
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const event = path.join(tempDir('atmos-affected-event-'), 'event.json');
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base }, head: { sha: git(root, 'rev-parse', 'HEAD') } } }));
    const run = await runAction(
      { command: 'matrix', affected: 'true', 'include-dependents': 'true' },
      { workspace: clone, env: { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' } },
    );
    expect(run.stdout).not.toMatch(/::error/);
    expect(run.code).toBe(0);
    const include = (JSON.parse(run.outputs.matrix!) as { include: { stack: string; component: string }[] }).include;
    expect(include.map((e) => `${e.stack}/${e.component}`)).toEqual(['dev/app', 'dev/vpc', 'prod/app', 'prod/vpc']);
    expect(run.outputs['instance-count']).toBe('4');
  });

  it('refuses, with the remedy, a shallow clone whose base cannot be fetched, and a run with no base at all', async () => {
    const { root, base } = history((r) => fs.writeFileSync(path.join(r, 'components/terraform/vpc/extra.tf'), '# more\n'));
    const clone = shallowClone(root);
    git(clone, 'remote', 'remove', 'origin');
    const refused = await runAction({ command: 'matrix', affected: 'true', 'base-ref': base }, { workspace: clone });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(
      /::error.*\(a shallow clone\) and could not be fetched from origin: check out with the full history \(actions\/checkout with fetch-depth: 0\)/,
    );

    // A base git would read as an option never reaches git.
    const option = await runAction({ command: 'matrix', affected: 'true', 'base-ref': '--upload-pack=touch pwned' }, { workspace: root });
    expect(option.code).not.toBe(0);
    expect(option.stdout).toMatch(/::error.*the base ref "--upload-pack=touch pwned" is not a git ref or commit/);
    expect(fs.existsSync(path.join(root, 'pwned'))).toBe(false);

    const noBase = await runAction({ command: 'matrix', affected: 'true' }, { workspace: root });
    expect(noBase.code).not.toBe(0);
    expect(noBase.stdout).toMatch(/::error.*affected: true needs a base commit: set the input base-ref/);
  });
});
