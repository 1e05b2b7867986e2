/**
 * The one place the runner starts terraform. Everything else builds argv and reads results.
 * Output is relayed to the log line by line as terraform prints it (not when it exits), and an
 * AbortSignal forwards cancellation (SIGTERM) so terraform can release its state lock.
 */
import type { Exec, ExecResult } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import { AtmosError } from '../util/errors.js';

export interface TerraformProcessOptions {
  /** `terraform`, `tofu` or a path: the instance's resolved `command`. */
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Says which instance in the "not found" error. */
  where: string;
  /** Cancels the running command: terraform gets SIGTERM and stops gracefully. */
  signal?: AbortSignal;
  /** Aborting it kills the process group (SIGKILL): the second Ctrl-C, when a graceful stop takes too long. */
  forceSignal?: AbortSignal;
}

export interface TerraformProcess {
  /**
   * Runs one terraform command and relays its output to the log, line by line. `quiet` keeps
   * stdout out of the log: `show -json` prints the plan with sensitive values in clear text.
   */
  run(args: readonly string[], opts?: { quiet?: boolean }): Promise<ExecResult>;
}

/** The binary could not be started: absent from PATH, or not executable. */
export class TerraformNotFoundError extends AtmosError {
  readonly command: string;
  constructor(command: string, where: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const what = code === 'EACCES' ? `is not executable` : command.includes('/') ? 'does not exist' : 'was not found on PATH';
    super(
      `${where}: the terraform command ${JSON.stringify(command)} ${what}. Install terraform (or OpenTofu), or name the binary ` +
        'with `command:` on the component (e.g. `command: tofu` or an absolute path) or `components.terraform.command` in atmos.yaml',
      { cause },
    );
    this.name = 'TerraformNotFoundError';
    this.command = command;
  }
}

/** `log` is the instance's own log: with several instances at once, the caller tells their lines apart. */
export function terraformProcess(exec: Exec, log: Log, o: TerraformProcessOptions): TerraformProcess {
  return {
    async run(args, opts = {}) {
      log.debug(`$ ${o.command} ${args.join(' ')}`);
      let r: ExecResult;
      try {
        r = await exec.run(o.command, args, {
          cwd: o.cwd,
          env: o.env,
          signal: o.signal,
          forceSignal: o.forceSignal,
          // stderr is relayed as info while the command runs: whether it failed is only known at exit,
          // and the failure itself is reported once, in the result.
          onLine: (stream, line) => {
            if (stream === 'stdout' && opts.quiet) return;
            log.info(line);
          },
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        if (code === 'ENOENT' || code === 'EACCES') throw new TerraformNotFoundError(o.command, o.where, e);
        throw e;
      }
      return r;
    },
  };
}

/** The lines terraform prints after `Error:`, condensed into one sentence for a results table. */
export function terraformError(r: ExecResult, step: string): string {
  const text = `${r.stderr}\n${r.stdout}`;
  const errors = text
    .split('\n')
    .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
    .filter((l) => l.startsWith('Error:'))
    .map((l) => l.slice('Error:'.length).trim());
  const detail = errors.length > 0 ? errors.join('; ') : r.signal ? `stopped by ${r.signal}` : `exit code ${r.code}`;
  return `${step} failed: ${detail}`;
}
