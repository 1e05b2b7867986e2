/**
 * Is the terraform command there? Checked once before a run starts, by looking it up on PATH the
 * way a shell would, without starting it: a missing binary is one clear error up front instead of
 * one failure per instance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TerraformNotFoundError } from './process.js';

function executable(file: string): 'ok' | 'EACCES' | 'ENOENT' {
  try {
    if (!fs.statSync(file).isFile()) return 'ENOENT';
    fs.accessSync(file, fs.constants.X_OK);
    return 'ok';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EACCES' ? 'EACCES' : 'ENOENT';
  }
}

/** The absolute path `command` runs, or a TerraformNotFoundError naming it and how to set another. */
export function findTerraform(command: string, env: Record<string, string | undefined>, cwd: string, where: string): string {
  const fail = (code: string) => {
    const cause = Object.assign(new Error(`${command}: ${code}`), { code });
    return new TerraformNotFoundError(command, where, cause);
  };
  if (command.includes('/')) {
    const abs = path.resolve(cwd, command);
    const r = executable(abs);
    if (r !== 'ok') throw fail(r);
    return abs;
  }
  let denied = false;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    const r = executable(candidate);
    if (r === 'ok') return candidate;
    if (r === 'EACCES') denied = true;
  }
  throw fail(denied ? 'EACCES' : 'ENOENT');
}
