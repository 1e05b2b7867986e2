/**
 * The code a plan was made from: every file of the component's folder and of the local modules it
 * calls (module blocks whose `source` is a relative path, `./…` or `../…`, followed from module to
 * module), each with its SHA-256, by path relative to the base path. Apply compares this with the
 * checkout it runs in and names each file that differs: a reviewed plan applied to other code is
 * not the reviewed change.
 *
 * What is left out is what the workdir sync leaves out (terraform's data dir, local state, the lock
 * files, which are compared on their own) and `.git`. A relative module source that leads outside
 * the repository is not followed (its `source` line is part of the hashed `.tf` file all the same).
 * Registry and git module sources are named, with their version or ref, in the hashed `.tf` files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { sha256Text } from '../workdir/hash.js';
import { isExcludedDir, isExcludedFile } from '../workdir/sync.js';

/** Path relative to the base path (`/`-separated) → SHA-256 of the content. */
export type CodeFiles = Record<string, string>;

/** Folders already hashed in this run (thousands of instances share a handful of components). */
export type CodeCache = Map<string, CodeFiles>;

/** At most this many files per folder tree: a component is a few dozen; a repository root by mistake is refused. */
const MAX_FILES = 20_000;

/** The repository holding `basePath`: the nearest folder above it with `.git`, else the base path itself. */
export function repositoryRoot(basePath: string): string {
  for (let dir = path.resolve(basePath); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(basePath);
  }
}

/** Relative module sources in one folder's `.tf` and `.tf.json` files (not its sub-folders: a module is one folder). */
export function localModuleSources(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    if (name.endsWith('.tf')) out.push(...hclModuleSources(fs.readFileSync(file, 'utf8')));
    else if (name.endsWith('.tf.json')) out.push(...jsonModuleSources(fs.readFileSync(file, 'utf8')));
  }
  return out.filter((s) => /^\.\.?(\/|$)/.test(s));
}

/** `source = "…"` at the top level of each `module "name" { … }` block. Comments and strings are skipped when counting braces. */
function hclModuleSources(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:"])(#|\/\/).*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*module\s+"[^"\n]*"\s*\{/g)) {
    let depth = 1;
    let i = m.index! + m[0].length;
    const start = i;
    let inString = false;
    for (; i < code.length && depth > 0; i++) {
      const c = code[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    const body = code.slice(start, i - 1);
    // Only depth-1 lines: drop nested blocks before looking.
    const flat = body.replace(/\{[^{}]*\}/g, '{}');
    const src = /(?:^|\n)\s*source\s*=\s*"([^"\n]*)"/.exec(flat);
    if (src) out.push(src[1]!);
  }
  return out;
}

function jsonModuleSources(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const modules = (parsed as { module?: unknown })?.module;
  const blocks = Array.isArray(modules) ? modules : [modules];
  const out: string[] = [];
  for (const block of blocks) {
    if (!block || typeof block !== 'object') continue;
    for (const def of Object.values(block as Record<string, unknown>)) {
      for (const one of Array.isArray(def) ? def : [def]) {
        const src = (one as { source?: unknown } | null)?.source;
        if (typeof src === 'string') out.push(src);
      }
    }
  }
  return out;
}

/** Every file under `dir` the sync would copy, hashed, keyed relative to `basePath`. */
function folderFiles(dir: string, basePath: string): CodeFiles {
  const files: CodeFiles = {};
  let count = 0;
  const seen = new Set<string>();
  const visit = (abs: string, rel: string) => {
    const real = fs.realpathSync(abs);
    if (seen.has(real)) return; // a link back up the tree
    seen.add(real);
    for (const d of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      const child = path.join(abs, d.name);
      const st = fs.statSync(child, { throwIfNoEntry: false });
      if (!st) continue; // a dangling link
      if (st.isDirectory()) {
        if (!isExcludedDir(d.name) && d.name !== '.git') visit(child, childRel);
        continue;
      }
      if (!st.isFile() || isExcludedFile(childRel)) continue;
      if (++count > MAX_FILES) throw new AtmosError(`${dir} holds more than ${MAX_FILES} files: is it really a terraform module?`, { file: dir });
      files[path.relative(basePath, child).split(path.sep).join('/')] = sha256Text(fs.readFileSync(child));
    }
    seen.delete(real);
  };
  visit(dir, '');
  return files;
}

/**
 * The files of the component folder and of every local module it calls, recursively, within
 * `repoRoot`. `cache` keeps folders hashed earlier in the same run.
 */
export function codeFingerprint(componentPath: string, o: { basePath: string; repoRoot: string; cache?: CodeCache }): CodeFiles {
  const inRepo = (abs: string) => {
    const rel = path.relative(o.repoRoot, abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const out: CodeFiles = {};
  const done = new Set<string>();
  const todo = [path.resolve(componentPath)];
  while (todo.length) {
    const dir = todo.pop()!;
    if (done.has(dir)) continue;
    done.add(dir);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    let files = o.cache?.get(dir);
    if (!files) {
      files = folderFiles(dir, o.basePath);
      o.cache?.set(dir, files);
    }
    Object.assign(out, files);
    for (const src of localModuleSources(dir)) {
      const target = path.resolve(dir, src);
      if (inRepo(target)) todo.push(target);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
