import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/ports/clock.js';
import type { Exec } from '../../src/ports/exec.js';
import { memoryLog } from '../../src/ports/log.js';
import { AtmosError } from '../../src/util/errors.js';
import { readMetadata } from '../../src/workdir/metadata.js';
import { provisionWorkdir, type ProvisionOptions } from '../../src/workdir/provision.js';
import { gitEnv, parseSourceSpec, redactUri, resolveSourceUri, sourceFilter } from '../../src/workdir/remote.js';
import { isolatedGitEnv, makeGitRepo, makeInstance, mkTmp, readFiles, rmTmp, testExec } from './helpers.js';

function meta(wd: string): Record<string, string> {
  const r = readMetadata(wd);
  if (!r.ok) throw new Error(`no metadata in ${wd}`);
  return r.metadata as unknown as Record<string, string>;
}

describe('source specs and URIs', () => {
  const spec = (uri: string, version?: string) => ({ uri, version, includedPaths: [], excludedPaths: [] });
  const where = 'component vpc in stack dev';

  it('accepts a string or a map', () => {
    expect(parseSourceSpec('github.com/org/repo', where)).toEqual({ uri: 'github.com/org/repo', includedPaths: [], excludedPaths: [] });
    expect(
      parseSourceSpec({ uri: 'git::https://h/r.git', version: 'v1', included_paths: ['**/*.tf'], excluded_paths: ['tests/**'], ttl: '1h' }, where),
    ).toEqual({
      uri: 'git::https://h/r.git',
      version: 'v1',
      includedPaths: ['**/*.tf'],
      excludedPaths: ['tests/**'],
      ttl: '1h',
    });
    expect(parseSourceSpec({}, where)).toBeNull();
    expect(parseSourceSpec(undefined, where)).toBeNull();
    expect(() => parseSourceSpec({ version: 'v1' }, where)).toThrow(/component vpc in stack dev: source.uri is required/);
    expect(() => parseSourceSpec({ uri: 'x', included_paths: 'a' }, where)).toThrow(/included_paths must be a list/);
  });

  it('resolves the URI forms people write', () => {
    expect(resolveSourceUri(spec('github.com/cloudposse/terraform-aws-vpc//modules/subnets?ref=v1'), where)).toEqual({
      kind: 'git',
      url: 'https://github.com/cloudposse/terraform-aws-vpc.git',
      ref: 'v1',
      subdir: 'modules/subnets',
    });
    expect(resolveSourceUri(spec('github.com/org/repo', 'v2'), where)).toEqual({
      kind: 'git',
      url: 'https://github.com/org/repo.git',
      ref: 'v2',
      subdir: undefined,
    });
    // The URI's ref wins over version (Atmos appends version only when the URI has no ref).
    expect(resolveSourceUri(spec('git::https://gitlab.com/g/r.git//x?ref=main', 'v9'), where)).toMatchObject({
      url: 'https://gitlab.com/g/r.git',
      ref: 'main',
      subdir: 'x',
    });
    expect(resolveSourceUri(spec('git::file:///tmp/repo//modules/vpc?ref=v1&depth=1'), where)).toEqual({
      kind: 'git',
      url: 'file:///tmp/repo',
      ref: 'v1',
      subdir: 'modules/vpc',
    });
    expect(resolveSourceUri(spec('git::ssh://git@github.com/org/repo.git'), where)).toMatchObject({ url: 'ssh://git@github.com/org/repo.git' });
    expect(resolveSourceUri(spec('git@github.com:org/repo.git//sub'), where)).toMatchObject({ url: 'git@github.com:org/repo.git', subdir: 'sub' });
    expect(resolveSourceUri(spec('https://example.com/org/repo.git//.'), where)).toMatchObject({ url: 'https://example.com/org/repo.git', subdir: undefined });
    // Atmos's local paths: relative to where it runs, here the base path
    expect(resolveSourceUri(spec('../demo-library/weather'), where, '/repo/project')).toEqual({
      kind: 'local',
      dir: '/repo/demo-library/weather',
      subdir: undefined,
    });
    expect(resolveSourceUri(spec('./modules//vpc'), where, '/repo')).toEqual({ kind: 'local', dir: '/repo/modules', subdir: 'vpc' });
    expect(resolveSourceUri(spec('modules/vpc', 'v1'), where, '/repo')).toEqual({ kind: 'local', dir: '/repo/modules/vpc', subdir: undefined });
    expect(() => resolveSourceUri(spec('example.com/org/repo'), where, '/repo')).toThrow(/cannot tell how to fetch/);
  });

  it('refuses what it cannot fetch or what would be unsafe, saying where', () => {
    expect(() => resolveSourceUri(spec('oci://ghcr.io/org/mod:v1'), where)).toThrow(
      /component vpc in stack dev: source "oci:\/\/ghcr.io\/org\/mod:v1" is not supported/,
    );
    expect(() => resolveSourceUri(spec('s3::https://bucket/x.zip'), where)).toThrow(AtmosError);
    expect(() => resolveSourceUri(spec('https://example.com/x.zip'), where)).toThrow(/cannot tell how to fetch/);
    expect(() => resolveSourceUri(spec('github.com/org/repo?sshkey=abc'), where)).toThrow(/"sshkey" is not supported/);
    expect(() => resolveSourceUri(spec('github.com/org/repo', '--upload-pack=evil'), where)).toThrow(/not a valid git ref/);
    expect(() => resolveSourceUri(spec('github.com/org/repo//../../etc'), where)).toThrow(/escape/);
    // git's ext:: transport runs a command named in the URL
    expect(() => resolveSourceUri(spec('git::ext::sh -c touch% /tmp/pwned'), where)).toThrow(/not a valid git URL/);
  });

  it('redacts credentials and passes tokens to git through the environment, not the URL', () => {
    expect(redactUri('git::https://user:s3cret@github.com/org/repo.git')).toBe('git::https://***@github.com/org/repo.git');
    const env = gitEnv('https://github.com/org/repo.git', { GITHUB_TOKEN: 'tok' });
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
    expect(env.GIT_CONFIG_COUNT).toBe('1');
    expect(env.GIT_CONFIG_KEY_0).toBe('http.https://github.com/.extraheader');
    expect(env.GIT_CONFIG_VALUE_0).toBe(`AUTHORIZATION: basic ${Buffer.from('x-access-token:tok').toString('base64')}`);
    expect(gitEnv('https://gitlab.com/g/r.git', { GITHUB_TOKEN: 'tok' }).GIT_CONFIG_COUNT).toBeUndefined();
  });

  it('filters with doublestar globs relative to the source root, excluded first, never .git', () => {
    const f = sourceFilter({ includedPaths: ['**/*.tf', 'README.md'], excludedPaths: ['examples/**', '**/test_*.tf'] });
    expect(f('main.tf', false)).toBe(true);
    expect(f('modules/a/main.tf', false)).toBe(true);
    expect(f('README.md', false)).toBe(true);
    expect(f('notes.txt', false)).toBe(false);
    expect(f('examples', true)).toBe(false);
    expect(f('examples/main.tf', false)).toBe(false);
    expect(f('modules/test_a.tf', false)).toBe(false);
    expect(f('.git', true)).toBe(false);
    expect(f('modules/.git', true)).toBe(false);
  });
});

