/**
 * `npm run bench -- matrix [--stacks N] [--components N] [--runs N] [--keep]`
 *
 * The `matrix` command on a synthetic repository (bench/gen-stacks.ts; 200 stacks × 50 components
 * = 10,000 instances by default): resolving every instance and building the matrix, then its
 * output two ways, side by side in this process, alternating, median of `--runs` (3):
 * - unpacked: one entry per instance, as the matrix was before packing (GitHub would refuse it:
 *   past 256 jobs and, at this size, past the 1 MB of outputs a job may hold);
 * - packed: at most 256 legs (`matrixLegs`, what the action outputs).
 *
 * Last line: `bench matrix: instances=<n> legs=<n> bytes=<packed output, UTF-16 as GitHub counts>
 * unpacked_bytes=<…> seconds=<packed, whole command> unpacked_seconds=<…> ratio=<packed/unpacked>`.
 * Targets: legs ≤ 256, bytes ≤ 512 KiB, ratio about 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readEnvSettings } from '../src/app/env-settings.js';
import { matrix } from '../src/app/matrix.js';
import { openProject } from '../src/app/project.js';
import { GITHUB_MATRIX_LIMIT, matrixLegs } from '../src/graph/matrix.js';
import { utf16Bytes } from '../src/graph/pack.js';
import { systemClock } from '../src/ports/clock.js';
import { silentLog } from '../src/ports/log.js';
import { nodeExec } from '../src/ports/node-exec.js';
import { generateStacksRepo } from './gen-stacks.js';

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function main(args: string[]): Promise<void> {
  const stacks = flag(args, 'stacks', 200);
  const components = flag(args, 'components', 50);
  const runs = flag(args, 'runs', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-bench-matrix-'));
  try {
    generateStacksRepo(dir, { stacks, components });
    const env = { PATH: process.env.PATH };
    const ports = { env, envSettings: readEnvSettings(env), log: silentLog, clock: systemClock, exec: nodeExec };
    const selection = { stacks: [], components: [], includeAbstract: false };

    /** The whole command: open the project, resolve, build the matrix, then its output one of the two ways. */
    const command = (packed: boolean) => {
      const start = performance.now();
      const m = matrix(openProject({ cwd: dir }, ports), selection, ports);
      const json = packed ? matrixLegs(m, GITHUB_MATRIX_LIMIT).json : JSON.stringify({ include: m.include });
      return { seconds: (performance.now() - start) / 1000, json, instances: m.include.length };
    };

    const times = { packed: [] as number[], unpacked: [] as number[] };
    let packedJson = '';
    let unpackedJson = '';
    let instances = 0;
    for (let r = 0; r < runs; r++) {
      // Alternate which goes first, so neither always runs on a warmer process.
      for (const packed of r % 2 === 0 ? [false, true] : [true, false]) {
        const out = command(packed);
        times[packed ? 'packed' : 'unpacked'].push(out.seconds);
        if (packed) packedJson = out.json;
        else unpackedJson = out.json;
        instances = out.instances;
      }
    }
    const legs = (JSON.parse(packedJson) as { include: unknown[] }).include.length;
    const bytes = utf16Bytes(packedJson);
    const unpackedBytes = utf16Bytes(unpackedJson);
    const seconds = median(times.packed);
    const unpackedSeconds = median(times.unpacked);

    console.log(`matrix of ${instances} instances (${stacks} stacks × ${components} components), median of ${runs} runs each`);
    console.log('');
    console.log('| output | legs | bytes (UTF-16) | seconds (whole command) |');
    console.log('|---|---|---|---|');
    console.log(`| unpacked (one entry per instance) | ${instances} | ${unpackedBytes} | ${unpackedSeconds.toFixed(2)} |`);
    console.log(`| packed (max-legs ${GITHUB_MATRIX_LIMIT}) | ${legs} | ${bytes} | ${seconds.toFixed(2)} |`);
    console.log('');
    console.log(
      `bench matrix: instances=${instances} legs=${legs} bytes=${bytes} unpacked_bytes=${unpackedBytes} seconds=${seconds.toFixed(2)} ` +
        `unpacked_seconds=${unpackedSeconds.toFixed(2)} ratio=${(seconds / unpackedSeconds).toFixed(2)}`,
    );
  } finally {
    if (!args.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}
