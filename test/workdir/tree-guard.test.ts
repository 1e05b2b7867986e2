/**
 * The workdir tree as a pull request can shape it: committed links and files on the way to a
 * workdir, links a workdir keeps (.terraform), names at the file-name limit, on-disk damage, and
 * the action's working-directory. Real files and links in temp dirs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolveInsideWorkspace } from '../../src/action/workspace-path.js';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog, silentLog } from '../../src/ports/log.js';
import { metadataPath, manifestPath } from '../../src/util/paths.js';
import { cleanWorkdirs } from '../../src/workdir/clean.js';
import { listWorkdirs, showWorkdir } from '../../src/workdir/list.js';
import { provisionWorkdir } from '../../src/workdir/provision.js';
import { makeInstance, mkTmp, readFiles, rmTmp, testExec, writeFiles } from './helpers.js';

let base: string;
let comp: string;
let outside: string;
const clock = fixedClock('2026-03-01T00:00:00.000Z');
const lock = { staleMs: 2000, waitMs: 5000 };
const ports = (log = silentLog) => ({ exec: testExec, log, clock });

function provision(component = 'vpc', extra: { source?: Record<string, unknown>; log?: ReturnType<typeof memoryLog> } = {}) {
  return provisionWorkdir(makeInstance({ stack: 'dev', component, componentPath: comp, source: extra.source }), { basePath: base, lock }, ports(extra.log));
}

beforeEach(() => {
  base = mkTmp('atmos-wd-guard-');
  outside = mkTmp('atmos-wd-outside-');
  comp = path.join(base, 'components/terraform/vpc');
  writeFiles(comp, { 'main.tf': '# vpc\n' });
  writeFiles(outside, { 'precious.txt': 'do not delete\n' });
});
afterEach(() => {
  rmTmp(base);
  rmTmp(outside);
});

const outsideIntact = () => expect(readFiles(outside)).toEqual({ 'precious.txt': 'do not delete\n' });

describe('links on the way to a workdir', () => {
  it('refuses a committed link in place of the workdir: the outside folder is neither emptied nor written; clean names the link', async () => {
    fs.mkdirSync(path.join(base, '.workdir/terraform'), { recursive: true });
    fs.symlinkSync(outside, path.join(base, '.workdir/terraform/dev-vpc'));
    await expect(provision()).rejects.toThrow(/\.workdir\/terraform\/dev-vpc is a symbolic link \(to .*\); refusing to follow it/);
    outsideIntact();
    expect(() => showWorkdir(base, 'dev', 'vpc')).toThrow(/symbolic link/);
    const log = memoryLog();
    const r = await cleanWorkdirs(base, { mode: 'all' }, { log, clock });
    expect(r.removed).toEqual([]);
    expect(r.skipped).toEqual([expect.objectContaining({ name: 'dev-vpc', reasons: [expect.stringMatching(/symbolic link, not a workdir; not followed/)] })]);
    expect(log.lines.join('\n')).toMatch(/dev-vpc: skipped: a symbolic link/);
    outsideIntact();
  });

  it.each([
    ['.workdir', ''],
    ['.workdir/terraform', ''],
    ['.workdir/.locks', ''],
    ['.workdir/.locks/terraform', ''],
  ])('refuses %s as a link before writing anything through it', async (link) => {
    fs.mkdirSync(path.dirname(path.join(base, link)), { recursive: true });
    fs.symlinkSync(outside, path.join(base, link));
    await expect(provision()).rejects.toThrow(new RegExp(`${link.replace(/\./g, '\\.')} is a symbolic link`));
    outsideIntact();
  });

  it('refuses a linked scratch folder for a remote source, and a linked trash folder in clean', async () => {
    const remote = mkTmp('atmos-wd-remote-');
    try {
      writeFiles(remote, { 'main.tf': '# remote\n' });
      fs.mkdirSync(path.join(base, '.workdir'), { recursive: true });
      fs.symlinkSync(outside, path.join(base, '.workdir/.tmp'));
      await expect(provision('vpc', { source: { uri: `file://${remote}` } })).rejects.toThrow(/\.workdir\/\.tmp is a symbolic link/);
      outsideIntact();
      fs.unlinkSync(path.join(base, '.workdir/.tmp'));
      await provision();
      fs.symlinkSync(outside, path.join(base, '.workdir/.trash'));
      await expect(cleanWorkdirs(base, { mode: 'all' }, { log: silentLog, clock })).rejects.toThrow(/\.workdir\/\.trash is a symbolic link/);
      outsideIntact();
    } finally {
      rmTmp(remote);
    }
  });

  it('leaves .terraform and terraform.tfstate.d alone when they are links (never followed, replaced or deleted)', async () => {
    await provision();
    const wd = path.join(base, '.workdir/terraform/dev-vpc');
    fs.symlinkSync(outside, path.join(wd, '.terraform'));
    fs.symlinkSync(outside, path.join(wd, 'terraform.tfstate.d'));
    writeFiles(comp, { 'variables.tf': '# vars\n' });
    const r = await provision();
    expect(r.removed).toEqual([]);
    expect(fs.lstatSync(path.join(wd, '.terraform')).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(wd, 'terraform.tfstate.d')).isSymbolicLink()).toBe(true);
    outsideIntact();
    // Local state behind a link still counts as local state for clean.
    expect(listWorkdirs(base)[0]!.local_state).toEqual(['terraform.tfstate.d']);
  });
});

describe('names at the file-name limit', () => {
  it('refuses up front, naming the instance, a workdir name longer than a file name can be', async () => {
    const long = 'v'.repeat(250);
    await expect(provision(long)).rejects.toThrow(new RegExp(`component ${long} in stack dev: its workdir folder name is \\d+ bytes long`));
    expect(fs.existsSync(path.join(base, '.workdir'))).toBe(false);
  });

  it('works end to end with a workdir name right at the limit (lock, owner note, clean)', async () => {
    const comp244 = 'v'.repeat(244 - 'dev-'.length);
    const r = await provision(comp244);
    expect(path.basename(r.path)).toHaveLength(244);
    const c = await cleanWorkdirs(base, { mode: 'all' }, { log: silentLog, clock }, { lock });
    expect(c.removed.map((e) => e.name)).toEqual([`dev-${comp244}`]);
  });

  it('keeps updating a workdir whose source has a file name at the limit (temp names stay short)', async () => {
    const name = `${'f'.repeat(250)}.tf`;
    writeFiles(comp, { [name]: '# one\n' });
    await provision();
    writeFiles(comp, { [name]: '# two, longer\n' });
    const r = await provision();
    expect(r.updated).toEqual([name]);
    expect(fs.readFileSync(path.join(base, '.workdir/terraform/dev-vpc', name), 'utf8')).toBe('# two, longer\n');
  });
});

describe('on-disk damage', () => {
  it('names the path when a file stands where the workdir belongs (no raw ENOTDIR)', async () => {
    writeFiles(base, { '.workdir/terraform/dev-vpc': 'junk' });
    await expect(provision()).rejects.toThrow(/\.workdir\/terraform\/dev-vpc is a file, not a folder/);
  });

  it('names the path when .workdir/terraform is a file', async () => {
    writeFiles(base, { '.workdir/terraform': 'junk' });
    await expect(provision()).rejects.toThrow(/^\.workdir\/terraform is a file, not a folder/);
    expect(() => listWorkdirs(base)).toThrow(/\.workdir\/terraform is a file, not a folder/);
  });

  it('repairs a .atmos that is a file or a link, a metadata.json that is not JSON and a truncated manifest', async () => {
    await provision();
    const wd = path.join(base, '.workdir/terraform/dev-vpc');
    fs.rmSync(path.join(wd, '.atmos'), { recursive: true });
    fs.writeFileSync(path.join(wd, '.atmos'), 'junk');
    let log = memoryLog();
    await expect(provision('vpc', { log })).resolves.toMatchObject({ action: expect.any(String) });
    expect(log.lines.join('\n')).toMatch(/\.atmos was a file, not a folder; replaced it/);
    fs.rmSync(path.join(wd, '.atmos'), { recursive: true });
    fs.symlinkSync(outside, path.join(wd, '.atmos'));
    await provision();
    expect(fs.lstatSync(path.join(wd, '.atmos')).isDirectory()).toBe(true);
    outsideIntact();
    fs.rmSync(metadataPath(wd));
    fs.mkdirSync(path.join(metadataPath(wd), 'junk'), { recursive: true });
    fs.rmSync(manifestPath(wd));
    fs.symlinkSync(path.join(outside, 'precious.txt'), manifestPath(wd));
    log = memoryLog();
    await provision('vpc', { log });
    expect(log.lines.join('\n')).toMatch(/metadata\.json was a folder, not a file; removed it/);
    expect(log.lines.join('\n')).toMatch(/manifest\.json was a symbolic link, not a file; removed it/);
    expect(JSON.parse(fs.readFileSync(metadataPath(wd), 'utf8'))).toMatchObject({ component: 'vpc' });
    outsideIntact();
    fs.writeFileSync(metadataPath(wd), '{"component": ');
    fs.writeFileSync(manifestPath(wd), '{"version": 2, "files": {"ma');
    log = memoryLog();
    await provision('vpc', { log });
    expect(log.lines.join('\n')).toMatch(/metadata\.json: unreadable workdir metadata/);
    expect(JSON.parse(fs.readFileSync(metadataPath(wd), 'utf8'))).toMatchObject({ component: 'vpc', stack: 'dev' });
    expect(JSON.parse(fs.readFileSync(manifestPath(wd), 'utf8')).version).toBe(2);
  });
});

describe('working-directory', () => {
  it('resolves inside GITHUB_WORKSPACE, links resolved, and names the input otherwise', () => {
    fs.mkdirSync(path.join(base, 'infra'));
    fs.symlinkSync(outside, path.join(base, 'escape'));
    expect(resolveInsideWorkspace(base, 'working-directory', 'infra')).toBe(fs.realpathSync(path.join(base, 'infra')));
    expect(resolveInsideWorkspace(base, 'working-directory', '.')).toBe(fs.realpathSync(base));
    expect(() => resolveInsideWorkspace(base, 'working-directory', 'escape')).toThrow(
      /input working-directory "escape" resolves to .*, outside GITHUB_WORKSPACE/,
    );
    expect(() => resolveInsideWorkspace(base, 'working-directory', '..')).toThrow(/input working-directory "\.\." resolves to .*, outside GITHUB_WORKSPACE/);
    expect(() => resolveInsideWorkspace(base, 'working-directory', outside)).toThrow(/outside GITHUB_WORKSPACE/);
    expect(() => resolveInsideWorkspace(base, 'working-directory', 'missing')).toThrow(/input working-directory "missing": folder .* does not exist/);
  });
});
