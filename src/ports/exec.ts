/** Process-spawning port. Only adapters implement it; arguments are always an argv array, never a shell string. */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Data written to stdin, if any. */
  input?: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Exec {
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}
