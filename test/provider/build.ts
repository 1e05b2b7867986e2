/**
 * Builds the test provider `example.com/test/testprov` (versions 1.0.0 and 2.0.0) for the current
 * platform, as terraform would find it in a filesystem mirror, in both layouts:
 *   <root>/packed/example.com/test/testprov/terraform-provider-testprov_<v>_<os>_<arch>.zip
 *   <root>/unpacked/example.com/test/testprov/<v>/<os>_<arch>/
 * Each package holds the native launcher (terraform-provider-testprov_v<v>), provider.cjs with its
 * protocol tables (tfplugin6.cjs, protobuf.cjs), and a self-signed TLS certificate for AutoMTLS.
 *
 * Built once per content (sources, node binary, options) into the OS temp dir and reused by later
 * runs; a cross-process lock makes parallel Jest workers wait for one build instead of racing,
 * and the result is published by renaming a finished staging directory. Nothing is committed.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from '../../src/lock/lock.js';
import { packedPackageFile, terraformPlatform, unpackedPackageDir, type ProviderAddress } from '../../src/providers/layout.js';
import { zipFlatDirectory } from './zip.js';

/** The repository root: the first folder up from here with a package.json (also from a compiled copy under build/). */
function repoRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('test provider build: no package.json above the build script');
  }
}
const ROOT = repoRoot();
const HERE = path.join(ROOT, 'test', 'provider');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const SOURCES = ['provider.cjs', 'tfplugin6.cjs', 'protobuf.cjs', 'launcher.c'];
const PACKAGE_FILES = ['provider.cjs', 'tfplugin6.cjs', 'protobuf.cjs', 'cert.pem', 'key.pem'];
const LAYOUT_VERSION = '1';

export const TESTPROV: ProviderAddress = { host: 'example.com', namespace: 'test', type: 'testprov' };
export const TESTPROV_SOURCE = 'example.com/test/testprov';
export const TESTPROV_VERSIONS = ['1.0.0', '2.0.0'] as const;

export interface TestProviderBuildOptions {
  /** Adds an incompressible `padding.bin` of this size to each package, to widen install races. */
  paddingBytes?: number;
}

export interface TestProvider {
  root: string;
  /** Filesystem mirror, packed layout (zips). */
  packedMirror: string;
  /** Filesystem mirror, unpacked layout (what terraform links to). */
  unpackedMirror: string;
  platform: string;
  zipFile(version: string): string;
  packageDir(version: string): string;
  /** Milliseconds this call spent building; 0 when an earlier build was reused. */
  buildMs: number;
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`test provider build: ${cmd} ${args.join(' ')} failed: ${r.error?.message ?? ''}${r.stderr}`);
  }
}

function cString(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s) || /["\\]/.test(s)) throw new Error(`test provider build: unsupported path for the launcher: ${s}`);
  return `"${s}"`;
}

function buildInto(dir: string, platform: string, opts: TestProviderBuildOptions): void {
  const work = path.join(dir, 'work');
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'launcher_config.h'), `#define NODE_BIN ${cString(process.execPath)}\n#define NODE_MODULES ${cString(NODE_MODULES)}\n`);
  run('gcc', ['-O2', '-Wall', '-Werror', '-I', work, '-o', path.join(work, 'launcher'), path.join(HERE, 'launcher.c')], work);
  // AutoMTLS needs a server certificate for "localhost"; Node cannot create one itself.
  run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '36500',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-addext',
      'extendedKeyUsage=serverAuth,clientAuth',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
    ],
    work,
  );
  for (const file of SOURCES.filter((f) => f !== 'launcher.c')) fs.copyFileSync(path.join(HERE, file), path.join(work, file));
  const padding = opts.paddingBytes ? randomBytes(opts.paddingBytes) : null;

  for (const version of TESTPROV_VERSIONS) {
    const pkg = unpackedPackageDir(path.join(dir, 'unpacked'), TESTPROV, version, platform);
    fs.mkdirSync(pkg, { recursive: true });
    fs.copyFileSync(path.join(work, 'launcher'), path.join(pkg, `terraform-provider-testprov_v${version}`));
    fs.chmodSync(path.join(pkg, `terraform-provider-testprov_v${version}`), 0o755);
    for (const file of PACKAGE_FILES) {
      fs.copyFileSync(path.join(work, file), path.join(pkg, file));
      fs.chmodSync(path.join(pkg, file), 0o644);
    }
    if (padding) fs.writeFileSync(path.join(pkg, 'padding.bin'), padding, { mode: 0o644 });
    zipFlatDirectory(pkg, packedPackageFile(path.join(dir, 'packed'), TESTPROV, version, platform));
  }
  fs.rmSync(work, { recursive: true, force: true });
}

/** The test provider for this platform, built if needed (see the file comment). Linux only (launcher). */
export async function buildTestProvider(opts: TestProviderBuildOptions = {}): Promise<TestProvider> {
  const platform = terraformPlatform(process.platform, process.arch);
  const h = createHash('sha256').update(`${LAYOUT_VERSION}\0${process.execPath}\0${NODE_MODULES}\0${JSON.stringify(opts)}\0`);
  for (const f of SOURCES) h.update(fs.readFileSync(path.join(HERE, f))).update('\0');
  const base = path.join(os.tmpdir(), 'atmos-action-testprov');
  const root = path.join(base, `${platform}-${h.digest('hex').slice(0, 16)}`);

  let buildMs = 0;
  if (!fs.existsSync(root)) {
    await withLock(`${root}.build`, async () => {
      if (fs.existsSync(root)) return; // another worker finished while we waited
      const started = Date.now();
      const staging = `${root}.staging-${process.pid}`;
      fs.rmSync(staging, { recursive: true, force: true });
      try {
        buildInto(staging, platform, opts);
        fs.renameSync(staging, root);
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
      buildMs = Date.now() - started;
    });
  }
  const packedMirror = path.join(root, 'packed');
  const unpackedMirror = path.join(root, 'unpacked');
  return {
    root,
    packedMirror,
    unpackedMirror,
    platform,
    zipFile: (v) => packedPackageFile(packedMirror, TESTPROV, v, platform),
    packageDir: (v) => unpackedPackageDir(unpackedMirror, TESTPROV, v, platform),
    buildMs,
  };
}
