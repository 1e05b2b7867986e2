/**
 * Finding one instance by its names reads every manifest but names only the definitions of the
 * component asked for (stack-names.ts). It must give exactly what a command that lists everything
 * first gets: the same instance, the same error. Checked for every instance of every semantics
 * fixture and of a generated repository, in resolutions that never list everything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { generateStacksRepo } from '../../bench/gen-stacks.js';
import { loadAtmosConfig } from '../../src/config/load.js';
import type { AtmosConfig } from '../../src/config/types.js';
import { Stacks } from '../../src/stacks/resolve.js';
import type { Instance } from '../../src/stacks/types.js';
import { FIXTURES } from '../semantics/helpers.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/** What a command sees of an instance (its describe sections, names and edges), or of the error it gets instead. */
function outcome(lookup: () => Instance): unknown {
  try {
    const i = lookup();
    return {
      stack: i.stack,
      component: i.component,
      file: i.stackFilePath,
      sections: i.sections,
      dependsOn: i.dependsOn,
      unsupported: i.unsupported,
      reads: i.reads,
    };
  } catch (e) {
    return { error: String((e as Error).message) };
  }
}

function compareLookups(config: AtmosConfig): number {
  let listed;
  try {
    listed = new Stacks(config, { env: {} }).instanceNames();
  } catch {
    return 0; // a fixture whose manifests do not all read: the error tests cover it
  }
  const count = new Map<string, number>();
  for (const n of listed) count.set(`${n.component}@${n.stack}`, (count.get(`${n.component}@${n.stack}`) ?? 0) + 1);
  const names = [...new Map(listed.map((n) => [`${n.component}@${n.stack}`, n])).values()];
  // One resolution that named everything first, as `list` or `describe stacks` does.
  const everything = new Stacks(config, { env: {} });
  everything.instanceNames();
  // Lookups by name alone, and by name with the manifest, each in a resolution that never listed everything.
  const byName = new Stacks(config, { env: {} });
  const byManifest = new Stacks(config, { env: {} });
  for (const n of names) {
    const alone = outcome(() => byName.instance(n.component, n.stack));
    expect([n.component, n.stack, alone]).toEqual([n.component, n.stack, outcome(() => everything.instance(n.component, n.stack))]);
    // A matrix leg names the manifest; two manifests defining one instance are compared by the matrix job only.
    if (count.get(`${n.component}@${n.stack}`) === 1) {
      expect(outcome(() => byManifest.instance(n.component, n.stack, { manifest: n.manifest }))).toEqual(alone);
    }
  }
  // And a name nobody defines fails the same way.
  const missing = names[0] ? `${names[0].component}-missing` : 'missing';
  const stack = names[0]?.stack ?? 'nowhere';
  expect(outcome(() => new Stacks(config, { env: {} }).instance(missing, stack))).toEqual(outcome(() => everything.instance(missing, stack)));
  return names.length;
}

const generated = tempDir('atmos-stack-lookup-');
afterAll(() => fs.rmSync(generated, { recursive: true, force: true }));

describe('finding one instance by name', () => {
  it('gives what listing everything first gives, on every semantics fixture', () => {
    let compared = 0;
    for (const name of fs.readdirSync(FIXTURES)) {
      const dir = path.join(FIXTURES, name);
      // include-hcl loads the HCL parser (WebAssembly, seconds): an integration test of its own.
      if (name === 'include-hcl' || !fs.existsSync(path.join(dir, 'atmos.yaml'))) continue;
      let config: AtmosConfig;
      try {
        config = loadAtmosConfig({ cwd: dir, env: {} });
      } catch {
        continue;
      }
      compared += compareLookups(config);
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('gives what listing everything first gives, in a generated repository with per-instance vars', () => {
    generateStacksRepo(generated, { stacks: 4, components: 8, instanceVars: true });
    // 32 concrete instances, and the abstract catalog entries of each stack
    expect(compareLookups(loadAtmosConfig({ cwd: generated, env: {} }))).toBe(52);
  });

  it('takes the concrete definition when another manifest defines the same instance as abstract, whatever was listed before', () => {
    const root = path.join(generated, 'abstract-and-concrete');
    writeTree(root, {
      'atmos.yaml':
        'components:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_pattern: "{stage}"\n',
      'components/terraform/vpc/main.tf': '',
      'stacks/deploy/a.yaml':
        'vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc:\n      metadata:\n        type: abstract\n      vars:\n        from: a\n',
      'stacks/deploy/b.yaml': 'vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        from: b\n',
    });
    const config = loadAtmosConfig({ cwd: root, env: {} });
    const listedFirst = new Stacks(config, { env: {} });
    expect(listedFirst.instanceNames().map((n) => [n.component, n.stack, n.abstract])).toEqual([
      ['vpc', 'dev', true],
      ['vpc', 'dev', false],
    ]);
    for (const stacks of [new Stacks(config, { env: {} }), listedFirst]) {
      expect(stacks.instance('vpc', 'dev', { deployable: true }).vars).toEqual({ stage: 'dev', from: 'b' });
    }
  });
});
