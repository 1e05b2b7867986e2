import fs from 'node:fs';
import path from 'node:path';
import { runAction } from '../helpers/action-run.js';
import { cli, makeRepo, processesUnder, signalWhen, type CliRun } from './helpers.js';

function lockFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => path.basename(f) === '.terraform.tfstate.lock.info');
}

describe('SIGTERM during a run (a cancelled CI job)', () => {
  it('stops running terraform gracefully, starts nothing new, prints the table, exits 143, and leaves no process and no state lock behind', async () => {
    const slow = { vars: { sleep: 30 } };
    const repo = makeRepo({ one: slow, two: slow, three: slow, later: { dependsOn: ['one'] } });
    let cancel: { sent: () => boolean } | undefined;
    const run: CliRun = await cli(['apply', '--auto-approve', '--all', '--parallelism', '2', '-C', repo.dir], repo.env, (child) => {
      // Once two applies are inside their 30 s provisioner, cancel.
      cancel = signalWhen(child, () => repo.readEvents().filter((e) => e.startsWith('start ')).length >= 2, 'SIGTERM', 100);
    });
    expect(cancel!.sent()).toBe(true);
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(/SIGTERM received: stopping running terraform gracefully/);
    expect(run.stdout).toMatch(/^INSTANCE +RESULT +DURATION$/m);
    expect(run.stdout).toMatch(/^later@dev +skipped: /m);
    expect(run.stdout).toMatch(/\(cancelled\)$/m);
    expect(run.stdout.match(/ failed: apply failed/g)).toHaveLength(2);
    expect(repo.readEvents().filter((e) => e.startsWith('end '))).toEqual([]);

    expect(processesUnder(repo.dir)).toEqual([]);
    expect(lockFiles(path.join(repo.dir, '.workdir'))).toEqual([]);

    // Nothing is held: the next apply goes through.
    repo.writeStack({ one: {}, two: {}, three: {}, later: { dependsOn: ['one'] } });
    const again = await cli(['apply', '--auto-approve', '--all', '--parallelism', '2', '-C', repo.dir], repo.env);
    expect(`${again.code} ${again.code ? again.stderr.slice(-1500) : ''}`).toBe('0 ');
  }, 120_000);

  it('a second signal kills a terraform that ignores the first', async () => {
    const repo = makeRepo({ stuck: {} });
    // A stand-in for a terraform that does not stop on SIGTERM (its helpers ignore it too).
    const fake = path.join(repo.dir, 'stubborn-terraform');
    fs.writeFileSync(fake, `#!/bin/sh\ntrap '' TERM\necho started >> ${repo.events}\nsleep 30\necho finished >> ${repo.events}\n`, { mode: 0o755 });
    const stack = path.join(repo.dir, 'stacks/deploy/dev.yaml');
    const parsed = JSON.parse(fs.readFileSync(stack, 'utf8')) as { components: { terraform: { stuck: Record<string, unknown> } } };
    parsed.components.terraform.stuck.command = fake;
    fs.writeFileSync(stack, JSON.stringify(parsed));
    let signals = 0;
    const run = await cli(['plan', 'stuck', '-s', 'dev', '-C', repo.dir], repo.env, (child) => {
      const poll = setInterval(() => {
        if (signals === 0 && repo.readEvents().includes('started')) {
          signals++;
          child.kill('SIGTERM');
          setTimeout(() => {
            signals++;
            child.kill('SIGTERM');
          }, 500);
        }
      }, 50);
      child.on('close', () => clearInterval(poll));
    });
    expect(signals).toBe(2);
    expect(repo.readEvents()).toEqual(['started']); // killed, not waited for
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(/SIGTERM received again: killing running terraform/);
    expect(run.stdout).toMatch(/^stuck@dev +failed: init failed: stopped by SIGKILL/m);
    expect(processesUnder(repo.dir)).toEqual([]);
  }, 60_000);

  it("the action forwards a cancelled job's SIGINT to running terraform, which runs in its own process group and would otherwise be orphaned", async () => {
    const repo = makeRepo({ slow: {} });
    // A stand-in terraform that takes long (and stops on SIGTERM like the real one).
    const fake = path.join(repo.dir, 'slow-terraform');
    fs.writeFileSync(fake, `#!/bin/sh\necho started >> ${repo.events}\nsleep 30\necho finished >> ${repo.events}\n`, { mode: 0o755 });
    const stack = path.join(repo.dir, 'stacks/deploy/dev.yaml');
    const parsed = JSON.parse(fs.readFileSync(stack, 'utf8')) as { components: { terraform: { slow: Record<string, unknown> } } };
    parsed.components.terraform.slow.command = fake;
    fs.writeFileSync(stack, JSON.stringify(parsed));
    let cancel: { sent: () => boolean } | undefined;
    const run = await runAction(
      { command: 'plan', stack: 'dev', component: 'slow' },
      {
        workspace: repo.dir,
        env: repo.env,
        // SIGINT: what the runner sends first when a job is cancelled.
        onSpawn: (child) => (cancel = signalWhen(child, () => repo.readEvents().includes('started'), 'SIGINT')),
      },
    );
    expect(cancel!.sent()).toBe(true);
    expect(repo.readEvents()).toEqual(['started']); // stopped, not waited for
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/SIGINT received: stopping running terraform gracefully/);
    expect(run.stdout).toMatch(/::error::cancelled by SIGINT/);
    expect(processesUnder(repo.dir)).toEqual([]);
  }, 60_000);
});
