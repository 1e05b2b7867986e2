/**
 * The BASE commit of `describe affected`, read through git (the Exec port, argv only): which commit
 * it is, the files that differ between it and HEAD (a two-tree diff of committed content, as
 * Atmos's), and its tree on disk. The tree is written into a temp folder through a temporary index
 * (`read-tree` + `checkout-index`): the user's working tree, index and `.git` are never written,
 * not even a worktree entry. A shallow clone gets the objects it lacks by a bounded fetch, or a
 * refusal saying how to check out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecResult } from '../ports/exec.js';
import { AtmosError } from '../util/errors.js';
import { refuseControlChars, showValue } from '../util/log-safe.js';
import { baseTreeTempPrefix } from '../util/paths.js';
import type { AppPorts } from './project.js';

/** Which commit to compare with: a ref or a commit (in this clone, fetched when missing), or another checkout's HEAD. */
export type BaseSpec = { ref: string } | { sha: string } | { repoPath: string };

export interface BaseOptions {
  /**
   * Compare with the fork point when HEAD does not contain the base (Atmos's CI rule for pull
   * requests: only what the branch changed); otherwise with the base itself (Atmos's `--ref`).
   */
  forkPoint?: boolean;
  /** The pull request's head commit: when HEAD is GitHub's merge commit of it, the base is its first parent. */
  prHead?: string;
}

export interface GitBase {
  /** Top folder of HEAD's checkout. */
  headRoot: string;
  headCommit: string;
  baseCommit: string;
  /** Where BASE's tree is: a temp folder, or the `repoPath` checkout. */
  baseRoot: string;
  /** Absolute paths (under headRoot) of the files that differ between the two commits. */
  changedFiles: string[];
  /** Removes the temp folder (nothing for a `repoPath`). */
  cleanup(): void;
}

type GitPorts = Pick<AppPorts, 'exec' | 'env' | 'log' | 'envSettings'>;

/** A shallow clone is deepened this many commits at a time, at most {@link DEEPEN_ROUNDS} times. */
const DEEPEN_STEP = 50;
const DEEPEN_ROUNDS = 10;

const REMEDY = 'check out with the full history (actions/checkout with fetch-depth: 0), or fetch the base commit before this step';

