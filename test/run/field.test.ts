import fs from 'node:fs';
import path from 'node:path';
import { cli, jsonResults, makeRepo, snapshot, workdirOf, type InstanceSpec } from './helpers.js';

/**
 * The field scenario: twelve instances of one root module planned and applied at once, each in its
 * own workdir, with real terraform; the shared source folder and its committed lock file untouched.
 */
const NAMES = Array.from({ length: 12 }, (_, i) => `cache-${String(i + 1).padStart(2, '0')}`);
const LOCK = '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';

describe('plan --all / apply --all over 12 instances sharing one base component', () => {
  it('gives each its own plan and state, then re-plans with no changes; the source folder stays byte-identical', async () => {
    const repo = makeRepo(Object.fromEntries(NAMES.map((n): [string, InstanceSpec] => [n, {}])), { 'components/terraform/base/.terraform.lock.hcl': LOCK });
    const source = path.join(repo.dir, 'components/terraform/base');
    const before = snapshot(source);

    const plan = await cli(['plan', '--all', '--parallelism', '12', '--format', 'json', '-C', repo.dir], repo.env);
    expect(`${plan.code}\n${plan.code ? plan.stderr.slice(-2000) : ''}`).toBe('0\n');
    const planned = jsonResults(plan);
    expect(Object.keys(planned).sort()).toEqual(NAMES);
    const planfiles = new Set<string>();
    for (const n of NAMES) {
      expect(`${n}: ${planned[n]!.status} ${planned[n]!.reason}`).toBe(`${n}: changes +1 ~0 -0 outputs 1`);
      // Each plan lives in the instance's own workdir.
      expect(path.dirname(planned[n]!.planfile!)).toBe(workdirOf(repo, n));
      expect(fs.existsSync(planned[n]!.planfile!)).toBe(true);
      planfiles.add(planned[n]!.planfile!);
    }
    expect(planfiles.size).toBe(12);
    // Several instances ran: every relayed terraform line names its instance.
    expect(plan.stderr).toMatch(/^\[cache-07@dev\] Terraform has been successfully initialized!$/m);

    const apply = await cli(['apply', '--auto-approve', '--all', '--parallelism', '12', '-C', repo.dir], repo.env);
    expect(apply.code).toBe(0);
    for (const n of NAMES) expect(apply.stdout).toMatch(new RegExp(`^${n}@dev +applied \\+1 ~0 -0 +\\d+\\.\\ds$`, 'm'));
    for (const n of NAMES) {
      // Atmos names the workspace <stack>-<component> when the base component differs.
      const state = JSON.parse(fs.readFileSync(path.join(workdirOf(repo, n), `terraform.tfstate.d/dev-${n}/terraform.tfstate`), 'utf8')) as {
        outputs: { name: { value: string } };
      };
      expect(state.outputs.name.value).toBe(n);
    }

    const again = await cli(['plan', '--all', '--parallelism', '12', '--detailed-exitcode', '-C', repo.dir], repo.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/plan: 12 instance\(s\), 12 no changes;/);
    expect(snapshot(source)).toEqual(before);
    expect(fs.readdirSync(source).sort()).toEqual(['.terraform.lock.hcl', 'main.tf']);
  }, 180_000);
});
