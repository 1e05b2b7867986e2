#!/usr/bin/env node
/** CLI adapter: the only place the CLI reads process.argv/env and writes to the real streams. */
import { nodeExec } from '../ports/node-exec.js';
import { systemClock } from '../ports/clock.js';
import { stderrLog } from './log.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
const debug = argv.includes('--debug') || process.env.ATMOS_ACTION_DEBUG === 'true';
const code = await main(argv, {
  cwd: process.cwd(),
  env: { ...process.env },
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  log: stderrLog(debug),
  clock: systemClock,
  exec: nodeExec,
  debug,
});
process.exitCode = code;
