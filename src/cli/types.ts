import type { ParseArgsConfig } from 'node:util';
import type { AppPorts } from '../app/project.js';

/**
 * Everything a CLI command may touch, built once by the entry point (tests build their own): the
 * use cases' ports plus the terminal.
 */
export interface CliContext extends AppPorts {
  /** Working directory after -C/--chdir. */
  cwd: string;
  stdout(text: string): void;
  /**
   * Long output written as it is produced, waiting for the stream to drain between chunks, so
   * memory stays bounded whatever the reader's pace. Absent (tests): each chunk goes to `stdout`.
   */
  stdoutChunks?(chunks: Iterable<string>): Promise<void>;
  stderr(text: string): void;
  /** Asks the user one question on the terminal (apply, destroy); absent when there is none to ask on. */
  ask?: (question: string) => Promise<string>;
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
