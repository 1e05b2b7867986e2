#!/usr/bin/env node
/**
 * The static checks `npm test` runs before Jest: one type check of src/ and test/ together (the
 * bundle's settings plus Jest's types; the build type-checks src/ alone again), ESLint, and
 * Prettier. Each is single-threaded and together they took about a minute one after another, so
 * they run side by side, as many at once as the machine has cores. Each check's output is printed
 * whole when it ends (never interleaved); the exit code is 1 when any check failed, after all of
 * them ended.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

const CHECKS = [
  { name: 'typecheck src/ and test/', argv: [bin('tsc'), '--noEmit', '-p', 'tsconfig.test.json'] },
  { name: 'prettier', argv: [bin('prettier'), '--check', '--cache', '--log-level', 'warn', 'src', 'test', 'bench', 'tools'] },
  { name: 'eslint', argv: [bin('eslint'), '--cache', '--cache-location', 'build/.eslintcache', 'src', 'test', 'bench', 'tools', 'jest.config.js'] },
];

function run(check) {
  return new Promise((resolve) => {
    const child = spawn(check.argv[0], check.argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (e) => resolve({ check, code: 1, output: `${e.message}\n` }));
    child.on('close', (code, signal) =>
      resolve({ check, code: code ?? 1, output: Buffer.concat(chunks).toString() + (signal ? `killed by ${signal}\n` : '') }),
    );
  });
}

const slots = Math.max(1, Math.min(CHECKS.length, os.availableParallelism?.() ?? os.cpus().length));
const queue = [...CHECKS];
let failed = 0;
async function worker() {
  for (let check = queue.shift(); check; check = queue.shift()) {
    const { code, output } = await run(check);
    if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    if (code !== 0) {
      failed++;
      process.stdout.write(`check failed: ${check.name} (exit ${code})\n`);
    }
  }
}
await Promise.all(Array.from({ length: slots }, worker));
process.exitCode = failed ? 1 : 0;
