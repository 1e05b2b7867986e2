/**
 * `npm run bench -- yaml [--sizes 2,5,10,20] [--runs N]`
 *
 * Parses one generated stack manifest (bench/gen-manifest.ts) of each size, in MB, with the
 * engine's reader (src/util/yaml.ts parseYaml). Each size runs in its own child process, so its
 * peak memory (VmHWM) is its own and no heap is inherited from a larger run; the median of
 * `--runs` (1) parse times is reported.
 *
 * Last line: `bench yaml: mb_per_s_2=<x> mb_per_s_20=<y> linearity=<time20/(10*time2)> peak_mb=<m>`,
 * peak_mb being the largest size's. Linear parsing gives linearity ≈ 1.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseYaml } from '../src/util/yaml.js';
import { generateManifest } from './gen-manifest.js';

const MB = 1024 * 1024;
const REPORT_PREFIX = 'BENCH_CHILD ';

interface ChildReport {
  mb: number;
  bytes: number;
  ms: number;
  cpuMs: number;
  peakMb: number;
  components: number;
}

function peakMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Entry point of a child: generate one manifest, parse it once, report on stdout. */
export async function child(args: string[]): Promise<void> {
  const mb = Number(args[0]);
  const text = generateManifest(mb * MB);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const doc = parseYaml(text, `generated-${mb}mb.yaml`) as { components: { terraform: object } };
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const report: ChildReport = {
    mb,
    bytes: text.length,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakMb: peakMb(),
    components: Object.keys(doc.components.terraform).length,
  };
  process.stdout.write(REPORT_PREFIX + JSON.stringify(report) + '\n');
}

function spawnChild(mb: number): ChildReport {
  const script =
    `import(${JSON.stringify(import.meta.url)}).then((m) => m.child(${JSON.stringify([String(mb)])}))` +
    `.catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  if (r.status !== 0 || !line) throw new Error(`${mb} MB child failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as ChildReport;
}

function parseArgs(argv: string[]): { sizes: number[]; runs: number } {
  const a = { sizes: [2, 5, 10, 20], runs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[++i] ?? '';
    if (flag === '--sizes') a.sizes = v.split(',').map(Number);
    else if (flag === '--runs') a.runs = Number(v);
    else throw new Error(`unknown argument ${flag} (use --sizes 2,5,10,20 or --runs N)`);
  }
  if (!a.sizes.includes(2) || !a.sizes.includes(20)) throw new Error('--sizes must include 2 and 20 (the summary line compares them)');
  if (a.sizes.some((s) => !(s > 0)) || !Number.isInteger(a.runs) || a.runs < 1) throw new Error('sizes and runs must be positive');
  return a;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function main(argv: string[]): Promise<void> {
  const { sizes, runs } = parseArgs(argv);
  const rows = new Map<number, ChildReport>();
  console.log(`parseYaml on one generated manifest per size (median of ${runs} run${runs > 1 ? 's' : ''}, one child process each)\n`);
  console.log('   size  components    time s     cpu s    MB/s   peak MB');
  for (const mb of sizes) {
    const reports = Array.from({ length: runs }, () => spawnChild(mb));
    const ms = median(reports.map((r) => r.ms));
    const row = { ...reports[0], ms, cpuMs: median(reports.map((r) => r.cpuMs)), peakMb: Math.max(...reports.map((r) => r.peakMb)) };
    rows.set(mb, row);
    const mbps = row.bytes / MB / (ms / 1000);
    console.log(
      `${`${mb} MB`.padStart(7)}${String(row.components).padStart(12)}${(ms / 1000).toFixed(2).padStart(10)}` +
        `${(row.cpuMs / 1000).toFixed(2).padStart(10)}${mbps.toFixed(2).padStart(8)}${row.peakMb.toFixed(0).padStart(10)}`,
    );
  }
  const r2 = rows.get(2) as ChildReport;
  const r20 = rows.get(20) as ChildReport;
  const rate = (r: ChildReport): string => (r.bytes / MB / (r.ms / 1000)).toFixed(2);
  const linearity = r20.ms / (10 * r2.ms);
  const cpuLinearity = r20.cpuMs / (10 * r2.cpuMs);
  console.log(
    `\nlinearity = time(20 MB) / (10 × time(2 MB)) = ${linearity.toFixed(2)} (1.00 is linear; ` +
      `${cpuLinearity.toFixed(2)} in CPU time, steadier on a busy machine)`,
  );
  console.log(`bench yaml: mb_per_s_2=${rate(r2)} mb_per_s_20=${rate(r20)} linearity=${linearity.toFixed(2)} peak_mb=${r20.peakMb.toFixed(0)}`);
}
