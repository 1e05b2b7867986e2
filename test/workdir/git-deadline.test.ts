/** Every git fetch has a deadline: a server that accepts and never answers cannot hang a provision or keep its lock. */
import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog } from '../../src/ports/log.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { AtmosError } from '../../src/util/errors.js';
import { provisionWorkdir, type ProvisionOptions } from '../../src/workdir/provision.js';
import { DEFAULT_GIT_TIMEOUT_MS, parseGitTimeout } from '../../src/workdir/ttl.js';
import { hungServer, type HungServer } from './git-http.js';
import { isolatedGitEnv, makeInstance, mkTmp, rmTmp, testExec } from './helpers.js';

let tmp: string;
let server: HungServer;
beforeEach(async () => {
  tmp = mkTmp('atmos-wd-deadline-');
  fs.mkdirSync(path.join(tmp, 'home'));
  server = await hungServer();
});
afterEach(async () => {
  await server.close();
  rmTmp(tmp);
});

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return cond();
};

describe('git fetch deadline', () => {
  it('kills a fetch from a server that never answers, names the source and the time waited, and releases the lock', async () => {
    const base = path.join(tmp, 'base');
    const uri = `git::http://127.0.0.1:${server.port}/hangs.git`;
    const inst = makeInstance({ stack: 'dev', component: 'vpc', componentPath: path.join(base, 'components/terraform/vpc'), source: { uri, version: 'v1' } });
    const ports = { exec: testExec, log: memoryLog(), clock: fixedClock('2026-03-01T00:00:00Z'), env: isolatedGitEnv(path.join(tmp, 'home')) };
    const opts: ProvisionOptions = { basePath: base, gitTimeoutMs: 1500, lock: { staleMs: 10_000, waitMs: 12_000 } };

    const e = await provisionWorkdir(inst, opts, ports).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AtmosError);
    const stoppedAfter = new RegExp(
      `^cannot fetch source ${uri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} at v1: git fetch did not finish within the 1\\.5s deadline and was stopped after (\\d+(?:\\.\\d)?)s`,
    ).exec((e as Error).message);
    expect(stoppedAfter).not.toBeNull();
    expect(Number(stoppedAfter![1])).toBeGreaterThanOrEqual(1.5); // not before its deadline
    // git's HTTP helper was killed with it: the server sees its connection close.
    expect(await until(() => server.open() === 0, 3000)).toBe(true);
    // The lock was released: a second attempt that only tries the lock once (a held one would refuse it) gets in and meets the same deadline.
    await expect(provisionWorkdir(inst, { ...opts, lock: { staleMs: 10_000, waitMs: 0 } }, ports)).rejects.toThrow(/did not finish within the 1\.5s deadline/);
    // No scratch folder left behind.
    expect(fs.readdirSync(path.join(base, '.workdir', '.tmp'))).toEqual([]);
  });

  it('reads the deadline from ATMOS_ACTION_GIT_TIMEOUT as seconds or one unit, default 10 minutes', () => {
    expect(parseGitTimeout(undefined)).toBe(DEFAULT_GIT_TIMEOUT_MS);
    expect(DEFAULT_GIT_TIMEOUT_MS).toBe(600_000);
    expect(parseGitTimeout('')).toBe(600_000);
    expect(parseGitTimeout('90')).toBe(90_000);
    expect(parseGitTimeout('90s')).toBe(90_000);
    expect(parseGitTimeout('20m')).toBe(1_200_000);
    expect(parseGitTimeout('1h')).toBe(3_600_000);
    expect(() => parseGitTimeout('0')).toThrow(/ATMOS_ACTION_GIT_TIMEOUT "0": a deadline must be longer than 0/);
    expect(() => parseGitTimeout('10 minutes')).toThrow(/invalid ATMOS_ACTION_GIT_TIMEOUT "10 minutes"/);
    expect(() => parseGitTimeout('2d')).toThrow(/invalid ATMOS_ACTION_GIT_TIMEOUT/);
  });
});

describe('Exec abort (nodeExec)', () => {
  it('kills the process and what it started, and reports the signal', async () => {
    const pidFile = path.join(tmp, 'bg.pid');
    const finished = path.join(tmp, 'bg.finished');
    const ac = new AbortController();
    // Aborted once the background job runs.
    void until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').endsWith('\n'), 20_000).then(() => ac.abort());
    // The background job inherits the output pipes: killing only the shell would leave us waiting on it until it finished.
    const r = await nodeExec.run('sh', ['-c', `(sleep 30; touch ${finished}) & echo $! > ${pidFile}; wait`], { signal: ac.signal, killSignal: 'SIGKILL' });
    expect(fs.existsSync(finished)).toBe(false);
    expect(r.signal).toBe('SIGKILL');
    expect(r.code).not.toBe(0);
    const bg = Number(fs.readFileSync(pidFile, 'utf8'));
    // Alive: it exists and is not a zombie waiting for init to reap it.
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${bg}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(await until(() => !alive(), 3000)).toBe(true);
  });

  it('an already aborted signal runs nothing', async () => {
    const marker = path.join(tmp, 'ran');
    const r = await nodeExec.run('sh', ['-c', `touch ${marker}`], { signal: AbortSignal.abort(), killSignal: 'SIGKILL' });
    expect(r.signal).toBe('SIGKILL');
    expect(fs.existsSync(marker)).toBe(false);
  });
});
