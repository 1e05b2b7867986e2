import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, tempDir } from './helpers/fs.js';

/** dist/ must be exactly what `npm run build` makes from src/ (the committed bundle is what users run). */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('check-dist', () => {
  it('dist/ matches a fresh build of src/', () => {
    const out = tempDir('atmos-action-dist-');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const entry of ['action', 'cli']) {
      // Same command as package.json's build script, with the output directory swapped.
      const script = pkg.scripts[`build:${entry}`];
      const args = script.replace(/^ncc /, '').split(' ').map((a) => (a === `dist/${entry}` ? path.join(out, entry) : a));
      const r = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'ncc'), args, { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.stderr.replace(/npm warn.*\n/g, '')).toBe('');
      expect(r.status).toBe(0);
      const committed = path.join(REPO_ROOT, 'dist', entry);
      expect(listFiles(committed)).toEqual(listFiles(path.join(out, entry)));
      for (const f of listFiles(committed)) {
        const same = fs.readFileSync(path.join(committed, f)).equals(fs.readFileSync(path.join(out, entry, f)));
        if (!same) throw new Error(`dist/${entry}/${f} is stale: run \`npm run build\` and commit dist/`);
      }
    }
  });
});
