import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runAction } from '../helpers/action-run.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { terraformTestEnv } from '../terraform/helpers.js';
import { cli, makeRepo, processesUnder, signalWhen, workdirOf } from './helpers.js';

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('nothing is lost when our process dies', () => {
  it('kill -9 of the action mid-apply: terraform still completes and saves its state; the next run shows its output and sweeps the decrypted planfile', async () => {
    const KEY = 'kill-nine-test-encryption-key';
    // slow's provisioner waits for the line `go`, which the test writes once our process is dead.
    const repo = makeRepo({ slow: { vars: { wait_for: 'go' } } });
    const runnerTemp = tempDir('atmos-action-runner-temp-');
    const env = { ...repo.env, RUNNER_TEMP: runnerTemp };
    const plans = path.join(repo.dir, 'plans');
    const plan = await runAction({ command: 'plan', stack: 'dev', component: 'slow', 'plans-dir': plans, 'encryption-key': KEY }, { workspace: repo.dir, env });
    expect(plan.code).toBe(0);

    let kill: { sent: () => boolean } | undefined;
    const apply = await runAction(
      { command: 'apply', 'plans-dir': plans, 'encryption-key': KEY },
      {
        workspace: repo.dir,
        env,
        onSpawn: (child) => {
          // Once terraform is inside the provisioner (the resource exists, the state is not saved yet): SIGKILL.
          kill = signalWhen(child, () => repo.readEvents().includes('start slow'), 'SIGKILL');
        },
      },
    );
    expect(kill!.sent()).toBe(true);
    expect(apply.code).not.toBe(0);
    expect(processesUnder(repo.dir).length).toBeGreaterThan(0); // terraform outlived us
    fs.appendFileSync(repo.events, 'go\n');
    await until('the orphaned terraform to finish', () => processesUnder(repo.dir).length === 0);
    expect(repo.readEvents()).toEqual(['start slow', 'go', 'end slow']);
    const states = path.join(workdirOf(repo, 'slow'), 'terraform.tfstate.d');
    const state = JSON.parse(fs.readFileSync(path.join(states, fs.readdirSync(states)[0]!, 'terraform.tfstate'), 'utf8')) as { resources: { type: string }[] };
    expect(state.resources.map((r) => r.type)).toEqual(['terraform_data']);
    // The decrypted planfile is still there: nobody was left to remove it.
    expect(fs.readdirSync(runnerTemp).filter((n) => n.startsWith('atmos-apply-'))).toHaveLength(1);

    // The next run: the leftover planfile folder is swept, and terraform's output from then is shown.
    const again = await runAction({ command: 'apply', 'plans-dir': plans, 'encryption-key': KEY }, { workspace: repo.dir, env });
    expect(fs.readdirSync(runnerTemp).filter((n) => n.startsWith('atmos-apply-'))).toEqual([]);
    expect(again.stdout).toMatch(/output of terraform \(pid \d+, stdout\) from an earlier run; atmos-action was stopped before it ended:/);
    expect(again.stdout).toMatch(/Apply complete! Resources: 1 added/);
    expect(fs.readdirSync(path.join(workdirOf(repo, 'slow'), '.atmos/terraform-output'))).toEqual([]);
  }, 120_000);
});

describe('two applies of one plans directory at once', () => {
  it('apply each instance once: the other one finds the state locked or the plan stale, and no decrypted planfile is left', async () => {
    const KEY = 'concurrent-applies-encryption-key';
    const repo = makeRepo({ a: { vars: { sleep: 1 } }, b: { vars: { sleep: 1 } } });
    const runnerTemp = tempDir('atmos-action-runner-temp-');
    const env = { ...repo.env, RUNNER_TEMP: runnerTemp };
    const plans = path.join(repo.dir, 'plans');
    expect((await runAction({ command: 'plan', stacks: '*', 'plans-dir': plans, 'encryption-key': KEY }, { workspace: repo.dir, env })).code).toBe(0);
    const both = await Promise.all([1, 2].map(() => runAction({ command: 'apply', 'plans-dir': plans, 'encryption-key': KEY }, { workspace: repo.dir, env })));
    expect(
      repo
        .readEvents()
        .filter((e) => e.startsWith('start '))
        .sort(),
    ).toEqual(['start a', 'start b']);
    expect(both.map((r) => r.code).sort()).toEqual(expect.arrayContaining([1])); // at least one of them refused by terraform
    expect(fs.readdirSync(runnerTemp).filter((n) => n.startsWith('atmos-apply-'))).toEqual([]);
  }, 120_000);
});

describe('terraform cannot save its state', () => {
  it('the state it prints instead (sensitive values too) goes to a 0600 file named in the log, never into the log', async () => {
    const SECRET = 's3cr3t-value-only-in-state';
    // An http state backend that cannot store anything.
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.method === 'GET' ? 404 : 500);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/state`;
      const dir = tempDir('atmos-action-dump-');
      writeTree(dir, {
        'atmos.yaml':
          'base_path: "."\ncomponents:\n  terraform:\n    base_path: components\n    auto_generate_backend_file: true\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_pattern: "{stage}"\n',
        'components/app/main.tf': [
          'variable "secret" {',
          '  type      = string',
          '  sensitive = true',
          '}',
          'resource "terraform_data" "x" {',
          '  input = var.secret',
          // Where terraform would write errored.tfstate, a folder: so its last resort is to print the state.
          '  provisioner "local-exec" { command = "mkdir -p errored.tfstate && touch errored.tfstate/keep" }',
          '}',
        ].join('\n'),
        'stacks/dev.yaml': JSON.stringify({
          vars: { stage: 'dev' },
          terraform: { backend_type: 'http', backend: { http: { address, retry_max: 0, retry_wait_min: 0 } } },
          components: { terraform: { app: { vars: { secret: SECRET } } } },
        }),
      });
      const tmp = tempDir('atmos-action-dump-tmp-');
      const r = await cli(['apply', 'app', '-s', 'dev', '--auto-approve', '-C', dir], { ...terraformTestEnv(dir), TMPDIR: tmp });
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
      const m =
        /terraform could not save its state and printed it instead \(every value, sensitive ones too\): it is in (\S+) \(mode 0600\), not in this log/.exec(
          r.stderr,
        );
      expect(m).not.toBeNull();
      const file = m![1]!;
      expect(path.dirname(file)).toBe(tmp); // the workdir's errored.tfstate could not be written: the temp folder took it
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const dumped = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources: { instances: { attributes: { input: { value: string } } }[] }[] };
      expect(dumped.resources[0]!.instances[0]!.attributes.input.value).toBe(SECRET);
      expect(r.stderr).toMatch(/Failed to persist state to backend/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 120_000);
});
