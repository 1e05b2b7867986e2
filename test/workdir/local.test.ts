import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog, silentLog } from '../../src/ports/log.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { AtmosError } from '../../src/util/errors.js';
import { contentHash, sha256Text } from '../../src/workdir/hash.js';
import { readMetadata } from '../../src/workdir/metadata.js';
import { metadataPath, sentinelPath } from '../../src/util/paths.js';
import { buildWorkdirPath } from '../../src/util/paths.js';
import { instanceLockFileName } from '../../src/workdir/lock-seed.js';
import { isWorkdirEnabled } from '../../src/util/paths.js';
import { provisionWorkdir, provisionWorkdirs, type ProvisionOptions } from '../../src/workdir/provision.js';
import { ageTree, makeInstance, mkTmp, readFiles, rmTmp, writeFiles } from './helpers.js';

let base: string;
let comp: string;
const clock = fixedClock('2026-01-01T00:00:00.000Z');
const ports = () => ({ exec: nodeExec, log: silentLog, clock });
const opts = (): ProvisionOptions => ({ basePath: base, lock: { staleMs: 2000, waitMs: 5000 } });

const ELASTICACHE = {
  'main.tf': 'resource "terraform_data" "x" {}\n',
  'variables.tf': 'variable "name" {}\n',
  'modules/sg/main.tf': '# nested module\n',
  'modules/sg/terraform.tfstate': 'nested state-looking file: only root-level state is excluded\n',
  'scripts/run.sh': '#!/bin/sh\necho hi\n',
  // Excluded both ways:
  '.terraform/providers/p': 'cache',
  'modules/sg/.terraform/x': 'nested cache',
  'terraform.tfstate': '{"state":"source"}',
  'terraform.tfstate.backup': '{}',
  'terraform.tfstate.d/dev/terraform.tfstate': '{}',
  '.atmos/metadata.json': '{"component":"not-ours"}',
  '.dev-elasticache-cache.terraform.lock.hcl': '# per-instance lock for dev/elasticache-cache\n',
};

beforeEach(() => {
  clock.set('2026-01-01T00:00:00.000Z');
  base = mkTmp('atmos-wd-local-');
  comp = path.join(base, 'components', 'terraform', 'elasticache');
  writeFiles(comp, ELASTICACHE);
  fs.chmodSync(path.join(comp, 'scripts/run.sh'), 0o755);
  ageTree(comp);
});
afterEach(() => rmTmp(base));

const inst = (component: string, stack = 'dev') => makeInstance({ stack, component, baseComponent: 'elasticache', componentPath: comp });
const EXPECTED_COPY = ['main.tf', 'modules/sg/main.tf', 'modules/sg/terraform.tfstate', 'scripts/run.sh', 'variables.tf'];

