import fs from 'node:fs';
import path from 'node:path';
import { memoryLog, prefixedLog } from '../../src/ports/log.js';
import { systemClock } from '../../src/ports/clock.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { instanceOf } from '../../src/stacks/instance.js';
import { findInstance, resolveStacks } from '../../src/stacks/resolve.js';
import { loadAtmosConfig } from '../../src/config/load.js';
import { runInstance, type RunAction, type RunInstanceRequest } from '../../src/terraform/run-instance.js';
import { provisionWorkdir } from '../../src/workdir/provision.js';
import { readFiles, writeFiles } from '../workdir/helpers.js';
import { requireTerraform, tempDir, terraformTestEnv } from './helpers.js';

/** Only the sensitive output carries this: it must reach neither the log nor the result. */
const SENSITIVE = 'sensitive-marker-7f3a';
const LOCK_FILE = '# This file is maintained automatically by "terraform init".\n# committed by the team\n';

const STACK = (backend: string) => `vars:
  stage: dev
terraform:
  backend_type: local
  backend:
    local: ${backend}
components:
  terraform:
    app/defaults:
      metadata:
        type: abstract
        component: app
      vars:
        generation: "1"
    app-1:
      metadata:
        component: app
        inherits: [app/defaults]
      vars:
        name: one
    app-locked:
      metadata:
        component: app
        inherits: [app/defaults]
        locked: true
      vars:
        name: locked
    app-off:
      metadata:
        component: app
        inherits: [app/defaults]
        enabled: false
    app-broken:
      metadata:
        component: app
        inherits: [app/defaults]
`;

function atmosRepo(root: string): string {
  const repo = path.join(root, 'repo');
  writeFiles(repo, {
    'atmos.yaml':
      'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\n    auto_generate_backend_file: true\n' +
      'stacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\n',
    'stacks/deploy/dev.yaml': STACK('{}'),
    'components/terraform/app/main.tf': [
      'variable "name" {\n  type = string\n}\nvariable "generation" {\n  type = string\n}',
      'resource "terraform_data" "app" {\n  input = var.name\n}',
      'resource "terraform_data" "server" {\n  input            = "server"\n  triggers_replace = [var.generation]\n}',
      'output "name" {\n  value = terraform_data.app.output\n}',
      `output "token" {\n  value     = "${SENSITIVE}-\${var.name}"\n  sensitive = true\n}\n`,
    ].join('\n'),
    'components/terraform/app/.terraform.lock.hcl': LOCK_FILE,
  });
  return repo;
}

let root: string;
let repo: string;
let env: Record<string, string>;
const log = memoryLog();
const ports = { exec: nodeExec, log, clock: systemClock };

