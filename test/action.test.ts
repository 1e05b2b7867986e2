import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, cleanEnv, copyExample, runDist, tempDir, writeTree } from './helpers/fs.js';

/** Reads a GITHUB_OUTPUT file written by @actions/core (name<<delimiter\nvalue\ndelimiter). */
function readOutputs(file: string): Record<string, string> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3];
  return out;
}

function actionEnv(inputs: Record<string, string>, workspace = REPO_ROOT): { env: Record<string, string>; outputs: string; summary: string } {
  const dir = tempDir('atmos-action-gh-');
  const outputs = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  for (const f of [outputs, summary, path.join(dir, 'env'), path.join(dir, 'path'), path.join(dir, 'state')]) fs.writeFileSync(f, '');
  const env = cleanEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputs,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REF: 'refs/pull/1/merge',
    RUNNER_TEMP: dir,
  });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return { env, outputs, summary };
}

describe('dist/action', () => {
  it('command: matrix sets outputs matrix and count and writes a job summary', () => {
    const { env, outputs, summary } = actionEnv({ command: 'matrix', 'working-directory': 'examples', components: 'vpc' });
    const r = runDist('action', [], { env });
    expect(r.stdout).not.toMatch(/::error/);
    expect(r.code).toBe(0);
    const out = readOutputs(outputs);
    expect(out.count).toBe('3');
    const m = JSON.parse(out.matrix) as { include: Record<string, string>[] };
    expect(m.include.map((e) => [e.stack, e.component, e.workdir])).toEqual([
      ['plat-ue2-dev', 'vpc', '.workdir/terraform/plat-ue2-dev-vpc'],
      ['plat-ue2-prod', 'vpc', '.workdir/terraform/plat-ue2-prod-vpc'],
      // the templated example stack (locals, an import context, YAML functions)
      ['plat-ue2-staging', 'vpc', '.workdir/terraform/plat-ue2-staging-vpc'],
    ]);
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/\| plat-ue2-dev \| vpc \| vpc \|/);
  });

  it('command: describe outputs the resolved instance', () => {
    const { env, outputs } = actionEnv({ command: 'describe', 'working-directory': 'examples', stack: 'plat-ue2-dev', component: 'elasticache-cache' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(0);
    const d = JSON.parse(readOutputs(outputs).result) as Record<string, unknown>;
    expect((d.vars as Record<string, unknown>).name).toBe('cache');
    expect(d.workspace).toBe('plat-ue2-dev-elasticache-cache');
  });

  it('fails the step with a clear message on a bad input', () => {
    const { env, summary } = actionEnv({ command: 'destroy-everything' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::input command must be one of matrix, describe/);
    // the summary heading says what failed (there is no valid command to name)
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/^### atmos-action input validation failed\n\n```\ninput command must be one of matrix, describe/);
  });
});

describe('dist/action command: clean', () => {
  /** A copy of the example with two provisioned workdirs, one of them holding local state. */
  function workspaceWithWorkdirs(): string {
    const ws = tempDir('atmos-action-ws-');
    copyExample(ws);
    const r = runDist('cli', ['workdir', 'provision', '--all', '--stacks', 'plat-ue2-dev,plat-ue2-prod', '--components', 'vpc', '--workdir', '-C', ws]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    fs.writeFileSync(path.join(ws, '.workdir/terraform/plat-ue2-prod-vpc/terraform.tfstate'), '{}');
    return ws;
  }

  it('removes workdirs but keeps the one holding local state, saying why', () => {
    const ws = workspaceWithWorkdirs();
    const { env, outputs } = actionEnv({ command: 'clean', all: 'true' }, ws);
    const r = runDist('action', [], { env });
    expect(r.code).toBe(0);
    const out = readOutputs(outputs);
    expect(JSON.parse(out.removed)).toEqual([expect.stringMatching(/plat-ue2-dev-vpc$/)]);
    const skipped = JSON.parse(out.skipped) as { path: string; reasons: string[] }[];
    expect(skipped).toHaveLength(1);
    expect(skipped[0].path).toMatch(/plat-ue2-prod-vpc$/);
    expect(skipped[0].reasons.join(' ')).toMatch(/terraform\.tfstate/);
    expect(fs.existsSync(path.join(ws, '.workdir/terraform/plat-ue2-dev-vpc'))).toBe(false);
    expect(fs.existsSync(path.join(ws, '.workdir/terraform/plat-ue2-prod-vpc/terraform.tfstate'))).toBe(true);
  });

  it('dry-run deletes nothing; force deletes even local state', () => {
    const ws = workspaceWithWorkdirs();
    const dry = actionEnv({ command: 'clean', all: 'true', 'dry-run': 'true', force: 'true' }, ws);
    expect(runDist('action', [], { env: dry.env }).code).toBe(0);
    expect(JSON.parse(readOutputs(dry.outputs).removed)).toHaveLength(2);
    expect(fs.readdirSync(path.join(ws, '.workdir/terraform')).sort()).toEqual(['plat-ue2-dev-vpc', 'plat-ue2-prod-vpc']);
    const forced = actionEnv({ command: 'clean', all: 'true', force: 'true' }, ws);
    expect(runDist('action', [], { env: forced.env }).code).toBe(0);
    const root = path.join(ws, '.workdir/terraform');
    expect(fs.existsSync(root) ? fs.readdirSync(root) : []).toEqual([]);
  });

  it('refuses an ambiguous clean request', () => {
    const { env } = actionEnv({ command: 'clean', all: 'true', ttl: '7d' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::command clean needs exactly one of/);
  });
});

describe('dist/action command: provision', () => {
  it('gives every selected instance its own workdir and reports what it did; a second run changes nothing', () => {
    const ws = tempDir('atmos-action-ws-');
    copyExample(ws);
    const first = actionEnv({ command: 'provision', stacks: 'plat-ue2-dev', components: 'elasticache-*' }, ws);
    const r = runDist('action', [], { env: first.env });
    expect(r.stdout).not.toMatch(/::error/);
    expect(r.code).toBe(0);
    const made = JSON.parse(readOutputs(first.outputs).workdirs) as Record<string, unknown>[];
    expect(made.map((w) => [w.component, w.path, w.action, w.changed])).toEqual([
      ['elasticache-cache', '.workdir/terraform/plat-ue2-dev-elasticache-hcache', 'created', true],
      ['elasticache-queue', '.workdir/terraform/plat-ue2-dev-elasticache-hqueue', 'created', true],
      ['elasticache-sessions', '.workdir/terraform/plat-ue2-dev-elasticache-hsessions', 'created', true],
    ]);
    const again = actionEnv({ command: 'provision', stack: 'plat-ue2-dev', component: 'elasticache-queue' }, ws);
    expect(runDist('action', [], { env: again.env }).code).toBe(0);
    expect(JSON.parse(readOutputs(again.outputs).workdirs)).toEqual([
      expect.objectContaining({ component: 'elasticache-queue', action: 'unchanged', changed: false }),
    ]);
  });

  it('needs the workdir input for instances that do not enable workdirs', () => {
    const ws = writeTree(tempDir('atmos-action-ws-'), {
      'atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\ncomponents:\n  terraform:\n    base_path: components/terraform\n',
      'stacks/dev.yaml': 'components:\n  terraform:\n    vpc: {}\n',
      'components/terraform/vpc/main.tf': '# vpc\n',
    });
    const off = actionEnv({ command: 'provision' }, ws);
    expect(runDist('action', [], { env: off.env }).code).toBe(0);
    expect(JSON.parse(readOutputs(off.outputs).workdirs)).toEqual([]);
    const on = actionEnv({ command: 'provision', workdir: 'true' }, ws);
    expect(runDist('action', [], { env: on.env }).code).toBe(0);
    expect(JSON.parse(readOutputs(on.outputs).workdirs)).toEqual([expect.objectContaining({ stack: 'dev', component: 'vpc', action: 'created' })]);
    expect(fs.readFileSync(path.join(ws, '.workdir/terraform/dev-vpc/main.tf'), 'utf8')).toBe('# vpc\n');
    // One named instance without workdirs enabled fails the step, as the CLI does, with one annotation.
    const named = actionEnv({ command: 'provision', stack: 'dev', component: 'vpc' }, ws);
    fs.rmSync(path.join(ws, '.workdir'), { recursive: true });
    const refused = runDist('action', [], { env: named.env });
    expect(refused.code).toBe(1);
    expect(refused.stdout.match(/^::error/gm)).toHaveLength(1);
    expect(refused.stdout).toContain('workdirs are not enabled for vpc in stack dev');
    // in the action's words: the input, not the CLI flag
    expect(refused.stdout).toMatch(/::error::.*turn them on for this run \(set the input workdir: true\)/);
    expect(refused.stdout).not.toMatch(/--workdir/);
    expect(fs.existsSync(path.join(ws, '.workdir'))).toBe(false);
  });
});

describe('dist/action errors', () => {
  it('provision: a failed instance is one annotation and fails the step; the other instance is still provisioned', () => {
    const ws = writeTree(tempDir('atmos-action-ws-'), {
      'atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\ncomponents:\n  terraform:\n    base_path: components/terraform\n',
      'stacks/dev.yaml': 'components:\n  terraform:\n    vpc: {}\n    gone: {}\n',
      'components/terraform/vpc/main.tf': '# vpc\n',
    });
    const { env, outputs } = actionEnv({ command: 'provision', workdir: 'true' }, ws);
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toContain('workdir dev/gone: the component folder');
    expect(JSON.parse(readOutputs(outputs).workdirs)).toEqual([
      expect.objectContaining({ component: 'gone', action: 'failed' }),
      expect.objectContaining({ component: 'vpc', action: 'created' }),
    ]);
  });

  it('an error in a stack manifest is one annotation, on that file and line', () => {
    const ws = writeTree(tempDir('atmos-action-ws-'), {
      'atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\ncomponents:\n  terraform:\n    base_path: components/terraform\n',
      'stacks/dev.yaml': 'components:\n  terraform:\n    vpc: {\n',
    });
    const { env } = actionEnv({ command: 'matrix' }, ws);
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error file=stacks\/dev\.yaml,line=\d+::/);
  });

  it('warnings and errors are annotated on their file and line, relative to the repository root (a checkout in a subfolder of the workspace)', () => {
    // actions/checkout with path: repo, the Atmos configuration in repo/infra
    const ws = writeTree(tempDir('atmos-action-ws-'), {
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/infra/atmos.yaml': `${'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\n  name_pattern: "{stage}"\n'}components:\n  terraform:\n    base_path: components/terraform\nauth:\n  identities:\n    dev: {kind: aws/assume-role}\n`,
      'repo/infra/components/terraform/vpc/main.tf': 'variable "region" {}\n',
      'repo/infra/stacks/dev.yaml': [
        'vars:',
        '  stage: dev',
        'components:',
        '  terraform:',
        '    vpc:',
        '      vars:',
        '        region: !aws.region',
        '    app:',
        '      metadata:',
        '        component: vpc',
        '      settings:',
        '        depends_on:',
        '          1:',
        '            component: ghost',
        '',
      ].join('\n'),
    });
    const r = runDist('action', [], { env: actionEnv({ command: 'matrix', 'working-directory': 'repo/infra' }, ws).env });
    expect(r.code).toBe(0);
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toEqual([
      expect.stringMatching(/^::warning file=infra\/stacks\/dev\.yaml,line=12::app \(stack dev\) depends on ghost in stack dev, which does not exist/),
      expect.stringMatching(/^::warning file=infra\/stacks\/dev\.yaml,line=7::.*!aws\.region is not evaluated by atmos-action yet/),
      expect.stringMatching(/^::warning file=infra\/atmos\.yaml,line=9::atmos\.yaml declares Atmos auth \(identities\.dev\)/),
    ]);

    fs.appendFileSync(path.join(ws, 'repo/infra/stacks/dev.yaml'), '    broken:\n      metadata:\n        inherits: [phantom]\n');
    const bad = runDist('action', [], { env: actionEnv({ command: 'matrix', 'working-directory': 'repo/infra' }, ws).env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^::error file=infra\/stacks\/dev\.yaml,line=17::.*phantom/m);
  });

  it('refuses a working-directory that leads outside GITHUB_WORKSPACE, through .. or a committed link, naming the input', () => {
    const ws = tempDir('atmos-action-ws-');
    const outside = tempDir('atmos-action-outside-');
    writeTree(outside, { 'atmos.yaml': 'base_path: .\n' });
    fs.symlinkSync(outside, path.join(ws, 'infra'));
    for (const dir of ['infra', path.relative(ws, outside)]) {
      const r = runDist('action', [], { env: actionEnv({ command: 'matrix', 'working-directory': dir }, ws).env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^::error::input working-directory .* resolves to .*, outside GITHUB_WORKSPACE/m);
    }
  });

  it('the debug input prints the stack trace in the log (not as an annotation)', () => {
    const { env } = actionEnv({ command: 'describe', stack: 'nope', component: 'vpc', 'working-directory': 'examples', debug: 'true' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^::error/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^\s+at .+\.js:\d+/m);
    const quiet = runDist('action', [], { env: actionEnv({ command: 'describe', stack: 'nope', component: 'vpc', 'working-directory': 'examples' }).env });
    expect(quiet.stdout).not.toMatch(/^\s+at .+\.js:\d+/m);
  });
});

describe('dist/action on first contact (issue 7)', () => {
  const ATMOS =
    'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\n  name_pattern: "{stage}"\ncomponents:\n  terraform:\n    base_path: components/terraform\n';

  it('every configuration error is its own annotation, with file= and line=', () => {
    const ws = writeTree(tempDir('atmos-action-ws-'), {
      'atmos.yaml': ATMOS,
      'stacks/a.yaml': 'vars:\n  stage: a\ncomponents:\n  terraform:\n    x:\n      metadata:\n        inherits: [ghost]\n',
      'stacks/b.yaml': 'vars:\n  stage: b\ncomponents:\n  terraform:\n    y:\n      metadata:\n        inherits: [phantom]\n',
    });
    const { env, summary } = actionEnv({ command: 'matrix' }, ws);
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(/^::error file=stacks\/a\.yaml,line=7::.*ghost/);
    expect(annotations[1]).toMatch(/^::error file=stacks\/b\.yaml,line=7::.*phantom/);
    // a failed run still has a job summary saying why
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/atmos-action matrix failed[\s\S]*ghost/);
  });

  it('an empty selection: count 0, a warning with close names in the log and the job summary', () => {
    const { env, outputs, summary } = actionEnv({ command: 'matrix', 'working-directory': 'examples', components: 'vcp' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(0);
    expect(readOutputs(outputs).count).toBe('0');
    expect(r.stdout).toMatch(/^::warning::components "vcp" matches nothing; did you mean "vpc"\?/m);
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/components "vcp" matches nothing; did you mean "vpc"\?/);
  });

  it('an input that does not apply to the command is refused, by its input name', () => {
    const { env } = actionEnv({ command: 'matrix', 'working-directory': 'examples', stack: 'plat-ue2-dev' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error::input stack does not apply to command matrix \(it reads stacks, components, include-abstract, tool-versions, terraform-version, opentofu-version, max-legs, affected, base-ref, include-dependents\)/m,
    );
  });

  it('a working-directory that does not exist is said so', () => {
    const { env } = actionEnv({ command: 'matrix', 'working-directory': 'no/such/dir' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::input working-directory .*no\/such\/dir.*does not exist/m);
  });

  it('describe writes a job summary too', () => {
    const { env, summary } = actionEnv({ command: 'describe', 'working-directory': 'examples', stack: 'plat-ue2-dev', component: 'vpc' });
    expect(runDist('action', [], { env }).code).toBe(0);
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/### atmos-action describe[\s\S]*`vpc` in stack `plat-ue2-dev`/);
  });

  it('names from YAML are escaped in the job summary tables: a "|" never adds a column, a backtick never ends a code span', () => {
    const ws = writeTree(tempDir('atmos-action-ws-'), {
      'atmos.yaml':
        'base_path: "."\ncomponents:\n  terraform:\n    base_path: components\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\n  name_pattern: "{stage}"\n',
      'components/net/main.tf': '',
      'stacks/dev.yaml': 'vars:\n  stage: dev\ncomponents:\n  terraform:\n    "a|b`c":\n      metadata:\n        component: net\n',
    });
    const provision = actionEnv({ command: 'provision', workdir: 'true' }, ws);
    expect(runDist('action', [], { env: provision.env }).code).toBe(0);
    expect(fs.readFileSync(provision.summary, 'utf8')).toContain('| dev | a\\|b\\`c | created |');
    const describe = actionEnv({ command: 'describe', stack: 'dev', component: 'a|b`c' }, ws);
    expect(runDist('action', [], { env: describe.env }).code).toBe(0);
    expect(fs.readFileSync(describe.summary, 'utf8')).toContain('``a|b`c`` in stack `dev`');
  });

  it('clean names workdirs by instance, once, in action wording', () => {
    const ws = tempDir('atmos-action-ws-');
    copyExample(ws);
    expect(runDist('cli', ['workdir', 'provision', 'vpc', '-s', 'plat-ue2-prod', '--workdir', '-C', ws]).code).toBe(0);
    fs.writeFileSync(path.join(ws, '.workdir/terraform/plat-ue2-prod-vpc/terraform.tfstate'), '{}');
    const { env, summary } = actionEnv({ command: 'clean', all: 'true' }, ws);
    const r = runDist('action', [], { env });
    expect(r.code).toBe(0);
    const skipped = r.stdout.split('\n').filter((l) => /skipped/.test(l) && !l.startsWith('::debug::'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/^::warning::skipped vpc in stack plat-ue2-prod \(.*plat-ue2-prod-vpc\): .*set the input force: true/);
    expect(r.stdout.replace(/^::debug::.*$/gm, '')).not.toMatch(/--force/);
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/### atmos-action clean[\s\S]*0 workdir\(s\) removed, 1 skipped/);
  });
});
