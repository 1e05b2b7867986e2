/** Running real terraform against the test provider, offline: CLI config, root module, runner. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { notInUnitScope, tempDir } from '../helpers/fs.js';
import { TESTPROV_SOURCE } from './build.js';

export interface TfResult {
  code: number;
  out: string;
  ms: number;
}

export function requireTerraform(): void {
  notInUnitScope('terraform');
  const v = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('terraform must be on PATH for this test (v1.11 is on these machines)');
}

export function terraform(cwd: string, args: string[], env: Record<string, string>): Promise<TfResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args.slice(0, 1), '-no-color', ...args.slice(1)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out, ms: Date.now() - started }));
  });
}

/** A CLI config whose only installation method is a filesystem mirror (no `direct`: fully offline). */
export function mirrorOnlyCliConfig(mirror: string): string {
  return [
    'disable_checkpoint = true',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${JSON.stringify(TESTPROV_SOURCE)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A root module with one `testprov_thing`, requiring exactly `version`. */
export function rootModule(version: string, value = 'hello'): string {
  return [
    'terraform {',
    '  required_providers {',
    `    testprov = { source = ${JSON.stringify(TESTPROV_SOURCE)}, version = ${JSON.stringify(version)} }`,
    '  }',
    '}',
    `resource "testprov_thing" "a" {\n  value = ${JSON.stringify(value)}\n}`,
    'output "result" {\n  value = testprov_thing.a.result\n}',
    'output "id" {\n  value = testprov_thing.a.id\n}',
    '',
  ].join('\n');
}

export interface TfSandbox {
  home: string;
  cliConfig: string;
  env: Record<string, string>;
  cleanup(): void;
}

/**
 * A HOME of its own with a CLI config, and an environment that inherits nothing from the caller
 * but PATH (so no TF_PLUGIN_CACHE_DIR, TF_LOG or credentials leak in) plus `extra`.
 */
export function tfSandbox(cliConfigText: string, extra: Record<string, string> = {}): TfSandbox {
  const home = tempDir('atmos-action-tfhome-');
  const cliConfig = path.join(home, 'terraformrc');
  fs.writeFileSync(cliConfig, cliConfigText);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
  return { home, cliConfig, env, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Fails with terraform's own output when a command did not exit with `code`. */
export function expectExit(r: TfResult, code = 0, what = 'terraform'): void {
  if (r.code !== code) throw new Error(`${what} exited ${r.code}, expected ${code}:\n${r.out}`);
}
