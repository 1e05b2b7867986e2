/** Symlinks inside a component source (local and git): what is copied, what is refused, and the bounds on fan-out. */
import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog } from '../../src/ports/log.js';
import { AtmosError } from '../../src/util/errors.js';
import { provisionWorkdir, type ProvisionOptions } from '../../src/workdir/provision.js';
import { syncTree } from '../../src/workdir/sync.js';
import { git, isolatedGitEnv, makeInstance, mkTmp, readFiles, rmTmp, testExec, writeFiles } from './helpers.js';

let tmp: string;
let base: string;
let outside: string;
const SECRET = 'aws_secret_access_key = do-not-copy-me';

beforeEach(() => {
  tmp = mkTmp('atmos-wd-links-');
  base = path.join(tmp, 'repo');
  outside = path.join(tmp, 'outside');
  writeFiles(outside, { credentials: `${SECRET}\n`, 'dir/leak.tf': `# ${SECRET}\n` });
  writeFiles(base, { 'components/terraform/vpc/main.tf': '# vpc\n', 'components/terraform/vpc/modules/sub/main.tf': '# sub\n' });
});
afterEach(() => rmTmp(tmp));

const opts = (): ProvisionOptions => ({ basePath: base, lock: { staleMs: 2000, waitMs: 5000 } });
const ports = () => ({ exec: testExec, log: memoryLog(), clock: fixedClock('2026-03-01T00:00:00Z'), env: isolatedGitEnv(path.join(tmp, 'home')) });
const vpcDir = () => path.join(base, 'components/terraform/vpc');
const localVpc = () => makeInstance({ stack: 'dev', component: 'vpc', componentPath: vpcDir() });
const wdPath = () => path.join(base, '.workdir/terraform/dev-vpc');

/** Every file's content under `root`, links followed: where a secret could have landed. */
function allText(root: string): string {
  return fs.existsSync(root) ? Object.values(readFiles(root, [])).join('\n') : '';
}

describe('symlinks in a local component source', () => {
  it('refuses a link to a file outside the component, naming the link, and copies nothing of it', async () => {
    fs.symlinkSync(path.join(outside, 'credentials'), path.join(vpcDir(), 'secret.tf'));
    const e = await provisionWorkdir(localVpc(), opts(), ports()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AtmosError);
    expect((e as Error).message).toMatch(/secret\.tf in the component source .* is a symlink to .*credentials.*, outside the source/);
    expect(allText(wdPath())).not.toContain(SECRET);
  });

  it('refuses a relative link to a folder outside the component (..), and one that climbs out through an inside link', async () => {
    fs.symlinkSync(path.relative(vpcDir(), path.join(outside, 'dir')), path.join(vpcDir(), 'shared'));
    await expect(provisionWorkdir(localVpc(), opts(), ports())).rejects.toThrow(/shared in the component source .* outside the source/);
    fs.unlinkSync(path.join(vpcDir(), 'shared'));
    // modules/up -> .. (inside), then up/../../.. leaves: the resolved target is what counts.
    fs.symlinkSync('..', path.join(vpcDir(), 'modules', 'up'));
    // A literal target: path.join would fold the `..` away before the kernel ever sees the link.
    fs.symlinkSync('modules/up/../../../../outside/credentials', path.join(vpcDir(), 'creds.tf'));
    expect(fs.readFileSync(path.join(vpcDir(), 'creds.tf'), 'utf8')).toContain(SECRET);
    await expect(provisionWorkdir(localVpc(), opts(), ports())).rejects.toThrow(/creds\.tf in the component source .* outside the source/);
    expect(allText(wdPath())).not.toContain(SECRET);
  });

  it('copies links that stay inside the component as their content', async () => {
    fs.symlinkSync('main.tf', path.join(vpcDir(), 'alias.tf'));
    fs.symlinkSync('modules/sub', path.join(vpcDir(), 'sub'));
    const r = await provisionWorkdir(localVpc(), opts(), ports());
    expect(readFiles(r.path)).toEqual({
      'main.tf': '# vpc\n',
      'alias.tf': '# vpc\n',
      'modules/sub/main.tf': '# sub\n',
      'sub/main.tf': '# sub\n',
    });
    expect(fs.lstatSync(path.join(r.path, 'alias.tf')).isFile()).toBe(true);
    expect(fs.lstatSync(path.join(r.path, 'sub')).isDirectory()).toBe(true);
  });

  it('leaves alone a link that is never copied anyway: .terraform linked to a cache, a path the source excludes', async () => {
    fs.mkdirSync(path.join(outside, 'tf-cache'));
    fs.symlinkSync(path.join(outside, 'tf-cache'), path.join(vpcDir(), '.terraform'));
    expect((await provisionWorkdir(localVpc(), opts(), ports())).action).toBe('created');
    const repo = path.join(tmp, 'excl-repo');
    const env = isolatedGitEnv(path.join(tmp, 'home'));
    fs.mkdirSync(path.join(tmp, 'home'));
    writeFiles(repo, { 'main.tf': '# m\n' });
    fs.symlinkSync(path.join(outside, 'credentials'), path.join(repo, 'creds'));
    git(repo, env, 'init', '-q', '-b', 'main');
    git(repo, env, 'add', '-A');
    git(repo, env, 'commit', '-q', '-m', 'x');
    const inst = makeInstance({ stack: 'dev', component: 'mod', componentPath: vpcDir(), source: { uri: `git::file://${repo}`, excluded_paths: ['creds'] } });
    const r = await provisionWorkdir(inst, opts(), ports());
    expect(readFiles(r.path)).toEqual({ 'main.tf': '# m\n' });
    // The same link, not excluded: refused.
    const unfiltered = makeInstance({ stack: 'dev', component: 'mod2', componentPath: vpcDir(), source: { uri: `git::file://${repo}` } });
    await expect(provisionWorkdir(unfiltered, opts(), ports())).rejects.toThrow(/creds in the component source .* outside the source/);
  });

  it('reports a link loop and a broken link by name instead of hanging or copying', async () => {
    fs.symlinkSync('.', path.join(vpcDir(), 'modules', 'self'));
    fs.symlinkSync('..', path.join(vpcDir(), 'modules', 'sub', 'parent'));
    await expect(provisionWorkdir(localVpc(), opts(), ports())).rejects.toThrow(/symlink loop/);
    fs.unlinkSync(path.join(vpcDir(), 'modules', 'self'));
    fs.unlinkSync(path.join(vpcDir(), 'modules', 'sub', 'parent'));
    fs.symlinkSync('a.tf', path.join(vpcDir(), 'b.tf'));
    fs.symlinkSync('b.tf', path.join(vpcDir(), 'a.tf'));
    await expect(provisionWorkdir(localVpc(), opts(), ports())).rejects.toThrow(/[ab]\.tf in the component source .* is a symlink loop/);
  });
});

