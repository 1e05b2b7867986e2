/**
 * One Project per command, resolved lazily (docs/architecture.md, "What is resolved when"): every
 * command has the `!exec` port, resolves each instance once, and only the instances it touches; an
 * error elsewhere fails only the commands that resolve everything (list, describe stacks, matrix).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeComponent, describeStacks } from '../../src/app/describe.js';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { listStacks } from '../../src/app/list.js';
import { matrix } from '../../src/app/matrix.js';
import { openProject, type ProjectPorts } from '../../src/app/project.js';
import { runInstances } from '../../src/app/run.js';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog } from '../../src/ports/log.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { nodeExecSync } from '../../src/ports/node-exec-sync.js';
import { runAction } from '../helpers/action-run.js';
import { cleanEnv, runDist, tempDir, writeTree } from '../helpers/fs.js';
import { FIXTURES } from '../semantics/helpers.js';

const ATMOS_YAML =
  'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\n';

/** `sh count.sh NAME` appends NAME to count.log and prints it: how many times each `!exec` ran. */
const COUNT_SH = 'echo "$1" >> count.log\necho "$1"\n';

/**
 * A repository (not inside a git repository) whose `dev` stack holds `app` and `other`, each with
 * an `!exec` that counts itself, and `extra` more YAML under `components.terraform`.
 */
function repo(extra = ''): { dir: string; counted: () => string[] } {
  const dir = tempDir('atmos-project-');
  writeTree(dir, {
    'atmos.yaml': ATMOS_YAML,
    'count.sh': COUNT_SH,
    'fail.sh': 'echo "no such secret" >&2\nexit 3\n',
    'components/terraform/base/main.tf': 'variable "stamp" {\n  type    = string\n  default = ""\n}\n',
    'stacks/deploy/dev.yaml': [
      'vars: {stage: dev}',
      'components:',
      '  terraform:',
      '    app:',
      '      metadata: {component: base}',
      '      vars: {stamp: !exec sh count.sh app}',
      '    other:',
      '      metadata: {component: base}',
      '      vars: {stamp: !exec sh count.sh other}',
      extra,
    ].join('\n'),
  });
  const log = path.join(dir, 'count.log');
  return { dir, counted: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []) };
}

/** Broken in ways only their own instance needs: an abstract base's `!repo-root` outside git, an `!exec` that fails. */
const BROKEN = [
  '    base/defaults:',
  '      metadata: {type: abstract}',
  '      vars: {root: !repo-root}',
  '    broken:',
  '      metadata: {component: base}',
  '      vars: {secret: !exec sh fail.sh}',
].join('\n');

const ports = (): ProjectPorts => ({ env: cleanEnv(), log: memoryLog(), execSync: nodeExecSync });
const runPorts = () => ({ ...ports(), envSettings: readEnvSettings(cleanEnv()), clock: fixedClock('2026-04-01T00:00:00Z'), exec: nodeExec });

describe('a command resolves only what it touches', () => {
  it("describe component runs its own !exec once and no other instance's, and an error in another instance does not fail it", () => {
    const r = repo(BROKEN);
    const p = ports();
    const d = describeComponent(openProject({ cwd: r.dir }, p), { stack: 'dev', component: 'app' });
    expect((d.vars as Record<string, unknown>).stamp).toBe('app');
    expect(r.counted()).toEqual(['app']);
  });

  it('list, describe stacks and matrix still resolve everything and report every error', () => {
    const r = repo(BROKEN);
    const p = ports();
    const both =
      /2 configuration errors[\s\S]*base\/defaults in stack dev: vars\.root: !repo-root: [\s\S]* is not inside a git repository[\s\S]*broken in stack dev: vars\.secret: !exec: `sh fail\.sh` exited with 3: no such secret/;
    expect(() => listStacks(openProject({ cwd: r.dir }, p), {})).toThrow(both);
    expect(() => describeStacks(openProject({ cwd: r.dir }, p), { stacks: [], components: [] }, p)).toThrow(both);
    // the matrix leaves abstract components out, as before
    expect(() => matrix(openProject({ cwd: r.dir }, p), { stacks: [], components: [], includeAbstract: false }, p)).toThrow(
      /broken in stack dev: vars\.secret: !exec/,
    );
  });

  it('a glob selection resolves the instances it matches only', async () => {
    const r = repo(BROKEN);
    const project = openProject({ cwd: r.dir }, ports());
    // refused before any terraform runs (a stand-in command that is not there): resolution is what counts here
    const run = runInstances(
      project,
      { action: 'plan', target: { stacks: ['dev'], components: ['app', 'oth*'] } },
      { ...runPorts(), env: { PATH: '/nonexistent' } },
    );
    await expect(run).rejects.toThrow(/terraform/);
    expect(r.counted().sort()).toEqual(['app', 'other']);
  });

  it('a deploy command refuses an abstract component by name, saying why', async () => {
    const r = repo('    base/defaults:\n      metadata: {type: abstract}\n      vars: {x: 1}');
    const project = openProject({ cwd: r.dir }, ports());
    const run = runInstances(project, { action: 'plan', target: { stack: 'dev', component: 'base/defaults' } }, runPorts());
    await expect(run).rejects.toThrow(
      /component base\/defaults in stack dev is abstract \(metadata\.type: abstract\): it is a base for other components and is never deployed/,
    );
  });
});

