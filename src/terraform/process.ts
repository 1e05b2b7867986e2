/**
 * The one place the runner starts terraform. Everything else builds argv and reads results.
 * Output is relayed to the log line by line as terraform prints it (not when it exits), and an
 * AbortSignal forwards cancellation (SIGTERM) so terraform can release its state lock.
 *
 * Terraform writes into files (`outputDir`), not into our pipes: killed, we must not take a running
 * apply down with us (it would die of SIGPIPE between creating a resource and saving it). A state
 * dump (terraform's last resort when it cannot save state) is kept out of the log (state-dump.ts).
 */
import type { Exec, ExecResult } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../lock/lock.js';
import { AtmosError } from '../util/errors.js';
import { terraformOutputOwner } from '../util/paths.js';
import { saveStateDump, stateDumpCatcher } from './state-dump.js';

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
  /** Where terraform writes its output (see Exec's outputDir); absent: pipes. */
  outputDir?: string;
  /** Where a state dump may be written, in order of preference. */
  stateDumpFiles?: () => string[];
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
  const relay = (line: string) => log.info(line);
  return {
    async run(args, opts = {}) {
      log.debug(`$ ${o.command} ${args.join(' ')}`);
      const catchers = { stdout: stateDumpCatcher(), stderr: stateDumpCatcher() };
      let r: ExecResult;
      try {
        r = await exec.run(o.command, args, {
          cwd: o.cwd,
          env: o.env,
          signal: o.signal,
          forceSignal: o.forceSignal,
          // `show -json` (quiet) only reads: its output is needed whole and holds every value, so it stays on a pipe.
          outputDir: opts.quiet ? undefined : o.outputDir,
          // stderr is relayed as info while the command runs: whether it failed is only known at exit,
          // and the failure itself is reported once, in the result.
          onLine: (stream, line) => {
            if (stream === 'stdout' && opts.quiet) return;
            for (const l of catchers[stream].feed(line)) relay(l);
          },
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        if (code === 'ENOENT' || code === 'EACCES') throw new TerraformNotFoundError(o.command, o.where, e);
        throw e;
      }
      for (const c of Object.values(catchers)) c.flush().forEach(relay);
      for (const dump of [...catchers.stdout.dumps(), ...catchers.stderr.dumps()]) await keepDump(dump, o, log);
      return r;
    },
  };
}

async function keepDump(dump: string, o: Pick<TerraformProcessOptions, 'stateDumpFiles'>, log: Log): Promise<void> {
  const saved = await saveStateDump(dump, o.stateDumpFiles?.() ?? []);
  if ('file' in saved) {
    log.error(
      `terraform could not save its state and printed it instead (every value, sensitive ones too): it is in ${saved.file} ` +
        `(mode 0600), not in this log. Keep that file: push it with "terraform state push ${saved.file}" from the workdir once the backend works again`,
    );
  } else {
    log.error(
      `terraform could not save its state and printed it instead; it is kept out of this log, but could not be written to a file ` +
        `either (${saved.errors.join('; ')}): the resources this run created are not in any state, import them or free the disk and apply again`,
    );
  }
}

/**
 * The output a terraform of an earlier run left in the output folder because atmos-action was
 * killed while it ran (terraform went on to its end): relayed now, under a line that says so, with
 * any state dump kept out of the log as always, then removed. A terraform still running is only named.
 */
export async function relayInterruptedOutput(log: Log, o: Pick<TerraformProcessOptions, 'outputDir' | 'stateDumpFiles' | 'command' | 'cwd'>): Promise<void> {
  if (!o.outputDir || !fs.existsSync(o.outputDir)) return;
  for (const name of fs.readdirSync(o.outputDir).sort()) {
    const owner = terraformOutputOwner(name);
    if (!owner) continue;
    const file = path.join(o.outputDir, name);
    if (processAlive(owner.pid)) {
      if (owner.kind === 'terraform' && name.endsWith('.out')) {
        log.warn(
          `terraform (pid ${owner.pid}) of an earlier run that atmos-action did not see to its end is still running in this workdir; its output: ${file}`,
        );
      }
      continue;
    }
    if (owner.kind === 'terraform') {
      const catcher = stateDumpCatcher();
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      if (lines.length) {
        log.info(
          `output of terraform (pid ${owner.pid}, ${name.endsWith('.err') ? 'stderr' : 'stdout'}) from an earlier run; atmos-action was stopped before it ended:`,
        );
        for (const l of [...lines.flatMap((x) => catcher.feed(x)), ...catcher.flush()]) log.info(l);
        for (const dump of catcher.dumps()) await keepDump(dump, o, log);
      }
    }
    fs.rmSync(file, { force: true });
  }
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
