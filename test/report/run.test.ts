import fs from 'node:fs';
import path from 'node:path';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { oneAtATime, pluginCachePolicy } from '../../src/app/prepare-init.js';
import { formatRunTable, runExitCode, runJson, type RunReport } from '../../src/report/run.js';
import type { InstanceRunResult } from '../../src/terraform/run-instance.js';
import { tempDir } from '../helpers/fs.js';

const counts = (add: number, change: number, destroy: number, replace = 0) =>
  ({
    counts: { add, change, destroy, replace, forget: 0, import: 0, moved: 0, outputs: 0 },
    add: [],
    change: [],
    destroy: [],
    replace: [],
    forget: [],
    import: [],
    moved: [],
    outputs: [],
    hasChanges: true,
    applyable: true,
  }) as InstanceRunResult['plan'];

function result(component: string, status: InstanceRunResult['status'], reason = '', plan?: InstanceRunResult['plan']): InstanceRunResult {
  return {
    instance: `dev:${component}`,
    stack: 'dev',
    component,
    action: 'plan',
    status,
    reason,
    durationMs: 1234,
    steps: [{ step: 'init', ms: 400.4, code: 0 }],
    ...(plan ? { plan } : {}),
  };
}

const report = (results: InstanceRunResult[], cancelled = false): RunReport => ({ action: 'plan', results, parallelism: 4, wallMs: 2500, cancelled });

describe('the results table', () => {
  it('says per instance what happened or why not, with its duration, and sums up', () => {
    const text = formatRunTable(
      report([
        result('vpc', 'no-changes', 'no changes'),
        result('cache', 'changes', '', counts(2, 1, 0, 1)),
        result('db', 'failed', 'plan failed: No value for required variable'),
        result('app', 'skipped', 'dependency dev:db failed'),
      ]),
    );
    expect(text).toBe(
      [
        'INSTANCE   RESULT                                               DURATION',
        'vpc@dev    no changes                                           1.2s',
        'cache@dev  changes +2 ~1 -0 ±1                                  1.2s',
        'db@dev     failed: plan failed: No value for required variable  1.2s',
        'app@dev    skipped: dependency dev:db failed                    1.2s',
        '',
        'plan: 4 instance(s), 1 no changes, 1 changes, 1 failed, 1 skipped; 2.5s wall, parallelism 4',
        '',
      ].join('\n'),
    );
  });

  it('exit codes: 0 ok, 2 only with detailed-exitcode and changes, 1 on any failure or cancellation', () => {
    const changed = report([result('a', 'changes', '', counts(1, 0, 0)), result('b', 'no-changes')]);
    expect(runExitCode(changed)).toBe(0);
    expect(runExitCode(changed, { detailedExitcode: true })).toBe(2);
    expect(runExitCode(report([result('a', 'changes', '', counts(1, 0, 0)), result('b', 'failed', 'x')]), { detailedExitcode: true })).toBe(1);
    expect(runExitCode(report([result('a', 'no-changes')], true))).toBe(1);
  });

  it('JSON uses snake_case and whole milliseconds', () => {
    const json = runJson(report([result('a', 'changes', '', counts(1, 0, 0))]));
    expect(json).toMatchObject({ wall_ms: 2500, results: [{ duration_ms: 1234, counts: { add: 1 }, steps: [{ step: 'init', ms: 400, code: 0 }] }] });
    expect(JSON.stringify(json)).not.toMatch(/"[a-z]+[A-Z]/);
    expect(json).not.toHaveProperty('provider_store');
  });

  it('JSON reports what the provider store did, when it was on', () => {
    const stats = { hits: 11, rehashed: 0, installs: 1, seeded: 0, harvested: 0, corrupted: 0, extractions: 1 };
    const json = runJson({ ...report([result('a', 'no-changes')]), providers: stats });
    expect(json.provider_store).toEqual(stats);
  });
});

describe('parallel inits and the plugin cache', () => {
  it('drops TF_PLUGIN_CACHE_DIR only under parallel runs, and serialises inits when the CLI config sets plugin_cache_dir', async () => {
    const dir = tempDir();
    const rc = path.join(dir, 'rc');
    fs.writeFileSync(rc, '# plugin_cache_dir = "/nope"\n');
    const env = { TF_PLUGIN_CACHE_DIR: '/cache', TF_CLI_CONFIG_FILE: rc };
    const cliConfig = readEnvSettings(env).terraformCliConfig();
    expect(await pluginCachePolicy({ parallel: false, env, instances: [], cliConfig })).toEqual({ env, serializeInits: false, notes: [] });
    const par = await pluginCachePolicy({ parallel: true, env, instances: [], cliConfig });
    expect(par.env.TF_PLUGIN_CACHE_DIR).toBeUndefined();
    expect(par.serializeInits).toBe(false);
    expect(par.notes).toEqual([expect.stringMatching(/^TF_PLUGIN_CACHE_DIR=\/cache is not passed to parallel terraform runs/)]);
    fs.writeFileSync(rc, 'plugin_cache_dir = "/shared"\n');
    const serialEnv = { TF_CLI_CONFIG_FILE: rc };
    const serial = await pluginCachePolicy({ parallel: true, env: serialEnv, instances: [], cliConfig: readEnvSettings(serialEnv).terraformCliConfig() });
    expect(serial.serializeInits).toBe(true);
    expect(serial.notes).toEqual([expect.stringMatching(/sets plugin_cache_dir.*inits run one at a time/)]);
  });

  it('oneAtATime never overlaps two calls, and a failing call does not block the next', async () => {
    const gate = oneAtATime();
    let inside = 0;
    let most = 0;
    const job = (fail: boolean) => async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 10));
      inside--;
      if (fail) throw new Error('boom');
      return 'ok';
    };
    const all = await Promise.allSettled([gate(job(false)), gate(job(true)), gate(job(false))]);
    expect(all.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(most).toBe(1);
  });
});