describe('every command has the !exec port', () => {
  it('list stacks and list components evaluate !exec (the CLI)', () => {
    const r = repo();
    const stacks = runDist('cli', ['list', 'stacks', '-C', r.dir]);
    expect(stacks.stderr).toBe('');
    expect(stacks.stdout).toBe('dev\n');
    const components = runDist('cli', ['list', 'components', '-C', r.dir]);
    expect(components.stdout).toBe('app\nother\n');
  });

  it("the action's plan of one instance evaluates its !exec, once, and touches no other instance", async () => {
    const r = repo();
    // A stand-in terraform: notes that it started and fails; what happens before it is what is checked.
    const standIn = path.join(r.dir, 'terraform-stand-in');
    fs.writeFileSync(standIn, `#!/bin/sh\necho started >> ${path.join(r.dir, 'terraform.log')}\nexit 1\n`, { mode: 0o755 });
    const stack = path.join(r.dir, 'stacks/deploy/dev.yaml');
    fs.writeFileSync(stack, fs.readFileSync(stack, 'utf8').replace('    app:\n', `    app:\n      command: ${standIn}\n`));
    const run = await runAction({ command: 'plan', stack: 'dev', component: 'app' }, { workspace: r.dir, env: cleanEnv() });
    expect(run.stdout).not.toContain('running programs is not available here');
    expect(fs.readFileSync(path.join(r.dir, 'terraform.log'), 'utf8')).toContain('started');
    // the plan, the provider store settings and the runner share one resolution
    expect(r.counted()).toEqual(['app']);
  });
});

describe('the matrix entry names the manifest a leg reads', () => {
  it('names the one manifest that defines the instance, relative to the working directory; none when two do', () => {
    const r = repo();
    const m = matrix(openProject({ cwd: r.dir }, ports()), { stacks: [], components: ['app'], includeAbstract: false }, ports());
    expect(m.include.map((e) => e.manifest)).toEqual(['stacks/deploy/dev.yaml']);
    const dup = path.join(FIXTURES, 'naming-dup-identical');
    const d = matrix(openProject({ cwd: dup }, ports()), { stacks: [], components: [], includeAbstract: false }, ports());
    expect(Object.fromEntries(d.include.map((e) => [e.component, e.manifest]))).toEqual({
      'only-a': 'stacks/deploy/a.yaml',
      'only-b': 'stacks/deploy/b.yaml',
      vpc: '',
    });
  });

  it('given the manifest, a leg finds its instance there; a manifest that does not define it is not trusted', () => {
    const r = repo();
    writeTree(r.dir, { 'stacks/deploy/prod.yaml': 'vars: {stage: prod}\ncomponents:\n  terraform:\n    app:\n      metadata: {component: base}\n' });
    const open = () => openProject({ cwd: r.dir }, ports());
    const there = describeComponent(open(), { stack: 'dev', component: 'app', manifest: 'stacks/deploy/dev.yaml' });
    expect(there.atmos_stack_file).toBe('deploy/dev');
    // the wrong manifest: the instance is looked up in every manifest instead
    const elsewhere = describeComponent(open(), { stack: 'dev', component: 'app', manifest: 'stacks/deploy/prod.yaml' });
    expect(elsewhere.atmos_stack_file).toBe('deploy/dev');
    const outside = describeComponent(open(), { stack: 'dev', component: 'app', manifest: '../somewhere.yaml' });
    expect(outside.atmos_stack_file).toBe('deploy/dev');
  });
});
