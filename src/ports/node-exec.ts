import { spawn } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from './exec.js';

/** Exec adapter over child_process.spawn (no shell: argv is passed as is). */
export const nodeExec: Exec = {
  run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const withInput = options.input !== undefined;
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env as NodeJS.ProcessEnv | undefined,
        // stdin stays closed unless there is input: a child that exits early must not raise EPIPE here.
        stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        shell: false,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolve({
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      if (withInput) {
        child.stdin!.on('error', () => {}); // the child may exit before reading; its exit code tells the story
        child.stdin!.end(options.input);
      }
    });
  },
};
