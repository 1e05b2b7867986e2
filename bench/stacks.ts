/**
 * `npm run bench -- stacks [--dir D] [--stacks N] [--components N] [--runs N] [--keep]`
 *
 * Resolves every instance of a synthetic Atmos repository (bench/gen-stacks.ts; 200 stacks × 50
 * components by default) and compares it with the floor: reading and YAML-parsing the same files
 * once each. Both are timed in this process, alternating, and the median of `--runs` (3) is
 * reported; the peak memory of each phase is measured in its own child process (VmHWM).
 *
 * Last line: `bench stacks: instances=<n> ratio=<resolve/parse> templated_ratio=<…> templated_vs_plain=<…>
 * ratio_cpu=<…> templated_vs_plain_cpu=<…> ratio_full_yaml=<resolve / parse with the full YAML reader alone>
 * templated_vs_plain_full_yaml=<…> templated_vs_plain_resolve=<templated resolve / plain resolve> peak_mb=<…>`.
 * Targets: ratio ≤ 2, the templated ratio at most 1.5× the plain one, peak_mb < 256, whole run under a minute.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseFullYaml, parseYaml } from '../src/util/yaml.js';
import { generateStacksRepo } from './gen-stacks.js';

type Phase = 'parse' | 'resolve';
type ParseFn = (text: string, file: string) => unknown;

interface Parser {
  name: string;
  parse: ParseFn;
}

interface ParseResult {
  files: number;
  bytes: number;
  /** Keeps the parsed values observable so the work cannot be optimised away. */
  sink: number;
}

interface ResolveResult {
  instances: number;
  abstract: number;
  disabled: number;
  stacks: number;
  manifests: number;
}

interface ChildReport {
  phase: Phase;
  ms: number;
  peakMb: number;
  result: ParseResult | ResolveResult;
}

const REPORT_PREFIX = 'BENCH_CHILD ';

// ---------------------------------------------------------------------------------------------
// Parse floor

/** The floor parses with the engine's own parser, so it measures exactly the YAML work resolve does. */
function loadParser(): Parser {
  return { name: 'src/util/yaml.ts parseYaml()', parse: parseYaml };
}

/**
 * The full reader alone (the `yaml` package and our conversion), as every file was read before
 * the fast reader for plain block YAML: the floor the `ratio` target was set against, reported
 * beside it so that figures stay comparable across that change.
 */
const FULL_PARSER: Parser = { name: 'src/util/yaml.ts parseFullYaml()', parse: parseFullYaml };

function listYamlFiles(dir: string, out: string[] = []): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listYamlFiles(p, out);
    else if (e.isFile() && (e.name.endsWith('.yaml') || e.name.endsWith('.yml'))) out.push(p);
  }
  return out;
}

function weigh(v: unknown): number {
  if (v === null || typeof v !== 'object') return 1;
  return Object.keys(v as object).length + 1;
}

function runParse(dir: string, parser: Parser): ParseResult {
  const files = [path.join(dir, 'atmos.yaml'), ...listYamlFiles(path.join(dir, 'stacks'))];
  let bytes = 0;
  let sink = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    bytes += text.length;
    sink += weigh(parser.parse(text, f));
  }
  return { files: files.length, bytes, sink };
}

// ---------------------------------------------------------------------------------------------
// Resolve

type Resolver = () => ResolveResult;

/**
 * `deploy` resolves what matrix/workdir/plan resolve: every deployable instance (abstract
 * components are templates and are skipped). `all` also resolves the abstract ones, as describe does.
 */
async function loadResolver(dir: string, scope: 'deploy' | 'all' = 'deploy'): Promise<Resolver> {
  const { loadAtmosConfig } = await import('../src/config/load.js');
  const { resolveStacks } = await import('../src/stacks/resolve.js');
  const { silentLog } = await import('../src/ports/log.js');
  return () => {
    const config = loadAtmosConfig({ cwd: dir, env: {} });
    const resolved = resolveStacks(config, { log: silentLog, includeAbstract: scope === 'all' });
    let instances = 0;
    let abstract = 0;
    let disabled = 0;
    const stacks = new Set<string>();
    for (const i of resolved.instances) {
      if (i.abstract) abstract++;
      else if (!i.enabled) disabled++;
      else {
        instances++;
        stacks.add(i.stack);
      }
    }
    return { instances, abstract, disabled, stacks: stacks.size, manifests: resolved.manifests.length };
  };
}

// ---------------------------------------------------------------------------------------------
// Memory: one child process per phase

function peakMb(): number {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
}

/** Entry point of a memory child: run one phase once and report on stdout. */
export async function child(args: string[]): Promise<void> {
  const [phase, dir] = args as [Phase, string];
  const t0 = performance.now();
  let result: ParseResult | ResolveResult;
  if (phase === 'parse') {
    result = runParse(dir, loadParser());
  } else {
    result = (await loadResolver(dir))();
  }
  const report: ChildReport = { phase, ms: performance.now() - t0, peakMb: peakMb(), result };
  process.stdout.write(REPORT_PREFIX + JSON.stringify(report) + '\n');
}

