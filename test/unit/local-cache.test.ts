import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/ports/clock.js';
import { localDirectoryCache } from '../../src/ports/local-cache.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/** The local-directory adapter with real files: same rules as the Actions cache, off GitHub. */
let root: string;
let workspace: string;
let cacheDir: string;
const clock = fixedClock('2026-01-01T00:00:00Z');
const store = () => localDirectoryCache({ dir: cacheDir, workspace, clock });
const read = (rel: string) => fs.readFileSync(path.join(workspace, rel), 'utf8');

beforeEach(() => {
  root = tempDir('atmos-action-local-cache-');
  workspace = path.join(root, 'ws');
  cacheDir = path.join(root, 'cache');
  writeTree(workspace, { 'store/registry/p/1.0.0/bin': 'v1', 'store/registry/p/1.0.0/LICENSE': 'MIT' });
  fs.symlinkSync('bin', path.join(workspace, 'store/registry/p/1.0.0/link'));
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('local-directory cache', () => {
  it('misses when empty, saves, and restores the exact key into a missing directory, symlinks kept', async () => {
    expect(await store().restore(['store'], 'providers-abc', ['providers-'])).toEqual({ hit: 'miss' });
    expect(await store().save(['store'], 'providers-abc')).toEqual({ status: 'saved' });
    fs.rmSync(path.join(workspace, 'store'), { recursive: true });

    expect(await store().restore(['store'], 'providers-abc', ['providers-'])).toEqual({ hit: 'exact', key: 'providers-abc' });
    expect(read('store/registry/p/1.0.0/bin')).toBe('v1');
    expect(fs.readlinkSync(path.join(workspace, 'store/registry/p/1.0.0/link'))).toBe('bin');
    // No temp directories left behind, in the cache or beside the restored path.
    expect(fs.readdirSync(path.join(cacheDir, 'entries')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(fs.readdirSync(workspace)).toEqual(['store']);
  });

  it('keeps keys immutable: a second save of a key reports exists and leaves the first content', async () => {
    expect(await store().save(['store'], 'k')).toEqual({ status: 'saved' });
    fs.writeFileSync(path.join(workspace, 'store/registry/p/1.0.0/bin'), 'changed');
    expect(await store().save(['store'], 'k')).toEqual({ status: 'exists' });
    fs.rmSync(path.join(workspace, 'store'), { recursive: true });
    await store().restore(['store'], 'k');
    expect(read('store/registry/p/1.0.0/bin')).toBe('v1');
  });

  it('lets exactly one of two concurrent saves of a key win', async () => {
    const outcomes = await Promise.all([store().save(['store'], 'k'), store().save(['store'], 'k'), store().save(['store'], 'k')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['exists', 'exists', 'saved']);
    expect(fs.readdirSync(path.join(cacheDir, 'entries'))).toHaveLength(1);
  });

  it('restores the newest prefix match of a restore key when the primary key misses', async () => {
    await store().save(['store'], 'providers-old');
    clock.advance(60_000);
    fs.writeFileSync(path.join(workspace, 'store/registry/p/1.0.0/bin'), 'v1 newer');
    await store().save(['store'], 'providers-new');
    clock.advance(60_000);
    await store().save(['store'], 'unrelated-newest');
    fs.rmSync(path.join(workspace, 'store'), { recursive: true });

    expect(await store().restore(['store'], 'providers-zzz', ['providers-'])).toEqual({ hit: 'prefix', key: 'providers-new' });
    expect(read('store/registry/p/1.0.0/bin')).toBe('v1 newer');
  });

  it('misses when restoring with other paths than were saved', async () => {
    await store().save(['store'], 'k');
    expect(await store().restore(['store', 'more'], 'k')).toEqual({ hit: 'miss' });
  });

  it('copies over an existing directory like a tar extract (adds and overwrites, deletes nothing)', async () => {
    await store().save(['store'], 'k');
    fs.writeFileSync(path.join(workspace, 'store/registry/p/1.0.0/bin'), 'local edit');
    fs.writeFileSync(path.join(workspace, 'store/extra'), 'mine');
    await store().restore(['store'], 'k');
    expect(read('store/registry/p/1.0.0/bin')).toBe('v1');
    expect(read('store/extra')).toBe('mine');
  });

  it('saves what exists among several paths and skips when none does', async () => {
    expect(await store().save(['store', 'absent'], 'k')).toEqual({ status: 'saved' });
    expect(await store().save(['nothing', 'absent'], 'k2')).toEqual({ status: 'skipped', reason: expect.stringMatching(/none of the paths exists/) });
  });

  it('never throws: an unusable cache directory gives a skipped save with the reason', async () => {
    fs.writeFileSync(path.join(root, 'a-file'), '');
    const broken = localDirectoryCache({ dir: path.join(root, 'a-file'), workspace });
    expect(await broken.save(['store'], 'k')).toEqual({ status: 'skipped', reason: expect.stringMatching(/ENOTDIR/) });
    expect(await broken.restore(['store'], 'k')).toEqual({ hit: 'miss', reason: expect.stringMatching(/ENOTDIR/) });
    expect(await store().save(['store'], 'with,comma')).toEqual({ status: 'skipped', reason: expect.stringMatching(/comma/) });
  });
});
