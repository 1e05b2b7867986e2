/**
 * Where provider packages live on disk, and the CI cache key of the provider store. Pure: no
 * filesystem access. Every path is built from parts validated here (and joined through safeJoin),
 * because provider addresses and versions come from lock files in the user's repository.
 *
 * Layouts are terraform's own (the same as its plugin cache and `filesystem_mirror`):
 *   unpacked  <base>/<host>/<namespace>/<type>/<version>/<os>_<arch>/
 *   packed    <base>/<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AtmosError } from '../util/errors.js';
import { safeJoin } from '../util/safe-path.js';

export interface ProviderAddress {
  /** Registry hostname, lowercase, optionally with `:port` (e.g. `registry.terraform.io`). */
  host: string;
  namespace: string;
  type: string;
}

// Terraform's rules: namespace and type are letters, digits and dashes (not leading or trailing),
// compared case-insensitively and written in lowercase. Hostnames are lowercase DNS names.
const PART = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;

/**
 * Parses a fully qualified provider source address `host/namespace/type`. With `normalised`
 * (the default), refuses addresses not already written in terraform's normal (lowercase) form, as
 * terraform does for lock files; otherwise lowercases them.
 */
export function parseProviderAddress(source: string, opts: { normalised?: boolean } = {}): ProviderAddress {
  const parts = source.split('/');
  if (parts.length !== 3) {
    throw new AtmosError(`provider address ${JSON.stringify(source)} must be fully qualified: <hostname>/<namespace>/<type>`);
  }
  const lower = source.toLowerCase();
  if (opts.normalised !== false && lower !== source) {
    throw new AtmosError(`provider address ${JSON.stringify(source)} is not in normal form; write it as ${JSON.stringify(lower)}`);
  }
  const [host, namespace, type] = lower.split('/') as [string, string, string];
  if (!HOST.test(host)) throw new AtmosError(`provider address ${JSON.stringify(source)}: ${JSON.stringify(host)} is not a valid hostname`);
  for (const [what, v] of [
    ['namespace', namespace],
    ['type', type],
  ] as const) {
    if (!PART.test(v)) {
      throw new AtmosError(`provider address ${JSON.stringify(source)}: the ${what} ${JSON.stringify(v)} must be letters, digits and dashes`);
    }
  }
  return { host, namespace, type };
}

export function formatProviderAddress(a: ProviderAddress): string {
  return `${a.host}/${a.namespace}/${a.type}`;
}

/** Refuses anything but an exact semantic version (what lock files record). */
export function checkProviderVersion(version: string): string {
  if (!VERSION.test(version)) throw new AtmosError(`provider version ${JSON.stringify(version)} is not an exact version such as "1.2.3"`);
  return version;
}

function checkPlatform(platform: string): string {
  if (!PLATFORM.test(platform)) throw new AtmosError(`platform ${JSON.stringify(platform)} is not of the form <os>_<arch>`);
  return platform;
}

/** Terraform's platform name (`linux_amd64`) for Node's `process.platform`/`process.arch`. */
export function terraformPlatform(nodePlatform: string, nodeArch: string): string {
  const os = nodePlatform === 'win32' ? 'windows' : nodePlatform;
  const arch = ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' } as Record<string, string>)[nodeArch] ?? nodeArch;
  return checkPlatform(`${os}_${arch}`);
}

function addressDir(base: string, a: ProviderAddress): string {
  // Re-validate: a ProviderAddress may have been built by hand rather than parsed.
  const checked = parseProviderAddress(formatProviderAddress(a));
  return safeJoin(base, formatProviderAddress(checked), 'provider address');
}

/** `<base>/<host>/<ns>/<type>/<version>/<os>_<arch>`: one unpacked package. */
export function unpackedPackageDir(base: string, a: ProviderAddress, version: string, platform: string): string {
  return path.join(addressDir(base, a), checkProviderVersion(version), checkPlatform(platform));
}

/** `<base>/<host>/<ns>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip`: one packed package. */
export function packedPackageFile(base: string, a: ProviderAddress, version: string, platform: string): string {
  return path.join(addressDir(base, a), `terraform-provider-${a.type}_${checkProviderVersion(version)}_${checkPlatform(platform)}.zip`);
}

// ─── CI cache key ──────────────────────────────────────────────────────────────────────────────

export interface StoreCacheKeyInput {
  /** Caller's prefix, e.g. `atmos-action-providers`. */
  prefix: string;
  tool: 'terraform' | 'tofu';
  /** Runner OS and architecture as terraform names them (`linux`, `amd64`). */
  os: string;
  arch: string;
  /** Every lock file that decides what the store holds, with its path (any order). */
  lockFiles: { path: string; content: string | Uint8Array }[];
}

export interface StoreCacheKey {
  /** `<prefix>-<tool>-<os>-<arch>-<sha256 hex>` */
  key: string;
  /** `<prefix>-<tool>-<os>-<arch>-`: restores the newest store of this tool and platform on a miss. */
  restorePrefix: string;
}

const KEY_PART = /^[A-Za-z0-9._]+(?:-[A-Za-z0-9._]+)*$/;

/**
 * The key under which the store is saved to and restored from the CI cache. The hash covers the
 * lock files' contents in path order (sorted bytewise, so the key does not depend on how the
 * files were found): sha256 over the concatenated sha256 digests of each file, as GitHub's
 * `hashFiles` does. Paths themselves are not hashed: renaming an instance changes no provider.
 * Keys must not contain commas (the cache service splits on them) and stay far below its 512 limit.
 */
export function storeCacheKey(input: StoreCacheKeyInput): StoreCacheKey {
  for (const [what, v] of [
    ['prefix', input.prefix],
    ['os', input.os],
    ['arch', input.arch],
  ] as const) {
    if (!KEY_PART.test(v) || v.length > 100) {
      throw new AtmosError(`provider cache ${what} ${JSON.stringify(v)} must be letters, digits, ".", "_" and single dashes (at most 100)`);
    }
  }
  if (input.tool !== 'terraform' && input.tool !== 'tofu') throw new AtmosError(`unknown tool ${JSON.stringify(input.tool)}`);
  const sorted = [...input.lockFiles].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const all = createHash('sha256');
  for (const f of sorted) all.update(createHash('sha256').update(f.content).digest());
  const restorePrefix = `${input.prefix}-${input.tool}-${input.os}-${input.arch}-`;
  return { key: `${restorePrefix}${all.digest('hex')}`, restorePrefix };
}
