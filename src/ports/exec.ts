/** Process-spawning port. Only adapters implement it; arguments are always an argv array, never a shell string. */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Data written to stdin, if any. */
  input?: string;
  /**
   * Called for every complete output line as it arrives (without the line break; a last line
   * without one is delivered at exit). The full output is still collected into the result.
   */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /**
   * Aborting sends `killSignal` to the child's process group (the helpers it started too); the
   * result then reports that signal.
   */
  signal?: AbortSignal;
  /** Signal sent on abort. Default SIGTERM (terraform stops gracefully on it); git deadlines use SIGKILL. */
  killSignal?: NodeJS.Signals;
  /** Aborting this one sends SIGKILL to the group: the second Ctrl-C, when the graceful stop takes too long. */
  forceSignal?: AbortSignal;
  /**
   * The child writes its output into files in this folder (made 0700; `<child pid>.out` and
   * `<child pid>.err`, mode 0600), which the adapter reads as they grow and removes when the child
   * ends, instead of into pipes. The child then never depends on us: if we are killed, it does not
   * die of SIGPIPE on its next line but runs to its end (terraform saves its state), in its own
   * process group, and its output stays in the folder for the next run to show.
   */
  outputDir?: string;
}

export interface ExecResult {
  /** Exit code, or null when the process was ended by a signal. */
  code: number | null;
  /** The signal that ended the process (`SIGTERM`), or null when it exited by itself. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Exec {
  /** Resolves when the process ends however it ends; rejects only when it cannot be started. */
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/**
 * Runs a program to completion synchronously (argv, never a shell). Stack resolution is
 * synchronous and `!exec` needs its output while values are computed.
 */
export type ExecSync = (
  argv: readonly string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
) => {
  code: number | null;
  stdout: string;
  stderr: string;
};
