import fs from 'node:fs';
import path from 'node:path';
import { cli, jsonResults, makeRepo } from './helpers.js';

const at = (events: string[], e: string) => {
  const i = events.indexOf(e);
  if (i < 0) throw new Error(`no event "${e}" in ${JSON.stringify(events)}`);
  return i;
};

describe('instances run on their dependency graph', () => {
  it('starts a ready instance without waiting for an unrelated slower one, dependents only after their dependencies; destroy runs in reverse', async () => {
    const repo = makeRepo({
      // slow ends only once fast-b has ended (or after 30 s): with waves, fast-b would wait for slow.
      slow: { vars: { wait_for: 'end fast-b' } },
      'after-slow': { dependsOn: ['slow'] },
      'fast-a': {},
      'fast-b': { dependencies: ['fast-a'] },
    });
    const apply = await cli(['apply', '--auto-approve', '--all', '--parallelism', '2', '--format', 'json', '-C', repo.dir], repo.env);
    expect(apply.code).toBe(0);
    expect(Object.values(jsonResults(apply)).map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const ev = repo.readEvents();
    // fast-b depends only on fast-a: it starts while slow is still running (a ready queue, not waves).
    expect(at(ev, 'start fast-b')).toBeLessThan(at(ev, 'end slow'));
    expect(at(ev, 'start fast-b')).toBeGreaterThan(at(ev, 'end fast-a'));
    expect(at(ev, 'start after-slow')).toBeGreaterThan(at(ev, 'end slow'));

    fs.rmSync(repo.events);
    const destroy = await cli(['destroy', '--auto-approve', '--all', '--parallelism', '2', '-C', repo.dir], repo.env);
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toMatch(/^slow@dev +destroyed \+0 ~0 -1/m);
    const gone = repo.readEvents();
    expect(at(gone, 'destroy after-slow')).toBeLessThan(at(gone, 'destroy slow'));
    expect(at(gone, 'destroy fast-b')).toBeLessThan(at(gone, 'destroy fast-a'));
  }, 120_000);

  it('refuses a cycle before anything starts, naming it', async () => {
    const repo = makeRepo({ a: { dependsOn: ['b'] }, b: { dependsOn: ['c'] }, c: { dependsOn: ['a'] }, d: {} });
    const r = await cli(['plan', '--all', '-C', repo.dir], repo.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: dependency cycle: (?:dev:a → dev:b → dev:c → dev:a|dev:b → dev:c → dev:a → dev:b|dev:c → dev:a → dev:b → dev:c)$/m);
    expect(fs.existsSync(path.join(repo.dir, '.workdir'))).toBe(false);
  });

  it('fails fast by default; --keep-going runs independent instances and skips the dependents of a failure', async () => {
    const specs = { bad: { vars: { fail: true } }, 'needs-bad': { dependsOn: ['bad'] }, 'then-needs': { dependsOn: ['needs-bad'] }, zz: {} };
    const repo = makeRepo(specs);
    const fast = await cli(['plan', '--all', '--parallelism', '1', '--format', 'json', '-C', repo.dir], repo.env);
    expect(fast.code).toBe(1);
    const f = jsonResults(fast);
    expect(f.bad).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^plan failed: Resource precondition failed/) });
    expect(f.zz).toMatchObject({ status: 'skipped', reason: 'dev:bad failed (fail-fast)' });

    const going = await cli(['plan', '--all', '--max-concurrency', '1', '--keep-going', '-C', repo.dir], repo.env);
    expect(going.code).toBe(1);
    expect(going.stdout).toMatch(/^bad@dev +failed: plan failed: Resource precondition failed/m);
    expect(going.stdout).toMatch(/^needs-bad@dev +skipped: dependency dev:bad failed +0\.0s$/m);
    expect(going.stdout).toMatch(/^then-needs@dev +skipped: dependency dev:bad failed/m);
    expect(going.stdout).toMatch(/^zz@dev +changes \+1 ~0 -0/m);
    expect(going.stdout).toMatch(/parallelism 1$/m);

    // A dependency outside the selection is not waited for, and the log says so.
    const alone = await cli(['plan', '--components', 'needs-bad', '-C', repo.dir], repo.env);
    expect(alone.code).toBe(0);
    expect(alone.stderr).toMatch(/^needs-bad@dev depends on bad@dev, which is not selected: not waiting for it$/m);
  }, 120_000);
});
