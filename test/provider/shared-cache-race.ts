/**
 * Reproduction harness for the failure the provider store exists to prevent: N `terraform init`
 * at once sharing one plain TF_PLUGIN_CACHE_DIR. Terraform unzips a missing package in place
 * into the shared cache, with no lock, while other inits hash it or run it, which shows as
 * "text file busy", checksum mismatches, or lock files that silently gain the hash of a
 * half-written package.
 *
 * Who wins the race is not asserted: callers (a benchmark, a test, someone investigating) decide
 * what to do with the counts. What the harness reports about itself (how many inits were in flight
 * at once, which of them linked their provider from the shared cache) is certain, and a test checks it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fs.js';
import { terraformPlatform } from '../../src/providers/layout.js';
import { TESTPROV_SOURCE, type TestProvider } from './build.js';
import { mirrorOnlyCliConfig, rootModule, terraform, tfSandbox, type TfResult } from './terraform.js';

export interface SharedCacheRaceOptions {
  provider: TestProvider;
  /** Workspaces initialised at once per round. */
  instances: number;
  /** Each round starts from an empty cache. Default 1. */
  rounds?: number;
  /** Give every workspace the same committed lock file first (else they have none). Default true. */
  withLockFiles?: boolean;
  /** Run `plan` in every workspace after the inits (runs the provider). Default true. */
  plan?: boolean;
  /**
   * Warm the cache first, then keep one plan running the provider from it while the inits run
   * (a slow PlanResourceChange). Inits that re-extract the package then write over a running
   * executable. Default false.
   */
  runningProvider?: boolean;
  version?: string;
}

export interface SharedCacheRun {
  round: number;
  instance: number;
  initCode: number;
  planCode: number | null;
  textFileBusy: boolean;
  checksumMismatch: boolean;
  /** With a committed lock file: terraform rewrote it (e.g. added a bogus h1:). */
  lockFileChanged: boolean;
  /** The workspace's provider package is a link into the shared cache (how terraform uses a plugin cache). */
  linkedToCache: boolean;
  initMs: number;
  /** Output of the failed command, if any. */
  failure?: string;
}

export interface SharedCacheReport {
  runs: SharedCacheRun[];
  /** Per round: how many of its inits were still running when the first one finished (all of them, when they really ran at once). */
  inFlight: number[];
  failed: number;
  textFileBusy: number;
  checksumMismatch: number;
  lockFilesChanged: number;
  medianInitMs: number;
}

/** One-line summary, for logs and benchmark output. */
export function describeReport(r: SharedCacheReport): string {
  return `${r.runs.length} inits: ${r.failed} failed, ${r.textFileBusy} text file busy, ${r.checksumMismatch} checksum mismatch, ${r.lockFilesChanged} lock files changed; median init ${r.medianInitMs} ms`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Inits a workspace through the shared cache, then starts a plan that stays inside the provider for a while. */
async function startHolder(
  root: string,
  round: number,
  version: string,
  lock: string | null,
  env: Record<string, string>,
  instances: number,
): Promise<{ finished: Promise<TfResult> }> {
  const dir = path.join(root, `r${round}-holder`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'main.tf'), rootModule(version));
  if (lock !== null) fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), lock);
  const init = await terraform(dir, ['init', '-input=false'], env);
  if (init.code !== 0) throw new Error(`warming the shared cache failed:\n${init.out}`);
  const rpcLog = path.join(root, `r${round}-holder.log`);
  const plan = terraform(dir, ['plan', '-input=false'], { ...env, TESTPROV_LOG: rpcLog, TESTPROV_PLAN_DELAY_MS: String(3000 + 400 * instances) });
  for (const started = Date.now(); !(fs.existsSync(rpcLog) && fs.readFileSync(rpcLog, 'utf8').includes('PlanResourceChange'));) {
    if (Date.now() - started > 30_000) throw new Error('the holder plan never reached PlanResourceChange');
    await sleep(50);
  }
  // Wrapped: an async function returning a bare promise would wait for it to settle.
  return { finished: plan };
}

