/**
 * The field scenario for the provider store: an Atmos repository with N instances of one base
 * component that uses the test provider, a committed lock file made by a real install from the
 * packed mirror (the "registry"), and a user CLI configuration naming that mirror. Shared by the
 * store tests and the benchmark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { systemClock } from '../../src/ports/clock.js';
import { prefixedLog, type Log } from '../../src/ports/log.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { prepareProviders, type PreparedProviders } from '../../src/providers/prepare.js';
import { terraformPlatform } from '../../src/providers/layout.js';
import { workdirTargets } from '../../src/providers/targets.js';
import { runInstance, type InstanceRunResult } from '../../src/terraform/run-instance.js';
import { provisionWorkdir } from '../../src/workdir/provision.js';
import { buildTestProvider, type TestProvider, type TestProviderBuildOptions } from './build.js';
import { mirrorOnlyCliConfig, rootModule, terraform } from './terraform.js';

export const PLATFORM = terraformPlatform(process.platform, process.arch);

export interface Field {
  root: string;
  repo: string;
  prov: TestProvider;
  /** The user's environment: own HOME, CLI config = the packed mirror only (offline). */
  env: Record<string, string>;
  storeRoot: string;
  instances: string[];
  /** Component source folder and its committed lock file. */
  lockFile: string;
  committedLock(version: string): Promise<Buffer>;
  /** Provisions every workdir; returns them in instance order. */
  provision(): Promise<string[]>;
}

const lockCache = new Map<string, Buffer>();

