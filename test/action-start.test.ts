/**
 * Start-up of the action: `@actions/cache` (with the Azure storage SDK, about half the bundle) is
 * imported only by the commands that use the Actions cache, so the bundler keeps it in a chunk of
 * its own beside dist/action/index.js that `matrix`, `describe`, `comment`, ... never read. The
 * commands that run terraform or talk to GitHub are in a chunk of their own too, so `matrix`, which
 * starts every workflow, parses only the stack engine. How long the start takes is measured by
 * `npm run bench -- start`, not here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCacheService } from './fakes/cache-service.js';
import { actionStep, readOutputs, runAction } from './helpers/action-run.js';
import { copyExample, distEntry, tempDir } from './helpers/fs.js';
import { requireTerraform } from './terraform/helpers.js';

/** dist/action without the chunk that defines `marker`: what a command that never loads that chunk needs. */
function bundleWithoutChunk(marker = 'function restoreCache('): { entry: string; chunk: string } {
  const bundle = path.dirname(distEntry('action'));
  // The chunk that defines the library (others, such as the HCL parser's loader, stay).
  const chunks = fs.readdirSync(bundle).filter((f) => /^\d+\.index\.js$/.test(f) && fs.readFileSync(path.join(bundle, f), 'utf8').includes(marker));
  expect(chunks).toHaveLength(1);
  const dir = tempDir('atmos-action-bundle-');
  for (const f of fs.readdirSync(bundle)) if (f !== chunks[0]) fs.copyFileSync(path.join(bundle, f), path.join(dir, f));
  return { entry: path.join(dir, 'index.js'), chunk: path.join(bundle, chunks[0]!) };
}

/** The action's matrix of the bundled example, run from `entry`: 9 instances, no error. */
function expectMatrixRuns(entry: string): void {
  const workspace = copyExample();
  const step = actionStep({ command: 'matrix', 'working-directory': '.' }, { workspace });
  const r = spawnSync(process.execPath, [entry], { cwd: workspace, env: step.env, encoding: 'utf8' });
  expect(r.stdout).not.toMatch(/::error/);
  expect(r.status).toBe(0);
  expect(readOutputs(step.outputFile).count).toBe('9');
}

it('matrix runs from a bundle without the @actions/cache chunk; only that chunk holds the library', () => {
  const { entry, chunk } = bundleWithoutChunk();
  const defines = (file: string) => fs.readFileSync(file, 'utf8').includes('function restoreCache(');
  expect(defines(chunk)).toBe(true);
  expect(defines(distEntry('action'))).toBe(false);

  expectMatrixRuns(entry);
});

it('a plan whose cache library cannot be loaded warns and plans all the same', async () => {
  requireTerraform();
  const { entry } = bundleWithoutChunk();
  const service = await startCacheService();
  try {
    const workspace = copyExample();
    const env = { ...service.env(), RUNNER_TOOL_CACHE: tempDir('atmos-action-toolcache-') };
    const r = await runAction({ command: 'plan', stack: 'plat-ue2-dev', component: 'vpc' }, { workspace, env, entry });
    expect(r.stdout).not.toMatch(/::error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::.*provider store not restored.*@actions\/cache could not be loaded/);
    expect(r.outputs['has-changes']).toBe('true');
    expect(service.requests).toEqual([]);
  } finally {
    await service.close();
  }
});

it('the plan, apply and comment commands are in a chunk of their own: matrix runs without it, and the entry does not define them', () => {
  const marker = 'async function runPlan(';
  const { entry, chunk } = bundleWithoutChunk(marker);
  expect(fs.readFileSync(chunk, 'utf8')).toContain('async function runApply(');
  expect(fs.readFileSync(distEntry('action'), 'utf8')).not.toContain(marker);

  expectMatrixRuns(entry);
});
