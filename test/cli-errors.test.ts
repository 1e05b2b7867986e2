import path from 'node:path';
import { REPO_ROOT, runDist } from './helpers/fs.js';

/**
 * Every kind of bad configuration stops before any work with one message naming the file (and
 * line where there is one) and the import chain, exit code 1, and no stack trace.
 */
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/semantics');

const CASES: [fixture: string, where: RegExp, what: RegExp][] = [
  ['yaml-malformed', /stacks\/catalog\/broken\.yaml:3: /, /invalid YAML[\s\S]*import chain: stacks\/deploy\/dev\.yaml → stacks\/catalog\/broken\.yaml/],
  ['imports-missing', /stacks\/catalog\/layer\.yaml:2: /, /import "catalog\/nope-not-here" not found[\s\S]*import chain: stacks\/deploy\/dev\.yaml → stacks\/catalog\/layer\.yaml/],
  ['imports-cycle', /stacks\/catalog\/cycle-a\.yaml: /, /import cycle: stacks\/deploy\/dev\.yaml → stacks\/catalog\/cycle-a\.yaml → stacks\/catalog\/cycle-b\.yaml → stacks\/catalog\/cycle-a\.yaml/],
  ['inheritance-unknown', /stacks\/deploy\/dev\.yaml:8: /, /needs-ghost inherits from ghost-base, which is not defined/],
  ['inheritance-cycle', /stacks\/deploy\/dev\.yaml:\d+: /, /inheritance cycle: cyc-one → cyc-two → cyc-one/],
  ['escape-component', /stacks\/deploy\/dev\.yaml:\d+: /, /component name "\.\.\/evil" .* would escape its directory/],
  ['escape-stack', /stacks\/deploy\/dev\.yaml:\d+: /, /stack name "x\/\.\.\/\.\.\/y" .* would escape its directory/],
  ['naming-dup-conflict', /stacks\/deploy\/b\.yaml: /, /vpc is defined differently for stack dev in stacks\/deploy\/a\.yaml and stacks\/deploy\/b\.yaml/],
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
