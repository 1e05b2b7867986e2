/**
 * Locks against real processes: a child process holds a workdir's lock (or owns a scratch folder)
 * while clean or provision runs here. Also: a failing sync stops all its copy workers before the
 * lock is released, so nothing lands in the workdir afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lockDirFor } from '../../src/lock/lock.js';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog, silentLog } from '../../src/ports/log.js';
import { metadataPath, workdirLockKey } from '../../src/util/paths.js';
import { cleanWorkdirs } from '../../src/workdir/clean.js';
import { provisionWorkdir } from '../../src/workdir/provision.js';
import { compileForChildren, makeInstance, mkTmp, readFiles, rmTmp, startChild, testExec, writeFiles, type Child } from './helpers.js';

let tmp: string;
let compiled: ReturnType<typeof compileForChildren>;
let holder: string;
let base: string;
let comp: string;
const clock = fixedClock('2026-03-01T00:00:00.000Z');
const lock = { staleMs: 2000, waitMs: 8000 };
const children: Child[] = [];

beforeAll(() => {
  compiled = compileForChildren(['lock/lock.ts', 'util/paths.ts']);
  tmp = mkTmp('atmos-wd-locks-');
  holder = path.join(tmp, 'hold-lock.mjs');
  // Holds the lock of the workdir folder `name` for `ms` milliseconds (forever when 0), then exits.
  fs.writeFileSync(
    holder,
    `import { withLock } from ${JSON.stringify(compiled.url('lock/lock.js'))};
import { workdirLockKeyFromName } from ${JSON.stringify(compiled.url('util/paths.js'))};
const [basePath, name, ms] = process.argv.slice(2);
await withLock(workdirLockKeyFromName(basePath, name), async () => {
  console.log('HELD');
  await new Promise((r) => (Number(ms) ? setTimeout(r, Number(ms)) : setInterval(() => {}, 1000)));
}, { staleMs: 2000, waitMs: 0 });
console.log('RELEASED');
`,
  );
});
afterAll(() => {
  rmTmp(tmp);
  compiled?.cleanup();
});

beforeEach(async () => {
  base = mkTmp('atmos-wd-locks-base-');
  comp = path.join(base, 'components/terraform/vpc');
  writeFiles(comp, { 'main.tf': '# vpc\n' });
  for (const stack of ['dev', 'prod']) {
    await provisionWorkdir(makeInstance({ stack, component: 'vpc', componentPath: comp }), { basePath: base, lock }, { exec: testExec, log: silentLog, clock });
  }
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.proc.kill('SIGKILL');
    await c.exited;
  }
  rmTmp(base);
});

function hold(name: string, ms = 0): Child {
  const c = startChild(holder, [base, name, String(ms)]);
  children.push(c);
  return c;
}

const wd = (name: string) => path.join(base, '.workdir/terraform', name);

describe('clean and the per-workdir lock', () => {
  it.each([
    ['without metadata', (p: string) => fs.rmSync(metadataPath(p))],
    [
      'whose metadata names another instance',
      (p: string) => fs.writeFileSync(metadataPath(p), JSON.stringify({ component: 'other', stack: 'qa', source_type: 'local' })),
    ],
  ])('skips a workdir %s whose folder lock a live process holds, and says so', async (_what, damage) => {
    damage(wd('dev-vpc'));
    const child = hold('dev-vpc');
    await child.waitFor('HELD');
    const log = memoryLog();
    const r = await cleanWorkdirs(base, { mode: 'all' }, { log, clock }, { lock });
    expect(r.removed.map((e) => e.name)).toEqual(['prod-vpc']);
    expect(r.skipped).toEqual([expect.objectContaining({ name: 'dev-vpc', reasons: [expect.stringMatching(/lock/)] })]);
    expect(log.lines.join('\n')).toMatch(/\.workdir\/terraform\/dev-vpc: skipped: .*lock/);
    expect(readFiles(wd('dev-vpc'))).toEqual({ 'main.tf': '# vpc\n' });
  });

  it('removes only scratch folders whose process is gone, and collects the trash of an interrupted clean', async () => {
    const child = hold('unrelated');
    await child.waitFor('HELD');
    const gone = startChild(holder, [base, 'gone', '1']);
    await gone.exited;
    const live = path.join(base, '.workdir/.tmp', `${child.proc.pid}-0a0b0c0d`);
    const dead = path.join(base, '.workdir/.tmp', `${gone.proc.pid}-0a0b0c0d`);
    writeFiles(live, { 'main.tf': '# being fetched\n' });
    writeFiles(dead, { 'main.tf': '# left by a killed fetch\n' });
    writeFiles(base, { '.workdir/.trash/dev-vpc-1234abcd/main.tf': '# half-deleted\n' });
    const r = await cleanWorkdirs(base, { mode: 'instances', instances: [{ stack: 'prod', component: 'vpc' }] }, { log: silentLog, clock }, { lock });
    expect(r.removed.map((e) => e.name)).toEqual(['prod-vpc']);
    expect(r.collected).toEqual({ scratch: 1, trash: 1 });
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(path.join(base, '.workdir/.trash'))).toBe(false);
    // --all does the same (it used to wipe every scratch folder, the live one included).
    await cleanWorkdirs(base, { mode: 'all' }, { log: silentLog, clock }, { lock });
    expect(fs.existsSync(live)).toBe(true);
  });
});

describe('provision and the per-workdir lock', () => {
  it('says once, at info level, whom it waits for', async () => {
    const child = hold('dev-vpc', 1500);
    await child.waitFor('HELD');
    const log = memoryLog();
    writeFiles(comp, { 'variables.tf': '# vars\n' });
    await provisionWorkdir(makeInstance({ stack: 'dev', component: 'vpc', componentPath: comp }), { basePath: base, lock }, { exec: testExec, log, clock });
    const waits = log.lines.filter((l) => l.includes('waiting for'));
    expect(waits).toEqual([expect.stringMatching(new RegExp(`^info: waiting for dev/vpc, held by pid ${child.proc.pid} on \\S+ since \\d{4}-\\d\\d-\\d\\dT`))]);
  });

  it('a failing sync waits for every copy worker before it releases the lock: nothing lands in the workdir afterwards', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${String(i).padStart(2, '0')}.tf`] = `# ${i}\n`;
    writeFiles(comp, files);
    const started = new Set<string>();
    const finished = new Set<string>();
    const hooks = {
      afterCopy: async (rel: string) => {
        started.add(rel);
        if (rel === 'f05.tf') throw new Error('disk full (simulated)');
        await new Promise((r) => setTimeout(r, 150));
        finished.add(rel);
      },
    };
    const instance = makeInstance({ stack: 'dev', component: 'vpc', componentPath: comp });
    await expect(provisionWorkdir(instance, { basePath: base, lock, hooks }, { exec: testExec, log: silentLog, clock })).rejects.toThrow(/disk full/);
    // Every worker that started had finished by the time the error came out, and the lock is free.
    expect([...started].filter((r) => r !== 'f05.tf' && !finished.has(r))).toEqual([]);
    expect(fs.existsSync(lockDirFor(workdirLockKey(base, 'dev', 'vpc')))).toBe(false);
    const atError = readFiles(wd('dev-vpc'));
    expect(Object.keys(atError).length).toBeLessThan(41);
    await new Promise((r) => setTimeout(r, 400));
    expect(readFiles(wd('dev-vpc'))).toEqual(atError);
  });
});
