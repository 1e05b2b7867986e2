/**
 * The two package hashes terraform records in `.terraform.lock.hcl`:
 * - `h1:` (Go's golang.org/x/mod/sumdb/dirhash Hash1) over a package's contents. It verifies an
 *   unpacked directory, which is what the provider store holds, so it is the one the store checks.
 * - `zh:` the SHA-256 of a release zip. It can only verify a zip, never an unpacked directory.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { sha256File } from '../workdir/hash.js';

export interface HashedFile {
  /** Path relative to the package root, `/`-separated. */
  path: string;
  /** SHA-256 of the content, lowercase hex. */
  sha256: string;
}

/**
 * Hash1 from per-file digests: SHA-256 over the lines `"<sha256 hex>  <path>\n"` sorted by path
 * (bytewise, as Go's sort.Strings), base64 with padding, prefixed `h1:`.
 */
export function h1FromFiles(files: HashedFile[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')));
  const summary = createHash('sha256');
  for (const f of sorted) {
    // Go's dirhash refuses these too: they would make the summary ambiguous.
    if (f.path.includes('\n')) throw new AtmosError(`cannot hash a file name containing a newline: ${JSON.stringify(f.path)}`);
    summary.update(`${f.sha256}  ${f.path}\n`);
  }
  return `h1:${summary.digest('base64')}`;
}

async function listFiles(root: string, rel: string, out: string[]): Promise<void> {
  const entries = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) await listFiles(root, relPath, out);
    else if (e.isFile()) out.push(relPath);
    else {
      // Store entries are unpacked by us from zips, which hold regular files only; anything else
      // (a symlink pointing elsewhere, a socket) means the entry is not what we installed.
      throw new AtmosError(`${path.join(root, relPath)} is not a regular file; a provider package holds regular files only`, {
        file: path.join(root, relPath),
      });
    }
  }
}

/**
 * The `h1:` hash of an unpacked provider package directory. The directory itself may be reached
 * through a symlink (terraform links `.terraform/providers/...` to its source), as terraform
 * resolves it before hashing; entries inside it must be regular files or directories.
 */
export async function h1HashOfDirectory(dir: string): Promise<string> {
  let root: string;
  try {
    root = await fs.promises.realpath(dir);
    if (!(await fs.promises.stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw new AtmosError(`cannot hash provider package ${dir}: ${(e as Error).message}`, { file: dir, cause: e });
  }
  const rels: string[] = [];
  await listFiles(root, '', rels);
  const files = await Promise.all(rels.map(async (rel) => ({ path: rel, sha256: await sha256File(path.join(root, ...rel.split('/'))) })));
  return h1FromFiles(files);
}

/** The `zh:` hash of a packed provider release (the zip file's SHA-256, hex). */
export async function zhHashOfZip(zipFile: string): Promise<string> {
  return `zh:${await sha256File(zipFile)}`;
}
