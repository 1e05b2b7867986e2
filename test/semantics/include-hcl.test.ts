/**
 * `!include` of HCL files (docs/atmos-compatibility.md §11.5): `.tf`, `.tfvars` and `.hcl` are read
 * by their extension as HCL, their top-level attributes becoming a map, as Atmos does. The fixture
 * is shaped like Atmos's native-terraform example (stacks reusing a root module's .tfvars files).
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { REPO_ROOT, cleanEnv, runDist, tempDir, writeTree } from '../helpers/fs.js';
import { errorText, expectAtmosError, fixture, resolveFixture } from './helpers.js';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';

describe('!include of HCL files (§11.5)', () => {
  it('reads a .tfvars file as the vars of a component, merged with the imported defaults (native-terraform)', () => {
    const r = resolveFixture('include-hcl');
    expect(r.get('vpc', 'dev').vars).toEqual({
      environment: 'dev',
      owner: 'platform',
      cidr_block: '10.0.0.0/16',
      enable_dns_hostnames: true,
      tags: { Environment: 'Development', Team: 'platform' },
    });
    expect(r.get('vpc', 'prod').vars).toEqual({
      environment: 'prod',
      owner: 'platform',
      cidr_block: '10.1.0.0/16',
      enable_dns_hostnames: true,
      azs: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
      tags: { Environment: 'Production', 'cost-center': '1234' },
    });
  });

  it('converts .tf, .tfvars and .hcl attributes as Atmos does, a YQ path included', () => {
    const v = resolveFixture('include-hcl').get('settings-from-hcl', 'dev').vars as Record<string, unknown>;
    expect(v.list_var).toEqual(['a', 'b', 'c']);
    expect(v.map_var).toEqual({ a: 1, b: 2, c: 3 });
    expect(v.from_tf).toEqual({ instance_type: 't3.micro', region: 'us-west-2' });
    expect(v.from_hcl).toEqual({
      // Atmos turns every HCL number into a 64-bit integer
      ratio: 1,
      negative: -3,
      nothing: null,
      escaped: '${not_interpolated} and %{not_a_directive}',
      quoted: 'tab\there "q"',
      message: 'first\n  second\n',
      nested: { list: [1, { deep: true }], 'key with space': 'v' },
      empty: [],
    });
  });

  function repoWith(file: string, content: string): string {
    return writeTree(tempDir('include-hcl-bad-'), {
      'atmos.yaml':
        'stacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_pattern: "{stage}"\ncomponents:\n  terraform:\n    base_path: components\n',
      'stacks/dev.yaml': `vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc:\n      vars: !include ../${file}\n`,
      [file]: content,
    });
  }

  function resolveError(dir: string): string {
    return errorText(expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: dir, env: {} }), { env: {} })));
  }

  it('refuses a block, as Atmos does, naming the file and line', () => {
    const dir = repoWith('vars.tf', 'region = "us-east-2"\n\nvariable "name" {\n  default = "x"\n}\n');
    const text = resolveError(dir);
    expect(text).toContain(`${path.join(dir, 'vars.tf')}:3: the block \`variable { … }\` cannot be read as a value`);
    expect(text).toContain(path.join(dir, 'stacks/dev.yaml'));
  });

  it('refuses an expression (a reference, a function call, arithmetic) with its file and line, rather than passing "${…}" on', () => {
    for (const [expr, shown] of [
      ['var.region', 'var.region'],
      ['upper("a")', 'upper("a")'],
      ['"x-${var.y}"', '"x-${var.y}"'],
      ['1 + 2', '1 + 2'],
    ]) {
      const dir = repoWith('bad.tfvars', `ok = 1\n\nregion = ${expr}\n`);
      expect(resolveError(dir)).toContain(`${path.join(dir, 'bad.tfvars')}:3: \`${shown}\` is an expression`);
    }
  });

  it('reports an HCL syntax error with its file and line', () => {
    const dir = repoWith('broken.hcl', 'a = 1\nb = \n= c\n');
    expect(resolveError(dir)).toMatch(new RegExp(`${path.join(dir, 'broken.hcl').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid HCL: .*broken\\.hcl:2,`));
  });
});

describe('the HCL parser in the bundle', () => {
  /** Reports every read of the parser's WebAssembly file on stderr (a preload wrapping fs.readFileSync). */
  const watchWasm =
    "import fs from 'node:fs'; const read = fs.readFileSync; fs.readFileSync = function (p, ...rest) { if (String(p).endsWith('.wasm.gz')) process.stderr.write('WASM READ ' + String(p) + '\\n'); return read.call(this, p, ...rest); };";
  const env = () => cleanEnv({ NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(watchWasm)}` });

  it('is found next to dist/ at run time, and only a run that includes an HCL file loads it', () => {
    const withHcl = runDist('cli', ['describe', 'component', 'vpc', '-s', 'dev', '--format', 'json', '-C', fixture('include-hcl')], { env: env() });
    expect(withHcl.stderr).toContain(`WASM READ ${path.join(REPO_ROOT, 'dist', 'cli')}`);
    expect(withHcl.code).toBe(0);
    expect((JSON.parse(withHcl.stdout) as { vars: Record<string, unknown> }).vars.cidr_block).toBe('10.0.0.0/16');

    const matrix = runDist('cli', ['matrix', '-C', path.join(REPO_ROOT, 'examples')], { env: env() });
    expect(matrix.code).toBe(0);
    expect(matrix.stderr).not.toContain('WASM READ');
  });
});
