/**
 * `npm run bench -- start [pairs]`: how long the action takes to start, measured as the runner
 * starts it: `node dist/action/index.js` with INPUT_COMMAND=matrix on a copy of the bundled example
 * and a full INPUT_* / GITHUB_* environment, against `node -e 0` (starting Node itself: the floor).
 *
 * Measured as `pairs` (default 30) interleaved pairs, the action then the floor, after a few
 * unmeasured warm-up pairs, so both sides of a pair see the same machine load and page cache. The
 * ratio is the median of the per-pair ratios; the medians of each side are printed too.
 *
 * Last line: `bench start: ratio=<median action/floor> action_ms=<median> node_ms=<median> pairs=<n>`.
 * Target: ratio ≤ 1.5.
 */
import { spawnSync } from 'node:child_process';
import { actionStep, readOutputs } from '../test/helpers/action-run.js';
import { copyExample, distEntry, removeTempDirs } from '../test/helpers/fs.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Wall time of one child process, from spawn to exit, in ms; throws when it fails. */
function timed(args: string[], env: Record<string, string>, cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${String(r.stdout)}${String(r.stderr)}`);
  return ms;
}

export async function main(args: string[]): Promise<void> {
  const pairs = Number(args[0] ?? 30);
  const warmup = 3;
  try {
    const workspace = copyExample();
    const entry = distEntry('action');
    const step = actionStep({ command: 'matrix', 'working-directory': '.' }, { workspace });
    // The floor gets the same environment: only the program differs.
    const action = () => timed([entry], step.env, workspace);
    const floor = () => timed(['-e', '0'], step.env, workspace);

    action();
    const count = readOutputs(step.outputFile).count;
    if (count !== '9') throw new Error(`the matrix of the bundled example should have 9 entries, got ${count}`);

    const actionMs: number[] = [];
    const nodeMs: number[] = [];
    for (let i = 0; i < warmup + pairs; i++) {
      const a = action();
      const n = floor();
      if (i < warmup) continue;
      actionMs.push(a);
      nodeMs.push(n);
    }
    const ratios = actionMs.map((a, i) => a / nodeMs[i]!);
    const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

    console.log('start-up of the action (matrix on the bundled example, full runner environment) against `node -e 0`');
    console.log(`${'measure'.padEnd(22)}${'min'.padStart(9)}${'median'.padStart(9)}${'p90'.padStart(9)}`);
    for (const [name, xs, unit] of [
      ['action matrix (ms)', actionMs, 1],
      ['node -e 0 (ms)', nodeMs, 1],
      ['ratio (per pair)', ratios, 100],
    ] as const) {
      const f = (v: number) => (unit === 100 ? v.toFixed(2) : v.toFixed(1)).padStart(9);
      console.log(`${name.padEnd(22)}${f(Math.min(...xs))}${f(median(xs))}${f(q(xs, 0.9))}`);
    }
    console.log(`bench start: ratio=${median(ratios).toFixed(2)} action_ms=${median(actionMs).toFixed(1)} node_ms=${median(nodeMs).toFixed(1)} pairs=${pairs}`);
  } finally {
    removeTempDirs();
  }
}
