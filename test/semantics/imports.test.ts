/**
 * Rule 1 — `import:` (docs/atmos-compatibility.md §2.1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { tempDir } from '../helpers/fs.js';
import { resolveFixture, expectAtmosError, errorText, fixture, instanceKeys } from './helpers.js';

describe('imports (§2.1)', () => {
  it('resolves string/object forms, ./ ../ and base-relative paths, implied extensions, sorted globs and merge order', () => {
    const r = resolveFixture('imports');
    // deploy/_defaults.yaml is excluded by **/_defaults.yaml, so only one top-level stack.
    expect(instanceKeys(r)).toEqual(['vpc@dev']);
    const vpc = r.get('vpc', 'dev');
    // Import order in deploy/dev.yaml: catalog/base, catalog/yml-only, (not-there: skipped),
    // ./_defaults, layers/mid, mixins/region/{a,b,c} (sorted), then the file itself.
    // - order: every file sets it; the importing file beats its imports → "top".
    // - last_import: set by every import but not by dev.yaml → the last import, c.yaml.
    // - first_two: base then yml-only → later import wins → "yml-only".
    // - ext: catalog/base → base.yaml is tried before base.yml, so base.yml is never read
    //   (its ext: yml / yml_sibling_loaded would show otherwise).
    // - yml_only: catalog/yml-only has no .yaml, so .yml is used.
    // - rel_chain: layers/mid.yaml beats its own import ../catalog/parent-rel.yaml.
    // - dup_root / dup_local: `catalog/dup` from layers/mid.yaml is base-path relative
    //   (stacks/catalog/dup.yaml); `./catalog/dup` is file relative (stacks/layers/catalog/dup.yaml).
    // - glob: a < b < c sorted, last wins; glob_a only from a.yaml.
    expect(vpc.vars).toEqual({
      stage: 'dev',
      order: 'top',
      last_import: 'c',
      first_two: 'yml-only',
      ext: 'yaml',
      yml_only: 'yml',
      defaults_file: 'deploy-defaults',
      parent_rel: 'parent-rel',
      rel_chain: 'mid',
      dup_root: 'root',
      dup_local: 'local',
      glob: 'c',
      glob_a: 'a',
      comp: 'vpc',
    });
    expect(vpc.stackFile).toBe('deploy/dev');
  });

  it('a missing import is an AtmosError naming the importing file', () => {
    // deploy/dev.yaml → catalog/layer.yaml → catalog/nope-not-here (absent, no skip_if_missing)
    const e = expectAtmosError(() => resolveFixture('imports-missing'));
    const text = errorText(e);
    expect(text).toContain('nope-not-here');
    expect(text).toContain('catalog/layer');
  });

  it('an import cycle is an AtmosError naming the chain', () => {
    // deploy/dev.yaml → catalog/cycle-a → catalog/cycle-b → catalog/cycle-a
    const e = expectAtmosError(() => resolveFixture('imports-cycle'));
    const text = errorText(e);
    expect(text).toContain('cycle-a');
    expect(text).toContain('cycle-b');
  });

  it('importing oneself is an AtmosError', () => {
    // §2.1: "Importing oneself is an error."
    const e = expectAtmosError(() => resolveFixture('imports-self'));
    expect(errorText(e)).toContain('selfie');
  });

  it('`context` in an import object renders the imported file (§11.4)', () => {
    expect(resolveFixture('imports-context').get('vpc', 'dev').vars.x).toBe(1);
  });

  it('a path with an extension is read as written; a .tmpl with a context is rendered; a bare glob matches .yaml only', () => {
    // Shaped after Atmos's `complete` fixture: prod.yaml → prod.defaults.tmpl → defaults.tmpl →
    // defaults.tmpl (control flow), each import passing a context that the importer's beats.
    const r = resolveFixture('imports-ext');
    expect(instanceKeys(r)).toEqual(['iam-role/webservices/prod@prod']);
    expect(r.get('iam-role/webservices/prod', 'prod').vars).toEqual({
      stage: 'prod',
      enabled: true,
      namespace: 'prod',
      policies: ['arn:aws:iam::aws:policy/AmazonS3FullAccess', 'arn:aws:iam::aws:policy/AmazonSQSFullAccess'],
      region: 'us-east-2', // mixins/region.yaml; mixins/ignored.yml is not matched by `mixins/*`
      tags_from: 'explicit-yml',
      network: 'from-tmpl', // catalog/network.yaml is read as network.yaml.tmpl, rendered
    });
  });

  it('an extension that is not .yaml/.yml is never completed: the error names what was looked for and the likely file', () => {
    const dir = tempDir('imports-ext-');
    fs.cpSync(fixture('imports-ext'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks/catalog/names.defaults.yaml'), 'vars: {x: 1}\n');
    fs.writeFileSync(path.join(dir, 'stacks/deploy/prod.yaml'), 'import:\n  - catalog/names.defaults\nvars: {stage: prod}\n');
    const e = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: dir, env: {} })));
    expect(e.file).toBe(path.join(dir, 'stacks/deploy/prod.yaml'));
    expect(e.line).toBe(2);
    expect(e.message).toBe(
      'import "catalog/names.defaults" not found (looked for stacks/catalog/names.defaults; a path with an extension is read as written, as Atmos does): ' +
        'did you mean "catalog/names.defaults.yaml"?',
    );
  });
});
