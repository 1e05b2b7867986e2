/**
 * Rule 11 — YAML functions are reported, not evaluated (docs/atmos-compatibility.md §2.1 "YAML: … A YAML-function
 * tag is stored as the string "!tag args" … a quoted '!env FOO' is treated as a function too"),
 * and malformed YAML is an error with file and line (docs/architecture.md, failure policy).
 */
import { describe, it, expect } from '@jest/globals';
import { fixture, resolveFixture, sortUnsupported, expectAtmosError } from './helpers.js';
import { errorText } from './helpers.js';

describe('YAML functions (§2.1)', () => {
  it('lists every function with its dotted path and raw "!tag args" value', () => {
    const r = resolveFixture('yaml-functions');
    const app = r.get('app', 'dev');
    expect(sortUnsupported(app.unsupported).map(({ path, value, kind }) => ({ path, value, kind }))).toEqual([
      { path: 'env.TOKEN', value: '!env GITHUB_TOKEN', kind: 'yaml-function' },
      { path: 'vars.home', value: '!env HOME', kind: 'yaml-function' },
      { path: 'vars.listing', value: '!exec echo hi', kind: 'yaml-function' },
      { path: 'vars.nested.deep', value: '!terraform.state vpc .vpc_id', kind: 'yaml-function' },
      { path: 'vars.quoted', value: '!env FOO', kind: 'yaml-function' },
      // a global var carrying a function reaches the component
      { path: 'vars.region', value: '!env AWS_REGION', kind: 'yaml-function' },
      { path: 'vars.secret', value: '!store ssm /path key', kind: 'yaml-function' },
      { path: 'vars.tmpl', value: '!template [1, 2]', kind: 'yaml-function' },
      { path: 'vars.vpc_id', value: '!terraform.output vpc vpc_id', kind: 'yaml-function' },
    ]);
    // Each is located where it is written (file and line), for one report per place.
    const dev = fixture('yaml-functions', 'stacks', 'deploy', 'dev.yaml');
    const at = (p: string) => app.unsupported.find((u) => u.path === p);
    expect(at('vars.vpc_id')).toMatchObject({ file: dev, line: 10 });
    expect(at('vars.region')).toMatchObject({ file: dev, line: 3 });
    expect(at('vars.tmpl')).toMatchObject({ file: dev, line: 14 });
    expect(at('env.TOKEN')).toMatchObject({ file: dev, line: 19 });
    expect(app.vars.plain).toBe('value');
    expect(app.vars.stage).toBe('dev');
    expect(app.settings).toEqual({ plain_setting: 'ok' });
  });
});

describe('malformed YAML', () => {
  it('is an AtmosError naming the file and line, with the import chain', () => {
    // stacks/catalog/broken.yaml line 3 is `  bad: a: b` (a nested mapping in a compact value)
    const e = expectAtmosError(() => resolveFixture('yaml-malformed'));
    expect(e.file).toBeDefined();
    expect(String(e.file).replace(/\\/g, '/')).toMatch(/catalog\/broken\.yaml$/);
    expect(e.line).toBe(3);
    expect(e.chain.join('\n')).toContain('deploy/dev');
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 14 — YAML errors (README "duplicate keys refused, errors with file and line"; §2.2 a
// manifest is a map of sections)
// ---------------------------------------------------------------------------------------------
describe('YAML errors', () => {
  it('a duplicate key in one map is an AtmosError with the file and line of the duplicate', () => {
    // stacks/catalog/dup.yaml line 6 is the second `a:` under vpc.vars
    const e = expectAtmosError(() => resolveFixture('more-yaml-dup'));
    expect(String(e.file).replace(/\\/g, '/')).toMatch(/catalog\/dup\.yaml$/);
    expect(e.line).toBe(6);
  });

  it('a manifest whose top level is a list is an AtmosError naming the file', () => {
    const e = expectAtmosError(() => resolveFixture('more-yaml-list'));
    expect(errorText(e).replace(/\\/g, '/')).toContain('catalog/listy');
  });
});
