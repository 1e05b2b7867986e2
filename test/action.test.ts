import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, cleanEnv, runDist, tempDir } from './helpers/fs.js';

/** Reads a GITHUB_OUTPUT file written by @actions/core (name<<delimiter\nvalue\ndelimiter). */
function readOutputs(file: string): Record<string, string> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3];
  return out;
}

function actionEnv(inputs: Record<string, string>): { env: Record<string, string>; outputs: string; summary: string } {
  const dir = tempDir('atmos-action-gh-');
  const outputs = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  for (const f of [outputs, summary, path.join(dir, 'env'), path.join(dir, 'path'), path.join(dir, 'state')]) fs.writeFileSync(f, '');
  const env = cleanEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: REPO_ROOT,
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
    expect(out.count).toBe('2');
    const m = JSON.parse(out.matrix) as { include: Record<string, string>[] };
    expect(m.include.map((e) => [e.stack, e.component, e.workdir])).toEqual([
      ['plat-ue2-dev', 'vpc', '.workdir/terraform/plat-ue2-dev-vpc'],
      ['plat-ue2-prod', 'vpc', '.workdir/terraform/plat-ue2-prod-vpc'],
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
    const { env } = actionEnv({ command: 'destroy-everything' });
    const r = runDist('action', [], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::input command must be one of matrix, describe/);
  });
});
