#!/usr/bin/env node
/** CLI adapter: the only place the CLI reads process.argv/env and writes to the real streams. */
import { once } from 'node:events';
import { readEnvSettings, type EnvSettings } from '../app/env-settings.js';
import { nodeExec } from '../ports/node-exec.js';
import { nodeExecSync } from '../ports/node-exec-sync.js';
import { nodeTerminal } from '../ports/node-terminal.js';
import { systemClock } from '../ports/clock.js';
import { maskedLog } from '../ports/log.js';
import { nodeCloud } from '../ports/node-cloud.js';
import { childEnvironment } from '../util/child-env.js';
import { logSafe } from '../util/log-safe.js';
import { secretRegistry } from '../util/secrets.js';
import { stderrLog } from './log.js';
import { main } from './main.js';

// Piped into `head`: the reader is gone, so stop quietly instead of dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** atmos-action's own variables, read once: a malformed one stops every command before it starts. */
function envSettings(): EnvSettings | undefined {
  try {
    return readEnvSettings(process.env);
  } catch (e) {
    process.stderr.write(logSafe(`error: ${(e as Error).message}\n`));
    return undefined;
  }
}

const argv = process.argv.slice(2);
const terminal = nodeTerminal();
const settings = envSettings();
const debug = argv.includes('--debug') || (settings?.debug ?? false);
// Secret values read by a run never reach the terminal or a pipe: every writer scrubs them (util/secrets.ts).
const secrets = secretRegistry();
const code = !settings
  ? 1
  : await main(argv, {
      cwd: process.cwd(),
      // What terraform, !exec and templates see (util/child-env.ts); git gets its token from the settings.
      env: childEnvironment(process.env).env,
      envSettings: settings,
      stdout: (t) => void process.stdout.write(secrets.scrub(t)),
      stdoutChunks: async (chunks) => {
        for (const chunk of chunks) if (!process.stdout.write(secrets.scrub(chunk))) await once(process.stdout, 'drain');
      },
      // Error messages carry values from YAML and git: never a workflow command on a CI runner.
      stderr: (t) => terminal.write(logSafe(secrets.scrub(t))),
      log: maskedLog(stderrLog(debug, terminal.write, process.cwd()), secrets),
      ask: terminal.ask,
      clock: systemClock,
      exec: nodeExec,
      execSync: nodeExecSync,
      cloud: nodeCloud(),
      secrets,
      debug,
    });
process.exitCode = code;
