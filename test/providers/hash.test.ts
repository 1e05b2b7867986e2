import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { h1FromFiles, h1HashOfDirectory, zhHashOfZip } from '../../src/providers/hash.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/** h1: is also checked against terraform itself in testprov-terraform.test.ts (lock files it wrote). */
describe('provider package hashes', () => {
  const dirs: string[] = [];
  const dir = (files: Record<string, string>) => {
    const d = writeTree(tempDir('atmos-action-hash-'), files);
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  // Expected value computed with sha256sum, LC_ALL=C sort and base64 from coreutils.
  const TREE = { x: 'hello\n', B: 'B', 'sub/empty': '', 'a.b': 'dot', 'a/b': 'slash' };
  const TREE_H1 = 'h1:H4VrIsHRwyUywLEQ4vmOD0yvxT3O41ZgLucjFlPIM+o=';

  it('h1: of a directory is dirhash Hash1: files sorted bytewise (B < a.b < a/b < sub/… < x), nested paths with /', async () => {
    expect(await h1HashOfDirectory(dir(TREE))).toBe(TREE_H1);
  });

  it('h1: ignores modes and mtimes, follows a symlink to the package directory, and changes with any byte or name', async () => {
    const d = dir(TREE);
    fs.chmodSync(path.join(d, 'x'), 0o755);
    fs.utimesSync(path.join(d, 'B'), 1, 1);
    const link = path.join(tempDir('atmos-action-hash-link-'), 'pkg');
    dirs.push(path.dirname(link));
    fs.symlinkSync(d, link);
    expect(await h1HashOfDirectory(link)).toBe(TREE_H1);
    fs.writeFileSync(path.join(d, 'x'), 'hello!\n');
    expect(await h1HashOfDirectory(d)).not.toBe(TREE_H1);
    const { x: _renamed, ...rest } = TREE;
    expect(await h1HashOfDirectory(dir({ ...rest, y: 'hello\n' }))).not.toBe(TREE_H1);
  });

  it('h1FromFiles does not depend on the order files are given in', () => {
    const files = [
      { path: 'b', sha256: 'aa' },
      { path: 'a', sha256: 'bb' },
    ];
    expect(h1FromFiles(files)).toBe(h1FromFiles([...files].reverse()));
    expect(() => h1FromFiles([{ path: 'a\nb', sha256: 'aa' }])).toThrow(/newline/);
  });

  it('refuses a package holding a symlink, and a path that is not a directory', async () => {
    const d = dir({ real: 'x' });
    fs.symlinkSync('/etc/passwd', path.join(d, 'sneaky'));
    await expect(h1HashOfDirectory(d)).rejects.toThrow(/sneaky is not a regular file/);
    await expect(h1HashOfDirectory(path.join(d, 'real'))).rejects.toThrow(/cannot hash provider package .*not a directory/);
    await expect(h1HashOfDirectory(path.join(d, 'missing'))).rejects.toThrow(/cannot hash provider package/);
  });

  it('zh: is the SHA-256 of the zip file, in hex', async () => {
    const d = dir({ 'p.zip': 'PK not really a zip' });
    expect(await zhHashOfZip(path.join(d, 'p.zip'))).toBe(`zh:${createHash('sha256').update('PK not really a zip').digest('hex')}`);
  });
});
