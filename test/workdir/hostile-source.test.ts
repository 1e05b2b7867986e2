/**
 * Source URIs, refs and names written by someone hostile (a pull request): control characters,
 * credentials in every URI form, and values git could read as options.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/ports/clock.js';
import type { Exec } from '../../src/ports/exec.js';
import { memoryLog } from '../../src/ports/log.js';
import { AtmosError } from '../../src/util/errors.js';
import { logSafe } from '../../src/util/log-safe.js';
import { provisionWorkdir, type ProvisionOptions } from '../../src/workdir/provision.js';
import { redactUri } from '../../src/workdir/remote.js';
import { cleanEnv, runDist, writeTree } from '../helpers/fs.js';
import { gitHttpServer, type GitHttpServer } from './git-http.js';
import { git, isolatedGitEnv, makeGitRepo, makeInstance, mkTmp, rmTmp, testExec } from './helpers.js';

let tmp: string;
let base: string;
let env: Record<string, string>;
let calls: { argv: string[]; env: Record<string, string | undefined> }[];
const recordingExec: Exec = {
  run(cmd, args, o) {
    calls.push({ argv: [cmd, ...args], env: o?.env ?? {} });
    return testExec.run(cmd, args, o);
  },
};

beforeEach(() => {
  tmp = mkTmp('atmos-wd-hostile-');
  base = path.join(tmp, 'base');
  fs.mkdirSync(path.join(tmp, 'home'));
  env = isolatedGitEnv(path.join(tmp, 'home'));
  calls = [];
});
afterEach(() => rmTmp(tmp));

const opts = (): ProvisionOptions => ({ basePath: base, lock: { staleMs: 2000, waitMs: 5000 } });
const ports = (log = memoryLog()) => ({ exec: recordingExec, log, clock: fixedClock('2026-03-01T00:00:00Z'), env });
const vpc = (source: Record<string, unknown>, names: { stack?: string; component?: string } = {}) =>
  makeInstance({ stack: names.stack ?? 'dev', component: names.component ?? 'vpc', componentPath: path.join(base, 'components/terraform/vpc'), source });
const WHERE = 'component vpc in stack dev';

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AtmosError);
  return (e as Error).message;
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('control characters in values that reach log lines', () => {
  it.each([
    ['a line feed in the URI', { uri: 'git::https://example.com/r.git\n::add-mask::x', version: 'v1' }],
    ['a carriage return in the URI', { uri: 'git::https://example.com/r.git\r::error::forged', version: 'v1' }],
    ['an escape sequence in the URI', { uri: 'git::https://example.com/r.git\u001b[2K', version: 'v1' }],
    ['a C1 control (NEL) in the URI', { uri: 'github.com/org/repo\u0085::warning::x', version: 'v1' }],
    ['a line separator in the version', { uri: 'github.com/org/repo', version: 'v1\u2028::set-output name=x::y' }],
    ['a paragraph separator in the version', { uri: 'github.com/org/repo', version: 'v1\u2029x' }],
    ['an encoded line feed in ?ref=', { uri: 'github.com/org/repo?ref=v1%0A::add-mask::x' }],
  ])('refuses %s before git runs, naming the instance and showing the value escaped', async (_what, source) => {
    const message = await refusal(provisionWorkdir(vpc(source), opts(), ports()));
    expect(message).toContain(WHERE);
    expect(message).toMatch(/control character|not a valid git ref/);
    expect(message).not.toMatch(RAW_CONTROL);
    expect(calls).toEqual([]);
  });

  it('refuses stack and component names with a line separator or a C1 control, showing them escaped', async () => {
    const a = await refusal(provisionWorkdir(vpc({}, { stack: 'dev\u2028::add-mask::x' }), opts(), ports()));
    expect(a).toMatch(/stack name "dev\\u2028::add-mask::x" contains a control character/);
    const b = await refusal(provisionWorkdir(vpc({}, { component: 'vpc\u009b31m' }), opts(), ports()));
    expect(b).toMatch(/component name "vpc\\u009b31m" contains a control character/);
  });

  it('the action prints no workflow command smuggled in through a source URI', () => {
    const ws = writeTree(path.join(tmp, 'ws'), {
      'atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\ncomponents:\n  terraform:\n    base_path: components/terraform\n',
      'stacks/dev.yaml':
        'components:\n  terraform:\n    vpc:\n      provision: { workdir: { enabled: true } }\n' +
        '      source: { uri: "git::file:///nonexistent/repo.git\\n::add-mask::leaked\\n::set-output name=pwned::1", version: v1 }\n',
    });
    const gh = path.join(tmp, 'gh');
    fs.mkdirSync(gh);
    for (const f of ['output', 'summary', 'env', 'path', 'state']) fs.writeFileSync(path.join(gh, f), '');
    const r = runDist('action', [], {
      env: cleanEnv({
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: ws,
        GITHUB_OUTPUT: path.join(gh, 'output'),
        GITHUB_STEP_SUMMARY: path.join(gh, 'summary'),
        GITHUB_ENV: path.join(gh, 'env'),
        GITHUB_PATH: path.join(gh, 'path'),
        GITHUB_STATE: path.join(gh, 'state'),
        RUNNER_TEMP: gh,
        INPUT_COMMAND: 'provision',
      }),
    });
    expect(r.code).not.toBe(0);
    const commands = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /^\s*::/.test(l));
    // Only the action's own commands (its error annotation, the stack trace as a debug line); nothing from the URI.
    for (const c of commands) expect(c).toMatch(/^::(error|debug)::/);
    expect(commands.filter((c) => c.startsWith('::error::'))).toHaveLength(1);
    expect(r.stdout).toContain('component vpc in stack dev: source URI');
  });

  it('log lines cannot become workflow commands or forge lines (logSafe, used by the CLI and action log adapters)', () => {
    expect(logSafe('::add-mask::secret')).toBe('» ::add-mask::secret');
    expect(logSafe('fetching x\n  ::set-output name=a::b\nnext')).toBe('fetching x\n»   ::set-output name=a::b\nnext');
    expect(logSafe('a\r::error::forged')).toBe('a\\u000d::error::forged');
    expect(logSafe('a\u2028::error::x\u0085y\u001b[2K')).toBe('a\\u2028::error::x\\u0085y\\u001b[2K');
    expect(logSafe('old form ##[error]x')).toBe('old form # #[error]x');
    expect(logSafe('plain line\n\tindented: ok')).toBe('plain line\n\tindented: ok');
    for (const line of logSafe('x\n::a::\r\n ::b::\u2028::c::').split('\n')) expect(line).not.toMatch(/^\s*::/);
  });
});

describe('credentials never reach argv, logs, metadata or errors', () => {
  it.each([
    ['https://user:token@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
    ['https://ghp_tokenonly@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
    ['user:token@github.com/org/repo', '***@github.com/org/repo'],
    ['git::user:token@example.com:org/repo.git', 'git::***@example.com:org/repo.git'],
    ['https://user:p@ss/w@example.com/repo.git', 'https://***@example.com/repo.git'],
    ['git::https://user:tok%2Fen@gitlab.com/g/r.git//mod?ref=v1', 'git::https://***@gitlab.com/g/r.git//mod?ref=v1'],
    ['git::https://gitlab.com/g/r.git?token=abc123&ref=v1', 'git::https://gitlab.com/g/r.git?token=***&ref=v1'],
    ['github.com/org/repo?ref=v1&access_token=abc123', 'github.com/org/repo?ref=v1&access_token=***'],
    ['git::ssh://git@example.com/r.git?sshkey=LS0tLS1CRUdJTg', 'git::ssh://git@example.com/r.git?sshkey=***'],
    [
      "fatal: unable to access 'https://bot:s3cr3t@example.com/r.git/': The requested URL returned error: 403",
      "fatal: unable to access 'https://***@example.com/r.git/': The requested URL returned error: 403",
    ],
    ['ssh://git@github.com/org/repo.git', 'ssh://git@github.com/org/repo.git'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
  ])('redacts %s', (uri, shown) => {
    expect(redactUri(uri)).toBe(shown);
  });

  describe('through a real git over HTTP', () => {
    let server: GitHttpServer;
    const password = 'p@ss/w0rd-s3cret';
    const secretBits = ['p@ss', 'ss/w0rd', 's3cret'];
    beforeEach(async () => {
      const repo = path.join(tmp, 'repo');
      makeGitRepo(repo, env, { v1: { 'modules/vpc/main.tf': '# vpc over http\n' } });
      git(tmp, env, 'clone', '-q', '--bare', repo, path.join(tmp, 'served', 'mod.git'));
      server = await gitHttpServer(path.join(tmp, 'served'), env, `Basic ${Buffer.from(`ci-bot:${password}`).toString('base64')}`);
    });
    afterEach(() => server.close());

    it('sends a password with an unencoded "/" and "@" as an Authorization header from the environment, and shows it nowhere', async () => {
      const uri = `git::http://ci-bot:${password}@127.0.0.1:${server.port}/mod.git//modules/vpc`;
      const log = memoryLog();
      const r = await provisionWorkdir(vpc({ uri, version: 'v1' }), opts(), ports(log));
      expect(fs.readFileSync(path.join(r.path, 'main.tf'), 'utf8')).toBe('# vpc over http\n');
      // git authenticated: the server saw the user and the whole password.
      expect(server.requests.some((q) => q.authorization !== undefined)).toBe(true);
      const shown = [
        ...calls.map((c) => c.argv.join(' ')),
        log.lines.join('\n'),
        fs.readFileSync(path.join(r.path, '.atmos', 'metadata.json'), 'utf8'),
        JSON.stringify(r),
      ].join('\n');
      for (const bit of secretBits) expect(shown).not.toContain(bit);
      expect(r.metadata.source_uri).toBe(`git::http://***@127.0.0.1:${server.port}/mod.git//modules/vpc`);
      // `--` ends git's options before the URL and the ref.
      const fetch = calls.find((c) => c.argv.includes('fetch'))!.argv;
      expect(fetch.slice(fetch.indexOf('--'))).toEqual(['--', `http://127.0.0.1:${server.port}/mod.git`, 'v1']);
    });

    it('a refused password leaves no trace in the error either', async () => {
      const uri = `git::http://ci-bot:wrong-${password}@127.0.0.1:${server.port}/mod.git`;
      const message = await refusal(provisionWorkdir(vpc({ uri, version: 'v1' }), opts(), ports()));
      expect(message).toMatch(/cannot fetch source git::http:\/\/\*\*\*@127\.0\.0\.1:\d+\/mod\.git at v1: git fetch failed/);
      for (const bit of secretBits) expect(message).not.toContain(bit);
      for (const c of calls) for (const bit of secretBits) expect(c.argv.join(' ')).not.toContain(bit);
    });
  });
});

describe('values git could read as options are refused before git runs', () => {
  const marker = () => path.join(tmp, 'pwned');
  it.each([
    ['an ssh host starting with "-"', () => `git::ssh://-oProxyCommand=touch${'$'}{IFS}${marker()}/repo.git`],
    ['an scp-like path starting with "-"', () => `git::example.com:--upload-pack=touch${'$'}{IFS}${marker()}`],
    ['an scp-like path segment starting with "-"', () => 'git::git@example.com:org/--upload-pack=x'],
    ['an scp-like host starting with "-"', () => 'git::-oProxyCommand=x:repo'],
    ['a password in an scp-like address', () => 'git::deploy:tok3n@example.com:org/repo.git'],
    ['a remote helper (fd::)', () => 'git::fd::7'],
    ['a remote helper (ext::)', () => 'git::ext::sh'],
    ['a relative path', () => 'git::repo'],
  ])('%s', async (_what, uri) => {
    const message = await refusal(provisionWorkdir(vpc({ uri: uri(), version: 'v1' }), opts(), ports()));
    expect(message).toContain(`${WHERE}: source`);
    expect(message).toMatch(/is not a valid git URL/);
    expect(message).not.toContain('tok3n');
    expect(calls).toEqual([]);
    expect(fs.existsSync(marker())).toBe(false);
  });

  it.each([['-x'], ['--upload-pack=touch']])('a ref %s, as version or ?ref=', async (ref) => {
    expect(await refusal(provisionWorkdir(vpc({ uri: 'github.com/org/repo', version: ref }), opts(), ports()))).toMatch(
      /not a valid git ref \(it starts with "-"/,
    );
    expect(await refusal(provisionWorkdir(vpc({ uri: `github.com/org/repo?ref=${encodeURIComponent(ref)}` }), opts(), ports()))).toContain(WHERE);
    expect(calls).toEqual([]);
  });
});
