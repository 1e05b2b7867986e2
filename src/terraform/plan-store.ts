/**
 * The plans directory: what a plan leg leaves for the comment job and for apply. One folder per
 * instance (name from util/paths.ts) holding
 *
 * - the planfile (`tfplan`, or `tfplan.enc` sealed with the encryption key), absent when the plan failed;
 * - `result.json`: the run's status, reason and {@link PlanResult} (addresses and counts, never a value);
 * - `plan-meta.json`: {@link PlanMetadata}, what apply checks before it applies the planfile.
 *
 * Every file is written atomically, the planfile last but one and the metadata last, so a folder
 * with metadata is complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { instanceKey } from '../stacks/identity.js';
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';
import { sealPlanfile } from '../util/plan-crypto.js';
import { sealContext } from './plan-seal.js';
import { isPlansDirProbe, parsePlanFolderName, planFilePath, planFolderName, planFolderPath, plansDirProbePath } from '../util/paths.js';
import { sha256Text } from '../workdir/hash.js';
import type { PlanResult } from './plan-result.js';
import type { RunStatus } from './run-instance.js';

export const PLAN_FORMAT = 2;

/**
 * What apply must find unchanged, recorded at plan time: the resolved configuration, the provider
 * lock file, the code (component folder, local modules, generated files) and the terraform version.
 */
export interface PlanFingerprint {
  /** SHA-256 of the resolved instance configuration (describe shape, canonical JSON). */
  configSha256: string;
  /** SHA-256 of the component's `.terraform.lock.hcl`, or null when it has none. */
  lockFileSha256: string | null;
  /** SHA-256 of every file terraform reads, by path relative to the base path; generated files as `(generated) <name>`. */
  files: Record<string, string>;
  /** The terraform version that made the plan (`show -json`), null when the plan did not get that far. */
  terraformVersion: string | null;
}

/** What apply compares with the present before it applies a stored planfile. */
export interface PlanMetadata extends PlanFingerprint {
  format: typeof PLAN_FORMAT;
  /** `<stack>:<component>`. */
  instance: string;
  stack: string;
  component: string;
  /** The commit the plan was made from (GITHUB_SHA or `git rev-parse HEAD`). */
  commitSha: string;
  /** SHA-256 of the planfile as terraform wrote it (before encryption); absent when the plan failed. */
  planfileSha256?: string;
  encrypted: boolean;
  /** The stack manifest, relative to the base path (for messages and annotations). */
  stackFile: string;
  createdAt: string;
}

/** `result.json`: the plan's outcome, as the comment and the summaries show it. */
export interface StoredPlanResult {
  instance: string;
  stack: string;
  component: string;
  status: RunStatus;
  reason: string;
  plan?: PlanResult;
  durationMs: number;
}

/** One instance's folder as read back. */
export interface StoredPlan {
  folder: string;
  meta: PlanMetadata;
  result: StoredPlanResult;
}

/** An entry of the plans directory that is not a complete plan folder: apply refuses to go on, the comment shows it failed. */
export interface PlansDirProblem {
  /** The entry's name in the plans directory. */
  entry: string;
  /** The instance it is (or claims to be), when that can be told. */
  stack?: string;
  component?: string;
  problem: string;
}

export interface PlansDir {
  plans: StoredPlan[];
  problems: PlansDirProblem[];
}

/** SHA-256 of a lock file, or null when there is none. */
export async function lockFileHash(file: string): Promise<string | null> {
  try {
    return sha256Text(await fs.promises.readFile(file));
  } catch (e) {
    // ENAMETOOLONG: a per-instance lock file name past the file-name limit cannot exist either.
    if (['ENOENT', 'ENAMETOOLONG'].includes((e as NodeJS.ErrnoException).code ?? '')) return null;
    throw e;
  }
}

/** Makes sure plans can be stored in `plansDir` (created if missing) before anything is planned: a plan nobody can store is wasted. */
export async function assertWritablePlansDir(plansDir: string): Promise<void> {
  const probe = plansDirProbePath(plansDir, process.pid);
  try {
    await fs.promises.mkdir(plansDir, { recursive: true });
    await fs.promises.writeFile(probe, '');
    await fs.promises.rm(probe, { force: true });
  } catch (e) {
    throw new AtmosError(`cannot store plans in ${plansDir}: ${(e as Error).message}; nothing was planned: choose a writable plans-dir`, { cause: e });
  }
}

/**
 * Writes one instance's folder (replacing an older one). `planfile` is the file terraform wrote
 * (absent for a failed plan); with `encryptionKey` it is stored sealed, bound to its metadata.
 */
