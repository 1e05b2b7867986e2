import { spawnSync } from 'node:child_process';
import type { ExecSync } from './exec.js';

/** ExecSync adapter over child_process.spawnSync (no shell; a 60 s deadline so describe never hangs). */
export const nodeExecSync: ExecSync = (argv, opts) => {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env, encoding: 'utf8', shell: false, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  if (r.error) return { code: 127, stdout: '', stderr: r.error.message };
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};
