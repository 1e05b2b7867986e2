/** Process-spawning port. Only adapters implement it; arguments are always an argv array, never a shell string. */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Data written to stdin, if any. */
  input?: string;
  /** When it aborts, the process (and its process group: helpers it started) is killed; the result then carries `signal`. */
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, when one did (for example after `signal` aborted). */
  signal?: string;
}

export interface Exec {
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}