function spawnChild(phase: Phase, dir: string): ChildReport {
  const self = import.meta.url;
  const script =
    `import(${JSON.stringify(self)}).then((m) => m.child(${JSON.stringify([phase, dir])}))` +
    `.catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  if (r.status !== 0 || !line) {
    throw new Error(`${phase} child failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  }
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as ChildReport;
}

// ---------------------------------------------------------------------------------------------
// Main

interface Args {
  dir?: string;
  stacks: number;
  components: number;
  runs: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { stacks: 200, components: 50, runs: 5, keep: false };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--dir':
        a.dir = path.resolve(argv[++i] ?? '');
        break;
      case '--stacks':
        a.stacks = num(flag, argv[++i]);
        break;
      case '--components':
        a.components = num(flag, argv[++i]);
        break;
      case '--runs':
        a.runs = num(flag, argv[++i]);
        break;
      case '--keep':
        a.keep = true;
        break;
      default:
        throw new Error(`unknown argument ${flag} (use --dir D, --stacks N, --components N, --runs N, --keep)`);
    }
  }
  return a;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

/** CPU time of this process so far (all its threads, GC included), in ms: steadier than wall time on a busy machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export async function main(argv: string[]): Promise<void> {
  const started = performance.now();
  const args = parseArgs(argv);
  const out = (s = ''): void => void process.stdout.write(s + '\n');

  let dir: string;
  let cleanup = false;
  if (args.dir) {
    dir = args.dir;
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-bench-stacks-'));
    cleanup = !args.keep;
  }
  try {
    if (fs.existsSync(path.join(dir, 'atmos.yaml'))) {
      out(`repo: ${dir} (reused)`);
    } else {
      const t = performance.now();
      const g = generateStacksRepo(dir, { stacks: args.stacks, components: args.components });
      out(
        `repo: ${dir} (generated ${g.files} files, ${(g.bytes / 1024).toFixed(0)} KiB, ` +
          `${args.stacks} stacks × ${args.components} components, ${(performance.now() - t).toFixed(0)} ms)`,
      );
    }

    const parser = loadParser();
    out(`parser: ${parser.name}`);

    // Peak memory, each phase alone in a fresh process.
    const memParse = spawnChild('parse', dir);
    const memResolve = spawnChild('resolve', dir);

    // The templated variant: the same instances with a name_template, {{ .vars.* }} and locals.
    const tplDir = `${dir}-templated`;
    if (!fs.existsSync(path.join(tplDir, 'atmos.yaml'))) generateStacksRepo(tplDir, { stacks: args.stacks, components: args.components, templated: true });
    const tplResolve = await loadResolver(tplDir, 'deploy');
    const tplParseMs: number[] = [];
    const tplResolveMs: number[] = [];
    const cpu = { parse: [] as number[], resolve: [] as number[], tplParse: [] as number[], tplResolve: [] as number[] };
    const fullParseMs: number[] = [];
    const tplFullParseMs: number[] = [];
    let tplResolved: ResolveResult | undefined;

    // Timing, alternating in this process.
    const resolve = await loadResolver(dir, 'deploy');
    const resolveAll = await loadResolver(dir, 'all');
    const parseMs: number[] = [];
    const resolveMs: number[] = [];
    const resolveAllMs: number[] = [];
    let parsed: ParseResult | undefined;
    let resolved: ResolveResult | undefined;
    let resolvedAll: ResolveResult | undefined;
    for (let r = 0; r < args.runs; r++) {
      gc();
      let c = cpuMs();
      let t = performance.now();
      parsed = runParse(dir, parser);
      parseMs.push(performance.now() - t);
      cpu.parse.push(cpuMs() - c);
      gc();
      t = performance.now();
      runParse(dir, FULL_PARSER);
      fullParseMs.push(performance.now() - t);
      gc();
      c = cpuMs();
      t = performance.now();
      resolved = resolve();
      resolveMs.push(performance.now() - t);
      cpu.resolve.push(cpuMs() - c);
      gc();
      t = performance.now();
      resolvedAll = resolveAll();
      resolveAllMs.push(performance.now() - t);
    }
    // After the plain runs, so that its code paths do not slow the plain figures down (the JIT
    // sees the template paths only from here on).
    for (let r = 0; r < args.runs; r++) {
      gc();
      let c = cpuMs();
      let t = performance.now();
      runParse(tplDir, parser);
      tplParseMs.push(performance.now() - t);
      cpu.tplParse.push(cpuMs() - c);
      gc();
      t = performance.now();
      runParse(tplDir, FULL_PARSER);
      tplFullParseMs.push(performance.now() - t);
      gc();
      c = cpuMs();
      t = performance.now();
      tplResolved = tplResolve();
      tplResolveMs.push(performance.now() - t);
      cpu.tplResolve.push(cpuMs() - c);
    }
    if (!parsed || !resolved || !resolvedAll) throw new Error('no runs');

    const tParse = median(parseMs);
    const tResolve = median(resolveMs);
    const tResolveAll = median(resolveAllMs);
    const ratio = tResolve / tParse;
    const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(' / ');

    out();
    out(`${pad('phase', 9)}${pad('median ms', 11, true)}  ${pad('runs (ms)', 30)}${pad('peak MB', 8, true)}`);
    out(`${pad('parse', 9)}${pad(tParse.toFixed(1), 11, true)}  ${pad(fmt(parseMs), 30)}${pad(memParse.peakMb.toFixed(0), 8, true)}`);
    out(`${pad('full yaml', 9)}${pad(median(fullParseMs).toFixed(1), 11, true)}  ${pad(fmt(fullParseMs), 30)}${pad('', 8, true)}`);
    out(`${pad('resolve', 9)}${pad(tResolve.toFixed(1), 11, true)}  ${pad(fmt(resolveMs), 30)}${pad(memResolve.peakMb.toFixed(0), 8, true)}`);
    out(`${pad('+abstract', 9)}${pad(tResolveAll.toFixed(1), 11, true)}  ${pad(fmt(resolveAllMs), 30)}${pad('', 8, true)}`);
    out();
    out(`parse:   ${parsed.files} files, ${(parsed.bytes / 1024).toFixed(0)} KiB`);
    out(
      `resolve: ${resolved.instances} instances (enabled, concrete) in ${resolved.stacks} stacks from ` +
        `${resolved.manifests} manifests (the deploy path: matrix, workdir, plan)`,
    );
    out(
      `+abstract: also the ${resolvedAll.abstract} abstract instances, as describe resolves them: ` + `${(tResolveAll / tParse).toFixed(2)}× the parse floor`,
    );

    const expected = args.dir ? undefined : args.stacks * args.components;
    if (expected !== undefined && resolved.instances !== expected) {
      out(`WARNING: expected ${expected} instances, resolved ${resolved.instances}`);
    }
    const childInstances = (memResolve.result as ResolveResult).instances;
    if (childInstances !== resolved.instances) {
      out(`WARNING: memory child resolved ${childInstances} instances, timing runs ${resolved.instances}`);
    }
    const templatedRatio = median(tplResolveMs) / median(tplParseMs);
    out(
      `templated: ${tplResolved?.instances} instances, parse ${median(tplParseMs).toFixed(1)} ms, resolve ${median(tplResolveMs).toFixed(1)} ms ` +
        `(${fmt(tplResolveMs)}): ${templatedRatio.toFixed(2)}× its parse floor, ${(templatedRatio / ratio).toFixed(2)}× the plain ratio (target ≤ 1.5)`,
    );
    const ratioFull = tResolve / median(fullParseMs);
    const templatedRatioFull = median(tplResolveMs) / median(tplFullParseMs);
    out(
      `against the full YAML reader alone (parse ${median(fullParseMs).toFixed(1)} ms, templated ${median(tplFullParseMs).toFixed(1)} ms): ` +
        `ratio ${ratioFull.toFixed(2)}, templated ${templatedRatioFull.toFixed(2)}, ${(templatedRatioFull / ratioFull).toFixed(2)}× the plain ratio`,
    );
    const ratioCpu = median(cpu.resolve) / median(cpu.parse);
    const templatedRatioCpu = median(cpu.tplResolve) / median(cpu.tplParse);
    out(
      `cpu time (all threads): ratio ${ratioCpu.toFixed(2)}, templated ${templatedRatioCpu.toFixed(2)}, ` +
        `${(templatedRatioCpu / ratioCpu).toFixed(2)}× the plain ratio (medians of parse ${median(cpu.parse).toFixed(0)} / resolve ${median(cpu.resolve).toFixed(0)} ms)`,
    );
    const total = (performance.now() - started) / 1000;
    out(
      `targets: ratio ≤ 2 (${ratio <= 2 ? 'ok' : 'MISSED'}), templated ≤ 1.5× plain (${templatedRatio / ratio <= 1.5 ? 'ok' : 'MISSED'}), peak < 256 MB (${memResolve.peakMb < 256 ? 'ok' : 'MISSED'}), ` +
        `total < 60 s (${total.toFixed(1)} s, ${total < 60 ? 'ok' : 'MISSED'})`,
    );
    out(
      `bench stacks: instances=${resolved.instances} ratio=${ratio.toFixed(2)} templated_ratio=${templatedRatio.toFixed(2)} ` +
        `templated_vs_plain=${(templatedRatio / ratio).toFixed(2)} ratio_cpu=${ratioCpu.toFixed(2)} templated_vs_plain_cpu=${(templatedRatioCpu / ratioCpu).toFixed(2)} ` +
        `ratio_full_yaml=${ratioFull.toFixed(2)} templated_vs_plain_full_yaml=${(templatedRatioFull / ratioFull).toFixed(2)} ` +
        `templated_vs_plain_resolve=${(median(tplResolveMs) / tResolve).toFixed(2)} peak_mb=${Math.round(memResolve.peakMb)}`,
    );
  } finally {
    if (cleanup) fs.rmSync(dir, { recursive: true, force: true });
    if (cleanup) fs.rmSync(`${dir}-templated`, { recursive: true, force: true });
  }
}
