/**
 * When terraform cannot save state (backend down, disk full) and cannot write `errored.tfstate`
 * either, its last resort is to print the whole state, as JSON, to its output: every value,
 * sensitive ones included. Relayed as is, that lands in a CI log readable by everyone with read
 * access to the repository. The catcher below recognises the dump in terraform's lines (a line `{`
 * followed by `  "version": N,`, up to the closing `}` at the start of a line) and holds it back;
 * the caller writes it to a file only the user can read and names the file in the log.
 */
import fs from 'node:fs';
import { atomicWriteFile } from '../util/atomic-fs.js';

export interface StateDumpCatcher {
  /** One line of one stream; returns the lines to relay (none while a dump is being held). */
  feed(line: string): string[];
  /** At the end of the output: what is left to relay. */
  flush(): string[];
  /** The dumps held back, each as the JSON text terraform printed. */
  dumps(): string[];
}

/** One per stream: lines of stdout and stderr must not be mixed while looking for a dump. */
export function stateDumpCatcher(): StateDumpCatcher {
  let state: 'idle' | 'maybe' | 'dump' = 'idle';
  let held: string[] = [];
  const dumps: string[] = [];
  const feed = (line: string): string[] => {
    if (state === 'dump') {
      held.push(line);
      if (line === '}') {
        dumps.push(held.join('\n'));
        held = [];
        state = 'idle';
      }
      return [];
    }
    if (state === 'maybe') {
      if (/^ {2}"version": \d+,$/.test(line)) {
        held.push(line);
        state = 'dump';
        return [];
      }
      state = 'idle';
      const before = held;
      held = [];
      return [...before, ...feed(line)];
    }
    if (line === '{') {
      held = [line];
      state = 'maybe';
      return [];
    }
    return [line];
  };
  return {
    feed,
    flush() {
      if (state === 'dump') {
        // Cut short (terraform killed mid-dump): still state, still secret.
        dumps.push(held.join('\n'));
        held = [];
        state = 'idle';
        return [];
      }
      const rest = held;
      held = [];
      state = 'idle';
      return rest;
    },
    dumps: () => dumps,
  };
}

/**
 * Writes a held dump to the first place that takes it, mode 0600: `candidates` in order (the
 * workdir's `errored.tfstate` when absent, so terraform's own advice `terraform state push
 * errored.tfstate` holds; then a file in the temp folder, likely on another disk when the workdir's
 * is full). Returns the file, or the reasons none could be written.
 */
export async function saveStateDump(dump: string, candidates: readonly string[]): Promise<{ file: string } | { errors: string[] }> {
  const errors: string[] = [];
  for (const file of candidates) {
    if (fs.existsSync(file)) {
      errors.push(`${file}: exists`);
      continue;
    }
    try {
      await atomicWriteFile(file, `${dump}\n`, 0o600);
      return { file };
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message}`);
    }
  }
  return { errors };
}
