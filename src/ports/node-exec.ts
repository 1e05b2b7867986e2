import { spawn } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from './exec.js';

/** Splits a byte stream into lines for `onLine`, across chunk boundaries (and multi-byte characters). */
function lineSplitter(emit: (line: string) => void): { push(b: Buffer): void; end(): void } {
  let pending = '';
  const decoder = new TextDecoder('utf8');
  return {
    push(b) {
      pending += decoder.decode(b, { stream: true });
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        emit(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    },
    end() {
      pending += decoder.decode();
      if (pending) emit(pending.replace(/\r$/, ''));
      pending = '';
    },
  };
}

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
        signal: options.signal,
        killSignal: options.killSignal ?? 'SIGTERM',
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const onLine = options.onLine;
      const lines = onLine ? { stdout: lineSplitter((l) => onLine('stdout', l)), stderr: lineSplitter((l) => onLine('stderr', l)) } : undefined;
      child.stdout!.on('data', (b: Buffer) => {
        out.push(b);
        lines?.stdout.push(b);
      });
      child.stderr!.on('data', (b: Buffer) => {
        err.push(b);
        lines?.stderr.push(b);
      });
      child.on('error', (e) => {
        // An abort surfaces as an 'error' too; the 'close' that follows reports the signal.
        if ((e as NodeJS.ErrnoException).name !== 'AbortError') reject(e);
      });
      child.on('close', (code, signal) => {
        lines?.stdout.end();
        lines?.stderr.end();
        resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      if (withInput) {
        child.stdin!.on('error', () => {}); // the child may exit before reading; its exit code tells the story
        child.stdin!.end(options.input);
      }
    });
  },
};