function gitRunner(ports: GitPorts) {
  return async (cwd: string, args: string[], opts: { allowFail?: boolean; env?: Record<string, string> } = {}): Promise<ExecResult> => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), ports.envSettings.gitTimeoutMs);
    try {
      // Never an ext:: transport, never a prompt, never an LFS download.
      const r = await ports.exec.run('git', ['-c', 'protocol.ext.allow=never', ...args], {
        cwd,
        env: { ...ports.env, GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1', ...opts.env },
        signal: deadline.signal,
        killSignal: 'SIGKILL',
      });
      if (deadline.signal.aborted) {
        throw new AtmosError(`git ${args[0]} did not finish within ${ports.envSettings.gitTimeoutMs / 1000} s (ATMOS_ACTION_GIT_TIMEOUT sets the deadline)`);
      }
      if (r.code !== 0 && !opts.allowFail)
        throw new AtmosError(`git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
      return r;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A ref git could read as an option, or holding white space or a control character, is refused before git sees it. */
function checkRef(ref: string, what: string): void {
  refuseControlChars(ref, what);
  if (ref === '' || ref.startsWith('-') || /\s/.test(ref)) throw new AtmosError(`${what} ${showValue(ref)} is not a git ref or commit`);
}

export async function checkoutBase(cwd: string, spec: BaseSpec, opts: BaseOptions, ports: GitPorts): Promise<GitBase> {
  const git = gitRunner(ports);
  const top = await git(cwd, ['rev-parse', '--show-toplevel'], { allowFail: true });
  if (top.code !== 0) throw new AtmosError(`describe affected compares two git commits: ${cwd} is not inside a git repository`);
  const headRoot = fs.realpathSync(top.stdout.trim());
  const commit = async (root: string, ref: string) => {
    const r = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFail: true });
    return r.code === 0 ? r.stdout.trim() : undefined;
  };
  const headCommit = await commit(headRoot, 'HEAD');
  if (!headCommit) throw new AtmosError(`describe affected compares two git commits: the repository at ${headRoot} has no commit yet`);

  if ('repoPath' in spec) {
    const other = path.resolve(cwd, spec.repoPath);
    const otherTop = await git(other, ['rev-parse', '--show-toplevel'], { allowFail: true });
    if (otherTop.code !== 0) throw new AtmosError(`--repo-path ${other} is not a git checkout`);
    const baseRoot = fs.realpathSync(otherTop.stdout.trim());
    const baseCommit = (await commit(baseRoot, 'HEAD')) ?? '';
    const changed = diffTrees(await tree(git, headRoot, headCommit), baseCommit ? await tree(git, baseRoot, baseCommit) : new Map());
    return { headRoot, headCommit, baseCommit, baseRoot, changedFiles: changed.map((f) => path.join(headRoot, f)), cleanup: () => undefined };
  }

  const wanted = 'sha' in spec ? spec.sha : spec.ref;
  checkRef(wanted, 'sha' in spec ? '--sha' : 'the base ref');
  const shallow = (await git(headRoot, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  /** The commit, fetched from origin when this clone lacks it. */
  const present = async (ref: string): Promise<string> => {
    const found = await commit(headRoot, ref);
    if (found) return found;
    const fetched = await git(headRoot, ['fetch', '-q', '--no-tags', '--depth=1', 'origin', '--', ref], { allowFail: true });
    const after = fetched.code === 0 ? ((await commit(headRoot, ref)) ?? (await commit(headRoot, 'FETCH_HEAD'))) : undefined;
    if (!after)
      throw new AtmosError(`the base ${ref} is not in this clone${shallow ? ' (a shallow clone)' : ''} and could not be fetched from origin: ${REMEDY}`);
    ports.log.info(`fetched the base ${ref} from origin`);
    return after;
  };

  let baseCommit: string;
  const parents = await rawParents(git, headRoot, headCommit);
  const prHead = opts.prHead ? await commit(headRoot, opts.prHead) : undefined;
  if (opts.forkPoint && parents.length === 2 && opts.prHead && (prHead === parents[1] || opts.prHead === parents[1])) {
    // GitHub's merge commit of the pull request: its first parent is the base it merges into.
    baseCommit = await present(parents[0]!);
  } else {
    const base = await present(wanted);
    baseCommit = opts.forkPoint && base !== headCommit && !parents.includes(base) ? await forkPoint(git, headRoot, headCommit, base, shallow, ports) : base;
  }

  const temp = fs.mkdtempSync(baseTreeTempPrefix(os.tmpdir()));
  const cleanup = () => fs.rmSync(temp, { recursive: true, force: true });
  try {
    const baseRoot = path.join(temp, 'tree');
    const index = { GIT_INDEX_FILE: path.join(temp, 'index') };
    await git(headRoot, ['read-tree', baseCommit], { env: index });
    await git(headRoot, ['checkout-index', '-a', '-f', `--prefix=${baseRoot}${path.sep}`], { env: index });
    fs.mkdirSync(baseRoot, { recursive: true });
    const changed = diffTrees(await tree(git, headRoot, headCommit), await tree(git, headRoot, baseCommit));
    return { headRoot, headCommit, baseCommit, baseRoot, changedFiles: changed.map((f) => path.join(headRoot, f)), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** The parents a commit object names (its raw text: a shallow clone's grafts do not hide them). */
async function rawParents(git: ReturnType<typeof gitRunner>, root: string, sha: string): Promise<string[]> {
  const r = await git(root, ['cat-file', 'commit', sha]);
  const header = r.stdout.split('\n\n')[0] ?? '';
  return header
    .split('\n')
    .filter((l) => l.startsWith('parent '))
    .map((l) => l.slice('parent '.length).trim());
}

/** The merge base of HEAD and the base, deepening a shallow clone a bounded number of times to find it. */
async function forkPoint(git: ReturnType<typeof gitRunner>, root: string, head: string, base: string, shallow: boolean, ports: GitPorts): Promise<string> {
  for (let round = 0; ; round++) {
    const mb = await git(root, ['merge-base', head, base], { allowFail: true });
    if (mb.code === 0) {
      const found = mb.stdout.trim();
      if (found !== base) ports.log.info(`HEAD does not contain the base ${base.slice(0, 12)}: comparing with their fork point ${found.slice(0, 12)}`);
      return found;
    }
    if (!shallow) {
      ports.log.warn(`HEAD and the base ${base.slice(0, 12)} share no history: comparing with the base itself`);
      return base;
    }
    if (round === DEEPEN_ROUNDS) {
      throw new AtmosError(
        `HEAD and the base ${base.slice(0, 12)} share no history within ${DEEPEN_STEP * DEEPEN_ROUNDS} commits of this shallow clone: ${REMEDY}`,
      );
    }
    const deepened = await git(root, ['fetch', '-q', '--no-tags', `--deepen=${DEEPEN_STEP}`, 'origin'], { allowFail: true });
    if (deepened.code !== 0)
      throw new AtmosError(`HEAD and the base ${base.slice(0, 12)} share no history in this shallow clone, and it could not be deepened: ${REMEDY}`);
  }
}

/** path → mode and blob of every file in a commit. */
async function tree(git: ReturnType<typeof gitRunner>, root: string, sha: string): Promise<Map<string, string>> {
  const r = await git(root, ['ls-tree', '-r', '-z', '--full-tree', sha]);
  const out = new Map<string, string>();
  for (const entry of r.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0) out.set(entry.slice(tab + 1), entry.slice(0, tab));
  }
  return out;
}

/** Paths added, removed or changed between two trees, sorted. */
function diffTrees(head: Map<string, string>, base: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [p, v] of head) if (base.get(p) !== v) changed.add(p);
  for (const p of base.keys()) if (!head.has(p)) changed.add(p);
  return [...changed].sort();
}
