import path from 'node:path';
import { REPO_ROOT, runDist, tempDir, writeTree } from './helpers/fs.js';

/**
 * Every kind of bad configuration stops before any work with one message naming the file (and
 * line where there is one) and the import chain, exit code 1, and no stack trace.
 */
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/semantics');

const CASES: [fixture: string, where: RegExp, what: RegExp][] = [
  ['yaml-malformed', /stacks\/catalog\/broken\.yaml:3: /, /invalid YAML[\s\S]*import chain: stacks\/deploy\/dev\.yaml → stacks\/catalog\/broken\.yaml/],
  [
    'imports-missing',
    /stacks\/catalog\/layer\.yaml:2: /,
    /import "catalog\/nope-not-here" not found[\s\S]*import chain: stacks\/deploy\/dev\.yaml → stacks\/catalog\/layer\.yaml/,
  ],
  [
    'imports-cycle',
    /stacks\/catalog\/cycle-a\.yaml: /,
    /import cycle: stacks\/deploy\/dev\.yaml → stacks\/catalog\/cycle-a\.yaml → stacks\/catalog\/cycle-b\.yaml → stacks\/catalog\/cycle-a\.yaml/,
  ],
  ['inheritance-unknown', /stacks\/deploy\/dev\.yaml:8: /, /needs-ghost inherits from ghost-base, which is not defined/],
  ['inheritance-cycle', /stacks\/deploy\/dev\.yaml:\d+: /, /inheritance cycle: cyc-one → cyc-two → cyc-one/],
  ['escape-component', /stacks\/deploy\/dev\.yaml:\d+: /, /component name "\.\.\/evil" .* would escape its directory/],
  ['escape-stack', /stacks\/deploy\/dev\.yaml:\d+: /, /stack name "x\/\.\.\/\.\.\/y" .* would escape its directory/],
  ['backend-mismatch', /stacks\/deploy\/dev\.yaml:9: /, /backend configures s3 but backend_type is gcs/],
];

describe.each(CASES)('dist/cli on %s', (fixture, where, what) => {
  it('exits 1 with one clear message naming the file, no stack trace', () => {
    const dir = path.join(FIXTURES, fixture);
    const r = runDist('cli', ['matrix'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('imports are confined to the repository', () => {
  it('refuses an import that climbs out of the base path, naming the file and line', () => {
    const dir = writeTree(tempDir(), {
      'repo/atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["**/*"]\n',
      'repo/stacks/dev.yaml': 'vars:\n  stage: dev\nimport:\n  - ../../outside\n',
      'outside.yaml': 'vars:\n  secret: leaked\n',
    });
    const r = runDist('cli', ['describe', 'stacks', '-C', path.join(dir, 'repo')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stacks\/dev\.yaml:4: import "\.\.\/\.\.\/outside" resolves to .*outside, outside the repository/);
    expect(r.stdout).not.toMatch(/leaked/);
  });

  it('allows ../ imports that stay inside', () => {
    const dir = writeTree(tempDir(), {
      'atmos.yaml': 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["orgs/**/*"]\n',
      'stacks/orgs/dev.yaml': 'import:\n  - ../catalog/base\ncomponents:\n  terraform:\n    vpc: {}\n',
      'stacks/catalog/base.yaml': 'vars:\n  stage: dev\n',
    });
    const r = runDist('cli', ['describe', 'component', 'vpc', '-s', 'orgs/dev', '--format', 'json', '-C', dir]);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { vars: unknown }).vars).toEqual({ stage: 'dev' });
  });
});
