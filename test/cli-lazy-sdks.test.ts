/**
 * The cloud SDKs are loaded only by a run that reads from a cloud: the bundle keeps them in chunks
 * of their own, loaded by dynamic import. So the entry bundle alone, without a single chunk beside
 * it, must run `matrix`, `describe` and `list`; and a plan that reads a store is the first thing
 * that asks for a chunk.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT, cleanEnv, distEntry, tempDir, writeTree } from './helpers/fs.js';

/** A string each SDK's code holds (Blob Storage itself is in the action's entry already: @actions/cache uploads with it). */
const SDK_MARKERS = ['GetParametersCommand', 'BatchGetSecretValueCommand', 'vault.azure.net', 'secretmanager.googleapis.com', 'MGET'];

function entryOnly(entry: 'cli' | 'action'): string {
  const dir = tempDir('atmos-action-entry-only-');
  const built = path.dirname(distEntry(entry));
  for (const f of ['index.js', 'package.json']) fs.copyFileSync(path.join(built, f), path.join(dir, f));
  return path.join(dir, 'index.js');
}

/** The bundle without the chunks that hold an SDK (the runner's own chunk stays). */
function withoutSdkChunks(entry: 'cli' | 'action'): string {
  const dir = tempDir('atmos-action-no-sdk-');
  const built = path.dirname(distEntry(entry));
  for (const f of fs.readdirSync(built)) {
    const text = fs.readFileSync(path.join(built, f), 'utf8');
    if (!SDK_MARKERS.some((m) => text.includes(m))) fs.copyFileSync(path.join(built, f), path.join(dir, f));
  }
  return path.join(dir, 'index.js');
}

describe('lazy cloud SDKs', () => {
  it('no SDK is in either entry bundle; each is in a chunk beside it', () => {
    for (const entry of ['cli', 'action'] as const) {
      const dir = path.dirname(distEntry(entry));
      const main = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      for (const m of SDK_MARKERS) expect([entry, m, main.includes(m)]).toEqual([entry, m, false]);
      const chunks = fs.readdirSync(dir).filter((f) => /^\d+\.index\.js$/.test(f));
      for (const m of SDK_MARKERS) expect([entry, m, chunks.some((c) => fs.readFileSync(path.join(dir, c), 'utf8').includes(m))]).toEqual([entry, m, true]);
    }
  });

  it('no file of the bundle can start a browser (the Azure SDK would for interactive sign-in; package.json overrides `open`)', () => {
    for (const entry of ['cli', 'action'] as const) {
      const dir = path.dirname(distEntry(entry));
      const js = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
      expect(js.filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('xdg-open'))).toEqual([]);
    }
  });

  it('matrix, describe and list run from the entry bundle alone, !secret shown as <MASKED>; a plan reading a store is what needs a chunk', () => {
    const cli = entryOnly('cli');
    const examples = path.join(REPO_ROOT, 'examples');
    const run = (args: string[], cwd = examples) => spawnSync(process.execPath, [cli, ...args], { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
    for (const args of [['matrix'], ['describe', 'component', 'vpc', '-s', 'plat-ue2-dev'], ['list', 'stacks']]) {
      const r = run(args);
      expect([args.join(' '), r.status, r.stderr]).toEqual([args.join(' '), 0, '']);
    }

    const repo = tempDir('atmos-action-lazy-');
    writeTree(repo, {
      'atmos.yaml':
        'base_path: "."\ncomponents: { terraform: { base_path: components/terraform } }\nstacks: { base_path: stacks, included_paths: ["deploy/*"], name_pattern: "{stage}" }\n' +
        'stores:\n  ssm: { kind: aws/ssm, options: { region: us-east-1 } }\n  vault: { kind: aws/asm, secret: true, options: { region: us-east-1 } }\n',
      'components/terraform/app/main.tf': 'variable "v" { type = string }\nvariable "pw" { type = string }\n',
      'stacks/deploy/dev.yaml':
        'vars: { stage: dev }\ncomponents:\n  terraform:\n    app:\n      secrets: { vars: { pw: { store: vault } } }\n      vars: { v: !store ssm app v, pw: !secret pw }\n',
    });
    // Inspection contacts nothing (no SDK chunk is even there to load): !secret prints <MASKED>, !store as written.
    const described = run(['describe', 'component', 'app', '-s', 'dev', '--format', 'json'], repo);
    expect([described.status, described.stderr]).toEqual([0, '']);
    expect((JSON.parse(described.stdout) as { vars: Record<string, unknown> }).vars).toMatchObject({ v: '!store ssm app v', pw: '<MASKED>' });
    for (const args of [['matrix'], ['list', 'stacks'], ['list', 'components']]) {
      const r = run(args, repo);
      expect([args.join(' '), r.status, r.stderr]).toEqual([args.join(' '), 0, '']);
    }
    // plan loads the runner's chunk, and then the SDK's chunk, which is not there, for the store read.
    const plan = spawnSync(process.execPath, [withoutSdkChunks('cli'), 'plan', 'app', '-s', 'dev', '--format', 'json'], {
      cwd: repo,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(plan.status).toBe(1);
    expect((JSON.parse(plan.stdout) as { results: { reason: string }[] }).results[0]!.reason).toMatch(
      /vars\.v: !store ssm app v: store ssm \(aws\/ssm\) key \/dev\/app\/v: read failed \(.*Cannot find module .*\d+\.index\.js/,
    );
  });
});
