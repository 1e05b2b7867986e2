import type { ParseArgsConfig } from 'node:util';
import type { Clock } from '../ports/clock.js';
import type { Exec, ExecSync } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import type { ObjectReader } from '../ports/object-store.js';

/** Everything a CLI command may touch, built once by the entry point (tests build their own). */
export interface CliContext {
  /** Working directory after -C/--chdir. */
  cwd: string;
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  log: Log;
  clock: Clock;
  exec: Exec;
  /** `!exec` while resolving stacks. */
  execSync?: ExecSync;
  /** S3 reads for `!terraform.state` on the s3 backend. */
  s3?: ObjectReader;
  debug: boolean;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** One leaf command, e.g. `describe component` or `workdir clean`. */
export interface Command {
  /** Words that select it: ['workdir', 'clean']. */
  path: string[];
  summary: string;
  /** Usage and flag descriptions printed by --help. */
  help: string;
  /** Flags beyond the global ones (-C/--chdir, --debug, -h/--help). */
  options: OptionsConfig;
  /** How many positional arguments the command takes; more are refused. Unset: the command checks them itself. */
  maxPositionals?: number;
  run(args: ParsedCommandArgs, ctx: CliContext): Promise<number>;
}
