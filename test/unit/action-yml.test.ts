import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ACTION_COMMANDS, parseInputs, type ActionCommand } from '../../src/action/inputs.js';
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

  it('runs the committed bundle on node24', () => {
    expect(manifest.runs.using).toBe('node24');
    expect(fs.existsSync(path.join(REPO_ROOT, manifest.runs.main))).toBe(true);
  });

  it('documents every output the action sets', () => {
    const set = new Set<string>();
    for (const f of ['src/action/run.ts', 'src/action/legs.ts']) {
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
