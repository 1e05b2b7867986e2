import path from 'node:path';
import { toolOf } from '../../src/config/tool.js';
import { storeCliConfig } from '../../src/providers/cli-config.js';
import { storeEntry } from '../../src/providers/entry.js';
import { storeCacheKey } from '../../src/providers/layout.js';
import { parseLockFile } from '../../src/providers/lockfile.js';
import { lockedPackages } from '../../src/providers/store.js';

/**
 * OpenTofu writes its lock files with registry.opentofu.org addresses where terraform writes
 * registry.terraform.io: the same provider name is two different packages, and the store keeps them
 * apart by host. (OpenTofu itself is not run here; the lock files are as `tofu init` writes them.)
 */
const H1 = 'h1:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ=';
const lock = (host: string) => `# This file is maintained automatically by "${host.includes('opentofu') ? 'tofu' : 'terraform'} init".
# Manual edits may be lost in future updates.

provider "${host}/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "~> 5.0"
  hashes = [
    "${H1}",
    "zh:${'0'.repeat(64)}",
  ]
}
`;

describe('OpenTofu lock files in the provider store', () => {
  const tofu = parseLockFile(lock('registry.opentofu.org'), 'components/terraform/vpc/.terraform.lock.hcl');
  const terraform = parseLockFile(lock('registry.terraform.io'), 'components/terraform/app/.terraform.lock.hcl');

  it("are read with their registry host, and stay apart from terraform's entry for the same provider", () => {
    expect(tofu[0]).toMatchObject({ source: 'registry.opentofu.org/hashicorp/aws', version: '5.100.0', address: { host: 'registry.opentofu.org' } });
    const both = lockedPackages([tofu, terraform]);
    expect(both.map((p) => p.source)).toEqual(['registry.opentofu.org/hashicorp/aws', 'registry.terraform.io/hashicorp/aws']);
    const dirs = both.map((p) => path.relative('/store', storeEntry('/store', p.address, p.version, 'linux_amd64').dir));
    expect(dirs[0]).toMatch(/registry\.opentofu\.org\/hashicorp\/aws\/5\.100\.0\/linux_amd64$/);
    expect(dirs[1]).toMatch(/registry\.terraform\.io\/hashicorp\/aws\/5\.100\.0\/linux_amd64$/);
  });

  it('the generated CLI configuration mirrors the OpenTofu address exactly and excludes it from the other methods', () => {
    const text = storeCliConfig({ store: '/store/packages', stored: [tofu[0]!.address] });
    expect(text).toContain('include = ["registry.opentofu.org/hashicorp/aws"]');
    expect(text).toContain('direct {\n    exclude = ["registry.opentofu.org/hashicorp/aws"]');
  });

  it('the cache key names the tool, so a tofu store never restores into a terraform run', () => {
    const base = { prefix: 'atmos-action-providers', os: 'linux', arch: 'amd64', lockFiles: [{ path: 'a', content: lock('registry.opentofu.org') }] };
    expect(toolOf('tofu')).toBe('tofu');
    expect(toolOf('/usr/local/bin/tofu')).toBe('tofu');
    expect(toolOf('terraform')).toBe('terraform');
    expect(toolOf('')).toBe('terraform');
    expect(storeCacheKey({ ...base, tool: 'tofu' }).key).toMatch(/^atmos-action-providers-tofu-linux-amd64-[0-9a-f]{64}$/);
    expect(storeCacheKey({ ...base, tool: 'tofu' }).key).not.toBe(storeCacheKey({ ...base, tool: 'terraform' }).key);
  });
});