export async function writePlanFolder(
  plansDir: string,
  entry: { meta: Omit<PlanMetadata, 'format' | 'planfileSha256' | 'encrypted'>; result: StoredPlanResult; planfile?: string; encryptionKey?: string },
): Promise<StoredPlan> {
  const folder = planFolderPath(plansDir, entry.meta.stack, entry.meta.component);
  await fs.promises.rm(folder, { recursive: true, force: true });
  await fs.promises.mkdir(folder, { recursive: true });
  const plain = entry.planfile ? await fs.promises.readFile(entry.planfile) : undefined;
  const meta: PlanMetadata = {
    format: PLAN_FORMAT,
    ...entry.meta,
    planfileSha256: plain ? sha256Text(plain) : undefined,
    encrypted: Boolean(plain && entry.encryptionKey),
  };
  if (plain && entry.encryptionKey) {
    await atomicWriteFile(planFilePath(folder, 'encryptedPlanfile'), sealPlanfile(plain, entry.encryptionKey, sealContext(meta)), 0o600);
  } else if (plain) {
    await atomicWriteFile(planFilePath(folder, 'planfile'), plain, 0o600);
  }
  await atomicWriteFile(planFilePath(folder, 'result'), `${JSON.stringify(entry.result, null, 2)}\n`);
  await atomicWriteFile(planFilePath(folder, 'meta'), `${JSON.stringify(meta, null, 2)}\n`);
  return { folder, meta, result: entry.result };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with a plan-meta.json, or null. */
function metaProblem(meta: unknown): string | null {
  if (!isMap(meta)) return 'plan-meta.json is not a JSON object';
  if (meta.format !== PLAN_FORMAT) return `plan-meta.json is in format ${String(meta.format)}; this release reads format ${PLAN_FORMAT}: plan again`;
  for (const k of ['instance', 'stack', 'component', 'commitSha', 'configSha256'] as const) {
    if (typeof meta[k] !== 'string') return `plan-meta.json has no ${k}`;
  }
  if (!isMap(meta.files)) return 'plan-meta.json has no files';
  return null;
}

/**
 * Every entry of the plans directory, sorted by instance: complete plan folders in `plans`, and in
 * `problems` each entry that is not one (a folder without metadata, a link, a file, unreadable
 * metadata, a folder named for another instance than the one inside, two folders for one
 * instance). A plan whose result.json cannot be read is kept, as failed. A missing directory is an
 * empty one.
 */
export function readPlansDir(plansDir: string): PlansDir {
  const out: PlansDir = { plans: [], problems: [] };
  if (!fs.existsSync(plansDir)) return out;
  const byInstance = new Map<string, StoredPlan>();
  for (const d of fs.readdirSync(plansDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (isPlansDirProbe(d.name)) continue;
    const folder = path.join(plansDir, d.name);
    const named = parsePlanFolderName(d.name) ?? {};
    const problem = (text: string, who: { stack?: string; component?: string } = named) => out.problems.push({ entry: d.name, ...who, problem: text });
    if (d.isSymbolicLink()) {
      problem('is a symbolic link, not a plan folder: a plans directory holds only the folders plan jobs write');
      continue;
    }
    if (!d.isDirectory()) {
      problem('is not a plan folder: a plans directory holds only the folders plan jobs write');
      continue;
    }
    if (!fs.existsSync(planFilePath(folder, 'meta'))) {
      problem('has no plan-meta.json: its plan job did not finish, or the artifact was altered');
      continue;
    }
    let meta: PlanMetadata;
    try {
      meta = readJson<PlanMetadata>(planFilePath(folder, 'meta'));
    } catch (e) {
      problem(`plan-meta.json cannot be read: ${(e as Error).message}`);
      continue;
    }
    const bad = metaProblem(meta);
    if (bad) {
      problem(bad);
      continue;
    }
    const who = { stack: meta.stack, component: meta.component };
    if (meta.instance !== instanceKey(meta) || safePlanFolderName(meta.stack, meta.component) !== d.name) {
      problem(`holds the plan of ${meta.instance}, whose folder is ${safePlanFolderName(meta.stack, meta.component) ?? '(none: invalid name)'}`, who);
      continue;
    }
    const twin = byInstance.get(meta.instance);
    if (twin) {
      problem(`is a second folder for ${meta.instance} (the other is ${path.basename(twin.folder)})`, who);
      continue;
    }
    let result: StoredPlanResult;
    try {
      result = readJson<StoredPlanResult>(planFilePath(folder, 'result'));
      if (!isMap(result) || typeof result.status !== 'string') throw new Error('not a plan result');
    } catch (e) {
      result = {
        instance: meta.instance,
        stack: meta.stack,
        component: meta.component,
        status: 'failed',
        reason: `result.json cannot be read: ${(e as Error).message}`,
        durationMs: 0,
      };
    }
    // The result speaks for the instance its metadata names, whatever it says itself.
    const stored: StoredPlan = { folder, meta, result: { ...result, instance: meta.instance, stack: meta.stack, component: meta.component } };
    byInstance.set(meta.instance, stored);
    out.plans.push(stored);
  }
  out.plans.sort((a, b) => (a.meta.instance < b.meta.instance ? -1 : a.meta.instance > b.meta.instance ? 1 : 0));
  return out;
}

/** Refuses a plans directory holding anything but complete plan folders: a reviewed plan must never drop out silently. */
export function assertCompletePlans(dir: PlansDir, plansDir: string): void {
  if (dir.problems.length === 0) return;
  const lines = dir.problems.map((p) => `  ${p.entry}: ${p.problem}`);
  throw new AtmosError(`the plans directory ${plansDir} holds what is not a complete plan, so nothing is applied:\n${lines.join('\n')}`);
}

function safePlanFolderName(stack: string, component: string): string | undefined {
  try {
    return planFolderName(stack, component);
  } catch {
    return undefined;
  }
}
