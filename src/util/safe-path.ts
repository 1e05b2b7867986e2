import path from 'node:path';
import { AtmosError } from './errors.js';
import { CONTROL_CHAR, showValue } from './log-safe.js';

/**
 * The one gate through which names that come from YAML (stack names, component names, folder
 * names) become filesystem paths. It splits on `/` and refuses anything that could escape the
 * directory it is joined onto: empty, `.` or `..` segments, absolute paths, backslashes, NUL
 * and other control characters.
 */
export function safeRelativeSegments(name: string, what: string): string[] {
  if (typeof name !== 'string' || name.length === 0) throw new AtmosError(`${what} is empty`);
  if (CONTROL_CHAR.test(name)) throw new AtmosError(`${what} ${showValue(name)} contains a control character`);
  if (name.includes('\\')) throw new AtmosError(`${what} ${JSON.stringify(name)} contains a backslash`);
  if (name.startsWith('/') || path.isAbsolute(name)) throw new AtmosError(`${what} ${JSON.stringify(name)} is an absolute path`);
  const segments = name.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') {
      throw new AtmosError(`${what} ${JSON.stringify(name)} has an empty, "." or ".." path segment and would escape its directory`);
    }
  }
  return segments;
}

/** Joins a YAML-provided relative name under `root`, refusing traversal (see safeRelativeSegments). */
export function safeJoin(root: string, name: string, what: string): string {
  const joined = path.join(root, ...safeRelativeSegments(name, what));
  const rel = path.relative(root, joined);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new AtmosError(`${what} ${JSON.stringify(name)} escapes ${root}`);
  return joined;
}
