import fs from 'node:fs';
import path from 'node:path';
import { h1HashOfDirectory } from '../../src/providers/hash.js';
import { readLockFile } from '../../src/providers/lockfile.js';
import { tempDir } from '../helpers/fs.js';
import { buildTestProvider, TESTPROV, TESTPROV_SOURCE, type TestProvider } from '../provider/build.js';
import { mirrorOnlyCliConfig, requireTerraform, rootModule, terraform, tfSandbox, type TfSandbox } from '../provider/terraform.js';

/**
 * Real terraform, offline, with the Node test provider installed from a filesystem mirror: the
 * whole resource lifecycle on 1.0.0, an upgrade to 2.0.0, and the lock files terraform writes
 * (read back with our parser, and their h1: hashes recomputed by our own code).
 */
let prov: TestProvider;
const dirs: string[] = [];
const sandboxes: TfSandbox[] = [];

beforeAll(async () => {
  requireTerraform();
  prov = await buildTestProvider();
  if (prov.buildMs > 0) console.log(`test provider built in ${prov.buildMs} ms into ${prov.root}`);
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const s of sandboxes) s.cleanup();
});

function workspace(version: string): string {
  const dir = tempDir('atmos-action-testprov-');
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'main.tf'), rootModule(version));
  return dir;
}

function sandbox(mirror: string, extraEnv: Record<string, string> = {}): TfSandbox {
  const s = tfSandbox(mirrorOnlyCliConfig(mirror), extraEnv);
  sandboxes.push(s);
  return s;
}

const outputs = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8')).outputs as Record<string, { value: string }>;

describe('the test provider under real terraform', () => {
  it('installs from a packed mirror, plans, applies, re-plans with no change, upgrades to 2.0.0 and destroys', async () => {
    const rpcLog = path.join(tempDir('atmos-action-testprov-log-'), 'rpc.log');
    dirs.push(path.dirname(rpcLog));
    const { env } = sandbox(prov.packedMirror, { TESTPROV_LOG: rpcLog });
    const dir = workspace('1.0.0');
    const lockPath = path.join(dir, '.terraform.lock.hcl');
    const ok = async (args: string[], code = 0) => {
      const r = await terraform(dir, args, env);
      expect(`terraform ${args.join(' ')} → ${r.code}${r.code === code ? '' : `\n${r.out}`}`).toBe(`terraform ${args.join(' ')} → ${code}`);
      return r;
    };

    const init = await ok(['init', '-input=false']);
    expect(init.out).toContain('Installing example.com/test/testprov v1.0.0');
    const [locked, ...others] = await readLockFile(lockPath);
    expect(others).toEqual([]);
    expect(locked).toMatchObject({ address: TESTPROV, source: TESTPROV_SOURCE, version: '1.0.0', constraints: '1.0.0' });
    // A mirror is not a signing registry: terraform records only the h1: of what it unpacked, and
    // it is the one our own hash of the unpacked package gives.
    expect(locked!.hashes).toEqual([await h1HashOfDirectory(prov.packageDir('1.0.0'))]);
    const lockAfterInit = fs.readFileSync(lockPath, 'utf8');

    await ok(['plan', '-input=false', '-detailed-exitcode'], 2);
    const apply = await ok(['apply', '-input=false', '-auto-approve']);
    expect(apply.out).toContain('1 added, 0 changed, 0 destroyed');
    const created = outputs(dir);
    expect(created.result!.value).toBe('1.0.0:hello');
    expect(created.id!.value).toMatch(/^[0-9a-f]{16}$/);
    // Re-plan: terraform upgrades and refreshes the stored state through the provider, and finds nothing to do.
    await ok(['plan', '-input=false', '-detailed-exitcode'], 0);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(lockAfterInit);

    fs.writeFileSync(path.join(dir, 'main.tf'), rootModule('2.0.0'));
    const upgrade = await ok(['init', '-input=false', '-upgrade']);
    expect(upgrade.out).toContain('Installing example.com/test/testprov v2.0.0');
    const [relocked] = await readLockFile(lockPath);
    expect(relocked).toMatchObject({ version: '2.0.0', constraints: '2.0.0', hashes: [await h1HashOfDirectory(prov.packageDir('2.0.0'))] });
    expect(relocked!.hashes).not.toEqual(locked!.hashes);

    // The new version recomputes `result`, keeping the resource (same id): proof 2.0.0 ran.
    await ok(['apply', '-input=false', '-auto-approve']);
    expect(outputs(dir).result!.value).toBe('2.0.0:hello');
    expect(outputs(dir).id!.value).toBe(created.id!.value);
    await ok(['plan', '-input=false', '-detailed-exitcode'], 0);

    const destroy = await ok(['destroy', '-input=false', '-auto-approve']);
    expect(destroy.out).toContain('1 destroyed');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'terraform.tfstate'), 'utf8')).resources).toEqual([]);

    // Every provider process terraform started spoke TLS (terraform's default AutoMTLS) and was shut down.
    const lines = fs.readFileSync(rpcLog, 'utf8').trim().split('\n');
    const starts = lines.filter((l) => / start /.test(l));
    expect(starts.length).toBeGreaterThan(5);
    expect(starts.filter((l) => !l.endsWith(' start tls'))).toEqual([]);
    expect(lines.filter((l) => l.endsWith(' Shutdown'))).toHaveLength(starts.length);
    expect(lines.some((l) => l.endsWith(' 2.0.0 ApplyResourceChange'))).toBe(true);
  });

  it('from an unpacked mirror, init links the package in place, writes the same h1:, and never writes to the mirror', async () => {
    const { env } = sandbox(prov.unpackedMirror);
    const dir = workspace('2.0.0');
    const before = fs.statSync(prov.packageDir('2.0.0')).mtimeMs;

    const init = await terraform(dir, ['init', '-input=false'], env);
    expect(init.code).toBe(0);
    const linked = path.join(dir, '.terraform/providers', TESTPROV_SOURCE, '2.0.0', prov.platform);
    expect(fs.lstatSync(linked).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(linked)).toBe(fs.realpathSync(prov.packageDir('2.0.0')));
    const [locked] = await readLockFile(path.join(dir, '.terraform.lock.hcl'));
    expect(locked!.hashes).toEqual([await h1HashOfDirectory(prov.packageDir('2.0.0'))]);

    const apply = await terraform(dir, ['apply', '-input=false', '-auto-approve'], env);
    expect(apply.code).toBe(0);
    expect(outputs(dir).result!.value).toBe('2.0.0:hello');
    expect(fs.statSync(prov.packageDir('2.0.0')).mtimeMs).toBe(before);
  });
});
