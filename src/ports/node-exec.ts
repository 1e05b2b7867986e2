import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

type Sink = (stream: 'stdout' | 'stderr', b: Buffer) => void;

/** How often the output files of an `outputDir` child are read. */
const TAIL_MS = 50;
let fileCounter = 0;

/**
 * Output through files (ExecOptions.outputDir): the child writes to its own files, we read them as
 * they grow. Returns the stdio entries for spawn, and what to do once it started and once it ended.
 */
function fileOutput(dir: string, sink: Sink) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const names = { stdout: path.join(dir, `.starting-${process.pid}-${fileCounter++}`), stderr: '' };
  names.stderr = `${names.stdout}.err`;
  names.stdout = `${names.stdout}.out`;
  const write = { stdout: fs.openSync(names.stdout, 'w', 0o600), stderr: fs.openSync(names.stderr, 'w', 0o600) };
  const read = { stdout: fs.openSync(names.stdout, 'r'), stderr: fs.openSync(names.stderr, 'r') };
  const buf = Buffer.alloc(64 * 1024);
  const drain = () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      for (let n = fs.readSync(read[stream], buf); n > 0; n = fs.readSync(read[stream], buf)) sink(stream, Buffer.from(buf.subarray(0, n)));
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    stdio: [write.stdout, write.stderr] as const,
    started(child: ChildProcess) {
      // Ours to close: the child has its own copies. Named after the child, so a later run can tell whether it still runs.
      fs.closeSync(write.stdout);
      fs.closeSync(write.stderr);
      if (child.pid) {
        for (const stream of ['stdout', 'stderr'] as const) {
          const named = path.join(dir, `${child.pid}.${stream === 'stdout' ? 'out' : 'err'}`);
          fs.renameSync(names[stream], named);
          names[stream] = named;
        }
      }
      timer = setInterval(drain, TAIL_MS);
    },
    /** After the child ended (or could not start): the rest of its output, then the files go. */
    ended(startedOk: boolean) {
      clearInterval(timer);
      if (!startedOk) {
        fs.closeSync(write.stdout);
        fs.closeSync(write.stderr);
      } else {
        drain();
      }
      fs.closeSync(read.stdout);
      fs.closeSync(read.stderr);
      fs.rmSync(names.stdout, { force: true });
      fs.rmSync(names.stderr, { force: true });
    },
  };
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
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const onLine = options.onLine;
      const lines = onLine ? { stdout: lineSplitter((l) => onLine('stdout', l)), stderr: lineSplitter((l) => onLine('stderr', l)) } : undefined;
      const sink: Sink = (stream, b) => {
        (stream === 'stdout' ? out : err).push(b);
        lines?.[stream].push(b);
      };
      const files = options.outputDir ? fileOutput(options.outputDir, sink) : undefined;
      const abortable = options.signal !== undefined || options.forceSignal !== undefined;
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env as NodeJS.ProcessEnv | undefined,
        // stdin stays closed unless there is input: a child that exits early must not raise EPIPE here.
        stdio: [withInput ? 'pipe' : 'ignore', files ? files.stdio[0] : 'pipe', files ? files.stdio[1] : 'pipe'],
        shell: false,
        // Its own process group, so an abort also reaches the helpers it started (git-remote-https, ssh,
        // terraform's provider plugins), which would otherwise keep running and hold the output pipes open;
        // and a child writing to files must outlive us, which a signal to our group would prevent.
        detached: abortable || files !== undefined,
      });
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
        files?.ended(true);
        lines?.stdout.end();
        lines?.stderr.end();
        resolve({
          code: signal ? null : code,
          signal: signal ?? (code === null ? (sentSignal ?? null) : null),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      };
      child.on('error', (e) => {
        detach();
        if (!settled) {
          settled = true;
          files?.ended(child.pid !== undefined);
        }
        reject(e);
      });
      if (files) {
        if (child.pid !== undefined) files.started(child);
        child.on('exit', done);
      } else {
        child.stdout!.on('data', (b: Buffer) => sink('stdout', b));
        child.stderr!.on('data', (b: Buffer) => sink('stderr', b));
        // After a signal was sent, 'exit' is enough: a grandchild that escaped the group must not keep us waiting on the pipes.
        child.on('exit', (code, signal) => {
          if (sentSignal) {
            child.stdout!.destroy();
            child.stderr!.destroy();
            done(code, signal);
          }
        });
        child.on('close', done);
      }
      if (withInput) {
        child.stdin!.on('error', () => {}); // the child may exit before reading; its exit code tells the story
        child.stdin!.end(options.input);
      }
    });
  },
};
