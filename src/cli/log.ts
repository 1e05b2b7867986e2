import type { Log } from '../ports/log.js';
import { logSafe } from '../util/log-safe.js';

/** Log to stderr, so stdout stays machine-readable (JSON, YAML). Lines go through logSafe: a CI runner parses stderr for workflow commands. */
export function stderrLog(debug: boolean): Log {
  const w = (prefix: string) => (m: string) => void process.stderr.write(`${prefix}${logSafe(m)}\n`);
  return { debug: debug ? w('debug: ') : () => {}, info: w(''), warn: w('warning: '), error: w('error: ') };
}
