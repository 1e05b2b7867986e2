/** A stored plan's seal: what it binds, and opening the planfile with every check. */
import fs from 'node:fs';
import { canonicalJson } from '../util/canonical-json.js';
import { AtmosError } from '../util/errors.js';
import { openPlanfile } from '../util/plan-crypto.js';
import { planFilePath } from '../util/paths.js';
import { sha256Text } from '../workdir/hash.js';
import type { PlanFingerprint, PlanMetadata, StoredPlan } from './plan-store.js';

/**
 * What the seal binds besides the planfile (AES-GCM additional data): the instance, the planned
 * commit, the planfile's hash and the whole fingerprint. Edit any of it in plan-meta.json, or move
 * the sealed file to another instance's folder, and it no longer opens.
 */
export function sealContext(meta: Omit<PlanMetadata, 'encrypted' | 'createdAt' | 'stackFile'>): string {
  const fingerprint: PlanFingerprint = {
    configSha256: meta.configSha256,
    lockFileSha256: meta.lockFileSha256,
    files: meta.files,
    terraformVersion: meta.terraformVersion,
  };
  return canonicalJson({
    format: meta.format,
    instance: meta.instance,
    stack: meta.stack,
    component: meta.component,
    commitSha: meta.commitSha,
    planfileSha256: meta.planfileSha256 ?? null,
    fingerprintSha256: sha256Text(canonicalJson(fingerprint)),
  });
}

/**
 * The planfile exactly as terraform wrote it: decrypted when sealed, and checked against the
 * SHA-256 recorded at plan time. With a key, only a sealed planfile is accepted. Throws, saying
 * what is wrong, when it cannot be.
 */
export function loadPlanfile(stored: StoredPlan, encryptionKey: string | undefined): Buffer {
  const { meta, folder } = stored;
  if (!meta.planfileSha256) throw new AtmosError(`${meta.instance}: there is no planfile (the plan ${stored.result.status})`, { kind: 'instance' });
  let plain: Buffer;
  if (encryptionKey && !meta.encrypted) {
    throw new AtmosError(
      `${meta.instance}: the plan is not sealed: with encryption-key set, apply takes sealed plans only (was it planned without the key?): plan again with the key`,
      { kind: 'instance' },
    );
  }
  if (meta.encrypted) {
    if (!encryptionKey) throw new AtmosError(`${meta.instance}: the planfile is encrypted; set the encryption-key input`, { kind: 'instance' });
    const file = planFilePath(folder, 'encryptedPlanfile');
    if (!fs.existsSync(file)) throw new AtmosError(`${meta.instance}: the encrypted planfile ${file} is missing`, { kind: 'instance' });
    plain = openPlanfile(fs.readFileSync(file), encryptionKey, `the planfile of ${meta.instance}`, sealContext(meta));
  } else {
    const file = planFilePath(folder, 'planfile');
    if (!fs.existsSync(file)) throw new AtmosError(`${meta.instance}: the planfile ${file} is missing`, { kind: 'instance' });
    plain = fs.readFileSync(file);
  }
  const actual = sha256Text(plain);
  if (actual !== meta.planfileSha256) {
    throw new AtmosError(
      `${meta.instance}: the planfile's SHA-256 is ${actual.slice(0, 12)}…, the plan recorded ${meta.planfileSha256.slice(0, 12)}…: it was modified after review`,
      { kind: 'instance' },
    );
  }
  return plain;
}
