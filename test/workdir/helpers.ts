/** Shared helpers for the workdir and lock tests: temp trees, hand-built instances, real git repos, compiled src for child processes. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Exec } from '../../src/ports/exec.js';
import { notInUnitScope, tempDir } from '../helpers/fs.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { instanceOf } from '../../src/stacks/instance.js';
import type { Instance } from '../../src/stacks/types.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A fresh temp dir, removed after the test file at the latest (see test/helpers/fs.ts). */
export function mkTmp(prefix = 'atmos-wd-'): string {
  return tempDir(prefix);
}

export function rmTmp(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** Every file under `root` (relative, `/`) → content, skipping the given folder names at any depth. */
export function readFiles(root: string, skipDirs: string[] = ['.atmos', '.terraform', 'terraform.tfstate.d']): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (abs: string, rel: string) => {
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!skipDirs.includes(d.name)) visit(path.join(abs, d.name), r);
      } else out[r] = fs.readFileSync(path.join(abs, d.name), 'utf8');
    }
  };
  visit(root, '');
  return out;
}

/** Sets every file's mtime an hour back, as a component checked out a while ago looks (outside the racy window). */
export function ageTree(root: string, seconds = 3600): void {
  const t = new Date(Date.now() - seconds * 1000);
  const visit = (abs: string) => {
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const p = path.join(abs, d.name);
      if (d.isDirectory()) visit(p);
      else fs.utimesSync(p, t, t);
    }
  };
  visit(root);
}

/** An Instance with only what the workdir code reads filled in meaningfully. */
export function makeInstance(p: {
  stack: string;
  component: string;
  componentPath: string;
  baseComponent?: string;
  source?: Record<string, unknown>;
  provision?: Record<string, unknown>;
}): Instance {
  return instanceOf({ backendType: 'local', ...p, source: p.source ?? {}, provision: p.provision ?? { workdir: { enabled: true } } });
}

/** Env for git that ignores the caller's configuration (no system or global config, a throwaway HOME). */
export function isolatedGitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig-none'),
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    LANG: 'C',
  };
}

export function git(cwd: string, env: Record<string, string>, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A real git repository with one commit and tag per version; each version's tree replaces the
 * previous one entirely. Returns the commit of each tag.
 */
export function makeGitRepo(dir: string, env: Record<string, string>, versions: Record<string, Record<string, string>>): Record<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, env, 'init', '-q', '-b', 'main');
  const commits: Record<string, string> = {};
  for (const [tag, files] of Object.entries(versions)) {
    for (const d of fs.readdirSync(dir)) if (d !== '.git') fs.rmSync(path.join(dir, d), { recursive: true, force: true });
    writeFiles(dir, files);
    git(dir, env, 'add', '-A');
    git(dir, env, 'commit', '-q', '--allow-empty', '-m', tag);
    git(dir, env, 'tag', tag);
    commits[tag] = git(dir, env, 'rev-parse', 'HEAD');
  }
  return commits;
}

/**
 * Compiles the given src entry points (and what they import) to plain ESM under
 * build/test-<random>/ (inside the repo, so node_modules resolves), for child processes. Compiling
 * only what is needed keeps this to ~2 s and independent of unrelated work in progress.
 */
export function compileForChildren(entries: string[]): { outDir: string; url(rel: string): string; cleanup(): void } {
  notInUnitScope('child processes racing on locks');
  const outDir = path.join(REPO_ROOT, 'build', `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(
    process.execPath,
    [
      tsc,
      '--outDir',
      outDir,
      '--rootDir',
      path.join(REPO_ROOT, 'src'),
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--skipLibCheck',
      '--strict',
      '--types',
      'node',
      ...entries.map((e) => path.join(REPO_ROOT, 'src', e)),
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  for (const e of entries) {
    const js = path.join(outDir, e.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(js)) throw new Error(`compiling ${e} failed:\n${r.stdout}\n${r.stderr}`);
  }
  return {
    outDir,
    url: (rel) => new URL(`file://${path.join(outDir, rel)}`).href,
    cleanup: () => fs.rmSync(outDir, { recursive: true, force: true }),
  };
}

export interface Child {
  proc: ReturnType<typeof spawn>;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stdout contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node script.mjs args…` and collects its output. */
export function startChild(script: string, args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  proc.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    for (const w of [...waiters]) if (out.includes(w.text)) w.resolve();
  });
  proc.stderr!.on('data', (b: Buffer) => void (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 20_000) {
      if (out.includes(text)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`child did not print ${JSON.stringify(text)} within ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`)),
          timeoutMs,
        );
        const w = {
          text,
          resolve: () => {
            clearTimeout(t);
            waiters.splice(waiters.indexOf(w), 1);
            resolve();
          },
        };
        waiters.push(w);
        void exited.then(() => {
          if (!out.includes(text)) {
            clearTimeout(t);
            reject(new Error(`child exited before printing ${JSON.stringify(text)}; stdout: ${out}; stderr: ${err}`));
          }
        });
      });
    },
  };
}

/**
 * A real Exec adapter for tests (spawns the process). It differs from src/ports/node-exec.ts in
 * one way: stdin is closed, not written, because writing to the stdin of a process that has
 * already exited (git failing fast) raises an unhandled EPIPE there (reported to the owner).
 */
/** The production Exec adapter: tests spawn real git through it. */
export const testExec: Exec = nodeExec;
