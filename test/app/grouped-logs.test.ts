/**
 * The action's plan and apply write one log group per instance: the runner hands each instance
 * its own log, so the lines of an instance land in its group whatever its name holds.
 */
import { readEnvSettings } from '../../src/app/env-settings.js';
import { runGrouped } from '../../src/app/plan-legs.js';
import { openProject } from '../../src/app/project.js';
import { systemClock } from '../../src/ports/clock.js';
import { memoryLog } from '../../src/ports/log.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { BASE_MODULE } from '../run/helpers.js';
import { requireTerraform, terraformTestEnv } from '../terraform/helpers.js';

beforeAll(() => requireTerraform());

it('puts each instance’s terraform lines in its own group, even when its name holds "] "', async () => {
  const dir = tempDir('atmos-groups-');
  // A name with "] " in it: a prefix "[<component>@<stack>] " read back from the line would cut it short.
  const instances = ['web] blue', 'db'];
  const components = Object.fromEntries(
    instances.map((name, n) => [name, { metadata: { component: 'base', terraform_workspace: `ws${n}` }, vars: { name: `n${n}` } }]),
  );
  writeTree(dir, {
    'atmos.yaml':
      'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\n  name_pattern: "{stage}"\n',
    'components/terraform/base/main.tf': BASE_MODULE,
    'stacks/dev.yaml': JSON.stringify({ vars: { stage: 'dev' }, terraform: { backend_type: 'local' }, components: { terraform: components } }),
  });
  const env = terraformTestEnv(dir);
  const log = memoryLog();
  const groups: { title: string; lines: string[] }[] = [];
  const ports = {
    env,
    // No providers to store: the builtin terraform_data only.
    envSettings: readEnvSettings({ ...env, ATMOS_ACTION_PROVIDER_STORE: 'off' }),
    log,
    clock: systemClock,
    exec: nodeExec,
    group: async <T>(title: string, fn: () => Promise<T>): Promise<T> => {
      const before = log.lines.length;
      const r = await fn();
      groups.push({ title, lines: log.lines.slice(before) });
      return r;
    },
  };
  const report = await runGrouped(
    openProject({ cwd: dir }, ports),
    { action: 'plan', target: { stacks: [], components: [] }, parallelism: 2, keepGoing: true },
    2,
    () => 'plan',
    ports,
  );
  expect(report.results.map((r) => `${r.component}: ${r.status}`)).toEqual(['db: changes', 'web] blue: changes']);
  expect(groups.map((g) => g.title)).toEqual(['plan dev / db: changes', 'plan dev / web] blue: changes']);
  for (const g of groups) {
    expect(g.lines).toContainEqual('info: Terraform has been successfully initialized!');
    expect(g.lines.filter((l) => /terraform_data\.this will be created/.test(l))).toHaveLength(1);
  }
}, 60_000);
