import fs from 'node:fs';
import path from 'node:path';
import { runDist } from '../helpers/fs.js';
import { cli, jsonResults, makeRepo, workdirOf } from './helpers.js';

describe('plan/apply/destroy exit codes and outputs', () => {
  it('one instance: plain lines, --detailed-exitcode 2 on changes, apply --planfile applies that plan, then 0', async () => {
    const repo = makeRepo({ app: {}, other: { vars: { fail: true } } });
    const plan = await cli(['plan', 'app', '-s', 'dev', '--detailed-exitcode', '--format', 'json', '-C', repo.dir], repo.env);
    expect(plan.code).toBe(2);
    // One instance: terraform's lines are relayed as they are, without a prefix.
    expect(plan.stderr).toMatch(/^Terraform has been successfully initialized!$/m);
    const parsed = JSON.parse(plan.stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({ action: 'plan', cancelled: false, wall_ms: expect.any(Number) });
    const app = jsonResults(plan).app!;
    expect(app).toMatchObject({ instance: 'dev:app', status: 'changes', counts: { add: 1, change: 0, destroy: 0 }, duration_ms: expect.any(Number) });
    expect(app.steps.map((s) => s.step)).toEqual(['provision', 'init', 'workspace', 'plan', 'show']);
    expect(plan.stdout).not.toMatch(/durationMs|planFile/);

    // Without the flag, changes are success.
    expect((await cli(['plan', 'app', '-s', 'dev', '-C', repo.dir], repo.env)).code).toBe(0);

    const planfile = path.relative(workdirOf(repo, 'app'), app.planfile!);
    const apply = await cli(['apply', 'app', '-s', 'dev', '--planfile', planfile, '-C', repo.dir], repo.env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/^app@dev +applied \+1 ~0 -0 +\d/m);
    expect(apply.stderr).not.toMatch(/Terraform will perform the following actions/); // no new plan was made

    const replan = await cli(['plan', 'app', '-s', 'dev', '--detailed-exitcode', '-C', repo.dir], repo.env);
    expect(replan.code).toBe(0);
    expect(replan.stdout).toMatch(/^app@dev +no changes/m);

    const failed = await cli(['plan', 'other', '-s', 'dev', '--detailed-exitcode', '-C', repo.dir], repo.env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^other@dev +failed: plan failed: Resource precondition failed/m);
  }, 120_000);

  it('without terraform on PATH: one clear error before anything runs, naming the command', async () => {
    const repo = makeRepo({ a: {}, b: {} });
    const r = runDist('cli', ['plan', '--all', '-C', repo.dir], { env: { ...repo.env, PATH: path.dirname(process.execPath) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: 2 selected instances: the terraform command "terraform" was not found on PATH\. Install terraform/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(repo.dir, '.workdir'))).toBe(false);
  });

  it('documents its flags, and refuses mixing a component with a selection', () => {
    const help = runDist('cli', ['plan', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--all', '--stacks', '--components', '--parallelism', '--max-concurrency', '--keep-going', '--format', '--detailed-exitcode'])
      expect(help.stdout).toContain(flag);
    expect(runDist('cli', ['apply', '--help']).stdout).toContain('--planfile FILE');
    expect(runDist('cli', ['destroy', '--help']).stdout).toMatch(/after every selected\s+instance that depends on it/);
    const mixed = runDist('cli', ['plan', 'app', '-s', 'dev', '--all']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/cannot be combined with a component/);
    const both = runDist('cli', ['plan', '--all', '--parallelism', '2', '--max-concurrency', '3']);
    expect(both.code).toBe(2);
  });
});
