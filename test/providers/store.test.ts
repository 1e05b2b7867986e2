import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { providerStoreKey } from '../../src/app/provider-cache.js';
import { lockDirFor, withLock } from '../../src/lock/lock.js';
import { storeEntry } from '../../src/providers/entry.js';
import { h1HashOfDirectory } from '../../src/providers/hash.js';
import { addStats, emptyStats } from '../../src/providers/store.js';
import { REPO_ROOT, tempDir } from '../helpers/fs.js';
import { TESTPROV, TESTPROV_SOURCE } from '../provider/build.js';
import { makeField, planRound, PLATFORM, setVersion, type RoundResult } from '../provider/store-fixture.js';
import { requireTerraform } from '../provider/terraform.js';

const total = (r: RoundResult) => r.prepared.reduce((s, p) => addStats(s, p.stats), emptyStats());
const failures = (r: RoundResult) => r.results.filter((x) => x.status === 'failed').map((x) => `${x.instance}: ${x.reason}`);
const keyOf = (f: { root: string; storeRoot: string }, workdirs: string[]) =>
  providerStoreKey({
    storeRoot: f.storeRoot,
    lockFiles: workdirs.map((wd) => path.join(wd, '.terraform.lock.hcl')),
    basePath: path.join(f.root, 'repo'),
    tool: 'terraform',
    platform: PLATFORM,
  }).key;

beforeAll(() => requireTerraform());

describe('the provider store', () => {
  it('a version bump in the committed lock file installs the new version once and changes the cache key', async () => {
    const f = await makeField(tempDir('atmos-store-bump-'), 3);
    let r = await planRound(f, f.env, { initOnly: true });
    expect(failures(r)).toEqual([]);
    expect(total(r)).toMatchObject({ installs: 1 });
    const key1 = keyOf(f, r.workdirs);

    await setVersion(f, '2.0.0');
    r = await planRound(f, f.env, { initOnly: true });
    expect(failures(r)).toEqual([]);
    expect(total(r)).toMatchObject({ installs: 1, hits: 2, extractions: 1 });
    const lock2 = await f.committedLock('2.0.0');
    for (const wd of r.workdirs) {
      expect(fs.readFileSync(path.join(wd, '.terraform.lock.hcl')).equals(lock2)).toBe(true);
      expect(fs.readlinkSync(path.join(wd, '.terraform/providers', TESTPROV_SOURCE, '2.0.0', PLATFORM))).toBe(
        storeEntry(f.storeRoot, TESTPROV, '2.0.0', PLATFORM).dir,
      );
    }
    expect(keyOf(f, r.workdirs)).not.toBe(key1);
    expect(keyOf(f, r.workdirs)).toMatch(/^atmos-action-providers-terraform-linux-[a-z0-9]+-[0-9a-f]{64}$/);
  }, 60_000);

  it('a corrupted store entry (its h1: no longer matches) is detected, removed and reinstalled, never used', async () => {
    const f = await makeField(tempDir('atmos-store-corrupt-'), 3);
    expect(failures(await planRound(f, f.env, { initOnly: true }))).toEqual([]);
    const entry = storeEntry(f.storeRoot, TESTPROV, '1.0.0', PLATFORM);
    const good = await h1HashOfDirectory(entry.dir);
    fs.appendFileSync(path.join(entry.dir, 'provider.cjs'), '\nprocess.exit(3);\n');

    const r = await planRound(f, f.env, { initOnly: true });
    expect(failures(r)).toEqual([]);
    expect(total(r)).toMatchObject({ corrupted: 1, installs: 1 });
    expect(r.logLines.filter((l) => l.includes('does not match the lock file'))).toHaveLength(1);
    expect(await h1HashOfDirectory(entry.dir)).toBe(good);
  }, 60_000);

  it('instances without a lock file init one at a time, their packages are harvested, and the user is told to commit lock files', async () => {
    const f = await makeField(tempDir('atmos-store-lockless-'), 3);
    await setVersion(f, '1.0.0', false);
    const r = await planRound(f, f.env, { initOnly: true });
    expect(failures(r)).toEqual([]);
    expect(total(r)).toMatchObject({ installs: 0, harvested: 1 });
    expect(r.logLines.filter((l) => /no \.terraform\.lock\.hcl.*Commit lock files/.test(l))).toHaveLength(3);
    expect(await h1HashOfDirectory(storeEntry(f.storeRoot, TESTPROV, '1.0.0', PLATFORM).dir)).toBe(await h1HashOfDirectory(f.prov.packageDir('1.0.0')));
    // The inits did not overlap: each started after the previous one ended.
    const inits = r.logLines.filter((l) => /^init-(start|end) /.test(l));
    expect(inits).toHaveLength(6);
    for (let k = 0; k < inits.length; k += 2) expect(inits[k + 1]).toBe(inits[k]!.replace('init-start', 'init-end'));
  }, 60_000);

  it('the hit path takes no lock: a warm store serves while another process holds the package lock; old scratch folders are swept', async () => {
    const f = await makeField(tempDir('atmos-store-nolock-'), 1);
    expect(failures(await planRound(f, f.env, { initOnly: true }))).toEqual([]);
    const entry = storeEntry(f.storeRoot, TESTPROV, '1.0.0', PLATFORM);
    const stale = path.join(f.storeRoot, 'tmp', 'install-left-by-a-killed-run');
    fs.mkdirSync(stale, { recursive: true });
    fs.utimesSync(stale, new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    let release!: () => void;
    const held = withLock(entry.lockKey, () => new Promise<void>((r) => (release = r)));
    try {
      // The lock is released only after the round: a hit path that took it would wait until the test times out.
      const r = await planRound(f, f.env, { initOnly: true });
      expect(failures(r)).toEqual([]);
      expect(total(r)).toMatchObject({ hits: 1, extractions: 0 });
      expect(r.logLines.filter((l) => l.includes('waiting for'))).toEqual([]);
      expect(fs.existsSync(stale)).toBe(false);
    } finally {
      release();
      await held;
    }
  }, 60_000);

  it('a SIGKILLed holder of a package lock: the next run takes the lock over after the stale window and finishes', async () => {
    const f = await makeField(tempDir('atmos-store-kill-'), 1);
    const entry = storeEntry(f.storeRoot, TESTPROV, '1.0.0', PLATFORM);
    fs.mkdirSync(path.dirname(entry.lockKey), { recursive: true });
    // Another process takes the package's lock the way withLock does, then dies without releasing it.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('proper-lockfile').lockSync(${JSON.stringify(entry.lockKey)}, { realpath: false, stale: 2000, lockfilePath: ${JSON.stringify(lockDirFor(entry.lockKey))} }); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(fs.existsSync(lockDirFor(entry.lockKey))).toBe(true);

    // As fresh as the holder's last refresh could have left it (the workdir provisioned first, so
    // the round reaches the lock at once): the run must wait for it to turn stale.
    await f.provision();
    const now = new Date();
    fs.utimesSync(lockDirFor(entry.lockKey), now, now);
    const r = await planRound(f, f.env, { initOnly: true, lockStaleMs: 2000 });
    expect(failures(r)).toEqual([]);
    expect(total(r)).toMatchObject({ installs: 1 });
    expect(r.logLines.filter((l) => l.includes('provider store: waiting for another process installing'))).toHaveLength(1);
  }, 60_000);
});
