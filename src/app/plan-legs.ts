/**
 * What plan and apply share: picking the instances, fingerprinting what apply must find unchanged, and
 * running the runner (app/run.ts) with one log group per instance.
 */
import path from 'node:path';
import type { AtmosConfig } from '../config/types.js';
import type { Selection } from '../graph/select.js';
import type { CacheStore } from '../ports/cache.js';
import type { Log } from '../ports/log.js';
import { describeComponent } from '../stacks/describe.js';
import { instanceKey, type InstanceId } from '../stacks/identity.js';
import type { Instance } from '../stacks/types.js';
import { codeFingerprint, repositoryRoot, type CodeCache } from '../terraform/code-fingerprint.js';
import { generatedFiles, type GeneratedFile } from '../terraform/generate.js';
import { lockFileHash, type PlanFingerprint } from '../terraform/plan-store.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { RunAction } from '../terraform/run-instance.js';
import { sha256Text } from '../workdir/hash.js';
import { CANONICAL_LOCK, instanceLockFileName } from '../workdir/lock-seed.js';
import type { AppPorts, Project } from './project.js';
import { providerCacheSettingsFor, restoreProviderStore, saveProviderStore, type ProviderCacheSettings, type RestoredProviderStore } from './provider-cache.js';
import { runInstances, type RunReport, type RunSettings } from './run.js';

/** Groups a block of log lines (the action: a foldable group; elsewhere nothing). */
export type LogGroup = <T>(title: string, fn: () => Promise<T>) => Promise<T>;

export interface LegPorts extends AppPorts {
  group?: LogGroup;
  /** Where the provider store is kept between runs (the Actions cache in the action); none: not kept. */
  cache?: CacheStore;
}

/**
 * Runs `fn` with the provider store restored from the cache before and saved once after (only when
 * it changed). The store itself is the runner's default; a cache outage is a warning, never a failure.
 */
export async function withProviderStore<T>(project: Project, run: { target: Selection }, ports: LegPorts, fn: () => Promise<T>): Promise<T> {
  const store = ports.envSettings.providerStore;
  if (!ports.cache || !store.enabled) return fn();
  const cachePorts = { cache: ports.cache, log: ports.log };
  let kept: { settings: ProviderCacheSettings; restored: RestoredProviderStore } | undefined;
  try {
    if ('problem' in store) throw new Error(store.problem);
    const settings = providerCacheSettingsFor(project, { ...run, storeRoot: store.root });
    kept = { settings, restored: await restoreProviderStore(settings, cachePorts) };
  } catch (e) {
    ports.log.warn(`provider store not restored from the cache (${(e as Error).message})`);
  }
  try {
    return await fn();
  } finally {
    if (kept) await saveProviderStore(kept.settings, kept.restored, cachePorts);
  }
}

/** Memo tables of one plan or apply run: folders hashed once, the repository found once. */
export interface FingerprintCache {
  repoRoot: string;
  code: CodeCache;
}

export function fingerprintCache(config: AtmosConfig): FingerprintCache {
  return { repoRoot: repositoryRoot(config.basePath), code: new Map() };
}

/**
 * What apply must find unchanged (all but the terraform version, known once terraform ran): the
 * resolved configuration (describe shape, canonical JSON, with the checkout's location taken out so
 * another runner's path compares equal), the lock file, the code (component folder and the local
 * modules it calls) and the files generated for the instance.
 */
export async function instanceFingerprint(
  instance: Instance,
  config: AtmosConfig,
  cache: FingerprintCache,
): Promise<Omit<PlanFingerprint, 'terraformVersion'>> {
  const text = canonicalJson(describeComponent(instance, config)).split(JSON.stringify(config.basePath).slice(1, -1)).join('<base_path>');
  // The committed lock file provisioning seeds the workdir with: the per-instance one, else the component's.
  const perInstance = await lockFileHash(path.join(instance.componentPath, instanceLockFileName(instance.stack, instance.component)));
  const files = codeFingerprint(instance.componentPath, { basePath: config.basePath, repoRoot: cache.repoRoot, cache: cache.code });
  let generated: GeneratedFile[] = [];
  try {
    generated = generatedFiles(instance, {
      autoGenerateBackendFile: config.terraform.autoGenerateBackendFile,
      autoGenerateFiles: config.terraform.autoGenerateFiles,
    });
  } catch {
    // The run reports why it cannot generate them; the configuration hash covers what they are made of.
  }
  for (const g of generated) files[`(generated) ${g.name}`] = sha256Text(g.content);
  return {
    configSha256: sha256Text(text),
    lockFileSha256: perInstance ?? (await lockFileHash(path.join(instance.componentPath, CANONICAL_LOCK))),
    files,
  };
}

/**
 * Runs the runner with one log group per instance. One instance: its lines stream live inside
 * its group. Several: each instance's lines (the runner hands each instance its own log) are held
 * and written as one group per instance at the end, so parallel instances never interleave inside
 * a group; lines about the whole run pass straight through.
 */
export async function runGrouped(
  project: Project,
  settings: RunSettings,
  count: number,
  title: (action: RunAction) => string,
  ports: LegPorts,
): Promise<RunReport> {
  const group: LogGroup = ports.group ?? ((_t, fn) => fn());
  if (count <= 1) return group(title(settings.action), () => runInstances(project, settings, ports));
  const held = new Map<string, [keyof Log, string][]>();
  const instanceLog = (id: InstanceId): Log => {
    const key = instanceKey(id);
    const lines = held.get(key) ?? [];
    held.set(key, lines);
    const hold = (level: keyof Log) => (m: string) => void lines.push([level, m]);
    return { debug: hold('debug'), info: hold('info'), warn: hold('warn'), error: hold('error') };
  };
  const report = await runInstances(project, settings, { ...ports, instanceLog });
  for (const r of report.results) {
    const lines = held.get(instanceKey(r)) ?? [];
    await group(`${settings.action} ${r.stack} / ${r.component}: ${r.status}`, async () => {
      for (const [level, m] of lines) ports.log[level](m);
    });
  }
  return report;
}