describe('remote sources from real git repositories', () => {
  let tmp: string;
  let base: string;
  let repo: string;
  let env: Record<string, string>;
  let commits: Record<string, string>;
  const clock = fixedClock('2026-02-01T00:00:00.000Z');
  let gitCalls: string[][];
  const countingExec: Exec = {
    run(cmd, args, o) {
      gitCalls.push([cmd, ...args]);
      return testExec.run(cmd, args, o);
    },
  };
  const opts = (): ProvisionOptions => ({ basePath: base, lock: { staleMs: 2000, waitMs: 5000 } });
  const ports = (log = memoryLog()) => ({ exec: countingExec, log, clock, env });

  beforeAll(() => {
    tmp = mkTmp('atmos-wd-remote-');
    env = isolatedGitEnv(path.join(tmp, 'home'));
    fs.mkdirSync(path.join(tmp, 'home'));
    repo = path.join(tmp, 'repo');
    commits = makeGitRepo(repo, env, {
      v1: {
        'README.md': 'repo readme\n',
        'modules/vpc/main.tf': '# vpc v1\n',
        'modules/vpc/variables.tf': '# vars v1\n',
        'modules/vpc/examples/complete/main.tf': '# example\n',
        'modules/vpc/notes.txt': 'not terraform\n',
        'modules/vpc/.terraform.lock.hcl': '# provider lock v1\n',
      },
      v2: {
        'README.md': 'repo readme\n',
        'modules/vpc/main.tf': '# vpc v2\n',
        'modules/vpc/outputs.tf': '# outputs v2\n',
        'modules/vpc/examples/complete/main.tf': '# example\n',
        'modules/vpc/.terraform.lock.hcl': '# provider lock v2\n',
      },
    });
  });
  afterAll(() => rmTmp(tmp));
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(tmp, 'base-'));
    gitCalls = [];
    clock.set('2026-02-01T00:00:00.000Z');
  });

  const vpc = (source: Record<string, unknown>) =>
    makeInstance({ stack: 'dev', component: 'vpc', componentPath: path.join(base, 'components/terraform/vpc'), source });
  const uri = () => `git::file://${repo}//modules/vpc`;

  it('fetches a version, re-provisions only when the version changes, keeps .terraform, and says why', async () => {
    const v1 = vpc({ uri: uri(), version: 'v1', excluded_paths: ['examples/**'], included_paths: ['**/*.tf', '**/*.hcl'] });
    const r1 = await provisionWorkdir(v1, opts(), ports());
    expect(r1.action).toBe('created');
    expect(r1.sourceType).toBe('remote');
    expect(readFiles(r1.path)).toEqual({
      'main.tf': '# vpc v1\n',
      'variables.tf': '# vars v1\n',
      '.terraform.lock.hcl': '# provider lock v1\n', // seeded from the source's committed lock file
    });
    expect(fs.existsSync(path.join(r1.path, '.git'))).toBe(false);
    const m1 = meta(r1.path);
    expect(m1).toMatchObject({
      component: 'vpc',
      stack: 'dev',
      source_type: 'remote',
      source_uri: uri(),
      source_version: 'v1',
      source_identity: commits.v1,
      created_at: '2026-02-01T00:00:00.000Z',
    });
    expect(gitCalls.some((c) => c.includes('--depth'))).toBe(true);
    expect(gitCalls.every((c) => c[0] === 'git')).toBe(true);

    // Same version again: no git at all, only last_accessed moves.
    gitCalls = [];
    clock.advance(60_000);
    fs.mkdirSync(path.join(r1.path, '.terraform'));
    fs.writeFileSync(path.join(r1.path, '.terraform', 'marker'), 'init ran');
    const again = await provisionWorkdir(v1, opts(), ports());
    expect(again.action).toBe('unchanged');
    expect(again.reason).toContain('unchanged');
    expect(gitCalls).toEqual([]);
    const m1b = meta(r1.path);
    expect(m1b.updated_at).toBe(m1.updated_at);
    expect(m1b.last_accessed).toBe('2026-02-01T00:01:00.000Z');

    // v2: re-provisioned with the reason; files gone in v2 are deleted; .terraform survives.
    const log = memoryLog();
    const r2 = await provisionWorkdir(
      vpc({ uri: uri(), version: 'v2', excluded_paths: ['examples/**'], included_paths: ['**/*.tf', '**/*.hcl'] }),
      opts(),
      ports(log),
    );
    expect(r2.action).toBe('reprovisioned');
    expect(r2.reason).toMatch(/^source version changed \(v1 → v2\): synced/);
    expect(log.lines.join('\n')).toContain('source version changed (v1 → v2)');
    expect(r2.removed).toEqual(['variables.tf']);
    expect(r2.added).toEqual(['outputs.tf']);
    expect(readFiles(r2.path)).toEqual({ 'main.tf': '# vpc v2\n', 'outputs.tf': '# outputs v2\n', '.terraform.lock.hcl': '# provider lock v2\n' });
    expect(fs.readFileSync(path.join(r2.path, '.terraform', 'marker'), 'utf8')).toBe('init ran');
    expect(r2.lockFile.action).toBe('reseeded');
    const m2 = meta(r2.path);
    expect(m2.source_identity).toBe(commits.v2);
    expect(m2.created_at).toBe(m1.created_at);
  });

  it('re-provisions when the URI changes or the TTL passed; 0s means always', async () => {
    await provisionWorkdir(vpc({ uri: uri(), version: 'v1', ttl: '1h' }), opts(), ports());
    clock.advance(30 * 60_000);
    expect((await provisionWorkdir(vpc({ uri: uri(), version: 'v1', ttl: '1h' }), opts(), ports())).action).toBe('unchanged');
    clock.advance(31 * 60_000);
    const expired = await provisionWorkdir(vpc({ uri: uri(), version: 'v1', ttl: '1h' }), opts(), ports());
    expect(expired.action).toBe('reprovisioned');
    expect(expired.reason).toMatch(/^TTL 1h expired \(updated 1h1m ago\)/);
    // The re-fetch restarted the TTL.
    expect((await provisionWorkdir(vpc({ uri: uri(), version: 'v1', ttl: '1h' }), opts(), ports())).action).toBe('unchanged');
    // The atmos.yaml default TTL applies when the source has none.
    expect((await provisionWorkdir(vpc({ uri: uri(), version: 'v1' }), { ...opts(), defaultTtl: '0' }, ports())).reason).toMatch(/^TTL 0 means always/);
    const always = await provisionWorkdir(vpc({ uri: uri(), version: 'v1', ttl: '0s' }), opts(), ports());
    expect(always.reason).toMatch(/^TTL 0s means always re-provision/);
    expect(always.changed).toBe(false); // same content came back
    const moved = await provisionWorkdir(vpc({ uri: `git::file://${repo}//modules/vpc?ref=v1`, version: 'v1' }), opts(), ports());
    expect(moved.reason).toMatch(/^source URI changed/);
    await expect(provisionWorkdir(vpc({ uri: uri(), version: 'v1', ttl: '1h30m' }), opts(), ports())).rejects.toThrow(
      /invalid source.ttl of component vpc in stack dev "1h30m"/,
    );
  });

  it('redoes a provision that crashed mid-copy even when the old version is asked for again', async () => {
    await provisionWorkdir(vpc({ uri: uri(), version: 'v1' }), opts(), ports());
    let copies = 0;
    const crashing: ProvisionOptions = {
      ...opts(),
      hooks: {
        afterCopy: () => {
          if (++copies === 1) throw new Error('simulated crash mid-copy');
        },
      },
    };
    await expect(provisionWorkdir(vpc({ uri: uri(), version: 'v2' }), crashing, ports())).rejects.toThrow('simulated crash');
    // Metadata still says v1, but the tree is half v2: asking for v1 must not trust it.
    const r = await provisionWorkdir(vpc({ uri: uri(), version: 'v1' }), opts(), ports());
    expect(r.action).toBe('reprovisioned');
    expect(r.recovered).toBe(true);
    expect(r.reason).toMatch(/^previous provision did not finish/);
    expect(readFiles(r.path)).toEqual({
      'main.tf': '# vpc v1\n',
      'variables.tf': '# vars v1\n',
      'notes.txt': 'not terraform\n',
      'examples/complete/main.tf': '# example\n',
      '.terraform.lock.hcl': '# provider lock v1\n',
    });
    // The fetch scratch folders were cleaned up on both paths.
    expect(fs.readdirSync(path.join(base, '.workdir', '.tmp'))).toEqual([]);
  });

  it('names the URI and the ref when the fetch fails', async () => {
    const e = await provisionWorkdir(vpc({ uri: uri(), version: 'v404' }), opts(), ports()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AtmosError);
    expect((e as Error).message).toContain(`cannot fetch source ${uri()} at v404`);
    const missingDir = await provisionWorkdir(vpc({ uri: `git::file://${repo}//modules/nope`, version: 'v1' }), opts(), ports()).catch((x: unknown) => x);
    expect((missingDir as Error).message).toMatch(/has no folder modules\/nope/);
  });

  it('fetches a commit SHA and the default branch', async () => {
    const bySha = await provisionWorkdir(vpc({ uri: uri(), version: commits.v1 }), opts(), ports());
    expect(fs.readFileSync(path.join(bySha.path, 'main.tf'), 'utf8')).toBe('# vpc v1\n');
    expect(bySha.metadata.source_identity).toBe(commits.v1);
    const head = await provisionWorkdir(makeInstance({ stack: 'prod', component: 'vpc', componentPath: base, source: { uri: uri() } }), opts(), ports());
    expect(head.metadata.source_identity).toBe(commits.v2);
  });
});
