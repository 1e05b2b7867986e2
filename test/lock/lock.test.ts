import fs from 'node:fs';
import path from 'node:path';
import { ensureDone, lockDirFor, lockStatus, LockTimeoutError, sentinelExists, withLock } from '../../src/lock/lock.js';
import { atomicWriteFile } from '../../src/util/atomic-fs.js';
import { AtmosError } from '../../src/util/errors.js';
import { compileForChildren, mkTmp, rmTmp, startChild } from '../workdir/helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: string;
let compiled: ReturnType<typeof compileForChildren>;
let holderScript: string;

beforeAll(() => {
  compiled = compileForChildren(['lock/lock.ts']);
  tmp = mkTmp('atmos-lock-');
  // A child that takes the lock, says so, and holds it until told how long (or forever).
  holderScript = path.join(tmp, 'holder.mjs');
  fs.writeFileSync(
    holderScript,
    `import fs from 'node:fs';
import { withLock } from ${JSON.stringify(compiled.url('lock/lock.js'))};
const [key, holdMs, marker] = process.argv.slice(2);
await withLock(key, async () => {
  console.log('LOCKED ' + process.pid);
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  fs.writeFileSync(marker, String(Date.now()));
}, { staleMs: 2000, waitMs: 20000 });
console.log('RELEASED');
`,
  );
});

afterAll(() => {
  rmTmp(tmp);
  compiled?.cleanup();
});

