/** Action adapter: the only module that touches @actions/core and process.env for the action. */
import * as core from '@actions/core';
import { systemClock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import { nodeExec } from '../ports/node-exec.js';
import { ConfigurationErrors, displayPath, isAtmosError } from '../util/errors.js';
import { logSafe } from '../util/log-safe.js';
import { parseInputs, type ActionInputs } from './inputs.js';
import { run } from './run.js';

const workspace = process.env.GITHUB_WORKSPACE || process.cwd();

/** One annotation per error: on the file (repository-relative, so it lands in the PR) when the error names one. */
function annotate(e: unknown, debug: boolean): void {
  if (e instanceof ConfigurationErrors) {
    for (const one of e.errors) annotate(one, debug);
    return;
  }
  if (isAtmosError(e)) {
    core.error(logSafe(e.describe(workspace)), e.file ? { file: displayPath(e.file, workspace), startLine: e.line } : {});
  } else {
    core.error(logSafe((e as Error)?.message ?? String(e)));
  }
  const stack = (e as Error)?.stack;
  if (stack) (debug ? core.info : core.debug)(logSafe(stack));
}

function log(debug: boolean): Log {
  // core.info prints as is (the others escape line breaks); logSafe keeps any level from becoming a
  // workflow command or forging a line (util/log-safe.ts).
  return {
    // The debug input shows debug messages without the runner's step-debug setting.
    debug: (m) => (debug ? core.info(logSafe(m)) : core.debug(logSafe(m))),
    info: (m) => core.info(logSafe(m)),
    warn: (m) => core.warning(logSafe(m)),
    error: (m) => core.error(logSafe(m)),
  };
}

async function main(): Promise<void> {
  let inputs: ActionInputs | undefined;
  try {
    inputs = parseInputs((name) => core.getInput(name));
    const debug = inputs.debug;
    const ok = await run(inputs, {
      workspace,
      env: { ...process.env },
      log: log(debug),
      clock: systemClock,
      exec: nodeExec,
      setOutput: (name, value) => core.setOutput(name, value),
      summary: (md) => {
        if (process.env.GITHUB_STEP_SUMMARY) core.summary.addRaw(md, true);
      },
      annotate: (e) => annotate(e, debug),
    });
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
    if (!ok) process.exitCode = core.ExitCode.Failure;
  } catch (e) {
    annotate(e, inputs?.debug ?? false);
    process.exitCode = core.ExitCode.Failure;
    // A failed run still leaves a job summary saying why.
    if (process.env.GITHUB_STEP_SUMMARY) {
      const text = isAtmosError(e) ? e.describe(workspace) : ((e as Error)?.message ?? String(e));
      await core.summary.addRaw(`### atmos-action ${inputs?.command ?? ''} failed\n\n\`\`\`\n${logSafe(text)}\n\`\`\`\n`, true).write();
    }
  }
}

await main();
