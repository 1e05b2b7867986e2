import { AtmosError } from '../../src/util/errors.js';
import { contentHash, Fnv128a } from '../../src/workdir/hash.js';
import { formatDuration, isExpired, parseTtl } from '../../src/workdir/ttl.js';

describe('TTL grammar (Atmos pkg/duration)', () => {
  it.each([
    ['3600', 3_600_000],
    [3600, 3_600_000],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['minute', 60_000],
    ['hourly', 3_600_000],
    ['daily', 86_400_000],
    ['weekly', 604_800_000],
    ['monthly', 30 * 86_400_000],
    ['yearly', 365 * 86_400_000],
  ])('%p is %p ms', (text, ms) => {
    expect(parseTtl(text)).toEqual({ always: false, ms, text: String(text) });
  });

  it.each(['0', 0, '0s', '0m', '0h', '0d'])('%p means always', (text) => {
    const t = parseTtl(text);
    expect(t.always).toBe(true);
    expect(isExpired(t, new Date(), new Date())).toBe(true);
  });

  it.each(['1h30m', '2H', '1w', '-5', '-5m', '1.5h', '', ' 1h', 'forever', true, null])('%p is refused with a clear error', (bad) => {
    expect(() => parseTtl(bad, 'source.ttl of vpc')).toThrow(AtmosError);
    expect(() => parseTtl(bad, 'source.ttl of vpc')).toThrow(/invalid source.ttl of vpc .*30m, 2h, 7d.*0 means always/);
  });

  it('judges expiry strictly after the TTL', () => {
    const t = parseTtl('1h');
    const since = new Date('2026-01-01T00:00:00Z');
    expect(isExpired(t, since, new Date('2026-01-01T01:00:00Z'))).toBe(false);
    expect(isExpired(t, since, new Date('2026-01-01T01:00:01Z'))).toBe(true);
    expect(isExpired(t, null, since)).toBe(true);
    expect(formatDuration(3_723_000)).toBe('1h2m');
    expect(formatDuration(90_061_000)).toBe('1d1h');
    expect(formatDuration(5_000)).toBe('5s');
  });
});

describe('hashes', () => {
  // Reference FNV-1a 128 with BigInt, straight from the definition.
  function fnv128aRef(data: Buffer): string {
    let h = 0x6c62272e07bb014262b821756295c58dn;
    const prime = 0x0000000001000000000000000000013bn;
    const mask = (1n << 128n) - 1n;
    for (const b of data) {
      h ^= BigInt(b);
      h = (h * prime) & mask;
    }
    return h.toString(16).padStart(32, '0');
  }

  it('Fnv128a matches the definition', () => {
    expect(new Fnv128a().hex()).toBe('6c62272e07bb014262b821756295c58d');
    // Go: fmt.Printf("%x", fnv.New128a().Sum([]byte("a")))
    expect(new Fnv128a().update('a').hex()).toBe('d228cb696f1a8caf78912b704e4a8964');
    const buf = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff));
    expect(new Fnv128a().update(buf).hex()).toBe(fnv128aRef(buf));
    expect(new Fnv128a().update('ab').update('c').hex()).toBe(fnv128aRef(Buffer.from('abc')));
  });

  it('content hash is path + sha over files sorted by path', () => {
    const a = contentHash([
      ['b.tf', '22'],
      ['a.tf', '11'],
    ]);
    expect(a).toBe(fnv128aRef(Buffer.from('a.tf11b.tf22')));
    expect(contentHash([['a.tf', '11']])).not.toBe(a);
  });
});