beforeAll(() => {
  requireTerraform();
  root = tempDir('atmos-run-');
  repo = atmosRepo(root);
  env = terraformTestEnv(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Resolve, provision, run: what the CLI will do for `atmos-action <action> <component> -s dev`. */
async function run(component: string, action: RunAction, extra: Partial<RunInstanceRequest> = {}) {
  const config = loadAtmosConfig({ cwd: repo, env: {} });
  const instance = findInstance(resolveStacks(config), component, 'dev');
  const wd = await provisionWorkdir(instance, { basePath: config.basePath }, ports);
  const result = await runInstance(
    { instance, action, workdir: wd.terraformDir, reprovisioned: wd.changed, settings: config.terraform, env, ...extra },
    // The instance's own log: the runner gives each instance one (here prefixed, as the CLI's when several run).
    { ...ports, log: prefixedLog(log, `[${component}] `) },
  );
  return { result, workdir: wd.terraformDir };
}

describe('one instance with real terraform, in its workdir', () => {
  it('plan → apply the saved plan → no-change re-plan → destroy, leaving the source folder byte-identical', async () => {
    const source = path.join(repo, 'components/terraform/app');
    const before = readFiles(source, []);

    const plan = await run('app-1', 'plan');
    expect(plan.result).toMatchObject({ instance: 'dev:app-1', action: 'plan', status: 'changes', reason: '+2 ~0 -0 outputs 2' });
    expect(plan.result.plan?.add).toEqual(['terraform_data.app', 'terraform_data.server']);
    expect(plan.result.steps.map((s) => s.step)).toEqual(['init', 'workspace', 'plan', 'show']);
    expect(plan.result.planfile).toBe(path.join(plan.workdir, 'dev-app-1.planfile'));
    expect(fs.existsSync(plan.result.planfile!)).toBe(true);
    // The generated files sit in the workdir with Atmos's names.
    expect(JSON.parse(fs.readFileSync(path.join(plan.workdir, 'backend.tf.json'), 'utf8'))).toEqual({ terraform: { backend: { local: {} } } });
    expect(JSON.parse(fs.readFileSync(path.join(plan.workdir, 'dev-app-1.terraform.tfvars.json'), 'utf8'))).toEqual({
      generation: '1',
      name: 'one',
      stage: 'dev',
    });
    // terraform's own output reaches the log, prefixed; the plan JSON (values in clear text) does not.
    expect(log.lines).toContainEqual(expect.stringMatching(/^info: \[app-1\] .*terraform_data\.app will be created/));
    expect(log.lines.join('\n')).not.toContain(SENSITIVE);

    const apply = await run('app-1', 'apply', { planfile: plan.result.planfile });
    expect(apply.result).toMatchObject({ status: 'applied', reason: 'applied the saved plan (+2 ~0 -0 outputs 2)' });
    expect(apply.result.steps.map((s) => s.step)).toEqual(['init', 'workspace', 'show', 'apply']);
    // State lives in the workdir, in the instance's own workspace.
    const state = path.join(apply.workdir, 'terraform.tfstate.d', 'dev-app-1', 'terraform.tfstate');
    expect(JSON.parse(fs.readFileSync(state, 'utf8')).outputs.name.value).toBe('one');

    const again = await run('app-1', 'plan');
    expect(again.result).toMatchObject({ status: 'no-changes', reason: 'no changes' });
    expect(again.result.plan?.hasChanges).toBe(false);
    // apply without a saved plan plans afresh, and applies nothing when nothing changes.
    const noop = await run('app-1', 'apply');
    expect(noop.result).toMatchObject({ status: 'no-changes' });
    expect(noop.result.steps.map((s) => s.step)).toEqual(['init', 'workspace', 'plan', 'show']);

    const destroy = await run('app-1', 'destroy');
    expect(destroy.result).toMatchObject({ status: 'destroyed', reason: '+0 ~0 -2 outputs 2' });
    expect(destroy.result.plan?.destroy).toEqual(['terraform_data.app', 'terraform_data.server']);
    expect(destroy.result.planfile).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(state, 'utf8')).resources).toEqual([]);

    expect(readFiles(source, [])).toEqual(before);
    expect(fs.readFileSync(path.join(source, '.terraform.lock.hcl'), 'utf8')).toBe(LOCK_FILE);
    expect(log.lines.join('\n')).not.toContain(SENSITIVE);
  });

  it('a changed backend configuration re-initialises the workdir instead of stopping at "Backend configuration changed"', async () => {
    await run('app-1', 'plan');
    fs.writeFileSync(path.join(repo, 'stacks/deploy/dev.yaml'), STACK('{ workspace_dir: states }'));
    try {
      // A fresh state under the new workspace_dir: apply plans and applies in one go.
      const moved = await run('app-1', 'apply');
      expect(moved.result).toMatchObject({ status: 'applied', reason: '+2 ~0 -0 outputs 2' });
      expect(moved.result.steps.map((s) => s.step)).toEqual(['init', 'workspace', 'plan', 'show', 'apply']);
      expect(JSON.parse(fs.readFileSync(path.join(moved.workdir, 'backend.tf.json'), 'utf8'))).toEqual({
        terraform: { backend: { local: { workspace_dir: 'states' } } },
      });
      expect(fs.existsSync(path.join(moved.workdir, 'states', 'dev-app-1', 'terraform.tfstate'))).toBe(true);
    } finally {
      fs.writeFileSync(path.join(repo, 'stacks/deploy/dev.yaml'), STACK('{}'));
    }
  });

  it('refuses to apply or destroy a locked instance but plans it; skips a disabled one saying why; never runs an abstract one', async () => {
    const locked = await run('app-locked', 'apply');
    expect(locked.result).toMatchObject({ status: 'failed', reason: expect.stringMatching(/locked \(metadata\.locked: true\): apply is refused/) });
    expect(locked.result.steps).toEqual([]);
    expect((await run('app-locked', 'destroy')).result.status).toBe('failed');
    expect((await run('app-locked', 'plan')).result.status).toBe('changes');

    expect((await run('app-off', 'plan')).result).toMatchObject({ status: 'skipped', reason: 'disabled (metadata.enabled: false)' });
    const abstract = findInstance(resolveStacks(loadAtmosConfig({ cwd: repo, env: {} })), 'app/defaults', 'dev');
    const r = await runInstance(
      {
        instance: abstract,
        action: 'plan',
        workdir: root,
        reprovisioned: false,
        settings: { autoGenerateBackendFile: true, initRunReconfigure: false, initPassVars: false },
        env,
      },
      ports,
    );
    expect(r).toMatchObject({ status: 'failed', reason: expect.stringMatching(/abstract/), steps: [] });
  });
});

describe('a failing plan', () => {
  it("fails naming terraform's error, and never leaves an older plan file behind for an apply to pick up", async () => {
    const first = await run('app-broken', 'plan');
    expect(first.result).toMatchObject({ status: 'failed', reason: 'plan failed: No value for required variable' });
    fs.writeFileSync(first.result.planfile!, 'an older plan');
    const second = await run('app-broken', 'plan');
    expect(second.result.status).toBe('failed');
    expect(fs.existsSync(second.result.planfile!)).toBe(false);
    expect(second.result.steps.map((s) => `${s.step}:${s.code}`)).toEqual(['init:0', 'workspace:0', 'plan:1']);
    // terraform's own lines are relayed live, as info (the exit code is unknown while it runs); the failure is reported once, in the result.
    expect(log.lines).toContainEqual(expect.stringMatching(/^info: \[app-broken\] .*Error: No value for required variable/));
    expect(log.lines.filter((l) => l.startsWith('warn:') || l.startsWith('error:'))).toEqual([]);
  });
});

describe('guards that need no terraform run', () => {
  const settings = { autoGenerateBackendFile: true, initRunReconfigure: false, initPassVars: false };

  it('stops when the source folder of a local-backend instance already holds state, and writes nothing', async () => {
    const dir = tempDir('atmos-run-guard-');
    try {
      const source = path.join(dir, 'src');
      const wd = path.join(dir, 'wd');
      writeFiles(source, { 'main.tf': '', 'terraform.tfstate.d/dev/terraform.tfstate': '{}' });
      fs.mkdirSync(wd);
      const instance = instanceOf({ stack: 'dev', component: 'app', componentPath: source, backendType: 'local' });
      const r = await runInstance({ instance, action: 'plan', workdir: wd, reprovisioned: true, settings, env }, ports);
      expect(r.status).toBe('failed');
      expect(r.reason).toMatch(/holds local state \(terraform\.tfstate\.d\); state is never silently forked into a workdir/);
      expect(fs.readdirSync(wd)).toEqual([]);
      // Terraform is never run in the shared source folder itself.
      const inSource = await runInstance(
        {
          instance: instanceOf({ stack: 'dev', component: 'app', componentPath: source, backendType: 's3' }),
          action: 'plan',
          workdir: source,
          reprovisioned: true,
          settings,
          env,
        },
        ports,
      );
      expect(inSource.reason).toMatch(/refusing to run terraform in the shared source folder/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the missing terraform command and says how to set it', async () => {
    const dir = tempDir('atmos-run-nocmd-');
    try {
      const instance = instanceOf({
        stack: 'dev',
        component: 'app',
        componentPath: path.join(dir, 'src'),
        backendType: 'local',
        command: 'terraform-not-installed',
      });
      const r = await runInstance({ instance, action: 'plan', workdir: dir, reprovisioned: true, settings, env }, ports);
      expect(r.status).toBe('failed');
      expect(r.reason).toMatch(/component app in stack dev: the terraform command "terraform-not-installed" was not found on PATH/);
      expect(r.reason).toMatch(/`command:` on the component .*`components\.terraform\.command` in atmos\.yaml/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
