import { packedPackageFile, parseProviderAddress, storeCacheKey, terraformPlatform, unpackedPackageDir } from '../../src/providers/layout.js';

const AWS = parseProviderAddress('registry.terraform.io/hashicorp/aws');

describe('provider store layout', () => {
  it('places packages where terraform looks for them in a filesystem mirror or plugin cache', () => {
    expect(unpackedPackageDir('/store', AWS, '6.2.0', 'linux_amd64')).toBe('/store/registry.terraform.io/hashicorp/aws/6.2.0/linux_amd64');
    expect(packedPackageFile('/mirror', AWS, '6.2.0', 'darwin_arm64')).toBe(
      '/mirror/registry.terraform.io/hashicorp/aws/terraform-provider-aws_6.2.0_darwin_arm64.zip',
    );
    expect(terraformPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(terraformPlatform('darwin', 'arm64')).toBe('darwin_arm64');
    expect(terraformPlatform('win32', 'x64')).toBe('windows_amd64');
  });

  it.each([
    [{ host: 'registry.terraform.io', namespace: '..', type: 'aws' }, '6.2.0', 'linux_amd64', /namespace "\.\."/],
    [{ host: '..', namespace: 'hashicorp', type: 'aws' }, '6.2.0', 'linux_amd64', /not a valid hostname/],
    [{ host: 'registry.terraform.io', namespace: 'hashicorp', type: 'aws/../../x' }, '6.2.0', 'linux_amd64', /must be fully qualified/],
    [AWS, '../../../etc', 'linux_amd64', /not an exact version/],
    [AWS, '6.2.0/..', 'linux_amd64', /not an exact version/],
    [AWS, '6.2.0', '../linux_amd64', /not of the form <os>_<arch>/],
    [AWS, '6.2.0', 'linux_amd64/..', /not of the form <os>_<arch>/],
  ])('refuses paths that could leave the store: %j %s %s', (addr, version, platform, err) => {
    expect(() => unpackedPackageDir('/store', addr, version, platform)).toThrow(err);
    expect(() => packedPackageFile('/store', addr, version, platform)).toThrow(err);
  });

  it('parses addresses strictly, or lowercases them on request', () => {
    expect(parseProviderAddress('Registry.Terraform.io/HashiCorp/AWS', { normalised: false })).toEqual(AWS);
    expect(() => parseProviderAddress('Registry.Terraform.io/HashiCorp/AWS')).toThrow(/not in normal form/);
    expect(() => parseProviderAddress('registry.terraform.io/hashicorp/-aws')).toThrow(/letters, digits and dashes/);
    expect(() => parseProviderAddress('registry.terraform.io/hashi corp/aws')).toThrow(/letters, digits and dashes/);
    expect(() => parseProviderAddress('registry.terraform.io//aws')).toThrow(/letters, digits and dashes/);
  });
});

describe('provider store cache key', () => {
  const base = { prefix: 'atmos-action-providers', tool: 'terraform' as const, os: 'linux', arch: 'amd64' };
  const a = { path: 'stacks/a/.terraform.lock.hcl', content: 'provider "x/y/z" {}\n' };
  const b = { path: 'stacks/b/.terraform.lock.hcl', content: 'provider "x/y/w" {}\n' };

  it('is <prefix>-<tool>-<os>-<arch>-<sha256>, with the prefix up to the hash as the restore key', () => {
    const k = storeCacheKey({ ...base, lockFiles: [a, b] });
    expect(k.restorePrefix).toBe('atmos-action-providers-terraform-linux-amd64-');
    expect(k.key).toMatch(/^atmos-action-providers-terraform-linux-amd64-[0-9a-f]{64}$/);
    expect(storeCacheKey({ ...base, tool: 'tofu', lockFiles: [a, b] }).restorePrefix).toBe('atmos-action-providers-tofu-linux-amd64-');
  });

  it('depends on the lock files contents in path order, not on the order they were found in', () => {
    const k = storeCacheKey({ ...base, lockFiles: [a, b] }).key;
    expect(storeCacheKey({ ...base, lockFiles: [b, a] }).key).toBe(k);
    expect(storeCacheKey({ ...base, lockFiles: [a, { ...b, content: b.content + ' ' }] }).key).not.toBe(k);
    expect(storeCacheKey({ ...base, lockFiles: [a] }).key).not.toBe(k);
    // Swapping which path holds which content reorders the hashed contents: a different key.
    expect(
      storeCacheKey({
        ...base,
        lockFiles: [
          { ...a, content: b.content },
          { ...b, content: a.content },
        ],
      }).key,
    ).not.toBe(k);
    // The same contents at other paths (in the same order) is the same set of providers: same key.
    expect(
      storeCacheKey({
        ...base,
        lockFiles: [
          { ...a, path: 'x/1' },
          { ...b, path: 'x/2' },
        ],
      }).key,
    ).toBe(k);
  });

  it('refuses parts that would break the key', () => {
    expect(() => storeCacheKey({ ...base, prefix: 'a,b', lockFiles: [] })).toThrow(/prefix "a,b"/);
    expect(() => storeCacheKey({ ...base, prefix: 'ends-', lockFiles: [] })).toThrow(/prefix/);
    expect(() => storeCacheKey({ ...base, os: 'linux amd64', lockFiles: [] })).toThrow(/os/);
    expect(() => storeCacheKey({ ...base, tool: 'opentofu' as 'tofu', lockFiles: [] })).toThrow(/unknown tool/);
  });
});
