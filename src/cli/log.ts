import type { Log } from '../ports/log.js';

/** Log to stderr, so stdout stays machine-readable (JSON, YAML). */
export function stderrLog(debug: boolean): Log {
  const w = (prefix: string) => (m: string) => void process.stderr.write(`${prefix}${m}\n`);
  return { debug: debug ? w('debug: ') : () => {}, info: w(''), warn: w('warning: '), error: w('error: ') };
}
