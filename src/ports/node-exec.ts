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

/** Sends `sig` to the child's whole process group (helpers it started included), or to the child alone. */
function killGroup(pid: number | undefined, sig: NodeJS.Signals, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, sig);
  } catch {
    fallback(); // the group is gone already, or was never made
  }
}

/** Exec adapter over child_process.spawn (no shell: argv is passed as is). */
export const nodeExec: Exec = {
  run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const withInput = options.input !== undefined;
      const killSignal = options.killSignal ?? 'SIGTERM';
      if (options.signal?.aborted) {
        resolve({ code: null, signal: killSignal, stdout: '', stderr: '' });
        return;
      }
      const abortable = options.signal !== undefined || options.forceSignal !== undefined;
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env as NodeJS.ProcessEnv | undefined,
        // stdin stays closed unless there is input: a child that exits early must not raise EPIPE here.
        stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        shell: false,
        // Its own process group, so an abort also reaches the helpers it started (git-remote-https, ssh,
        // terraform's provider plugins), which would otherwise keep running and hold the output pipes open.
        detached: abortable,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const onLine = options.onLine;
      const lines = onLine ? { stdout: lineSplitter((l) => onLine('stdout', l)), stderr: lineSplitter((l) => onLine('stderr', l)) } : undefined;
      let sentSignal: NodeJS.Signals | undefined;
      const send = (sig: NodeJS.Signals) => () => {
        sentSignal = sig;
        killGroup(child.pid, sig, () => child.kill(sig));
      };
      const onAbort = send(killSignal);
      const onForce = send('SIGKILL');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      options.forceSignal?.addEventListener('abort', onForce, { once: true });
      const detach = () => {
        options.signal?.removeEventListener('abort', onAbort);
        options.forceSignal?.removeEventListener('abort', onForce);
      };
      let settled = false;
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        detach();
        lines?.stdout.end();
        lines?.stderr.end();
        resolve({
          code: signal ? null : code,
          signal: signal ?? (code === null ? (sentSignal ?? null) : null),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      };
      child.stdout!.on('data', (b: Buffer) => {
        out.push(b);
        lines?.stdout.push(b);
      });
      child.stderr!.on('data', (b: Buffer) => {
        err.push(b);
        lines?.stderr.push(b);
      });
      child.on('error', (e) => {
        detach();
        reject(e);
      });
      // After a signal was sent, 'exit' is enough: a grandchild that escaped the group must not keep us waiting on the pipes.
      child.on('exit', (code, signal) => {
        if (sentSignal) {
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
