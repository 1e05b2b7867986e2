import { runAction, type ActionRun } from '../helpers/action-run.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/**
 * More instances than max-legs, through the bundled action as plan.yml and apply.yml run it: the
 * matrix packs them into legs, each leg plans its `instances` (reading only its manifests), and
 * apply-matrix packs a level the same way; every instance is planned and applied exactly once,
 * dependencies first. Real terraform, local state.
 */
function repo(root: string): string {
  const component = (name: string, extra = '') => `    ${name}:\n      metadata: { component: thing }\n      vars: { name: ${name} }\n${extra}`;
  return writeTree(root, {
    'atmos.yaml':
      'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_pattern: "{stage}"\n',
    'components/terraform/thing/main.tf':
      'variable "name" { type = string }\nvariable "stage" { type = string }\nresource "terraform_data" "thing" { input = var.name }\n',
    'stacks/dev.yaml': [
      'vars: { stage: dev }',
      'components:',
      '  terraform:',
      component('a'),
      component('b'),
      component('c', '      settings:\n        depends_on:\n          1: { component: a }\n'),
    ].join('\n'),
    'stacks/prod.yaml': ['vars: { stage: prod }', 'components:', '  terraform:', component('a')].join('\n'),
  });
}

const summary = (r: ActionRun) => JSON.parse(r.outputs.summary ?? '[]') as { instance: string; status: string }[];
const errors = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::error'));

it('a packed matrix, its legs planned by instances, a packed apply level, then the next level', async () => {
  const ws = repo(tempDir('atmos-action-packed-'));
  const step = async (inputs: Record<string, string>) => {
    const r = await runAction({ 'working-directory': '.', ...(inputs.command === 'matrix' ? {} : { 'plans-dir': 'plans' }), ...inputs }, { workspace: ws });
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    return r;
  };

  const m = await step({ command: 'matrix', 'max-legs': '2' });
  expect([m.outputs.count, m.outputs['instance-count']]).toEqual(['2', '4']);
  const legs = (JSON.parse(m.outputs.matrix!) as { include: Record<string, unknown>[] }).include;
  expect(legs).toEqual([
    { instances: 'dev:a,b', count: 2, manifest: 'stacks/dev.yaml', tool: 'terraform' },
    { instances: 'dev:c,prod:a', count: 2, manifest: 'stacks/dev.yaml,stacks/prod.yaml', tool: 'terraform' },
  ]);
  expect(m.summary).toContain('4 instance(s), packed into 2 legs');

  // Each leg plans its instances into the one plans directory (what the report job downloads).
  const planned: string[] = [];
  for (const leg of legs) {
    const r = await step({ command: 'plan', instances: String(leg.instances), manifest: String(leg.manifest), parallelism: '2' });
    planned.push(...summary(r).map((e) => `${e.instance} ${e.status}`));
  }
  expect(planned.sort()).toEqual(['dev:a changes', 'dev:b changes', 'dev:c changes', 'prod:a changes']);

  const levels = await step({ command: 'apply-matrix', 'max-legs': '1' });
  const byLevel = JSON.parse(levels.outputs.levels!) as { include: Record<string, unknown>[] }[];
  expect(byLevel).toEqual([
    { include: [{ instances: 'dev:a,b,prod:a', count: 3, manifest: 'stacks/dev.yaml,stacks/prod.yaml', tool: 'terraform' }] },
    { include: [{ stack: 'dev', component: 'c', instance: 'dev:c', manifest: 'stacks/dev.yaml', tool: 'terraform' }] },
  ]);

  const first = await step({ command: 'apply', instances: String(byLevel[0]!.include[0]!.instances), manifest: 'stacks/dev.yaml,stacks/prod.yaml' });
  expect(summary(first).map((e) => `${e.instance} ${e.status}`)).toEqual(['dev:a applied', 'dev:b applied', 'prod:a applied']);
  const second = await step({ command: 'apply', stack: 'dev', component: 'c', manifest: 'stacks/dev.yaml' });
  expect(summary(second).map((e) => `${e.instance} ${e.status}`)).toEqual(['dev:c applied']);
}, 180_000);

it('instances with stack or component is refused, naming both', async () => {
  const ws = repo(tempDir('atmos-action-packed-'));
  const r = await runAction({ command: 'plan', instances: 'dev:a', stack: 'dev' }, { workspace: ws });
  expect(r.code).not.toBe(0);
  expect(r.stdout).toContain('command plan takes instances (a packed matrix leg) alone, not with stack');
});
