/**
 * `npm run bench -- leg [--runs N] [--keep]`: what one matrix leg costs in a 10,000-instance
 * repository against a 10-instance one, side by side in one run (bench/gen-stacks.ts with
 * per-instance vars in every manifest: 200 stacks × 50 components, and 2 × 5).
 *
 * - `leg_ratio`: `atmos-action describe component <c> -s <stack>` (the CLI bundle, a process
 *   each time): one instance found by its canonical stack name. Finding a stack by name needs
 *   every manifest read, so the floor is parsing the repository; everything else should be free.
 * - `plan_leg_ratio`: the action's `plan` of one instance (the bundle, with the inputs the
 *   reusable plan workflow passes from the matrix entry), timed from the process start until
 *   terraform first starts: a stand-in `terraform` on PATH notes the time and exits.
 *
 * Medians of `--runs` (7) alternating runs, after one warm-up each (the first plan leg provisions
 * the workdir). Uses dist/: run `npm run build` first.
 * Last line: `bench leg: leg_ratio=<large/small> plan_leg_ratio=<large/small> ...`.
 * Targets: leg_ratio ≤ 3, plan_leg_ratio ≤ 1.5.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateStacksRepo, generatedInstance, type GenerateOptions } from './gen-stacks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/cli/index.js');
const ACTION = path.join(ROOT, 'dist/action/index.js');

interface Repo {
  name: string;
  dir: string;
  opts: GenerateOptions;
  target: { stack: string; component: string; manifest: string };
  /** The matrix entry of the target, as `atmos-action matrix` prints it. */
  entry?: Record<string, string>;
  describeMs: number[];
  /** CPU time (user + system) of each describe process: steadier than wall time on a busy machine. */
  describeCpuMs: number[];
  planMs: number[];
}

/** CPU time of this process's finished children so far (Linux: /proc/self/stat cutime + cstime), in ms; NaN elsewhere. */
function childrenCpuMs(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, cutime and cstime are fields 16 and 17 (clock ticks, 100 a second).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function cli(repo: Repo, args: string[]): { ms: number; cpuMs: number; stdout: string } {
  const cpu = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, '-C', repo.dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: baseEnv(repo.dir) });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`atmos-action ${args.join(' ')} failed in ${repo.name} (exit ${r.status}):\n${r.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpu, stdout: r.stdout };
}

function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CHECKPOINT_DISABLE: '1' };
}

/** A `terraform` that writes the time it started (ms since the epoch) and fails at once. */
function standInTerraform(dir: string): { bin: string; mark: string } {
  const bin = path.join(dir, 'bin');
  const mark = path.join(dir, 'terraform-started');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'terraform'), `#!/bin/sh\ndate +%s%3N >> '${mark}'\nexit 1\n`, { mode: 0o755 });
  return { bin, mark };
}

