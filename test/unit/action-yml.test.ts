import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ACTION_COMMANDS, INPUT_DEFAULTS, parseInputs, type ActionCommand } from '../../src/action/inputs.js';
import { REPO_ROOT } from '../helpers/fs.js';

describe('action.yml', () => {
  const manifest = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  };

  it('declares exactly the inputs the action reads, each with a description and a default', () => {
    const read = new Set<string>();
    // Each command reads its own inputs; the minimum each needs to validate is filled in.
    const needs: Record<ActionCommand, Record<string, string>> = {
      matrix: {},
      describe: { stack: 'dev', component: 'vpc' },
      provision: {},
      clean: { all: 'true' },
      plan: {},
      comment: {},
      apply: {},
      'find-plans': { 'github-token': 't' },
      'apply-matrix': {},
      'drift-issues': { 'github-token': 't' },
    };
    for (const command of ACTION_COMMANDS) {
      parseInputs((name) => {
        read.add(name);
        return { ...needs[command], command }[name] ?? manifest.inputs[name]?.default ?? '';
      });
    }
    expect([...read].sort()).toEqual(Object.keys(manifest.inputs).sort());
    for (const [name, input] of Object.entries(manifest.inputs)) {
      expect(`${name}: ${input.description ? 'described' : 'no description'}`).toBe(`${name}: described`);
      expect(input.default).toBeDefined();
    }
  });

  it('the defaults the input check treats as "not set" are action.yml\'s', () => {
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) expect(`${name}=${manifest.inputs[name]?.default}`).toBe(`${name}=${value}`);
    for (const [name, input] of Object.entries(manifest.inputs)) {
      if (!(name in INPUT_DEFAULTS) && !['command', 'working-directory', 'debug'].includes(name)) expect(`${name}=${input.default}`).toBe(`${name}=`);
    }
  });

  it('runs the committed bundle on node24', () => {
    expect(manifest.runs.using).toBe('node24');
    expect(fs.existsSync(path.join(REPO_ROOT, manifest.runs.main))).toBe(true);
  });

  it('documents every output the action sets', () => {
    const set = new Set<string>();
    for (const f of ['src/action/run.ts', 'src/action/legs.ts', 'src/action/drift.ts']) {
      for (const m of fs.readFileSync(path.join(REPO_ROOT, f), 'utf8').matchAll(/setOutput\(\s*'([\w-]+)'/g)) set.add(m[1]);
    }
    expect([...set].sort()).toEqual(Object.keys(manifest.outputs).sort());
  });
});

describe('workflows', () => {
  const dir = path.join(REPO_ROOT, '.github/workflows');
  it.each(fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))('%s is valid YAML with jobs and least-privilege permissions', (f) => {
    const wf = parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { jobs?: Record<string, unknown>; permissions?: Record<string, string> };
    expect(Object.keys(wf.jobs ?? {}).length).toBeGreaterThan(0);
    expect(wf.permissions).toEqual({ contents: 'read' });
  });
});

describe('inputs of plan, comment and apply', () => {
  const parse = (inputs: Record<string, string>) => () => parseInputs((n) => inputs[n] ?? '');
  it('name the bad input in one message', () => {
    expect(parse({ command: 'plan', stack: 'dev' })).toThrow(
      'command plan takes stack and component together (one instance), or neither (stacks/components globs)',
    );
    // One instance or globs, never both quietly: the globs used to be ignored.
    expect(parse({ command: 'apply', stack: 'dev', component: 'vpc', components: 'db' })).toThrow(
      'command apply takes stack and component (one instance) or stacks/components (globs), not both',
    );
    expect(parse({ command: 'provision', workdir: 'on' })).not.toThrow();
    expect(parse({ command: 'apply', parallelism: '0' })).toThrow('input parallelism must be a positive integer, not "0"');
    expect(parse({ command: 'comment', 'pull-request': '#7' })).toThrow('input pull-request must be a pull request number, not "#7"');
    expect(parse({ command: 'comment', 'comment-id': 'a b' })).toThrow(/input comment-id may hold letters/);
    expect(parse({ command: 'find-plans' })).toThrow('command find-plans needs the input github-token (with actions: read)');
    expect(parse({ command: 'find-plans', 'github-token': 't', 'head-sha': 'abc' })).toThrow(/input head-sha must be a full commit SHA/);
    expect(parse({ command: 'comment', stack: 'dev' })).toThrow(
      /input stack does not apply to command comment \(it reads plans-dir, github-token, pull-request, comment-id\)/,
    );
  });
  it('give each command a typed settings object', () => {
    expect(parseInputs((n) => ({ command: 'plan', stacks: 'a, b', 'encryption-key': ' k ' })[n] ?? '')).toEqual({
      command: 'plan',
      workingDirectory: '.',
      debug: false,
      target: { stacks: ['a', 'b'], components: [] },
      plansDir: '',
      parallelism: 4,
      encryptionKey: ' k ',
    });
    expect(parseInputs((n) => ({ command: 'comment', 'pull-request': '12' })[n] ?? '')).toMatchObject({
      pullRequest: 12,
      commentId: 'plan',
      githubToken: undefined,
    });
  });
});
