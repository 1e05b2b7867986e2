/** apply-matrix's level entries name a manifest by the matrix's rule: only when one manifest alone defines the instance. */
import path from 'node:path';
import { applyLevels } from '../../src/app/find-plans.js';
import { openProject } from '../../src/app/project.js';
import { memoryLog } from '../../src/ports/log.js';
import { writePlanFolder } from '../../src/terraform/plan-store.js';
import { tempDir } from '../helpers/fs.js';
import { planResult } from '../helpers/plans.js';
import { FIXTURES } from '../semantics/helpers.js';

async function plansFor(instances: [string, string][]): Promise<string> {
  const dir = tempDir('atmos-levels-');
  for (const [stack, component] of instances) {
    const instance = `${stack}:${component}`;
    await writePlanFolder(dir, {
      meta: {
        instance,
        stack,
        component,
        commitSha: 'c'.repeat(40),
        configSha256: '1'.repeat(64),
        lockFileSha256: null,
        files: {},
        terraformVersion: null,
        stackFile: '',
        createdAt: '2026-01-01T00:00:00Z',
      },
      result: { instance, stack, component, status: 'changes', reason: '', plan: planResult({ add: ['terraform_data.x'] }), durationMs: 1 },
    });
  }
  return dir;
}

it('a level entry names the manifest of an instance one manifest defines, and none for one that two manifests define', async () => {
  // `vpc` is defined (identically) by deploy/a.yaml and deploy/b.yaml; `only-a` by a.yaml alone.
  const cwd = path.join(FIXTURES, 'naming-dup-identical');
  const project = openProject({ cwd }, { env: {}, log: memoryLog() });
  const plansDir = await plansFor([
    ['dev', 'vpc'],
    ['dev', 'only-a'],
  ]);
  const levels = applyLevels(project, { plansDir });
  expect(levels.flat().map((l) => [l.instance, l.manifest])).toEqual([
    ['dev:only-a', 'stacks/deploy/a.yaml'],
    ['dev:vpc', ''],
  ]);
});
