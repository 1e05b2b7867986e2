/**
 * Local-backend state, read without terraform (docs/atmos-compatibility.md §11.6): where an
 * instance's state file is, and the outputs in it. Nothing here contacts a cloud: `describe` uses
 * it to show `!terraform.state` values whose state already exists on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readLabel, type DeferredRead } from '../stacks/deferred.js';
import { queryPath, splitDefault } from '../stacks/functions/args.js';
import { instanceKey } from '../stacks/identity.js';
import { withReadsReplaced } from '../stacks/instance.js';
import type { Instance } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';
import { buildWorkdirPath, isWorkdirEnabled } from '../util/paths.js';

/** The outputs of a state file (`name → value`) and where it was read. */
export interface LocalState {
  file: string;
  outputs: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Whether `target` keeps its state with the local backend (an empty backend type is terraform's local default). */
export function hasLocalBackend(target: Pick<Instance, 'backendType'>): boolean {
  return target.backendType === '' || target.backendType === 'local';
}

/**
 * The state file inside a folder, where terraform's local backend writes it: `path` (default
 * `terraform.tfstate`) for the default workspace, `<workspace_dir>/<workspace>/terraform.tfstate`
 * (default `terraform.tfstate.d`) for a named one.
 */
function stateFileIn(folder: string, target: Pick<Instance, 'backend' | 'workspace'>): string {
  const ws = target.workspace;
  if (!ws || ws === 'default') return path.resolve(folder, str(target.backend.path) ?? 'terraform.tfstate');
  return path.resolve(folder, str(target.backend.workspace_dir) ?? 'terraform.tfstate.d', ws, 'terraform.tfstate');
}

/**
 * Where `target`'s local state may be, first match wins: its workdir (where atmos-action runs
 * terraform), then where Atmos keeps it: the same workdir when `provision.workdir.enabled`, else
 * the component folder. Files outside the base path are never read.
 */
export function localStateCandidates(target: Instance, basePath: string): string[] {
  const folders = [buildWorkdirPath(basePath, target.stack, target.component)];
  if (!isWorkdirEnabled(target, false)) folders.push(target.componentPath);
  return [...new Set(folders.map((f) => stateFileIn(f, target)))].filter((f) => inside(basePath, f));
}

/** The first state file of {@link localStateCandidates} that exists, read; undefined when there is none. */
export function readLocalState(target: Instance, basePath: string): LocalState | undefined {
  for (const file of localStateCandidates(target, basePath)) {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch {
      continue;
    }
    // A link out of the repository is not followed.
    if (!inside(fs.realpathSync(basePath), real) || !fs.statSync(real).isFile()) continue;
    let state: { outputs?: Record<string, { value: unknown }> };
    try {
      state = JSON.parse(fs.readFileSync(real, 'utf8')) as typeof state;
    } catch (e) {
      throw new AtmosError(`the state file of ${target.component} in stack ${target.stack} is not valid JSON: ${(e as Error).message}`, { file });
    }
    return { file, outputs: Object.fromEntries(Object.entries(state?.outputs ?? {}).map(([k, v]) => [k, v?.value ?? null])) };
  }
  return undefined;
}

export interface LocalStateReadContext {
  /** The instance a read names (resolved on first use); throws when there is none. */
  find: (component: string, stack: string) => Instance;
  basePath: string;
  /** States read in this command, per instance key (undefined: none on disk, or not a local backend). */
  cache: Map<string, LocalState | undefined>;
}

/**
 * `instance` with each `!terraform.state` value whose state exists on disk (local backend) filled
 * in; every other read stays deferred, as do expressions beyond paths and `// default`. The
 * instance keeps its dependency edges.
 */
export function withLocalStateValues(instance: Instance, ctx: LocalStateReadContext): Instance {
  if (!instance.reads.some((r) => r.read.kind === 'terraform.state')) return instance;
  return withReadsReplaced(instance, (read) => {
    if (read.kind !== 'terraform.state') return undefined;
    const state = stateOf(read, ctx);
    if (!state) return undefined;
    const { path: pathExpr, fallback } = splitDefault(read.expression);
    const value = queryPath(state.outputs, pathExpr);
    if (value === undefined) return undefined;
    return { value: value === null ? (fallback ?? null) : value };
  });
}

function stateOf(read: DeferredRead, ctx: LocalStateReadContext): LocalState | undefined {
  const key = instanceKey(read);
  if (ctx.cache.has(key)) return ctx.cache.get(key);
  let target: Instance | undefined;
  try {
    target = ctx.find(read.component, read.stack);
  } catch {
    // A read of a missing instance fails its reader's resolution; nothing to show here.
  }
  let state: LocalState | undefined;
  try {
    state = target && hasLocalBackend(target) ? readLocalState(target, ctx.basePath) : undefined;
  } catch (e) {
    throw e instanceof AtmosError ? new AtmosError(`${readLabel(read)}: ${e.message}`, { file: e.file }) : e;
  }
  ctx.cache.set(key, state);
  return state;
}

function inside(base: string, file: string): boolean {
  const rel = path.relative(path.resolve(base), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
