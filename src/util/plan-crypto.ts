/**
 * Planfile encryption: a planfile holds every value of the plan in clear text, secrets included, and
 * an artifact is readable by anyone with read access to the repository's Actions. With a key, the
 * planfile is sealed before it leaves the plan leg and opened again for apply.
 *
 * AES-256-GCM (authenticated: a wrong key and any changed byte fail the same check). The AES key is
 * derived from the user's secret with scrypt and a fresh random salt per file, because the secret
 * may be a passphrase rather than 32 random bytes. Layout, all of it authenticated (the header as
 * additional data):
 *
 *   "ATMOSPLAN" | version (1 byte) | salt (16) | iv (12) | ciphertext | tag (16)
 *
 * The seal also binds what the plan is for (version 2): the caller's `context` (the instance, the
 * planned commit and the configuration fingerprint, see terraform/plan-store.ts) is additional
 * authenticated data too, though not stored in the file. A sealed planfile moved to another
 * instance's folder, or opened with edited metadata, fails the same check as a changed byte.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { AtmosError } from './errors.js';

const MAGIC = Buffer.from('ATMOSPLAN', 'ascii');
const VERSION = 2;
const SALT = 16;
const IV = 12;
const TAG = 16;
const HEADER = MAGIC.length + 1 + SALT + IV;
/** scrypt cost: about 50 ms and 16 MiB per file, once per instance per leg. */
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function deriveKey(secret: string, salt: Buffer): Buffer {
  return scryptSync(Buffer.from(secret, 'utf8'), salt, 32, SCRYPT);
}

/** True when `data` starts like a sealed planfile (any version). */
export function isSealed(data: Uint8Array): boolean {
  return data.length >= MAGIC.length && Buffer.from(data.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** Seals `plain`, binding `context` (any text; the caller gives the same text to open it). */
export function sealPlanfile(plain: Uint8Array, secret: string, context: string): Buffer {
  if (!secret) throw new AtmosError('the encryption key is empty');
  const salt = randomBytes(SALT);
  const iv = randomBytes(IV);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, iv]);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(context, 'utf8')]));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/**
 * Opens a sealed planfile; `what` names it in errors. Throws on a wrong key, a changed byte, a
 * `context` other than the one it was sealed with, or an unknown format.
 */
export function openPlanfile(sealed: Uint8Array, secret: string, what: string, context: string): Buffer {
  const data = Buffer.from(sealed);
  if (!isSealed(data)) throw new AtmosError(`${what} is not an encrypted planfile`, { kind: 'instance' });
  const version = data[MAGIC.length];
  if (version !== VERSION) {
    throw new AtmosError(`${what} was encrypted with format version ${version}, this release reads version ${VERSION}: plan again`, { kind: 'instance' });
  }
  if (data.length < HEADER + TAG) throw new AtmosError(`${what} is truncated`, { kind: 'instance' });
  const salt = data.subarray(MAGIC.length + 1, MAGIC.length + 1 + SALT);
  const iv = data.subarray(MAGIC.length + 1 + SALT, HEADER);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  decipher.setAAD(Buffer.concat([data.subarray(0, HEADER), Buffer.from(context, 'utf8')]));
  decipher.setAuthTag(data.subarray(data.length - TAG));
  try {
    return Buffer.concat([decipher.update(data.subarray(HEADER, data.length - TAG)), decipher.final()]);
  } catch {
    throw new AtmosError(
      `${what} cannot be decrypted: the encryption-key differs from the one it was planned with, or the file or its plan-meta.json was modified (or moved from another instance's folder)`,
      {
        kind: 'instance',
      },
    );
  }
}