describe('symlink fan-out is bounded', () => {
  /** d0 … d<depth>: each folder links twice to the next, so the last folder is reachable through 2^depth paths. */
  function fanOut(root: string, depth: number): void {
    for (let i = depth; i >= 0; i--) fs.mkdirSync(path.join(root, `d${i}`), { recursive: true });
    fs.writeFileSync(path.join(root, `d${depth}`, 'leaf.tf'), 'x'.repeat(1024));
    for (let i = 0; i < depth; i++) {
      fs.symlinkSync(path.join('..', `d${i + 1}`), path.join(root, `d${i}`, 'a'));
      fs.symlinkSync(path.join('..', `d${i + 1}`), path.join(root, `d${i}`, 'b'));
    }
  }

  // No wall-clock bound here (a loaded CI machine makes timings meaningless): an unbounded walk would
  // visit 2^21 paths and copy a million files instead of stopping at the cap with this message.
  it('stops a 2^20-path link chain with a clear error at the default bound', async () => {
    fanOut(vpcDir(), 20);
    await expect(provisionWorkdir(localVpc(), opts(), ports())).rejects.toThrow(
      /has more than 100000 files and folders \(each path through a symlink counts\)/,
    );
  }, 120_000);

  it('bounds the bytes a source may expand to through links to one big file', async () => {
    const src = path.join(tmp, 'src');
    writeFiles(src, { 'big.bin': Buffer.alloc(1024 * 1024) });
    for (let i = 0; i < 8; i++) fs.symlinkSync('big.bin', path.join(src, `copy${i}.bin`));
    const dst = path.join(tmp, 'dst');
    fs.mkdirSync(dst);
    await expect(syncTree(src, dst, { manifest: null, limits: { maxBytes: 4 * 1024 * 1024 } })).rejects.toThrow(/holds more than 4 MB of files/);
    expect(fs.readdirSync(dst)).toEqual([]);
  });
});

describe('symlinks in a git source', () => {
  it('refuses a committed link to a file outside the fetched repository', async () => {
    const env = isolatedGitEnv(path.join(tmp, 'home'));
    fs.mkdirSync(path.join(tmp, 'home'));
    const repo = path.join(tmp, 'module-repo');
    writeFiles(repo, { 'modules/vpc/main.tf': '# remote vpc\n' });
    fs.symlinkSync(path.join(outside, 'credentials'), path.join(repo, 'modules/vpc/secret.tf'));
    git(repo, env, 'init', '-q', '-b', 'main');
    git(repo, env, 'add', '-A');
    git(repo, env, 'commit', '-q', '-m', 'link');
    git(repo, env, 'tag', 'v1');
    const inst = makeInstance({ stack: 'dev', component: 'vpc', componentPath: vpcDir(), source: { uri: `git::file://${repo}//modules/vpc`, version: 'v1' } });
    await expect(provisionWorkdir(inst, opts(), ports())).rejects.toThrow(/secret\.tf in the component source .* outside the source/);
    expect(allText(wdPath())).not.toContain(SECRET);
  });
});
