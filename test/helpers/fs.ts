import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file with a package.json: the checkout (benchmarks run this file compiled, from build/test/helpers). */
export const REPO_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

const created: string[] = [];

/**
 * A fresh temp dir. Every one is removed after its test file (test/helpers/cleanup.ts runs
 * {@link removeTempDirs} in afterAll), so a failing test leaves nothing behind either.
 */
export function tempDir(prefix = 'atmos-action-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every temp dir made so far in this test file (and makes shared ones anew next time). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  sharedHome = undefined;
}

/** Writes `files` (relative path → content) under `root`, creating folders. Returns root. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}

/**
 * What running the example leaves inside it, all gitignored: workdirs (with terraform's state, its
 * `.terraform/` folders and plans), and state or caches from a terraform run in a component folder.
 */
function isRunLeftover(name: string): boolean {
  return ['.workdir', '.terraform', 'terraform.tfstate.d', '.terraform.tfstate.lock.info'].includes(name) || /\.tfstate(\.backup)?$/.test(name);
}

/**
 * A copy of the bundled example (`examples/`, or `from`) in `dest` (a fresh temp dir by default),
 * without what a run of it left behind: README's Quick start plans the example in place, and
 * a test that copies it must start from the files as committed. Returns `dest`.
 */
export function copyExample(dest = tempDir('atmos-action-example-'), from = path.join(REPO_ROOT, 'examples')): string {
  fs.cpSync(from, dest, { recursive: true, filter: (src) => !isRunLeftover(path.basename(src)) });
  return dest;
}

let sharedHome: string | undefined;

/** A minimal environment for child processes: nothing inherited from the caller but PATH. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = (sharedHome ??= tempDir('atmos-action-home-'));
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TF_CLI_CONFIG_FILE: path.join(home, '.terraformrc'), ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Whether this run is `npm run test:unit` (see jest.config.js): no terraform, no bundle, no git servers. */
export const UNIT_SCOPE = process.env.ATMOS_ACTION_TEST_SCOPE === 'unit';

/** Throws in `npm run test:unit` when a test uses `what`: such a test belongs in jest.config.js's integration list. */
export function notInUnitScope(what: string): void {
  if (UNIT_SCOPE) throw new Error(`this test uses ${what}: list it among the integration tests in jest.config.js (npm run test:unit runs none)`);
}

let distChecked = false;

/**
 * The committed bundle's entry point, for tests that run it as a child process: every such test in
 * a run shares this one build (checked by `npm run check-dist` in CI). Fails at once, saying to run
 * `npm run build`, when dist/ was not built from the sources in this checkout.
 */
export function distEntry(entry: 'cli' | 'action'): string {
  notInUnitScope(`the bundle (dist/${entry})`);
  if (!distChecked) {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'tools/dist.mjs'), 'fresh'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr.trim() || `tools/dist.mjs fresh failed (${r.status})`);
    distChecked = true;
  }
  return path.join(REPO_ROOT, 'dist', entry, 'index.js');
}

/** Runs a committed dist/ entry point as a child process, as users and the runner do. */
export function runDist(entry: 'cli' | 'action', args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const r = spawnSync(process.execPath, [distEntry(entry), ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
