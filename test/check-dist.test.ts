import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
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

/** ncc's CLI wherever Node resolves the package from (a hoisted or shared node_modules included). */
function nccCli(): string {
  const require = createRequire(path.join(REPO_ROOT, 'package.json'));
  const pkgFile = require.resolve('@vercel/ncc/package.json');
  const bin = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin: Record<string, string> }).bin.ncc!;
  return path.join(path.dirname(pkgFile), bin);
}

describe('check-dist', () => {
  it('dist/ matches a fresh build of src/', () => {
    const out = tempDir('atmos-action-dist-');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const entry of ['action', 'cli']) {
      // Same command as package.json's build script, with the output directory swapped.
      const script = pkg.scripts[`build:${entry}`];
      const args = script
        .replace(/^ncc /, '')
        .split(' ')
        .map((a) => (a === `dist/${entry}` ? path.join(out, entry) : a));
      const r = spawnSync(process.execPath, [nccCli(), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
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