describe('local workdirs', () => {
  it('gives three instances of one base component three distinct workdirs, each a copy of the base folder', async () => {
    const outcomes = await provisionWorkdirs(
      [inst('elasticache-cache'), inst('elasticache-queue'), inst('elasticache-sessions')],
      { ...opts(), parallelism: 3 },
      ports(),
    );
    const paths = outcomes.map((o) => o.result!.path);
    expect(outcomes.every((o) => !o.error)).toBe(true);
    expect(new Set(paths).size).toBe(3);
    expect(paths.map((p) => path.relative(base, p))).toEqual([
      '.workdir/terraform/dev-elasticache-hcache',
      '.workdir/terraform/dev-elasticache-hqueue',
      '.workdir/terraform/dev-elasticache-hsessions',
    ]);
    const source = readFiles(comp);
    for (const o of outcomes) {
      expect(o.result!.action).toBe('created');
      const copy = readFiles(o.result!.path);
      // The lock file is seeded separately (see below); everything else is the synced tree.
      delete copy['.terraform.lock.hcl'];
      expect(Object.keys(copy).sort()).toEqual(EXPECTED_COPY);
      for (const rel of EXPECTED_COPY) expect(copy[rel]).toBe(source[rel]);
      expect(fs.statSync(path.join(o.result!.path, 'scripts/run.sh')).mode & 0o777).toBe(0o755);
      // Nothing from .terraform/, root state or the source's .atmos/ came along.
      expect(fs.existsSync(path.join(o.result!.path, '.terraform'))).toBe(false);
      expect(fs.existsSync(path.join(o.result!.path, 'terraform.tfstate'))).toBe(false);
      expect(fs.existsSync(path.join(o.result!.path, 'terraform.tfstate.d'))).toBe(false);
      expect(readMetadata(o.result!.path).ok && (readMetadata(o.result!.path) as { metadata: { component: string } }).metadata.component).toBe(
        o.instance.component,
      );
    }
  });

  it('refuses two instances that would share a folder', async () => {
    const a = makeInstance({ stack: 'a', component: 'b-c', componentPath: comp });
    const b = makeInstance({ stack: 'a-b', component: 'hc', componentPath: comp });
    await expect(provisionWorkdirs([a, b], opts(), ports())).rejects.toThrow(/would share the workdir/);
  });

  it('syncs incrementally: adds, updates, mode changes and deletions, keeping state, .terraform and metadata', async () => {
    const i = inst('elasticache-cache');
    const first = await provisionWorkdir(i, opts(), ports());
    const wd = first.path;
    // What terraform and the user leave in the workdir:
    writeFiles(wd, {
      '.terraform/modules/m.json': '{}',
      'terraform.tfstate': '{"state":"workdir"}',
      'terraform.tfstate.d/prod/terraform.tfstate': '{}',
      '.terraform.tfstate.lock.info': 'lock',
      'backend.tf.json': '{"generated":true}',
      'dev-elasticache-cache.planfile': 'plan for a later apply',
      'stray.tf': 'not in the source',
      '.main.tf.tmp-123-abc-0': 'left by a killed copy',
    });
    // Source changes: one update, one add, one delete, one mode change.
    writeFiles(comp, { 'main.tf': 'resource "terraform_data" "y" {}\n', 'outputs.tf': 'output "o" { value = 1 }\n' });
    fs.rmSync(path.join(comp, 'variables.tf'));
    fs.chmodSync(path.join(comp, 'modules/sg/main.tf'), 0o600);
    clock.advance(60_000);
    const r = await provisionWorkdir(i, opts(), ports());
    expect(r.action).toBe('synced');
    expect(r.added).toEqual(['outputs.tf']);
    expect(r.updated).toEqual(['main.tf', 'modules/sg/main.tf']);
    expect(r.removed).toEqual(['.main.tf.tmp-123-abc-0', 'stray.tf', 'variables.tf']);
    expect(r.reason).toBe('synced 6 files (1 added, 2 updated, 3 removed)');
    expect(r.changed).toBe(true);
    expect(fs.readFileSync(path.join(wd, 'main.tf'), 'utf8')).toBe('resource "terraform_data" "y" {}\n');
    expect(fs.statSync(path.join(wd, 'modules/sg/main.tf')).mode & 0o777).toBe(0o600);
    // Survivors:
    expect(fs.readFileSync(path.join(wd, 'terraform.tfstate'), 'utf8')).toBe('{"state":"workdir"}');
    for (const p of [
      '.terraform/modules/m.json',
      'terraform.tfstate.d/prod/terraform.tfstate',
      '.terraform.tfstate.lock.info',
      'dev-elasticache-cache.planfile',
    ]) {
      expect(fs.existsSync(path.join(wd, p))).toBe(true);
    }
    // Generated files are removed (the terraform step rewrites them) without counting as a change.
    expect(fs.existsSync(path.join(wd, 'backend.tf.json'))).toBe(false);
    const m = JSON.parse(fs.readFileSync(metadataPath(wd), 'utf8')) as Record<string, string>;
    expect(m.created_at).toBe('2026-01-01T00:00:00.000Z');
    expect(m.updated_at).toBe('2026-01-01T00:01:00.000Z');
  });

  it('never removes the state terraform leaves for recovery: errored.tfstate and terraform.tfstate.backup survive every sync', async () => {
    const i = inst('elasticache-cache');
    const wd = (await provisionWorkdir(i, opts(), ports())).path;
    // What a failed state save leaves (terraform asks for `terraform state push errored.tfstate`), and the backup of the last save.
    writeFiles(wd, { 'errored.tfstate': '{"serial":7,"recover":"me"}', 'terraform.tfstate.backup': '{"serial":6}' });
    writeFiles(comp, { 'main.tf': 'resource "terraform_data" "z" {}\n' });
    clock.advance(60_000);
    const r = await provisionWorkdir(i, opts(), ports());
    expect(r.action).toBe('synced');
    expect(r.removed).toEqual([]);
    expect(fs.readFileSync(path.join(wd, 'errored.tfstate'), 'utf8')).toBe('{"serial":7,"recover":"me"}');
    expect(fs.readFileSync(path.join(wd, 'terraform.tfstate.backup'), 'utf8')).toBe('{"serial":6}');
    // And a source folder's errored.tfstate is never copied over a workdir's.
    writeFiles(comp, { 'errored.tfstate': '{"from":"source"}' });
    clock.advance(60_000);
    await provisionWorkdir(i, opts(), ports());
    expect(fs.readFileSync(path.join(wd, 'errored.tfstate'), 'utf8')).toBe('{"serial":7,"recover":"me"}');
  });

  it('re-provisions nothing when nothing changed, reading no file contents, and only touches last_accessed', async () => {
    const i = inst('elasticache-cache');
    await provisionWorkdir(i, opts(), ports());
    const before = JSON.parse(fs.readFileSync(metadataPath(buildWorkdirPath(base, 'dev', 'elasticache-cache')), 'utf8')) as Record<string, string>;
    clock.advance(3_600_000);
    const r = await provisionWorkdir(i, opts(), ports());
    expect(r.action).toBe('unchanged');
    expect(r.reason).toBe('unchanged');
    expect(r.changed).toBe(false);
    expect(r.counts).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 5, hashed: 0 });
    const text = fs.readFileSync(metadataPath(r.path), 'utf8');
    expect(text.endsWith('}')).toBe(true); // Go MarshalIndent: no trailing newline
    const after = JSON.parse(text) as Record<string, string>;
    expect(after.created_at).toBe(before.created_at);
    expect(after.updated_at).toBe(before.updated_at);
    expect(after.last_accessed).toBe('2026-01-01T01:00:00.000Z');
    expect(after.content_hash).toBe(before.content_hash);
    expect(Object.keys(after)).toEqual([
      'component',
      'stack',
      'source_type',
      'source',
      'created_at',
      'updated_at',
      'last_accessed',
      'content_hash',
      'lock_file_seed',
    ]);
    expect(after).toMatchObject({ component: 'elasticache-cache', stack: 'dev', source_type: 'local', source: comp });
    // content_hash is Atmos's FNV-128a over path + SHA-256 of the synced files.
    const files = readFiles(r.path);
    delete files['.terraform.lock.hcl'];
    expect(after.content_hash).toBe(contentHash(Object.entries(files).map(([rel, c]) => [rel, sha256Text(c)])));
    // No temp files left by the atomic writes.
    expect(fs.readdirSync(path.join(r.path, '.atmos')).sort()).toEqual(['manifest.json', 'metadata.json', 'provision.complete']);
  });

  it('removes a stale generated file quietly and re-hashes sources modified just before the last sync', async () => {
    const i = inst('elasticache-cache');
    const r1 = await provisionWorkdir(i, opts(), ports());
    writeFiles(r1.path, { 'backend.tf.json': '{}', 'dev-elasticache-cache.terraform.tfvars.json': '{}' });
    const r2 = await provisionWorkdir(i, opts(), ports());
    expect([r2.action, r2.changed, r2.removed]).toEqual(['unchanged', false, []]);
    expect(fs.existsSync(path.join(r1.path, 'backend.tf.json'))).toBe(false);
    // A file written moments ago might be rewritten within the same timestamp tick: not trusted by stat.
    writeFiles(comp, { 'fresh.tf': '# new\n' });
    const r3 = await provisionWorkdir(i, opts(), ports());
    expect(r3.added).toEqual(['fresh.tf']);
    const r4 = await provisionWorkdir(i, opts(), ports());
    expect(r4.action).toBe('unchanged');
    expect(r4.counts.hashed).toBe(1);
  });

  it('notices a same-size source edit whose mtime was put back, and an edit inside the workdir', async () => {
    const i = inst('elasticache-cache');
    const { path: wd } = await provisionWorkdir(i, opts(), ports());
    const src = path.join(comp, 'variables.tf');
    const st = fs.statSync(src);
    fs.writeFileSync(src, 'variable "nome" {}\n'); // same length
    fs.utimesSync(src, st.atime, st.mtime);
    let r = await provisionWorkdir(i, opts(), ports());
    expect(r.updated).toEqual(['variables.tf']);
    expect(fs.readFileSync(path.join(wd, 'variables.tf'), 'utf8')).toBe('variable "nome" {}\n');
    // Someone edits the copy (same size, mtime restored): the next provision puts the source back.
    const dst = path.join(wd, 'main.tf');
    const dst0 = fs.statSync(dst);
    fs.writeFileSync(dst, 'resource "terraform_data" "Z" {}\n');
    fs.utimesSync(dst, dst0.atime, dst0.mtime);
    r = await provisionWorkdir(i, opts(), ports());
    expect(r.updated).toEqual(['main.tf']);
    expect(fs.readFileSync(dst, 'utf8')).toBe(ELASTICACHE['main.tf']);
  });

  it('compares every file by content when the previous provision did not finish', async () => {
    const i = inst('elasticache-cache');
    const { path: wd } = await provisionWorkdir(i, opts(), ports());
    // Simulate a crash: the sentinel is gone, a file was half-replaced with its stat looking fine.
    fs.rmSync(sentinelPath(wd));
    fs.writeFileSync(path.join(wd, '.atmos', 'provision.in-progress'), '{}');
    const dst = path.join(wd, 'main.tf');
    const st = fs.statSync(dst);
    fs.writeFileSync(dst, 'x'.repeat(st.size));
    const log = memoryLog();
    const r = await provisionWorkdir(i, opts(), { ...ports(), log });
    expect(r.action).toBe('reprovisioned');
    expect(r.recovered).toBe(true);
    expect(r.reason).toMatch(/^previous provision did not finish; compared every file: synced 1 file/);
    expect(r.counts.hashed).toBeGreaterThanOrEqual(EXPECTED_COPY.length);
    expect(fs.readFileSync(dst, 'utf8')).toBe(ELASTICACHE['main.tf']);
    expect(fs.existsSync(sentinelPath(wd))).toBe(true);
    expect(fs.existsSync(path.join(wd, '.atmos', 'provision.in-progress'))).toBe(false);
    expect(log.lines.join('\n')).toContain('previous provision did not finish');
  });

  it('names the missing component folder', async () => {
    const i = makeInstance({ stack: 'dev', component: 'nope', componentPath: path.join(base, 'components/terraform/nope') });
    const e = await provisionWorkdir(i, opts(), ports()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AtmosError);
    expect((e as Error).message).toContain(path.join(base, 'components/terraform/nope'));
  });

  it('turns on from provision.workdir.enabled or the force flag', () => {
    const on = inst('a');
    const off = makeInstance({ stack: 'dev', component: 'a', componentPath: comp, provision: {} });
    const no = makeInstance({ stack: 'dev', component: 'a', componentPath: comp, provision: { workdir: { enabled: false } } });
    expect(isWorkdirEnabled(on, false)).toBe(true);
    expect(isWorkdirEnabled(off, false)).toBe(false);
    expect(isWorkdirEnabled(no, false)).toBe(false);
    expect(isWorkdirEnabled(off, true)).toBe(true);
  });
});