export async function makeField(root: string, n = 12, version = '1.0.0', build: TestProviderBuildOptions = {}): Promise<Field> {
  const prov = await buildTestProvider(build);
  const home = path.join(root, 'home');
  fs.mkdirSync(home, { recursive: true });
  const rc = path.join(home, 'terraformrc');
  fs.writeFileSync(rc, mirrorOnlyCliConfig(prov.packedMirror));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1' };
  const instances = Array.from({ length: n }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
  const repo = path.join(root, 'repo');
  const comp = path.join(repo, 'components/terraform/base');
  fs.mkdirSync(comp, { recursive: true });
  fs.mkdirSync(path.join(repo, 'stacks/deploy'), { recursive: true });
  fs.writeFileSync(
    path.join(repo, 'atmos.yaml'),
    'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\n',
  );
  const comps = instances.map((c) => `    ${c}:\n      metadata:\n        component: base\n      vars:\n        value: ${c}\n`).join('');
  fs.writeFileSync(
    path.join(repo, 'stacks/deploy/dev.yaml'),
    `vars:\n  stage: dev\nterraform:\n  provision:\n    workdir:\n      enabled: true\ncomponents:\n  terraform:\n${comps}`,
  );
  const field: Field = {
    root,
    repo,
    prov,
    env,
    storeRoot: path.join(root, 'store'),
    instances,
    lockFile: path.join(comp, '.terraform.lock.hcl'),
    committedLock: async (v) => {
      const cached = lockCache.get(`${prov.root} ${v}`);
      if (cached) return cached;
      // Made the way a team makes it: a real init against the "registry" (the packed mirror).
      const ws = fs.mkdtempSync(path.join(root, 'lockgen-'));
      fs.writeFileSync(path.join(ws, 'main.tf'), rootModule(v));
      const r = await terraform(ws, ['init', '-input=false'], env);
      if (r.code !== 0) throw new Error(`lock file generation failed:\n${r.out}`);
      const lock = fs.readFileSync(path.join(ws, '.terraform.lock.hcl'));
      fs.rmSync(ws, { recursive: true, force: true });
      lockCache.set(`${prov.root} ${v}`, lock);
      return lock;
    },
    provision: async () => {
      const config = loadAtmosConfig({ cwd: repo, env: {} });
      const stacks = resolveStacks(config);
      const picked = stacks.instances.filter((i) => instances.includes(i.component));
      const out = await Promise.all(
        picked.map((i) => provisionWorkdir(i, { basePath: config.basePath }, { exec: nodeExec, log: silentish, clock: systemClock })),
      );
      return out.map((o) => o.terraformDir);
    },
  };
  await setVersion(field, version);
  return field;
}

/** Just the init step (what the store changes), with the runner's environment rule, as a result the round checks. */
async function initOnly(workdir: string, name: string, env: Record<string, string | undefined>, log: Log): Promise<InstanceRunResult> {
  const t0 = Date.now();
  log.debug(`init-start ${name}`);
  const r = await nodeExec.run('terraform', ['init', '-input=false', '-no-color'], {
    cwd: workdir,
    env: { ...env, TF_IN_AUTOMATION: '1' },
    onLine: (_s, l) => log.info(`[${name}] ${l}`),
  });
  log.debug(`init-end ${name}`);
  return {
    instance: `dev:${name}`,
    stack: 'dev',
    component: name,
    action: 'plan',
    status: r.code === 0 ? 'changes' : 'failed',
    reason: r.code === 0 ? 'init only' : r.stderr,
    durationMs: Date.now() - t0,
    steps: [{ step: 'init', ms: Date.now() - t0, code: r.code }],
  };
}

const silentish: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** Writes the component for `version` and commits the matching lock file. */
export async function setVersion(f: Field, version: string, withLock = true): Promise<void> {
  const comp = path.dirname(f.lockFile);
  fs.writeFileSync(
    path.join(comp, 'main.tf'),
    `${rootModule(version)}variable "value" {\n  type = string\n}\n`.replace('value = "hello"', 'value = var.value'),
  );
  if (withLock) fs.writeFileSync(f.lockFile, await f.committedLock(version));
  else fs.rmSync(f.lockFile, { force: true });
}

export interface RoundResult {
  prepared: PreparedProviders[];
  /** Wall time of each leg's prepareProviders. */
  prepareMs: number[];
  results: InstanceRunResult[];
  workdirs: string[];
  logLines: string[];
}

/**
 * One round as N matrix legs on one machine would run it: every instance prepares the store for
 * its own workdir at the same time, then plans, all at once.
 */
export async function planRound(
  f: Field,
  env: Record<string, string | undefined> = f.env,
  opts: { lockStaleMs?: number; initOnly?: boolean } = {},
): Promise<RoundResult> {
  const workdirs = await f.provision();
  const logLines: string[] = [];
  const log: Log = {
    debug: (m) => logLines.push(m),
    info: (m) => logLines.push(m),
    warn: (m) => logLines.push(`warn: ${m}`),
    error: (m) => logLines.push(`error: ${m}`),
  };
  const config = loadAtmosConfig({ cwd: f.repo, env: {} });
  const stacks = resolveStacks(config);
  const byName = new Map(stacks.instances.map((i) => [i.component, i]));
  const ports = { exec: nodeExec, log, clock: systemClock };
  const lock = opts.lockStaleMs ? { staleMs: opts.lockStaleMs } : undefined;
  const prepareMs: number[] = [];
  const cliConfig = readEnvSettings(env).terraformCliConfig();
  const prepared = await Promise.all(
    workdirs.map(async (wd, k) => {
      const t0 = Date.now();
      const p = await prepareProviders(
        { targets: workdirTargets([wd]), storeRoot: f.storeRoot, command: 'terraform', platform: PLATFORM, lock, cliConfig },
        { exec: nodeExec, log, env },
      );
      prepareMs[k] = Date.now() - t0;
      return p;
    }),
  );
  const results = await Promise.all(
    f.instances.map((name, k) =>
      prepared[k]!.aroundInit(workdirs[k]!, () =>
        opts.initOnly
          ? initOnly(workdirs[k]!, name, prepared[k]!.envFor(workdirs[k]!), log)
          : runInstance(
              {
                instance: byName.get(name)!,
                action: 'plan',
                workdir: workdirs[k]!,
                reprovisioned: false,
                settings: config.terraform,
                env: prepared[k]!.envFor(workdirs[k]!),
                parallel: true,
              },
              { ...ports, log: prefixedLog(log, `[${name}] `) },
            ),
      ),
    ),
  );
  return { prepared, prepareMs, results, workdirs, logLines };
}
