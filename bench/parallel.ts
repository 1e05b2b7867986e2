/**
 * `npm run bench -- parallel [instances] [sleep-seconds] [provider padding MB]`: apply 12 instances sharing one base
 * component whose apply does real work (a local-exec sleep of 1 s), once sequentially
 * (`--parallelism 1`) and once in parallel (one per core), each on a fresh copy of the repository,
 * then a warm re-plan of the parallel copy. Real terraform, offline (terraform_data only).
 *
 * The ideal is the larger of the critical path (the longest instance: no edges here) and the total
 * terraform work divided by the cores, both taken from the sequential run, where nothing competes.
 * Our overhead per instance is the sequential wall time not spent inside terraform, divided by the
 * instances: config loading, provisioning, generated files, scheduling, process spawning.
 *
 * Then the provider store (bench/parallel-store.ts): the same instances with the offline test
 * provider, from a cold and a warm store; `cold_init_s`, `warm_init_s`, `cold_extractions`,
 * `warm_extractions` (target 0). The terraform_data-only init medians above are `builtin_*_init_s`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnvSettings } from '../src/app/env-settings.js';
import { openProject } from '../src/app/project.js';
import { runInstances, type RunReport } from '../src/app/run.js';
import { systemClock } from '../src/ports/clock.js';
import { silentLog } from '../src/ports/log.js';
import { nodeExec } from '../src/ports/node-exec.js';
import { storeBench } from './parallel-store.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

function makeRepo(root: string, n: number, sleep: number): string {
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  w(
    'atmos.yaml',
    'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\n    auto_generate_backend_file: true\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\n',
  );
  w(
    'components/terraform/worker/main.tf',
    `variable "name" { type = string }\nvariable "sleep" { type = number }\nresource "terraform_data" "job" {\n  input = var.name\n  provisioner "local-exec" {\n    command = "sleep \${var.sleep}"\n  }\n}\n`,
  );
  const components = Array.from(
    { length: n },
    (_, i) => `    job-${String(i + 1).padStart(2, '0')}:\n      metadata:\n        component: worker\n      vars:\n        name: job-${i + 1}\n`,
  ).join('');
  w(
    'stacks/deploy/dev.yaml',
    `vars:\n  stage: dev\n  sleep: ${sleep}\nterraform:\n  backend_type: local\n  backend:\n    local: {}\ncomponents:\n  terraform:\n${components}`,
  );
  return root;
}

const terraformMs = (r: RunReport['results'][number]) => r.steps.filter((s) => s.step !== 'provision').reduce((a, s) => a + s.ms, 0);
const stepMs = (rep: RunReport, step: string) => rep.results.flatMap((r) => r.steps.filter((s) => s.step === step).map((s) => s.ms));

export async function main(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 12);
  const sleep = Number(args[1] ?? 1);
  const cores = os.availableParallelism();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-action-bench-parallel-'));
  try {
    const home = path.join(tmp, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, 'terraformrc'), '');
    const env = { PATH: process.env.PATH, HOME: home, TF_CLI_CONFIG_FILE: path.join(home, 'terraformrc'), CHECKPOINT_DISABLE: '1' };
    const ports = { env, envSettings: readEnvSettings(env), log: silentLog, clock: systemClock, exec: nodeExec };
    const run = async (dir: string, action: 'apply' | 'plan', parallelism: number) => {
      const rep = await runInstances(openProject({ cwd: dir }, ports), { action, target: { stacks: [], components: [] }, parallelism }, ports);
      const bad = rep.results.find((r) => r.status === 'failed' || r.status === 'skipped');
      if (bad) throw new Error(`${bad.instance}: ${bad.status}: ${bad.reason}`);
      return rep;
    };

    const seq = await run(makeRepo(path.join(tmp, 'seq'), n, sleep), 'apply', 1);
    const parDir = makeRepo(path.join(tmp, 'par'), n, sleep);
    const par = await run(parDir, 'apply', cores);
    const warm = await run(parDir, 'plan', cores);

    const work = seq.results.map(terraformMs);
    const total = work.reduce((a, b) => a + b, 0);
    const ideal = Math.max(Math.max(...work), total / cores);
    const overhead = (seq.wallMs - total) / n;
    const provision = median(stepMs(seq, 'provision'));
    const speedup = seq.wallMs / par.wallMs;
    const ratio = par.wallMs / ideal;
    const coldInit = median(stepMs(par, 'init')) / 1000;
    const warmInit = median(stepMs(warm, 'init')) / 1000;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const rows: [string, string][] = [
      ['sequential apply (--parallelism 1)', s(seq.wallMs)],
      [`parallel apply (--parallelism ${cores})`, s(par.wallMs)],
      ['ideal: max(critical path, work / cores)', s(ideal)],
      ['  total terraform work (sequential)', s(total)],
      ['  critical path (longest instance)', s(Math.max(...work))],
      ['warm re-plan (parallel, no changes)', s(warm.wallMs)],
      ['median init per instance, cold / warm', `${coldInit.toFixed(2)} s / ${warmInit.toFixed(2)} s`],
      ['our overhead per instance (sequential)', `${overhead.toFixed(0)} ms (of which provision ${provision.toFixed(0)} ms)`],
    ];
    process.stdout.write(
      [
        `parallel bench: ${n} instances of one root module, apply sleeps ${sleep} s, ${cores} cores, terraform_data only (node ${process.version})`,
        ...rows.map(([k, v]) => `${k.padEnd(44)}${v}`),
      ].join('\n') + '\n',
    );
    // The provider store half: the same number of instances with a real (test) provider package.
    const store = await storeBench(n, 3, Number(args[2] ?? 0));
    process.stdout.write(
      `bench parallel: speedup=${speedup.toFixed(2)} ideal_ratio=${ratio.toFixed(2)} builtin_cold_init_s=${coldInit.toFixed(2)} builtin_warm_init_s=${warmInit.toFixed(2)} ${store}\n`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