export async function reproduceSharedCacheRace(opts: SharedCacheRaceOptions): Promise<SharedCacheReport> {
  const version = opts.version ?? '1.0.0';
  const root = tempDir('atmos-action-shared-cache-');
  const sandbox = tfSandbox(mirrorOnlyCliConfig(opts.provider.packedMirror));
  try {
    let committedLock: string | null = null;
    if (opts.withLockFiles ?? true) {
      // Made without any cache: the lock file a team would have committed.
      const seed = path.join(root, 'seed');
      fs.mkdirSync(seed);
      fs.writeFileSync(path.join(seed, 'main.tf'), rootModule(version));
      const init = await terraform(seed, ['init', '-input=false'], sandbox.env);
      if (init.code !== 0) throw new Error(`seeding the lock file failed:\n${init.out}`);
      committedLock = fs.readFileSync(path.join(seed, '.terraform.lock.hcl'), 'utf8');
    }

    const runs: SharedCacheRun[] = [];
    const inFlight: number[] = [];
    for (let round = 1; round <= (opts.rounds ?? 1); round++) {
      const cache = path.join(root, `cache-${round}`);
      fs.mkdirSync(cache);
      const env = { ...sandbox.env, TF_PLUGIN_CACHE_DIR: cache };
      const dirs = Array.from({ length: opts.instances }, (_, i) => {
        const dir = path.join(root, `r${round}-ws${i + 1}`);
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'main.tf'), rootModule(version));
        if (committedLock !== null) fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), committedLock);
        return dir;
      });
      const holder = opts.runningProvider ? await startHolder(root, round, version, committedLock, env, opts.instances) : null;
      let running = 0;
      const inits = await Promise.all(
        dirs.map((dir) => {
          running++;
          return terraform(dir, ['init', '-input=false'], env).finally(() => {
            if (inFlight.length < round) inFlight.push(running);
            running--;
          });
        }),
      );
      const plans =
        opts.plan === false ? [] : await Promise.all(dirs.map((dir, i) => (inits[i]!.code === 0 ? terraform(dir, ['plan', '-input=false'], env) : null)));
      if (holder) {
        const h = await holder.finished;
        if (h.code !== 0) throw new Error(`the plan holding the provider failed:\n${h.out}`);
      }
      dirs.forEach((dir, i) => {
        const init = inits[i]!;
        const plan = plans[i] ?? null;
        const out = `${init.out}\n${plan?.out ?? ''}`;
        const lockPath = path.join(dir, '.terraform.lock.hcl');
        const lock = fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null;
        const failedOut = init.code !== 0 ? init.out : plan && plan.code !== 0 ? plan.out : undefined;
        const pkg = path.join(dir, '.terraform/providers', TESTPROV_SOURCE, version, terraformPlatform(process.platform, process.arch));
        runs.push({
          round,
          instance: i + 1,
          initCode: init.code,
          planCode: plan ? plan.code : null,
          textFileBusy: /text file busy/i.test(out),
          checksumMismatch: /does not match any of the checksums/i.test(out),
          lockFileChanged: committedLock !== null && lock !== committedLock,
          linkedToCache: fs.existsSync(pkg) && fs.lstatSync(pkg).isSymbolicLink() && fs.realpathSync(pkg).startsWith(fs.realpathSync(cache) + path.sep),
          initMs: init.ms,
          ...(failedOut === undefined ? {} : { failure: failedOut }),
        });
      });
    }
    const sortedMs = runs.map((r) => r.initMs).sort((a, b) => a - b);
    return {
      runs,
      inFlight,
      failed: runs.filter((r) => r.initCode !== 0 || (r.planCode ?? 0) !== 0).length,
      textFileBusy: runs.filter((r) => r.textFileBusy).length,
      checksumMismatch: runs.filter((r) => r.checksumMismatch).length,
      lockFilesChanged: runs.filter((r) => r.lockFileChanged).length,
      medianInitMs: sortedMs[Math.floor(sortedMs.length / 2)] ?? 0,
    };
  } finally {
    sandbox.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
