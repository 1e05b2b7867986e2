/**
 * `npm run bench -- values [--reads N] [--keys K] [--runs R] [--starts S]`
 *
 * Store reads against moto's Parameter Store, and what the cloud SDKs cost at start-up.
 *
 * 1. A repository whose instances make N `!store` reads (1,000 by default) over K distinct keys
 *    (250) is resolved the way a plan run resolves it (every instance resolved, every key they
 *    read read in one batch per store, each instance's values filled in: app/run-reads.ts,
 *    terraform/output-references.ts) and, side by side, without reading anything (what `matrix`
 *    resolves). Reported: reads per second of the run with values, the extra time values
 *    cost, and the API calls made against the distinct keys (each read once, ten names a call),
 *    counted by the SDK adapter and checked against moto's own request log.
 * 2. `matrix` start-up of the committed CLI bundle (SDKs in chunks, never loaded by it) against the
 *    same CLI bundled with every SDK imported at start (bench/eager-sdk-entry.ts), and `node -e 0`,
 *    run alternately S times each (medians).
 *
 * Last line: `bench values: reads=… distinct_keys=… api_calls=… reads_per_s=… values_ms=…
 * resolve_ms=… matrix_ms=… matrix_eager_sdk_ms=… eager_sdk_ratio=… node_ms=…`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolveWithValues } from '../src/app/cloud-values.js';
import { openProject } from '../src/app/project.js';
import { readRunStoreKeys } from '../src/app/run-reads.js';
import { silentLog } from '../src/ports/log.js';
import { nodeCloud } from '../src/ports/node-cloud.js';
import { nodeExec } from '../src/ports/node-exec.js';
import { readDeferredValues } from '../src/terraform/output-references.js';
import { apiAction, startMoto } from '../test/helpers/moto.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `instances` instances, each reading `perInstance` keys of K, spread so every key is read several times. */
function makeRepo(dir: string, reads: number, keys: number): void {
  const perInstance = 10;
  const instances = Math.ceil(reads / perInstance);
  const lines: string[] = ['vars: { stage: dev }', 'components:', '  terraform:'];
  let n = 0;
  for (let i = 0; i < instances; i++) {
    lines.push(`    c${i}:`, '      metadata: { component: app }', '      vars:');
    for (let j = 0; j < perInstance && n < reads; j++, n++) lines.push(`        v${j}: !store params shared k${(i * 7 + j * 13) % keys}`);
  }
  fs.mkdirSync(path.join(dir, 'stacks/deploy'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'components/terraform/app'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'components/terraform/app/main.tf'), '');
  fs.writeFileSync(
    path.join(dir, 'atmos.yaml'),
    'base_path: "."\ncomponents: { terraform: { base_path: components/terraform } }\nstacks: { base_path: stacks, included_paths: ["deploy/*"], name_pattern: "{stage}" }\nstores:\n  params: { kind: aws/ssm, options: { region: us-east-1, prefix: /bench } }\n',
  );
  fs.writeFileSync(path.join(dir, 'stacks/deploy/dev.yaml'), `${lines.join('\n')}\n`);
}

function timeStart(argv: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return ms;
}

