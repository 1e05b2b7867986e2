/**
 * A file's layers merge with every `components.terraform` entry merged on its first read
 * (imports.ts, mergeLayers): the result must be deepMerge's, key order included, whatever the
 * layers hold and however they nest.
 */
import { describe, expect, it } from '@jest/globals';
import { mergeLayers } from '../../src/stacks/imports.js';
import { deepMerge, type ListMergeStrategy, type Plain } from '../../src/util/merge.js';
import { isAppendList, markAppend } from '../../src/util/yaml.js';

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function value(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 2 || r < 0.3) return [1, 'x', null, '', true][Math.floor(rnd() * 5)];
  if (r < 0.45) {
    const list = [value(rnd, depth + 1), { k: value(rnd, depth + 1) }];
    return rnd() < 0.3 ? markAppend(list) : list;
  }
  if (r < 0.5) return {};
  const out: Plain = {};
  for (const k of ['vars', 'settings', 'metadata', 'a', 'b'].filter(() => rnd() < 0.5)) out[k] = value(rnd, depth + 1);
  return out;
}

function layer(rnd: () => number): Plain {
  const out: Plain = {};
  if (rnd() < 0.5) out.vars = value(rnd, 1);
  const r = rnd();
  if (r < 0.85) {
    const tf: Plain = {};
    for (const name of ['vpc', 'eks', 'rds', 'vpc/b', 'app'].filter(() => rnd() < 0.5)) tf[name] = rnd() < 0.1 ? null : value(rnd, 1);
    const components: Plain = rnd() < 0.3 ? { helmfile: value(rnd, 1) } : {};
    if (rnd() < 0.95) components.terraform = tf;
    else components.terraform = rnd() < 0.5 ? null : 'flat';
    if (rnd() < 0.3) components.other = value(rnd, 1);
    out.components = components;
  } else if (r < 0.9) out.components = null;
  if (rnd() < 0.3) out.settings = value(rnd, 1);
  return out;
}

/** JSON with `!append` lists marked, so the comparison sees the marker too. */
function shown(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (Array.isArray(x) && isAppendList(x) ? { append: [...x] } : x));
}

describe('merging a file over its imports', () => {
  it('gives deepMerge’s result, key order included, for random layers under every list strategy', () => {
    let deferred = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const rnd = random(seed);
      const strategy = (['replace', 'append', 'merge'] as ListMergeStrategy[])[seed % 3]!;
      const layers = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => layer(rnd));
      // A layer may itself be a merged file (an import's tree), definitions not read yet.
      if (rnd() < 0.5) layers.splice(0, 0, mergeLayers([layer(rnd), layer(rnd), layer(rnd)], strategy));
      const expected = shown(deepMerge(layers, strategy));
      const merged = mergeLayers(layers, strategy);
      const definitions = Object.getOwnPropertyDescriptors(((merged.components ?? {}) as Plain).terraform ?? {});
      if (Object.values(definitions).some((d) => d.get)) deferred++;
      expect([seed, shown(merged)]).toEqual([seed, expected]);
    }
    // The deferred path was taken, not only the plain deepMerge.
    expect(deferred).toBeGreaterThan(120);
  });

  it('merges a definition once and gives the same value on every read', () => {
    const merged = mergeLayers(
      [{ components: { terraform: { vpc: { vars: { a: 1 } }, eks: { vars: { e: 1 } } } } }, { components: { terraform: { vpc: { vars: { b: 2 } } } } }],
      'replace',
    );
    const tf = (merged.components as Plain).terraform as Plain;
    expect(Object.keys(tf)).toEqual(['vpc', 'eks']);
    expect(tf.vpc).toBe(tf.vpc);
    expect(tf.vpc).toEqual({ vars: { a: 1, b: 2 } });
    expect(Object.getOwnPropertyDescriptor(tf, 'eks')?.get).toBeDefined();
  });
});