function planLeg(repo: Repo, tf: { bin: string; mark: string }, scratch: string): number {
  const runnerTemp = fs.mkdtempSync(path.join(scratch, 'runner-'));
  const files = Object.fromEntries(['output', 'summary', 'state', 'env', 'path'].map((f) => [f, path.join(runnerTemp, f)]));
  for (const f of Object.values(files)) fs.writeFileSync(f, '');
  const entry = repo.entry ?? {};
  const inputs: Record<string, string> = { command: 'plan', stack: entry.stack ?? repo.target.stack, component: entry.component ?? repo.target.component };
  if (entry.manifest) inputs.manifest = entry.manifest;
  const env: Record<string, string> = {
    ...baseEnv(repo.dir),
    PATH: `${tf.bin}${path.delimiter}${process.env.PATH ?? ''}`,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_OUTPUT: files.output!,
    GITHUB_STEP_SUMMARY: files.summary!,
    GITHUB_STATE: files.state!,
    GITHUB_ENV: files.env!,
    GITHUB_PATH: files.path!,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SHA: '1234567890abcdef1234567890abcdef12345678',
    RUNNER_TEMP: runnerTemp,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  fs.rmSync(tf.mark, { force: true });
  const started = Date.now();
  const r = spawnSync(process.execPath, [ACTION], { cwd: repo.dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  fs.rmSync(runnerTemp, { recursive: true, force: true });
  if (!fs.existsSync(tf.mark)) throw new Error(`the plan leg in ${repo.name} never started terraform (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const first = Number(fs.readFileSync(tf.mark, 'utf8').split('\n')[0]);
  return first - started;
}

export async function main(argv: string[]): Promise<void> {
  let runs = 7;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--keep') keep = true;
    else throw new Error(`unknown argument ${argv[i]} (use --runs N, --keep)`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
  for (const f of [CLI, ACTION]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
  const out = (s = ''): void => void process.stdout.write(s + '\n');

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-bench-leg-'));
  try {
    const make = (name: string, opts: GenerateOptions, at: [number, number]): Repo => {
      const dir = path.join(scratch, name);
      const g = generateStacksRepo(dir, opts);
      out(`${name}: ${(opts.stacks ?? 0) * (opts.components ?? 0)} instances, ${g.files} files, ${(g.bytes / 1024).toFixed(0)} KiB`);
      return { name, dir, opts, target: generatedInstance(opts, ...at), describeMs: [], describeCpuMs: [], planMs: [] };
    };
    const small = make('small', { stacks: 2, components: 5, instanceVars: true }, [1, 3]);
    const large = make('large', { stacks: 200, components: 50, instanceVars: true }, [137, 23]);
    const repos = [small, large];
    const tf = standInTerraform(scratch);

    for (const repo of repos) {
      const m = JSON.parse(cli(repo, ['matrix', '--stacks', repo.target.stack, '--components', repo.target.component]).stdout) as {
        include: Record<string, string>[];
      };
      repo.entry = m.include[0];
      if (!repo.entry) throw new Error(`the matrix of ${repo.name} has no entry for ${repo.target.component} in ${repo.target.stack}`);
      out(`${repo.name}: ${repo.target.component} in ${repo.target.stack}, matrix entry ${JSON.stringify(repo.entry)}`);
    }

    const describe = (repo: Repo) => cli(repo, ['describe', 'component', repo.target.component, '-s', repo.target.stack, '--format', 'json']);
    // Warm-up: file caches, and the first plan leg provisions the workdir.
    for (const repo of repos) {
      describe(repo);
      planLeg(repo, tf, scratch);
    }
    for (let r = 0; r < runs; r++) {
      for (const repo of r % 2 ? [...repos].reverse() : repos) {
        const d = describe(repo);
        repo.describeMs.push(d.ms);
        repo.describeCpuMs.push(d.cpuMs);
        repo.planMs.push(planLeg(repo, tf, scratch));
      }
    }

    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
    out();
    out(`${'repository'.padEnd(12)}${'describe ms'.padStart(12)}${'cpu ms'.padStart(8)}${'plan leg ms'.padStart(13)}   runs (describe | plan leg)`);
    for (const repo of repos) {
      out(
        `${repo.name.padEnd(12)}${median(repo.describeMs).toFixed(0).padStart(12)}${median(repo.describeCpuMs).toFixed(0).padStart(8)}` +
          `${median(repo.planMs).toFixed(0).padStart(13)}   ${fmt(repo.describeMs)} | ${fmt(repo.planMs)}`,
      );
    }
    const legRatio = median(large.describeMs) / median(small.describeMs);
    const legCpuRatio = median(large.describeCpuMs) / median(small.describeCpuMs);
    const planRatio = median(large.planMs) / median(small.planMs);
    out();
    out(`targets: leg_ratio ≤ 3 (${legRatio <= 3 ? 'ok' : 'MISSED'}), plan_leg_ratio ≤ 1.5 (${planRatio <= 1.5 ? 'ok' : 'MISSED'})`);
    out(
      `bench leg: leg_ratio=${legRatio.toFixed(2)} plan_leg_ratio=${planRatio.toFixed(2)} leg_cpu_ratio=${legCpuRatio.toFixed(2)} describe_ms=${median(small.describeMs).toFixed(0)}/${median(large.describeMs).toFixed(0)} plan_leg_ms=${median(small.planMs).toFixed(0)}/${median(large.planMs).toFixed(0)}`,
    );
  } finally {
    if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
    else out(`kept ${scratch}`);
  }
}
