/**
 * Installing one package the way the user's terraform would: a scratch root module that requires
 * exactly that provider and version, its lock file holding exactly the locked hashes, and
 * `terraform init -backend=false` with the user's own CLI configuration (mirrors, credentials,
 * network) minus any plugin cache. Whatever source the user has keeps working, and terraform checks
 * the package against the lock file too. The caller verifies the result again with our own hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Exec } from '../ports/exec.js';
import { AtmosError } from '../util/errors.js';
import { formatProviderAddress, unpackedPackageDir } from './layout.js';
import type { LockedProvider } from './lockfile.js';

export interface TerraformInstaller {
  exec: Exec;
  /** `terraform`, `tofu` or a path. */
  command: string;
  /** The user's environment, already without plugin-cache variables. */
  env: Record<string, string | undefined>;
  /** A CLI configuration file equal to the user's minus `plugin_cache_dir`; undefined keeps terraform's default lookup. */
  cliConfigFile?: string;
}

/** Variables that would make the scratch init write elsewhere, use a shared cache, or run other commands. */
const SCRATCH_DROPPED = /^(TF_PLUGIN_CACHE_DIR|TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE|TF_DATA_DIR|TF_CLI_ARGS(_.*)?|TF_WORKSPACE)$/;

function hclString(s: string): string {
  if (/[$%]\{/.test(s)) throw new AtmosError(`${JSON.stringify(s)} cannot be written into a scratch module`);
  return JSON.stringify(s);
}

/** The lock-file block terraform writes, for exactly one provider. */
export function lockBlock(p: Pick<LockedProvider, 'source' | 'version' | 'hashes'>): string {
  return [
    `provider ${hclString(p.source)} {`,
    `  version = ${hclString(p.version)}`,
    '  hashes = [',
    ...p.hashes.map((h) => `    ${hclString(h)},`),
    '  ]',
    '}',
    '',
  ].join('\n');
}

export function scratchModule(p: Pick<LockedProvider, 'source' | 'version'>): string {
  return `terraform {\n  required_providers {\n    p = { source = ${hclString(p.source)}, version = ${hclString(`= ${p.version}`)} }\n  }\n}\n`;
}

/**
 * Runs the scratch init in `scratch` (an empty folder on the store's filesystem) and returns the
 * installed package folder (a symlink target when terraform linked from an unpacked mirror).
 */
export async function installWithTerraform(t: TerraformInstaller, p: LockedProvider, platform: string, scratch: string): Promise<string> {
  fs.writeFileSync(path.join(scratch, 'main.tf'), scratchModule(p));
  fs.writeFileSync(path.join(scratch, '.terraform.lock.hcl'), lockBlock(p));
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(t.env)) if (!SCRATCH_DROPPED.test(k)) env[k] = v;
  if (t.cliConfigFile) env.TF_CLI_CONFIG_FILE = t.cliConfigFile;
  env.TF_IN_AUTOMATION = '1';
  env.TF_INPUT = '0';
  let r;
  try {
    r = await t.exec.run(t.command, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: scratch, env });
  } catch (e) {
    throw new AtmosError(`cannot run ${t.command} to install ${formatProviderAddress(p.address)} ${p.version}: ${(e as Error).message}`, { cause: e });
  }
  if (r.code !== 0) {
    const why = (r.stderr + r.stdout)
      .split('\n')
      .filter((l) => l.trim())
      .slice(-6)
      .join(' / ');
    throw new AtmosError(`installing ${formatProviderAddress(p.address)} ${p.version} with ${t.command} failed: ${why}`, { kind: 'instance' });
  }
  const installed = unpackedPackageDir(path.join(scratch, '.terraform', 'providers'), p.address, p.version, platform);
  if (!fs.existsSync(installed)) {
    throw new AtmosError(`${t.command} init reported success but installed no ${platform} package of ${formatProviderAddress(p.address)} ${p.version}`, {
      kind: 'instance',
    });
  }
  return installed;
}