describe('lock files', () => {
  const lockOf = (wd: string) => fs.readFileSync(path.join(wd, '.terraform.lock.hcl'), 'utf8');

  it('uses the committed per-instance lock file, and Atmos naming for it', async () => {
    expect(instanceLockFileName('dev', 'elasticache-cache')).toBe('.dev-elasticache-cache.terraform.lock.hcl');
    expect(instanceLockFileName('org/dev', 'ecs/cluster')).toBe('.org-dev-ecs-cluster.terraform.lock.hcl');
    writeFiles(comp, { '.terraform.lock.hcl': '# base lock\n' });
    const r = await provisionWorkdir(inst('elasticache-cache'), opts(), ports());
    expect(r.lockFile).toEqual({ action: 'seeded', from: '.dev-elasticache-cache.terraform.lock.hcl' });
    expect(lockOf(r.path)).toBe('# per-instance lock for dev/elasticache-cache\n');
    // Another instance of the same base has no per-instance file: the base one seeds it.
    const q = await provisionWorkdir(inst('elasticache-queue'), opts(), ports());
    expect(q.lockFile).toEqual({ action: 'seeded', from: '.terraform.lock.hcl' });
    expect(lockOf(q.path)).toBe('# base lock\n');
    // Per-instance files never land in workdirs as themselves.
    expect(fs.existsSync(path.join(q.path, '.dev-elasticache-cache.terraform.lock.hcl'))).toBe(false);
  });

  it('keeps the lock file init wrote until the committed one it came from changes, then re-seeds', async () => {
    writeFiles(comp, { '.terraform.lock.hcl': '# base lock v1\n' });
    const i = inst('elasticache-queue');
    const r1 = await provisionWorkdir(i, opts(), ports());
    expect(lockOf(r1.path)).toBe('# base lock v1\n');
    // terraform init adds hashes for another platform:
    fs.writeFileSync(path.join(r1.path, '.terraform.lock.hcl'), '# base lock v1\n# + linux_arm64 hashes\n');
    writeFiles(comp, { 'main.tf': 'changed\n' });
    const r2 = await provisionWorkdir(i, opts(), ports());
    expect(r2.updated).toEqual(['main.tf']);
    expect(r2.lockFile.action).toBe('kept');
    expect(lockOf(r1.path)).toBe('# base lock v1\n# + linux_arm64 hashes\n');
    // The committed file changes (provider upgrade merged): re-seeded.
    writeFiles(comp, { '.terraform.lock.hcl': '# base lock v2\n' });
    const r3 = await provisionWorkdir(i, opts(), ports());
    expect(r3.lockFile).toEqual({ action: 'reseeded', from: '.terraform.lock.hcl' });
    expect(lockOf(r1.path)).toBe('# base lock v2\n');
    const seed = (readMetadata(r1.path) as { metadata: { lock_file_seed: unknown } }).metadata.lock_file_seed;
    expect(seed).toEqual({ file: '.terraform.lock.hcl', sha256: sha256Text('# base lock v2\n') });
  });

  it('does not overwrite a workdir lock file it did not seed with the base one', async () => {
    const i = inst('elasticache-queue');
    const r1 = await provisionWorkdir(i, opts(), ports());
    expect(r1.lockFile.action).toBe('none');
    fs.writeFileSync(path.join(r1.path, '.terraform.lock.hcl'), '# written by init\n');
    writeFiles(comp, { '.terraform.lock.hcl': '# base lock committed later\n' });
    const r2 = await provisionWorkdir(i, opts(), ports());
    expect(r2.lockFile.action).toBe('kept');
    expect(lockOf(r1.path)).toBe('# written by init\n');
  });
});
