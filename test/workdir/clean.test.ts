import fs from 'node:fs';
import path from 'node:path';
import { withLock } from '../../src/lock/lock.js';
import { fixedClock } from '../../src/ports/clock.js';
import { memoryLog, silentLog } from '../../src/ports/log.js';
import { cleanWorkdirs } from '../../src/workdir/clean.js';
import { formatWorkdirTable, toListJson } from '../../src/report/workdirs.js';
import { listWorkdirs, showWorkdir } from '../../src/workdir/list.js';
import { provisionWorkdir } from '../../src/workdir/provision.js';
import { workdirLockKey } from '../../src/util/paths.js';
import { makeInstance, mkTmp, rmTmp, testExec, writeFiles } from './helpers.js';

let base: string;
let comp: string;
const clock = fixedClock('2026-03-01T00:00:00.000Z');
const lock = { staleMs: 2000, waitMs: 5000 };

async function provision(stack: string, component: string) {
  return provisionWorkdir(makeInstance({ stack, component, componentPath: comp }), { basePath: base, lock }, { exec: testExec, log: silentLog, clock });
}

beforeEach(async () => {
  clock.set('2026-03-01T00:00:00.000Z');
  base = mkTmp('atmos-wd-clean-');
  comp = path.join(base, 'components/terraform/vpc');
  writeFiles(comp, { 'main.tf': '# vpc\n' });
  await provision('dev', 'vpc'); // used at T
  clock.advance(2 * 86_400_000);
  await provision('prod', 'vpc'); // used at T+2d
  await provision('org/staging', 'vpc-a'); // stack with a slash: a real sub-folder
  clock.advance(86_400_000); // now = T+3d
});
afterEach(() => rmTmp(base));

describe('workdir list/show', () => {
  it('lists every workdir, including ones under a stack sub-folder, with Atmos fields', () => {
    const items = listWorkdirs(base);
    expect(items.map((w) => w.name)).toEqual(['dev-vpc', 'org/staging-vpc-ha', 'prod-vpc']);
    const j = toListJson(items[0]!);
    expect(j).toMatchObject({
      name: 'dev-vpc',
      component: 'vpc',
      stack: 'dev',
      source_type: 'local',
      source: comp,
      path: '.workdir/terraform/dev-vpc',
      created_at: '2026-03-01T00:00:00.000Z',
      last_accessed: '2026-03-01T00:00:00.000Z',
      complete: true,
      locked: false,
      local_state: [],
    });
    expect(j).not.toHaveProperty('absPath');
    const table = formatWorkdirTable(items);
    expect(table.split('\n')[0]).toMatch(/^COMPONENT\s+STACK\s+TYPE\s+VERSION\s+LAST_ACCESSED\s+STATUS\s+PATH$/);
    expect(table).toContain('org/staging');
    expect(showWorkdir(base, 'org/staging', 'vpc-a')?.path).toBe('.workdir/terraform/org/staging-vpc-ha');
    expect(showWorkdir(base, 'qa', 'vpc')).toBeNull();
  });
});

describe('cleanWorkdirs', () => {
  it('refuses workdirs with local state or a held lock unless forced, and says why', async () => {
    fs.writeFileSync(path.join(base, '.workdir/terraform/dev-vpc/terraform.tfstate'), '{}');
    fs.mkdirSync(path.join(base, '.workdir/terraform/prod-vpc/terraform.tfstate.d/ws'), { recursive: true });
    const log = memoryLog();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let result!: Awaited<ReturnType<typeof cleanWorkdirs>>;
    // Hold org/staging's lock as a running provision would, and clean meanwhile.
    await withLock(
      workdirLockKey(base, 'org/staging', 'vpc-a'),
      async () => {
        result = await cleanWorkdirs(base, { mode: 'all' }, { log, clock }, { lock });
        release();
      },
      lock,
    );
    await held;
    expect(result.removed).toEqual([]);
    expect(result.skipped.map((s) => [s.name, s.reasons])).toEqual([
      ['dev-vpc', ['holds local Terraform state (terraform.tfstate)']],
      ['org/staging-vpc-ha', [expect.stringMatching(new RegExp(`^its lock is held by pid ${process.pid} on `))]],
      ['prod-vpc', ['holds local Terraform state (terraform.tfstate.d)']],
    ]);
    expect(log.lines.join('\n')).toContain('use --force');
    expect(listWorkdirs(base)).toHaveLength(3);

    const forced = await cleanWorkdirs(base, { mode: 'all', force: true }, { log: silentLog, clock }, { lock });
    expect(forced.removed.map((r) => r.name)).toEqual(['dev-vpc', 'org/staging-vpc-ha', 'prod-vpc']);
    expect(fs.existsSync(path.join(base, '.workdir/terraform'))).toBe(false);
  });

  it('refuses a workdir whose only state is the errored.tfstate of a failed save', async () => {
    fs.writeFileSync(path.join(base, '.workdir/terraform/dev-vpc/errored.tfstate'), '{"serial":3}');
    const r = await cleanWorkdirs(base, { mode: 'all' }, { log: silentLog, clock }, { lock });
    expect(r.skipped.map((s) => [s.name, s.reasons])).toEqual([['dev-vpc', ['holds local Terraform state (errored.tfstate)']]]);
    expect(fs.readFileSync(path.join(base, '.workdir/terraform/dev-vpc/errored.tfstate'), 'utf8')).toBe('{"serial":3}');
  });

  it('dry-run lists what would go and deletes nothing', async () => {
    const r = await cleanWorkdirs(base, { mode: 'all', dryRun: true }, { log: silentLog, clock }, { lock });
    expect(r.dryRun).toBe(true);
    expect(r.removed).toHaveLength(3);
    expect(listWorkdirs(base)).toHaveLength(3);
  });

  it('--expired picks workdirs not used within the TTL', async () => {
    const r = await cleanWorkdirs(base, { mode: 'expired', ttl: '2d' }, { log: silentLog, clock }, { lock });
    expect(r.removed).toEqual([{ name: 'dev-vpc', path: '.workdir/terraform/dev-vpc', stack: 'dev', component: 'vpc', why: 'last used 3d ago' }]);
    expect(listWorkdirs(base).map((w) => w.name)).toEqual(['org/staging-vpc-ha', 'prod-vpc']);
    const all = await cleanWorkdirs(base, { mode: 'expired', ttl: '0', dryRun: true }, { log: silentLog, clock }, { lock });
    expect(all.removed).toHaveLength(2);
    await expect(cleanWorkdirs(base, { mode: 'expired', ttl: '1w' }, { log: silentLog, clock })).rejects.toThrow(/invalid --ttl "1w"/);
  });

  it('cleans one instance and reports instances without a workdir', async () => {
    const r = await cleanWorkdirs(
      base,
      {
        mode: 'instances',
        instances: [
          { stack: 'prod', component: 'vpc' },
          { stack: 'qa', component: 'vpc' },
        ],
      },
      { log: silentLog, clock },
      { lock },
    );
    expect(r.removed.map((e) => e.name)).toEqual(['prod-vpc']);
    expect(r.missing).toEqual([{ stack: 'qa', component: 'vpc' }]);
    expect(fs.existsSync(path.join(base, '.workdir/terraform/prod-vpc'))).toBe(false);
    expect(fs.existsSync(path.join(base, '.workdir/terraform/dev-vpc'))).toBe(true);
    // Nothing left in the trash.
    expect(fs.existsSync(path.join(base, '.workdir/.trash'))).toBe(false);
  });
});
