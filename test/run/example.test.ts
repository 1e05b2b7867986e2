import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { copyExample, REPO_ROOT, tempDir } from '../helpers/fs.js';
import { requireTerraform, terraformTestEnv } from '../terraform/helpers.js';
import { cli } from './helpers.js';

/** README's first Quick start line: a parallel plan of the bundled example, in dependency order, offline. */
describe('plan --all on the bundled example', () => {
  it('plans all 9 instances (the templated staging stack included), each after its dependencies, and leaves nothing in the repository but gitignored workdirs', async () => {
    requireTerraform();
    const ws = tempDir('atmos-action-example-');
    copyExample(ws);
    const r = await cli(['plan', '--all', '--parallelism', '4', '-C', ws], terraformTestEnv(tempDir('atmos-action-example-home-')));
    expect(`${r.code} ${r.code ? r.stderr.slice(-1500) : ''}`).toBe('0 ');
    expect(r.stdout).toMatch(/^plan: 9 instance\(s\), 9 changes;/m);
    // The example ships the lock files `terraform providers lock` writes for its (provider-less) root modules.
    expect(r.stderr).not.toMatch(/no \.terraform\.lock\.hcl/);
    expect(r.stderr).toContain('[vpc@plat-ue2-dev] workdir plat-ue2-dev/vpc: .terraform.lock.hcl seeded from .terraform.lock.hcl');
    const lines = r.stderr.split('\n');
    const first = (who: string) => lines.findIndex((l) => l.startsWith(`[${who}] `));
    const last = (who: string) => lines.length - 1 - [...lines].reverse().findIndex((l) => l.startsWith(`[${who}] `));
    for (const stack of ['plat-ue2-dev', 'plat-ue2-prod']) {
      for (const c of ['elasticache-cache', 'elasticache-sessions', 'elasticache-queue']) expect(first(`${c}@${stack}`)).toBeGreaterThan(last(`vpc@${stack}`));
      expect(first(`elasticache-queue@${stack}`)).toBeGreaterThan(last(`elasticache-sessions@${stack}`));
    }
    expect(fs.readdirSync(ws).sort()).toEqual(['.workdir', 'atmos.yaml', 'components', 'stacks']);
    // The repository ignores what the run leaves in examples/.
    const ignored = spawnSync('git', ['check-ignore', '-q', 'examples/.workdir/terraform/plat-ue2-dev-vpc/x.planfile'], { cwd: REPO_ROOT });
    expect(ignored.status).toBe(0);
  }, 60_000);
});
