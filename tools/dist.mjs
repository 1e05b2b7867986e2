#!/usr/bin/env node
/**
 * The committed bundle (dist/) is what users and the runner execute, and what the tests that
 * spawn it run. Two checks keep it honest:
 *
 * - `node tools/dist.mjs check` (`npm run check-dist`): builds src/ with the exact commands of
 *   package.json's `build:*` scripts into a temp folder, both entries at once, and compares every
 *   file with dist/. Exit 1, naming the files, when dist/ is stale. CI runs it before the tests.
 * - `dist/sources.sha256` (written by `node tools/dist.mjs digest`, the last step of `npm run build`)
 *   is the digest of what the bundle is built from. `node tools/dist.mjs fresh` compares it with the
 *   sources in the checkout in a few milliseconds: the tests that spawn dist/ call it first, so a
 *   change to src/ that was not rebuilt fails them with "run npm run build" instead of testing the
 *   old bundle.
 *
 * Both also prune what ncc writes that nothing needs (`node tools/dist.mjs prune`, a step of `npm run
 * build`, and the same function on check's fresh build): the `xdg-open` script the `open` package
 * ships (it opens a browser for an interactive Azure sign-in, which no atmos-action run does), and
 * repeated licence files (ncc writes the full licence text of the cloud SDKs beside each chunk that
 * shares their code: the first file by name is kept, the identical ones are removed).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIGEST_FILE = 'sources.sha256';
/** What the bundle is made from, besides src/: the dependency tree and the compiler settings. */
const INPUT_FILES = ['package-lock.json', 'tsconfig.json'];

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

/** sha256 over every input file's path and content, in a fixed order. */
function sourcesDigest() {
  const h = createHash('sha256');
  const files = [...listFiles(path.join(ROOT, 'src')).map((f) => `src/${f}`), ...INPUT_FILES];
  for (const f of files)
    h.update(`${f}\0`)
      .update(fs.readFileSync(path.join(ROOT, f)))
      .update('\0');
  return h.digest('hex');
}

function writeDigest(distDir) {
  fs.writeFileSync(path.join(distDir, DIGEST_FILE), `${sourcesDigest()}\n`);
}

/** Files ncc copies that no atmos-action run opens. */
const UNUSED = ['xdg-open'];

function prune(distDir) {
  const byText = new Map();
  for (const f of listFiles(distDir)) {
    const p = path.join(distDir, f);
    if (UNUSED.includes(path.basename(f))) {
      fs.rmSync(p);
      continue;
    }
    if (!f.endsWith('.licenses.txt')) continue;
    const key = `${path.dirname(f)}\0${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
    if (byText.has(key)) fs.rmSync(p);
    else byText.set(key, f);
  }
}

/** ncc's CLI wherever Node resolves the package from (a hoisted or shared node_modules included). */
function nccCli() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const pkgFile = require.resolve('@vercel/ncc/package.json');
  return path.join(path.dirname(pkgFile), JSON.parse(fs.readFileSync(pkgFile, 'utf8')).bin.ncc);
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function check() {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
  const entries = Object.keys(scripts)
    .filter((s) => s.startsWith('build:'))
    .map((s) => s.slice('build:'.length));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atmos-action-dist-'));
  try {
    const builds = await Promise.all(
      entries.map((entry) => {
        // The build script's own arguments, with the output folder swapped.
        const args = scripts[`build:${entry}`]
          .replace(/^ncc /, '')
          .split(' ')
          .map((a) => (a === `dist/${entry}` ? path.join(out, entry) : a));
        return run([nccCli(), ...args]);
      }),
    );
    const failed = builds.findIndex((b) => b.code !== 0);
    if (failed >= 0) throw new Error(`npm run build:${entries[failed]} failed:\n${builds[failed].out}`);
    prune(out);
    writeDigest(out);
    const committed = path.join(ROOT, 'dist');
    const stale = [];
    const expected = listFiles(out);
    for (const f of new Set([...expected, ...listFiles(committed)])) {
      const a = path.join(committed, f);
      const b = path.join(out, f);
      if (!fs.existsSync(a)) stale.push(`dist/${f}: missing`);
      else if (!fs.existsSync(b)) stale.push(`dist/${f}: not made by the build`);
      else if (!fs.readFileSync(a).equals(fs.readFileSync(b))) stale.push(`dist/${f}: differs`);
    }
    if (stale.length) {
      process.stderr.write(`dist/ is stale: run \`npm run build\` and commit dist/\n${stale.map((s) => `  ${s}\n`).join('')}`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`dist/ matches a fresh build of src/ (${expected.length} files)\n`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function fresh() {
  const file = path.join(ROOT, 'dist', DIGEST_FILE);
  const recorded = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '(none)';
  if (recorded !== sourcesDigest()) {
    process.stderr.write(`dist/ was not built from the sources in this checkout (src/, ${INPUT_FILES.join(', ')}): run \`npm run build\`\n`);
    process.exitCode = 1;
  }
}

const command = process.argv[2];
if (command === 'check') await check();
else if (command === 'digest') writeDigest(path.join(ROOT, 'dist'));
else if (command === 'prune') prune(path.join(ROOT, 'dist'));
else if (command === 'fresh') fresh();
else {
  process.stderr.write('usage: node tools/dist.mjs check|digest|fresh|prune\n');
  process.exitCode = 2;
}