export async function main(args: string[]): Promise<void> {
  const reads = arg(args, 'reads', 1000);
  const keys = arg(args, 'keys', 250);
  const runs = arg(args, 'runs', 3);
  const starts = arg(args, 'starts', 10);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-action-bench-values-'));
  const moto = await startMoto();
  const saved = { ...process.env };
  try {
    Object.assign(process.env, moto.env);
    for (let k = 0; k < keys; k++) await moto.putParameter(`/bench/dev/shared/k${k}`, JSON.stringify(`value-${k}`));
    const repo = path.join(tmp, 'repo');
    makeRepo(repo, reads, keys);

    const withValues: number[] = [];
    const without: number[] = [];
    let stats = { lookups: 0, keys: 0, apiCalls: 0 };
    let recorded = 0;
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      openProject({ cwd: repo }, { env: {}, log: silentLog }).stacks.select(() => true);
      without.push(performance.now() - t0);
      await moto.clearRequests();
      t0 = performance.now();
      // A fresh project and cloud port per run: nothing is carried over between runs, as between two jobs.
      const p = openProject({ cwd: repo, readValues: true }, { env: {}, log: silentLog, cloud: nodeCloud() });
      const instances = await resolveWithValues(p, () => p.stacks.select(() => true));
      await readRunStoreKeys(p, instances, silentLog);
      const ctx = {
        find: () => Promise.reject(new Error('no output reads')),
        basePath: repo,
        cache: new Map(),
        log: silentLog,
        exec: nodeExec,
        env: {},
        values: p.values,
      };
      for (const i of instances) {
        const { errors } = await readDeferredValues(i, ctx);
        if (errors.length) throw new Error(`${i.component}: ${errors[0]}`);
      }
      withValues.push(performance.now() - t0);
      stats = p.values!.stats;
      recorded = (await moto.requests()).filter((q) => apiAction(q) === 'AmazonSSM.GetParameters').length;
    }
    if (stats.apiCalls !== recorded) throw new Error(`the adapter counted ${stats.apiCalls} calls, moto served ${recorded}`);

    // matrix start-up: the committed bundle, the same CLI with every SDK loaded at start, and bare node.
    const eagerDir = path.join(ROOT, 'build', 'eager-sdk-cli');
    const built = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', path.join(ROOT, 'build/bench/eager-sdk-entry.js'), '-o', eagerDir, '-q'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    if (built.status !== 0) throw new Error(`building the eager-SDK bundle failed: ${built.stderr}`);
    const examples = path.join(ROOT, 'examples');
    const env = { PATH: process.env.PATH, HOME: tmp, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const lazy: number[] = [];
    const eager: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < starts; i++) {
      lazy.push(timeStart([path.join(ROOT, 'dist/cli/index.js'), 'matrix'], examples, env));
      eager.push(timeStart([path.join(eagerDir, 'index.js'), 'matrix'], examples, env));
      bare.push(timeStart(['-e', '0'], examples, env));
    }
    const size = (f: string) => (fs.statSync(f).size / 1e6).toFixed(1);

    const valuesMs = median(withValues);
    const resolveMs = median(without);
    const rows: [string, string][] = [
      ['!store reads / distinct keys', `${reads} / ${keys}`],
      ['API calls (GetParameters, 10 names each)', `${stats.apiCalls} (moto served ${recorded})`],
      ['resolve, read every key, fill values in', `${valuesMs.toFixed(0)} ms`],
      ['resolve without reading (matrix)', `${resolveMs.toFixed(0)} ms`],
      ['reads per second (with values)', `${((reads / valuesMs) * 1000).toFixed(0)}`],
      [`matrix start, lazy SDKs (entry ${size(path.join(ROOT, 'dist/cli/index.js'))} MB)`, `${median(lazy).toFixed(0)} ms`],
      [`matrix start, SDKs loaded at start (${size(path.join(eagerDir, 'index.js'))} MB)`, `${median(eager).toFixed(0)} ms`],
      ['node -e 0', `${median(bare).toFixed(0)} ms`],
    ];
    process.stdout.write(
      [
        `values bench: moto ${moto.endpoint}, ${runs} runs, ${starts} starts each (node ${process.version})`,
        ...rows.map(([k, v]) => `${k.padEnd(52)}${v}`),
      ].join('\n') + '\n',
    );
    process.stdout.write(
      `bench values: reads=${reads} distinct_keys=${keys} api_calls=${stats.apiCalls} reads_per_s=${((reads / valuesMs) * 1000).toFixed(0)} values_ms=${valuesMs.toFixed(0)} resolve_ms=${resolveMs.toFixed(0)} matrix_ms=${median(lazy).toFixed(0)} matrix_eager_sdk_ms=${median(eager).toFixed(0)} eager_sdk_ratio=${(median(eager) / median(lazy)).toFixed(2)} node_ms=${median(bare).toFixed(0)}\n`,
    );
  } finally {
    process.env = saved;
    await moto.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
