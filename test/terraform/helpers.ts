/** Shared by the terraform runner tests: a clean terraform environment and a check that terraform is really there. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, notInUnitScope, tempDir } from '../helpers/fs.js';

/** Fails (never skips) when terraform is absent: these tests are the proof the runner works. */
export function requireTerraform(): void {
  notInUnitScope('terraform');
  const r = spawnSync('terraform', ['version'], { encoding: 'utf8', env: cleanEnv({ CHECKPOINT_DISABLE: '1' }) });
  if (r.status !== 0) throw new Error('terraform must be on PATH for the runner tests (v1.11 is expected); it was not found');
}

/** An environment for terraform that depends on nothing of the caller's: own HOME, an empty CLI config, no checkpoint calls. */
export function terraformTestEnv(root: string): Record<string, string> {
  const home = path.join(root, 'home');
  fs.mkdirSync(home, { recursive: true });
  const rc = path.join(home, 'terraformrc');
  fs.writeFileSync(rc, '');
  return cleanEnv({ HOME: home, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1' });
}

export function terraformSync(cwd: string, args: string[], env: Record<string, string>): { code: number; out: string } {
  const r = spawnSync('terraform', args, { cwd, env, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export { tempDir };
