/**
 * How YAML function tags are recognised (docs/atmos-compatibility.md §2.1, §11.5): a tag name ends
 * where a name cannot continue, whitespace or not; a local tag Atmos does not register is an
 * error naming the file and line; the standard `!!` tags stay accepted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { tempDir } from '../helpers/fs.js';
import { expectAtmosError, fixture, resolveFixture } from './helpers.js';

/** A copy of the fn-tags repository with `files` written over it. */
function repoWith(files: Record<string, string>): string {
  const dir = tempDir('fn-tags-');
  fs.cpSync(fixture('fn-tags'), dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('function tags (§11.5)', () => {
  it('a `!template |` block whose template trims the space after the tag is still a call', () => {
    const v = resolveFixture('fn-tags').get('test-template-with-expressions', 'nonprod').vars;
    expect(v).toEqual({
      stage: 'nonprod',
      template_list: ['a', 'b', 'c'],
      trimmed_template_list: ['one', 'two'],
      trimmed_template_map: { key: 'value' },
      not_a_call: '!templates["x"]',
      stack_var: 'nonprod',
    });
  });

  it('an unknown tag is an error naming the file, the line and the tag it probably meant', () => {
    // Shaped after Atmos's tests/test-cases/yaml-unsupported-tags/typo-in-tag.yaml.
    const dir = repoWith({
      'stacks/deploy/nonprod.yaml': [
        'vars:',
        '  stage: nonprod',
        'components:',
        '  terraform:',
        '    database:',
        '      vars:',
        '        # Typo: !envv instead of !env',
        '        database_password: !envv DB_PASSWORD',
        '        database_name: "mydb"',
        '',
      ].join('\n'),
    });
    const e = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: dir, env: {} })));
    expect(e.file).toBe(path.join(dir, 'stacks/deploy/nonprod.yaml'));
    expect(e.line).toBe(8);
    expect(e.message).toBe("unsupported YAML tag '!envv' (did you mean '!env'?)");
  });

  it('in an imported file, in a file pulled in by !include, and in atmos.yaml too; `!!` tags stay accepted', () => {
    const imported = repoWith({
      'stacks/deploy/nonprod.yaml': 'import: [catalog/app]\nvars: {stage: nonprod}\n',
      'stacks/catalog/app.yaml': 'components:\n  terraform:\n    app:\n      vars:\n        out: !exce echo hi\n',
    });
    const e1 = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: imported, env: {} })));
    expect([e1.file, e1.line, e1.message]).toEqual([path.join(imported, 'stacks/catalog/app.yaml'), 5, "unsupported YAML tag '!exce' (did you mean '!exec'?)"]);

    const included = repoWith({
      'stacks/deploy/nonprod.yaml': 'vars: !include ../../vars.yaml\n',
      'vars.yaml': 'stage: nonprod\nzone: !zone a\n',
    });
    const e2 = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: included, env: {} })));
    expect(e2.message).toContain("unsupported YAML tag '!zone'");

    const config = repoWith({ 'atmos.yaml': fs.readFileSync(fixture('fn-tags', 'atmos.yaml'), 'utf8').replace('base_path: "."', 'base_path: !wrongtag "."') });
    const e3 = expectAtmosError(() => loadAtmosConfig({ cwd: config, env: {} }));
    expect([e3.file, e3.line]).toEqual([path.join(config, 'atmos.yaml'), 1]);
    expect(e3.message).toMatch(/^unsupported YAML tag '!wrongtag' \(supported tags: !env, !exec, /);

    const standard = repoWith({
      'stacks/deploy/nonprod.yaml': "vars:\n  stage: nonprod\n  port: !!str 8080\ncomponents:\n  terraform:\n    app:\n      vars: {n: !!int '3'}\n",
    });
    const app = resolveStacks(loadAtmosConfig({ cwd: standard, env: {} })).instances.find((i) => i.component === 'app');
    expect(app?.vars).toEqual({ stage: 'nonprod', port: '8080', n: 3 });
  });
});