describe('withLock', () => {
  it('serialises holders in one process and releases on every path', async () => {
    const key = path.join(tmp, 'inproc', 'k');
    const events: string[] = [];
    const body = (name: string, fail: boolean) => async () => {
      events.push(`start ${name}`);
      await sleep(60);
      events.push(`end ${name}`);
      if (fail) throw new Error(`boom ${name}`);
      return name;
    };
    const opts = { staleMs: 2000, waitMs: 5000 };
    const results = await Promise.allSettled([
      withLock(key, body('a', true), opts),
      withLock(key, body('b', false), opts),
      withLock(key, body('c', false), opts),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    // Never two "start"s in a row: no overlap.
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.startsWith('start')).toBe(true);
      expect(events[i + 1]).toBe(events[i]!.replace('start', 'end'));
    }
    expect(fs.existsSync(lockDirFor(key))).toBe(false);
    expect(lockStatus(key).held).toBe(false);
  });

  it('makes a second process wait until the holder releases', async () => {
    const key = path.join(tmp, 'xproc');
    const marker = path.join(tmp, 'xproc-released');
    const child = startChild(holderScript, [key, '800', marker]);
    await child.waitFor('LOCKED');
    const st = lockStatus(key, { staleMs: 2000 });
    expect(st.held).toBe(true);
    expect(st.owner?.pid).toBe(child.proc.pid);
    let waited = false;
    // The holder writes the marker as the last thing before it releases.
    const markerWhenEntered = await withLock(key, async () => fs.existsSync(marker), { staleMs: 2000, waitMs: 10000, onWait: () => void (waited = true) });
    expect(waited).toBe(true);
    expect(markerWhenEntered).toBe(true);
    await child.exited;
  });

  it('takes over the lock of a holder killed with SIGKILL after the stale window, not before', async () => {
    const key = path.join(tmp, 'killed');
    const child = startChild(holderScript, [key, '60000', path.join(tmp, 'never')]);
    await child.waitFor('LOCKED');
    child.proc.kill('SIGKILL');
    await child.exited;
    expect(fs.existsSync(lockDirFor(key))).toBe(true); // nothing cleaned up after a SIGKILL
    // As fresh as a holder's last refresh can be: the dead holder's lock is respected until it turns stale …
    const now = new Date();
    fs.utimesSync(lockDirFor(key), now, now);
    await expect(withLock(key, async () => undefined, { staleMs: 2000, waitMs: 0 })).rejects.toThrow(LockTimeoutError);
    // … and then taken over by a waiter (the wait bound is only there so a failure cannot hang).
    let waited = false;
    const ran = await withLock(key, async () => true, { staleMs: 2000, waitMs: 30_000, onWait: () => void (waited = true) });
    expect(waited).toBe(true);
    expect(ran).toBe(true);
    expect(fs.existsSync(lockDirFor(key))).toBe(false);
  });

  it('gives up after the bounded wait on a live holder, naming the lock and its holder', async () => {
    const key = path.join(tmp, 'live');
    const child = startChild(holderScript, [key, '60000', path.join(tmp, 'never2')]);
    try {
      await child.waitFor('LOCKED');
      let waited = false;
      const err = await withLock(key, async () => 'should not run', { staleMs: 2000, waitMs: 3000, onWait: () => void (waited = true) }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LockTimeoutError);
      expect(waited).toBe(true);
      const msg = (err as Error).message;
      // It gave up only after the whole bounded wait, and says so.
      expect(Number(/timed out after (\d+)s/.exec(msg)?.[1])).toBeGreaterThanOrEqual(3);
      expect(msg).toContain(lockDirFor(key));
      expect(msg).toContain(`pid ${child.proc.pid}`);
    } finally {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  });

  it('waitMs 0 tries once', async () => {
    const key = path.join(tmp, 'try');
    let inner: unknown;
    await withLock(
      key,
      async () => {
        inner = await withLock(key, async () => 'x', { staleMs: 2000, waitMs: 0 }).catch((e: unknown) => e);
      },
      { staleMs: 2000, waitMs: 5000 },
    );
    expect(inner).toBeInstanceOf(LockTimeoutError);
  });

  it('refuses a wait that is not longer than the stale window', async () => {
    await expect(withLock(path.join(tmp, 'bad'), async () => 1, { staleMs: 5000, waitMs: 4000 })).rejects.toThrow(AtmosError);
    await expect(withLock(path.join(tmp, 'bad'), async () => 1, { staleMs: 5000, waitMs: 4000 })).rejects.toThrow(/longer than the stale window/);
  });
});

describe('ensureDone and sentinels', () => {
  it('does the work once; a failed attempt leaves no sentinel and is redone', async () => {
    const key = path.join(tmp, 'once', 'k');
    const sentinel = path.join(tmp, 'once', 'done');
    let runs = 0;
    const failing = ensureDone({
      lockKey: key,
      sentinelPath: sentinel,
      work: async () => {
        runs++;
        throw new Error('crash mid-work');
      },
    });
    await expect(failing).rejects.toThrow('crash mid-work');
    expect(sentinelExists(sentinel)).toBe(false);
    const work = async () => {
      runs++;
      return 'ok';
    };
    const [a, b] = await Promise.all([ensureDone({ lockKey: key, sentinelPath: sentinel, work }), ensureDone({ lockKey: key, sentinelPath: sentinel, work })]);
    expect(runs).toBe(2); // the failed one, then exactly one of the two concurrent ones
    expect([a.didWork, b.didWork].sort()).toEqual([false, true]);
    expect(sentinelExists(sentinel)).toBe(true);
    // A failed verification of the artifact redoes the work even with the sentinel present.
    const again = await ensureDone({ lockKey: key, sentinelPath: sentinel, verify: async () => false, work });
    expect(again.didWork).toBe(true);
  });

  it('atomicWriteFile replaces content without leaving temp files, and names the file on error', async () => {
    const dir = path.join(tmp, 'atomic');
    fs.mkdirSync(dir);
    const f = path.join(dir, 'x.json');
    await atomicWriteFile(f, 'one');
    await atomicWriteFile(f, 'two');
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['x.json']);
    await expect(atomicWriteFile(path.join(dir, 'missing', 'y.json'), 'z')).rejects.toThrow(path.join(dir, 'missing', 'y.json'));
  });
});
