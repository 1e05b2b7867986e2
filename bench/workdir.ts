/**
 * `npm run bench -- workdir [files] [megabytes]`: provisioning a workdir from a component of 2,000
 * files (20 MB) against a plain recursive copy of the same tree, in the same run.
 *
 * Measured: the first provision (creates the workdir: hashes and copies everything), a no-change
 * re-provision (the manifest path: stat both trees, read no file), and a one-file change. Times are
 * medians of several runs; the copy baseline is `fs.cpSync(src, fresh dst, {recursive: true})`.
 * The source tree's mtimes are set an hour back, as a checked-out component's are by the time it
 * is provisioned a second time (files modified within 2 s of a sync are re-hashed: see sync.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/ports/clock.js';
import type { Exec } from '../src/ports/exec.js';
import { silentLog } from '../src/ports/log.js';
import { instanceOf } from '../src/stacks/instance.js';
import type { Instance } from '../src/stacks/types.js';
import { provisionWorkdir, type ProvisionResult } from '../src/workdir/provision.js';

const noExec: Exec = { run: () => Promise.reject(new Error('the local bench runs no processes')) };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function makeTree(root: string, files: number, totalBytes: number): string[] {
  const rels: string[] = [];
  const avg = Math.floor(totalBytes / files);
  const pool = randomBytes(avg * 4);
  for (let i = 0; i < files; i++) {
    // 40 folders, two levels deep, like modules/ and nested examples.
    const rel = path.join(`dir${i % 10}`, `sub${i % 4}`, `file${i}.tf`);
    const size = Math.floor(avg * (0.5 + ((i * 7919) % 100) / 100)); // 0.5–1.5 × avg
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const off = (i * 4099) % (pool.length - size);
    fs.writeFileSync(abs, pool.subarray(off, off + size));
    rels.push(rel);
  }
  const old = new Date(Date.now() - 3_600_000);
  for (const rel of rels) fs.utimesSync(path.join(root, rel), old, old);
  return rels;
}

function instance(componentPath: string): Instance {
  return instanceOf({ stack: 'bench', component: 'big', componentPath, provision: { workdir: { enabled: true } } });
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  gc();
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
}

export async function main(args: string[]): Promise<void> {
  const files = Number(args[0] ?? 2000);
  const megabytes = Number(args[1] ?? 20);
  const runs = 5;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-bench-workdir-'));
  try {
    const base = path.join(tmp, 'project');
    const src = path.join(base, 'components', 'terraform', 'big');
    const rels = makeTree(src, files, megabytes * 1024 * 1024);

    // Warm the page cache for the source so the first measured operation is not penalised.
    fs.cpSync(src, path.join(tmp, 'warm'), { recursive: true });
    fs.rmSync(path.join(tmp, 'warm'), { recursive: true });

    const copies: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dst = path.join(tmp, `copy${i}`);
      const [ms] = await timed(() => fs.cpSync(src, dst, { recursive: true }));
      copies.push(ms);
      fs.rmSync(dst, { recursive: true });
    }
    const copy = median(copies);

    const inst = instance(src);
    const opts = { basePath: base };
    const ports = { exec: noExec, log: silentLog, clock: systemClock };

    const [first, r0] = await timed(() => provisionWorkdir(inst, opts, ports));
    check(r0, 'created', files);

    const nochange: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [ms, r] = await timed(() => provisionWorkdir(inst, opts, ports));
      check(r, 'unchanged', 0);
      if (r.counts.hashed !== 0) throw new Error(`no-change run hashed ${r.counts.hashed} files`);
      nochange.push(ms);
    }

    const onefile: number[] = [];
    for (let i = 0; i < runs; i++) {
      const rel = rels[(i * 397) % rels.length]!;
      const abs = path.join(src, rel);
      fs.writeFileSync(abs, randomBytes(fs.statSync(abs).size));
      const [ms, r] = await timed(() => provisionWorkdir(inst, opts, ports));
      check(r, 'synced', 1);
      onefile.push(ms);
    }

    const rows: [string, number][] = [
      ['plain recursive copy (fs.cpSync)', copy],
      ['first provision', first],
      ['no-change re-provision', median(nochange)],
      ['one-file change', median(onefile)],
    ];
    const out = [
      `workdir bench: ${files} files, ${megabytes} MB, median of ${runs} runs (node ${process.version}, ${os.cpus().length} cpus)`,
      `${'operation'.padEnd(36)}${'ms'.padStart(10)}${'vs copy'.padStart(10)}`,
      ...rows.map(([name, ms]) => `${name.padEnd(36)}${ms.toFixed(1).padStart(10)}${`${((ms / copy) * 100).toFixed(1)}%`.padStart(10)}`),
      `bench workdir: nochange_ratio=${(median(nochange) / copy).toFixed(3)} onefile_ratio=${(median(onefile) / copy).toFixed(3)} first_ratio=${(first / copy).toFixed(3)}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function check(r: ProvisionResult, action: ProvisionResult['action'], changed: number): void {
  const n = r.added.length + r.updated.length + r.removed.length;
  if (r.action !== action || n !== changed) throw new Error(`expected ${action} with ${changed} changed files, got ${r.action}: ${r.reason}`);
}
