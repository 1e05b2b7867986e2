import { isSealed, openPlanfile, sealPlanfile } from '../../src/util/plan-crypto.js';

const CTX = '{"instance":"dev:vpc","commitSha":"c0ffee"}';

describe('planfile encryption', () => {
  const plain = Buffer.from('PK\u0003\u0004 a planfile with password = "hunter2" inside');

  it('round-trips, and the sealed file carries none of the plain text', () => {
    const sealed = sealPlanfile(plain, 'correct horse battery staple', CTX);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(openPlanfile(sealed, 'correct horse battery staple', 'the planfile', CTX).equals(plain)).toBe(true);
  });

  it('uses a fresh salt and IV per file: the same plan sealed twice differs', () => {
    const a = sealPlanfile(plain, 'k', CTX);
    const b = sealPlanfile(plain, 'k', CTX);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(10, 26).equals(b.subarray(10, 26))).toBe(false);
  });

  it('a wrong key fails clearly', () => {
    const sealed = sealPlanfile(plain, 'right', CTX);
    expect(() => openPlanfile(sealed, 'wrong', 'the planfile of dev:vpc', CTX)).toThrow(
      /the planfile of dev:vpc cannot be decrypted: the encryption-key differs from the one it was planned with, or the file or its plan-meta.json was modified/,
    );
  });

  it.each([
    ['a ciphertext byte', (b: Buffer) => (b[b.length - 20] ^= 1)],
    ['the tag', (b: Buffer) => (b[b.length - 1] ^= 1)],
    ['the salt in the header', (b: Buffer) => (b[12] ^= 1)],
  ])('a change to %s fails the same check', (_what, tamper) => {
    const sealed = sealPlanfile(plain, 'k', CTX);
    tamper(sealed);
    expect(() => openPlanfile(sealed, 'k', 'the planfile', CTX)).toThrow(/cannot be decrypted/);
  });

  it('refuses a plain planfile, an unknown version and a truncated file, naming the problem', () => {
    expect(() => openPlanfile(plain, 'k', 'the planfile', CTX)).toThrow(/is not an encrypted planfile/);
    const sealed = sealPlanfile(plain, 'k', CTX);
    const v1 = Buffer.from(sealed);
    v1[9] = 1;
    expect(() => openPlanfile(v1, 'k', 'the planfile', CTX)).toThrow(/format version 1, this release reads version 2: plan again/);
    expect(() => openPlanfile(sealed.subarray(0, 40), 'k', 'the planfile', CTX)).toThrow(/truncated/);
    expect(() => sealPlanfile(plain, '', CTX)).toThrow(/empty/);
  });

  it('binds what it is for: opened with any other context (another instance, commit or fingerprint), it fails the same check', () => {
    const sealed = sealPlanfile(plain, 'k', CTX);
    expect(() => openPlanfile(sealed, 'k', 'the planfile', CTX.replace('dev:vpc', 'prod:vpc'))).toThrow(/cannot be decrypted/);
    expect(() => openPlanfile(sealed, 'k', 'the planfile', '')).toThrow(/cannot be decrypted/);
  });
});
