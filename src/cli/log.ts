import type { Log } from '../ports/log.js';
import { logSafe } from '../util/log-safe.js';

/**
 * Log to stderr (or `write`, the terminal's stderr), so stdout stays machine-readable (JSON, YAML).
 * Lines go through logSafe: a CI runner parses stderr for workflow commands.
 */
export function stderrLog(debug: boolean, write: (text: string) => void = (t) => void process.stderr.write(t)): Log {
  const w = (prefix: string) => (m: string) => write(`${prefix}${logSafe(m)}\n`);
  return { debug: debug ? w('debug: ') : () => {}, info: w(''), warn: w('warning: '), error: w('error: ') };
}
