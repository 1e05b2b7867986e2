/**
 * The provider-store half of `npm run bench -- parallel [instances] [sleep] [padding MB]`: twelve
 * instances of one component using the offline test provider, each leg preparing the provider store for its own workdir and running
 * `terraform init`, all at once, as parallel runs on one machine do.
 *
 * Measured per instance: prepare (store check or fill) + init, median over instances, for
 * - cold: an empty store (the package is installed once, the other legs wait for it and link),
 * - warm: the store already holds the package (no lock, a few stats, init links),
 * - no store: each instance installs the provider into its own .terraform (what happens without
 *   the store under parallel runs, since terraform's shared plugin cache is unsafe there).
 * `*_extractions` counts packages written into the store (target: one per package cold, 0 warm).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeExec } from '../src/ports/node-exec.js';
import { addStats, emptyStats } from '../src/providers/store.js';
import { makeField, planRound, type RoundResult } from '../test/provider/store-fixture.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const perInstance = (r: RoundResult) => r.results.map((x, k) => (r.prepareMs[k]! + x.durationMs) / 1000);
const extractions = (r: RoundResult) => r.prepared.reduce((s, p) => addStats(s, p.stats), emptyStats()).extractions;
const failed = (r: RoundResult) => r.results.filter((x) => x.status === 'failed').length;

async function noStoreRound(workdirs: string[], env: Record<string, string>): Promise<number[]> {
  return Promise.all(
    workdirs.map(async (wd) => {
      fs.rmSync(path.join(wd, '.terraform'), { recursive: true, force: true });
      const t0 = Date.now();
      const r = await nodeExec.run('terraform', ['init', '-input=false', '-no-color'], { cwd: wd, env });
      if (r.code !== 0) throw new Error(`no-store init failed in ${wd}: ${r.stderr}`);
      return (Date.now() - t0) / 1000;
    }),
  );
}

/** Prints its table; returns the `key=value` pairs for the bench's last line. */
export async function storeBench(n: number, rounds: number, paddingMb: number): Promise<string> {
  // A real provider is tens to hundreds of MB; padding makes the test provider's package that big.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-bench-parallel-'));
  try {
    const f = await makeField(root, n, '1.0.0', paddingMb ? { paddingBytes: paddingMb * 1024 * 1024 } : {});
    const cold: number[] = [];
    const warm: number[] = [];
    const none: number[] = [];
    const warmPrepare: number[] = [];
    let coldExtractions = 0;
    let warmExtractions = 0;
    let failures = 0;
    for (let i = 0; i < rounds; i++) {
      fs.rmSync(f.storeRoot, { recursive: true, force: true });
      const c = await planRound(f, f.env, { initOnly: true });
      const w = await planRound(f, f.env, { initOnly: true });
      cold.push(median(perInstance(c)));
      warm.push(median(perInstance(w)));
      warmPrepare.push(median(w.prepareMs) / 1000);
      coldExtractions = Math.max(coldExtractions, extractions(c));
      warmExtractions = Math.max(warmExtractions, extractions(w));
      failures += failed(c) + failed(w);
      none.push(median(await noStoreRound(w.workdirs, f.env)));
    }
    const fmt = (x: number) => x.toFixed(3);
    console.log(`provider store: ${n} instances in parallel, one provider package (+${paddingMb} MB padding), ${rounds} rounds (${os.cpus().length} cores)`);
    console.log(`  cold store   median prepare+init per instance ${fmt(median(cold))} s, packages unpacked ${coldExtractions}`);
    console.log(
      `  warm store   median prepare+init per instance ${fmt(median(warm))} s (of which the store check ${fmt(median(warmPrepare))} s), packages unpacked ${warmExtractions}`,
    );
    console.log(`  no store     median init per instance ${fmt(median(none))} s (each installs into its own .terraform: ${n} unpacks)`);
    return (
      `padding_mb=${paddingMb} cold_init_s=${fmt(median(cold))} warm_init_s=${fmt(median(warm))} nostore_init_s=${fmt(median(none))} ` +
      `cold_extractions=${coldExtractions} warm_extractions=${warmExtractions} nostore_extractions=${n} store_failures=${failures}`
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
