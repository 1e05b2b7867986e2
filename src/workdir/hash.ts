/** Hashes used by the workdir: SHA-256 per file, FNV-128a for Atmos's `content_hash`. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** SHA-256 hex of a file, streamed (component trees may hold large files). */
export async function sha256File(file: string): Promise<string> {
  const st = await fs.promises.stat(file);
  // Small files: one read is much cheaper than a stream.
  if (st.size <= 1 << 20)
    return createHash('sha256')
      .update(await fs.promises.readFile(file))
      .digest('hex');
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function sha256Text(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * FNV-1a 128-bit, as Go's hash/fnv New128a, on eight 16-bit limbs (little-endian) so it runs on
 * plain numbers (BigInt per byte would be ~50x slower). prime = 2^88 + 0x13B.
 */
export class Fnv128a {
  // offset basis 0x6c62272e07bb014262b821756295c58d, limb 0 = least significant 16 bits
  private h0 = 0xc58d;
  private h1 = 0x6295;
  private h2 = 0x2175;
  private h3 = 0x62b8;
  private h4 = 0x0142;
  private h5 = 0x07bb;
  private h6 = 0x272e;
  private h7 = 0x6c62;

  update(data: string | Uint8Array): this {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let { h0, h1, h2, h3, h4, h5, h6, h7 } = this;
    for (let k = 0; k < bytes.length; k++) {
      h0 ^= bytes[k]!;
      // h * prime mod 2^128, prime = 2^88 + 0x13B: h*0x13B plus (h << 88), i.e. limbs shifted by 5 and by 8 bits.
      // Every intermediate stays below 2^31, so plain double arithmetic is exact.
      let t = h0 * 0x13b;
      const r0 = t & 0xffff;
      t = h1 * 0x13b + (t >>> 16);
      const r1 = t & 0xffff;
      t = h2 * 0x13b + (t >>> 16);
      const r2 = t & 0xffff;
      t = h3 * 0x13b + (t >>> 16);
      const r3 = t & 0xffff;
      t = h4 * 0x13b + (t >>> 16);
      const r4 = t & 0xffff;
      t = h5 * 0x13b + (t >>> 16) + h0 * 0x100;
      const r5 = t & 0xffff;
      t = h6 * 0x13b + (t >>> 16) + h1 * 0x100;
      const r6 = t & 0xffff;
      t = h7 * 0x13b + (t >>> 16) + h2 * 0x100;
      const r7 = t & 0xffff;
      h0 = r0;
      h1 = r1;
      h2 = r2;
      h3 = r3;
      h4 = r4;
      h5 = r5;
      h6 = r6;
      h7 = r7;
    }
    Object.assign(this, { h0, h1, h2, h3, h4, h5, h6, h7 });
    return this;
  }

  hex(): string {
    return [this.h7, this.h6, this.h5, this.h4, this.h3, this.h2, this.h1, this.h0].map((x) => x.toString(16).padStart(4, '0')).join('');
  }
}

/**
 * Atmos's `content_hash`: FNV-128a over the files sorted by relative path (forward slashes),
 * writing each path followed by its SHA-256 hex (pkg/provisioner/workdir/fs.go HashDir).
 */
export function contentHash(files: Iterable<[string, string]>): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  const h = new Fnv128a();
  for (const [rel, sha] of sorted) h.update(rel).update(sha);
  return h.hex();
}
