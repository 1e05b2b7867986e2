import path from 'node:path';
import type { Log, Place } from '../ports/log.js';
import { placeLabel } from '../util/errors.js';
import { logSafe } from '../util/log-safe.js';

/**
 * Log to stderr (or `write`, the terminal's stderr), so stdout stays machine-readable (JSON, YAML).
 * Lines go through logSafe: a CI runner parses stderr for workflow commands. A warning about a
 * place starts with it (`file:line: `, relative to `relativeTo`, the directory the command was
 * started in), as errors do, unless its text already names it; the action annotates the same place.
 */
export function stderrLog(debug: boolean, write: (text: string) => void = (t) => void process.stderr.write(t), relativeTo?: string): Log {
  const w = (prefix: string) => (m: string) => write(`${prefix}${logSafe(m)}\n`);
  const warn = w('warning: ');
  return {
    debug: debug ? w('debug: ') : () => {},
    info: w(''),
    warn: (m, where) => warn(where ? `${placePrefix(m, where, relativeTo)}${m}` : m),
    error: w('error: '),
  };
}

function placePrefix(message: string, where: Place, relativeTo: string | undefined): string {
  const name = path.basename(where.file);
  const named = where.line !== undefined ? message.includes(`${name}:${where.line}`) : message.includes(name);
  return named ? '' : `${placeLabel(where.file, where.line, relativeTo)}: `;
}
