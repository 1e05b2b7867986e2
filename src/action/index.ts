/** Action adapter: the only module that touches @actions/core and process.env for the action. */
import * as core from '@actions/core';
import { systemClock } from '../ports/clock.js';
import { nodeExec } from '../ports/node-exec.js';
import { displayPath, isAtmosError } from '../util/errors.js';
import { logSafe } from '../util/log-safe.js';
import { parseInputs } from './inputs.js';
import { run } from './run.js';

async function main(): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name));
    await run(inputs, {
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      env: { ...process.env },
      log: {
        // core.info prints as is (the others escape line breaks); logSafe keeps any level from
        // becoming a workflow command or forging a line (util/log-safe.ts).
        debug: (m) => core.debug(logSafe(m)),
        info: (m) => core.info(logSafe(m)),
        warn: (m) => core.warning(logSafe(m)),
        error: (m) => core.error(logSafe(m)),
      },
      clock: systemClock,
      exec: nodeExec,
      setOutput: (name, value) => core.setOutput(name, value),
      summary: (md) => {
        if (process.env.GITHUB_STEP_SUMMARY) core.summary.addRaw(md, true);
      },
    });
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
  } catch (e) {
    if (isAtmosError(e)) {
      // Annotations need repository-relative paths to land on the file in the PR.
      const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
      if (e.file) core.error(logSafe(e.message), { file: displayPath(e.file, workspace), startLine: e.line });
      core.setFailed(logSafe(e.describe(workspace)));
    } else {
      const err = e as Error;
      core.setFailed(logSafe(err?.message ?? String(e)));
      if (err?.stack) core.debug(err.stack);
    }
  }
}

await main();
