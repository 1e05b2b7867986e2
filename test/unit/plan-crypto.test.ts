import { isSealed, openPlanfile, sealPlanfile } from '../../src/util/plan-crypto.js';

describe('planfile encryption', () => {
  const plain = Buffer.from('PK\u0003\u0004 a planfile with password = "hunter2" inside');

  it('round-trips, and the sealed file carries none of the plain text', () => {
    const sealed = sealPlanfile(plain, 'correct horse battery staple');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(openPlanfile(sealed, 'correct horse battery staple', 'the planfile').equals(plain)).toBe(true);
  });

  it('uses a fresh salt and IV per file: the same plan sealed twice differs', () => {
    const a = sealPlanfile(plain, 'k');
    const b = sealPlanfile(plain, 'k');
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(10, 26).equals(b.subarray(10, 26))).toBe(false);
  });

  it('a wrong key fails clearly', () => {
    const sealed = sealPlanfile(plain, 'right');
    expect(() => openPlanfile(sealed, 'wrong', 'the planfile of dev:vpc')).toThrow(
      /the planfile of dev:vpc cannot be decrypted: the encryption-key differs from the one it was planned with, or the file was modified/,
    );
  });

  it.each([
    ['a ciphertext byte', (b: Buffer) => (b[b.length - 20] ^= 1)],
    ['the tag', (b: Buffer) => (b[b.length - 1] ^= 1)],
    ['the salt in the header', (b: Buffer) => (b[12] ^= 1)],
  ])('a change to %s fails the same check', (_what, tamper) => {
    const sealed = sealPlanfile(plain, 'k');
    tamper(sealed);
    expect(() => openPlanfile(sealed, 'k', 'the planfile')).toThrow(/cannot be decrypted/);
  });

  it('refuses a plain planfile, an unknown version and a truncated file, naming the problem', () => {
    expect(() => openPlanfile(plain, 'k', 'the planfile')).toThrow(/is not an encrypted planfile/);
    const sealed = sealPlanfile(plain, 'k');
    const v2 = Buffer.from(sealed);
    v2[9] = 2;
    expect(() => openPlanfile(v2, 'k', 'the planfile')).toThrow(/format version 2, this release reads version 1/);
    expect(() => openPlanfile(sealed.subarray(0, 40), 'k', 'the planfile')).toThrow(/truncated/);
    expect(() => sealPlanfile(plain, '')).toThrow(/empty/);
  });
});
