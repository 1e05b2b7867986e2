/**
 * Real processes racing on one workdir: the child script imports the compiled src (see
 * compileForChildren) and provisions the same instance as its siblings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lockDirFor } from '../../src/lock/lock.js';
import { systemClock } from '../../src/ports/clock.js';
import { memoryLog, silentLog } from '../../src/ports/log.js';
import { inProgressPath, sentinelPath, workdirLockKey } from '../../src/util/paths.js';
import { buildWorkdirPath } from '../../src/util/paths.js';
import { provisionWorkdir } from '../../src/workdir/provision.js';
import { ageTree, compileForChildren, makeInstance, mkTmp, readFiles, rmTmp, startChild, testExec, writeFiles } from './helpers.js';

let tmp: string;
let compiled: ReturnType<typeof compileForChildren>;
let script: string;

beforeAll(() => {
  compiled = compileForChildren(['workdir/provision.ts', 'ports/log.ts', 'ports/clock.ts']);
  tmp = mkTmp('atmos-wd-race-');
  script = path.join(tmp, 'provision-child.mjs');
  fs.writeFileSync(
    script,
    `import fs from 'node:fs';
import { provisionWorkdir } from ${JSON.stringify(compiled.url('workdir/provision.js'))};
import { silentLog } from ${JSON.stringify(compiled.url('ports/log.js'))};
import { systemClock } from ${JSON.stringify(compiled.url('ports/clock.js'))};
const [basePath, componentPath, events, mode] = process.argv.slice(2);
const instance = { stack: 'dev', component: 'race', baseComponent: 'race', componentPath, source: {}, provision: { workdir: { enabled: true } } };
let copied = 0;
const hooks = {
  onLocked: () => fs.appendFileSync(events, 'start ' + process.pid + '\\n'),
  afterCopy: async () => {
    copied++;
    if (mode === 'hang' && copied >= 50) {
      // Every copy worker stops here: the lock stays held, the tree stays half-copied, until SIGKILL.
      if (copied === 50) {
        setInterval(() => {}, 1000);
        console.log('MID');
      }
      await new Promise(() => {});
    }
    if (mode === 'slow' && copied % 25 === 0) await new Promise((r) => setTimeout(r, 10));
  },
  beforeRelease: (r) => fs.appendFileSync(events, 'end ' + process.pid + ' ' + r.action + '\\n'),
};
const exec = { run: () => Promise.reject(new Error('no exec needed')) };
const r = await provisionWorkdir(instance, { basePath, lock: { staleMs: 2000, waitMs: 20000 }, hooks }, { exec, log: silentLog, clock: systemClock });
console.log('RESULT ' + JSON.stringify({ action: r.action, added: r.added.length }));
`,
  );
});
afterAll(() => {
  rmTmp(tmp);
  compiled?.cleanup();
});

function makeSource(root: string, n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`d${i % 7}/f${i}.tf`] = `# file ${i}\n${'x'.repeat(2000 + i)}\n`;
  writeFiles(root, files);
  ageTree(root);
  return files;
}

describe('two processes provisioning one workdir', () => {
  it('never interleave: one creates, the other then finds it unchanged', async () => {
    const base = fs.mkdtempSync(path.join(tmp, 'b-'));
    const src = path.join(base, 'components/terraform/race');
    const files = makeSource(src, 300);
    const events = path.join(base, 'events.log');
    const a = startChild(script, [base, src, events, 'slow']);
    const b = startChild(script, [base, src, events, 'slow']);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect([ea.code, eb.code, a.stderr(), b.stderr()]).toEqual([0, 0, '', '']);
    const lines = fs.readFileSync(events, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    const [s1, e1, s2, e2] = lines.map((l) => l.split(' '));
    // start X, end X, start Y, end Y: the second never began before the first finished.
    expect(s1![0]).toBe('start');
    expect(e1!.slice(0, 2)).toEqual(['end', s1![1]]);
    expect(s2![0]).toBe('start');
    expect(e2!.slice(0, 2)).toEqual(['end', s2![1]]);
    expect(s1![1]).not.toBe(s2![1]);
    expect([e1![2], e2![2]]).toEqual(['created', 'unchanged']);
    const out = a.stdout() + b.stdout();
    expect(out).toContain('"action":"created","added":300');
    expect(out).toContain('"action":"unchanged","added":0');
    expect(readFiles(buildWorkdirPath(base, 'dev', 'race'))).toEqual(files);
  });

  it('redoes a provision whose process was SIGKILLed mid-copy, after taking over its stale lock', async () => {
    const base = fs.mkdtempSync(path.join(tmp, 'k-'));
    const src = path.join(base, 'components/terraform/race');
    const files = makeSource(src, 400);
    const events = path.join(base, 'events.log');
    const child = startChild(script, [base, src, events, 'hang']);
    await child.waitFor('MID');
    child.proc.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');

    const wd = buildWorkdirPath(base, 'dev', 'race');
    // Half done: some files copied, no sentinel, the in-progress marker and the dead holder's lock left behind.
    const partial = Object.keys(readFiles(wd)).length;
    expect(partial).toBeGreaterThanOrEqual(50);
    expect(partial).toBeLessThan(100);
    expect(fs.existsSync(sentinelPath(wd))).toBe(false);
    expect(fs.existsSync(inProgressPath(wd))).toBe(true);
    expect(fs.existsSync(lockDirFor(workdirLockKey(base, 'dev', 'race')))).toBe(true);

    // As fresh as the dead holder's last refresh could have left it: the next provision must wait for it to go stale.
    const now = new Date();
    fs.utimesSync(lockDirFor(workdirLockKey(base, 'dev', 'race')), now, now);
    const log = memoryLog();
    const r = await provisionWorkdir(
      makeInstance({ stack: 'dev', component: 'race', componentPath: src }),
      { basePath: base, lock: { staleMs: 2000, waitMs: 10000 } },
      { exec: testExec, log, clock: systemClock },
    );
    expect(log.lines.filter((l) => l.includes(`waiting for dev/race, held by pid ${child.proc.pid}`))).toHaveLength(1);
    expect(r.action).toBe('reprovisioned');
    expect(r.recovered).toBe(true);
    expect(r.reason).toMatch(/^previous provision did not finish; compared every file: synced \d+ files/);
    // Copies that finished are verified by content and kept; a file caught mid-write is replaced.
    expect(r.counts.added + r.counts.updated + r.counts.unchanged).toBe(400);
    expect(r.counts.added).toBeGreaterThan(300);
    expect(readFiles(wd)).toEqual(files); // complete, correct, no temp files left
    expect(fs.existsSync(sentinelPath(wd))).toBe(true);
    expect(fs.existsSync(inProgressPath(wd))).toBe(false);

    // And now it is trusted: the next run is a no-op that reads nothing.
    const again = await provisionWorkdir(
      makeInstance({ stack: 'dev', component: 'race', componentPath: src }),
      { basePath: base, lock: { staleMs: 2000, waitMs: 10000 } },
      { exec: testExec, log: silentLog, clock: systemClock },
    );
    expect(again.action).toBe('unchanged');
  });
});
