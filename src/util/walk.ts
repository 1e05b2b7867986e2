import fs from 'node:fs';
import path from 'node:path';

/** Files under `dir` (recursively) whose name `accept`s, sorted; unreadable folders are skipped. */
export function listFilesRecursive(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if ((e.isFile() || e.isSymbolicLink()) && accept(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
