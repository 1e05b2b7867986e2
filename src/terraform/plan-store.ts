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
import { atomicWriteFile } from '../util/atomic-fs.js';
import { AtmosError } from '../util/errors.js';
import { openPlanfile, sealPlanfile } from '../util/plan-crypto.js';
import { planFilePath, planFolderPath } from '../util/paths.js';
import { sha256Text } from '../workdir/hash.js';
import type { PlanResult } from './plan-result.js';
import type { RunStatus } from './run-instance.js';

export const PLAN_FORMAT = 1;

/** What apply compares with the present before it applies a stored planfile. */
export interface PlanMetadata {
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
  /** SHA-256 of the resolved instance configuration (describe shape, canonical JSON). */
  configSha256: string;
  /** SHA-256 of the component's `.terraform.lock.hcl`, or null when it has none. */
  lockFileSha256: string | null;
  terraformVersion?: string;
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

/** Keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value as object)
            .sort()
            .map((k) => [k, (value as Record<string, unknown>)[k]]),
        )
      : value,
  );
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

/**
 * Writes one instance's folder (replacing an older one). `planfile` is the file terraform wrote
 * (absent for a failed plan); with `encryptionKey` it is stored sealed.
 */
export async function writePlanFolder(
  plansDir: string,
  entry: { meta: Omit<PlanMetadata, 'format' | 'planfileSha256' | 'encrypted'>; result: StoredPlanResult; planfile?: string; encryptionKey?: string },
): Promise<StoredPlan> {
  const folder = planFolderPath(plansDir, entry.meta.stack, entry.meta.component);
  await fs.promises.rm(folder, { recursive: true, force: true });
  await fs.promises.mkdir(folder, { recursive: true });
  let planfileSha256: string | undefined;
  if (entry.planfile) {
    const plain = await fs.promises.readFile(entry.planfile);
    planfileSha256 = sha256Text(plain);
    if (entry.encryptionKey) await atomicWriteFile(planFilePath(folder, 'encryptedPlanfile'), sealPlanfile(plain, entry.encryptionKey), 0o600);
    else await atomicWriteFile(planFilePath(folder, 'planfile'), plain, 0o600);
  }
  const meta: PlanMetadata = { format: PLAN_FORMAT, ...entry.meta, planfileSha256, encrypted: Boolean(entry.planfile && entry.encryptionKey) };
  await atomicWriteFile(planFilePath(folder, 'result'), `${JSON.stringify(entry.result, null, 2)}\n`);
  await atomicWriteFile(planFilePath(folder, 'meta'), `${JSON.stringify(meta, null, 2)}\n`);
  return { folder, meta, result: entry.result };
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new AtmosError(`cannot read ${file}: ${(e as Error).message}`, { file, kind: 'instance' });
  }
}

/**
 * Every complete instance folder under `plansDir` (a folder without metadata is an interrupted
 * leg and is skipped), sorted by instance. A missing directory is an empty one.
 */
export function readPlansDir(plansDir: string): StoredPlan[] {
  if (!fs.existsSync(plansDir)) return [];
  const out: StoredPlan[] = [];
  for (const d of fs.readdirSync(plansDir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const folder = path.join(plansDir, d.name);
    if (!fs.existsSync(planFilePath(folder, 'meta'))) continue;
    const meta = readJson<PlanMetadata>(planFilePath(folder, 'meta'));
    if (meta.format !== PLAN_FORMAT) {
      throw new AtmosError(`${folder} holds a plan in format ${String(meta.format)}; this release reads format ${PLAN_FORMAT}`, { kind: 'instance' });
    }
    out.push({ folder, meta, result: readJson<StoredPlanResult>(planFilePath(folder, 'result')) });
  }
  return out.sort((a, b) => (a.meta.instance < b.meta.instance ? -1 : a.meta.instance > b.meta.instance ? 1 : 0));
}

/**
 * The planfile exactly as terraform wrote it: decrypted when sealed, and checked against the
 * SHA-256 recorded at plan time. Throws, saying what is wrong, when it cannot be.
 */
export function loadPlanfile(stored: StoredPlan, encryptionKey: string | undefined): Buffer {
  const { meta, folder } = stored;
  if (!meta.planfileSha256) throw new AtmosError(`${meta.instance}: there is no planfile (the plan ${stored.result.status})`, { kind: 'instance' });
  let plain: Buffer;
  if (meta.encrypted) {
    if (!encryptionKey) throw new AtmosError(`${meta.instance}: the planfile is encrypted; set the encryption-key input`, { kind: 'instance' });
    const file = planFilePath(folder, 'encryptedPlanfile');
    if (!fs.existsSync(file)) throw new AtmosError(`${meta.instance}: the encrypted planfile ${file} is missing`, { kind: 'instance' });
    plain = openPlanfile(fs.readFileSync(file), encryptionKey, `the planfile of ${meta.instance}`);
  } else {
    const file = planFilePath(folder, 'planfile');
    if (!fs.existsSync(file)) throw new AtmosError(`${meta.instance}: the planfile ${file} is missing`, { kind: 'instance' });
    plain = fs.readFileSync(file);
  }
  const actual = sha256Text(plain);
  if (actual !== meta.planfileSha256) {
    throw new AtmosError(
      `${meta.instance}: the planfile's SHA-256 is ${actual.slice(0, 12)}…, the plan recorded ${meta.planfileSha256.slice(0, 12)}…: it was modified after review`,
      {
        kind: 'instance',
      },
    );
  }
  return plain;
}

/** Differences between what was planned and the present, one sentence each; empty when apply may go on. */
export function planDrift(meta: PlanMetadata, now: { configSha256: string; lockFileSha256: string | null }): string[] {
  const out: string[] = [];
  if (meta.configSha256 !== now.configSha256) {
    out.push(`the resolved configuration changed since the plan (stack file ${meta.stackFile} or what it imports): plan again`);
  }
  if (meta.lockFileSha256 !== now.lockFileSha256) {
    const show = (h: string | null) => (h ? `${h.slice(0, 12)}…` : 'none');
    out.push(`the provider lock file changed since the plan (${show(meta.lockFileSha256)} → ${show(now.lockFileSha256)}): plan again`);
  }
  return out;
}
