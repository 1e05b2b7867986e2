import { spawn } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from './exec.js';

/** Exec adapter over child_process.spawn (no shell: argv is passed as is). */
export const nodeExec: Exec = {
  run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const withInput = options.input !== undefined;
      const abortable = options.signal !== undefined;
      if (options.signal?.aborted) {
        resolve({ code: 128 + 9, stdout: '', stderr: '', signal: 'SIGKILL' });
        return;
      }
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env as NodeJS.ProcessEnv | undefined,
        // stdin stays closed unless there is input: a child that exits early must not raise EPIPE here.
        stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        shell: false,
        // Its own process group, so an abort also kills the helpers it started (git-remote-https,
        // ssh), which would otherwise keep running and hold the output pipes open.
        detached: abortable,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let killedBy: string | undefined;
      const onAbort = () => {
        killedBy = 'SIGKILL';
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL'); // the group is gone already, or was never made
        }
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        const sig = signal ?? killedBy;
        resolve({
          code: code ?? (sig ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          ...(sig ? { signal: sig } : {}),
        });
      };
      child.stdout!.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        options.signal?.removeEventListener('abort', onAbort);
        reject(e);
      });
      // After an abort, 'exit' is enough: a grandchild that escaped the group must not keep us waiting on the pipes.
      child.on('exit', (code, signal) => {
        if (killedBy) {
          child.stdout!.destroy();
          child.stderr!.destroy();
          done(code, signal);
        }
      });
      child.on('close', done);
      if (withInput) {
        child.stdin!.on('error', () => {}); // the child may exit before reading; its exit code tells the story
        child.stdin!.end(options.input);
      }
    });
  },
};
