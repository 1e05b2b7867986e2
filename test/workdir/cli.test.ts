/** The workdir commands through the CLI core, on a copy of the bundled example project. */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { main } from '../../src/cli/main.js';
import { workdirCommands } from '../../src/cli/commands/workdir.js';
import type { CliContext } from '../../src/cli/types.js';
import { fixedClock } from '../../src/ports/clock.js';
import { silentLog } from '../../src/ports/log.js';
import { copyExample } from '../helpers/fs.js';
import { mkTmp, readFiles, rmTmp, testExec } from './helpers.js';

let project: string;
beforeEach(() => {
  project = mkTmp('atmos-wd-cli-');
  copyExample(project);
  // The example turns workdirs on for every instance; these tests start with them off.
  const defaults = path.join(project, 'stacks/orgs/acme/plat/_defaults.yaml');
  const text = fs.readFileSync(defaults, 'utf8');
  const off = text.replace(/\n {2}provision:\n {4}workdir:\n {6}enabled: true\n/, '\n');
  expect(off).not.toBe(text);
  fs.writeFileSync(defaults, off);
});
afterEach(() => rmTmp(project));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = { PATH: process.env.PATH };
  const ctx: CliContext = {
    cwd: project,
    env,
    envSettings: readEnvSettings(env),
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    log: silentLog,
    clock: fixedClock('2026-04-01T00:00:00Z'),
    exec: testExec,
    debug: false,
  };
  const code = await main(argv, ctx, workdirCommands);
  return { code, out, err };
}

describe('atmos-action workdir …', () => {
  it('provisions every selected instance, says what it did, lists, shows and cleans', async () => {
    // Workdirs are off: without --workdir nothing happens and it says so.
    let r = await run('workdir', 'provision', '--all', '--stacks', 'plat-ue2-dev');
    expect(r.code).toBe(0);
    expect(r.out).toContain('skipped 4 instance(s) without provision.workdir.enabled');

    r = await run('workdir', 'provision', '--all', '--stacks', 'plat-ue2-dev', '--workdir', '--parallelism', '2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^plat-ue2-dev\/elasticache-cache: created from .*components\/terraform\/elasticache \(1 file\); \.terraform\.lock\.hcl seeded from \.terraform\.lock\.hcl$/,
    );
    const wd = path.join(project, '.workdir/terraform/plat-ue2-dev-elasticache-hcache');
    expect(readFiles(wd)).toEqual(readFiles(path.join(project, 'components/terraform/elasticache')));

    fs.appendFileSync(path.join(project, 'components/terraform/elasticache/main.tf'), '\n# changed\n');
    r = await run('workdir', 'provision', 'elasticache-queue', '-s', 'plat-ue2-dev', '--workdir');
    expect(r.out.trim()).toBe('plat-ue2-dev/elasticache-queue: synced 1 file (0 added, 1 updated, 0 removed)');
    r = await run('workdir', 'provision', 'elasticache-queue', '-s', 'plat-ue2-dev', '--workdir');
    expect(r.out.trim()).toBe('plat-ue2-dev/elasticache-queue: unchanged');

    r = await run('workdir', 'list', '--format', 'json');
    const items = JSON.parse(r.out) as { component: string; stack: string; path: string }[];
    expect(items.map((i) => `${i.stack}/${i.component}`)).toEqual([
      'plat-ue2-dev/elasticache-cache',
      'plat-ue2-dev/elasticache-queue',
      'plat-ue2-dev/elasticache-sessions',
      'plat-ue2-dev/vpc',
    ]);
    r = await run('workdir', 'list');
    expect(r.out).toMatch(/^COMPONENT/);

    r = await run('workdir', 'show', 'vpc', '-s', 'plat-ue2-dev', '--format', 'json');
    expect(JSON.parse(r.out)).toMatchObject({ component: 'vpc', stack: 'plat-ue2-dev', path: '.workdir/terraform/plat-ue2-dev-vpc', complete: true });
    r = await run('workdir', 'show', 'vpc', '-s', 'plat-ue2-prod');
    expect(r.code).toBe(1);
    expect(r.err).toContain('no workdir for vpc in stack plat-ue2-prod');

    fs.writeFileSync(path.join(project, '.workdir/terraform/plat-ue2-dev-vpc/terraform.tfstate'), '{}');
    r = await run('workdir', 'clean', '--all', '--dry-run');
    expect(r.out).toContain('would remove elasticache-cache in stack plat-ue2-dev (.workdir/terraform/plat-ue2-dev-elasticache-hcache)');
    expect(r.out).toContain('skipped vpc in stack plat-ue2-dev (.workdir/terraform/plat-ue2-dev-vpc): holds local Terraform state (terraform.tfstate)');
    r = await run('workdir', 'clean', 'vpc', '-s', 'plat-ue2-dev');
    expect(r.out).toContain('skipped vpc in stack plat-ue2-dev (.workdir/terraform/plat-ue2-dev-vpc)');
    r = await run('workdir', 'clean', 'vpc', '-s', 'plat-ue2-dev', '--force');
    expect(r.out.trim()).toBe('removed vpc in stack plat-ue2-dev (.workdir/terraform/plat-ue2-dev-vpc)');
    r = await run('workdir', 'clean', '--expired', '--ttl', '0');
    expect(r.out.split('\n').filter((l) => l.startsWith('removed'))).toHaveLength(3);
  });

  it('refuses to provision one named instance without workdirs enabled (exit 1, naming the setting and --workdir)', async () => {
    const notEnabled = await run('workdir', 'provision', 'vpc', '-s', 'plat-ue2-dev');
    expect(notEnabled.code).toBe(1);
    expect(notEnabled.err).toContain('workdirs are not enabled for vpc in stack plat-ue2-dev: set provision.workdir.enabled: true');
    expect(notEnabled.err).toContain('--workdir');
    expect(notEnabled.out).toBe('');
  });

  it('selects by globs as plan does: --stacks or --components alone imply --all', async () => {
    const r = await run('workdir', 'provision', '--stacks', 'plat-ue2-dev', '--components', 'vpc', '--workdir');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^plat-ue2-dev\/vpc: created from .*components\/terraform\/vpc/);
    const mixed = await run('workdir', 'provision', 'vpc', '-s', 'plat-ue2-dev', '--components', 'vpc');
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('--all/--stacks/--components select instances; they cannot be combined with a component or -s');
  });

  it('rejects bad usage with exit 2 and an explanation', async () => {
    expect((await run('workdir', 'clean', '--expired')).err).toContain('--expired needs --ttl');
    expect((await run('workdir', 'clean', '--all', '--expired', '--ttl', '1h')).code).toBe(2);
    expect((await run('workdir', 'provision', 'vpc')).err).toContain('missing -s/--stack');
    const badTtl = await run('workdir', 'clean', '--expired', '--ttl', '1h30m');
    expect(badTtl.code).toBe(1);
    expect(badTtl.err).toContain('invalid --ttl "1h30m"');
    // a duration written as two words: the stray word is named, not taken for a component
    for (const args of [
      ['--expired', '--ttl', '3', 'weeks'],
      ['--ttl', '3', 'weeks'],
    ]) {
      const twoWords = await run('workdir', 'clean', ...args);
      expect(twoWords.code).toBe(2);
      expect(twoWords.err).toContain('unexpected argument "weeks" after --ttl 3: a duration is one word, such as 21d or weekly (a bare number means seconds)');
    }
  });
});
