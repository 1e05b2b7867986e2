import { deepMerge } from '../../src/util/merge.js';
import { markAppend, parseYaml } from '../../src/util/yaml.js';

describe('deepMerge', () => {
  it('shares unchanged subtrees instead of copying them, and never mutates its inputs', () => {
    const a = { vars: { tags: { team: 'a' } }, settings: { x: 1 } };
    const b = { vars: { name: 'b' } };
    const out = deepMerge([a, b]);
    expect(out).toEqual({ vars: { tags: { team: 'a' }, name: 'b' }, settings: { x: 1 } });
    expect(out.settings).toBe(a.settings);
    expect(a).toEqual({ vars: { tags: { team: 'a' } }, settings: { x: 1 } });
  });

  it('keeps the key order of a pairwise left-to-right merge', () => {
    expect(
      Object.keys(
        deepMerge([
          { b: 1, a: 1 },
          { c: 1, a: 2 },
          { d: 1, b: 3 },
        ]),
      ),
    ).toEqual(['b', 'a', 'c', 'd']);
  });

  it('lets a later non-map replace maps gathered so far, and a later map start again', () => {
    expect(deepMerge([{ x: { a: 1 } }, { x: { b: 2 } }, { x: 'flat' }, { x: { c: 3 } }])).toEqual({ x: { c: 3 } });
    expect(deepMerge([{ x: { a: 1 } }, { x: null }])).toEqual({ x: null });
  });

  it('groups associatively under replace and append, so layers may be pre-merged', () => {
    const layers = [{ l: [1], m: { a: [1] } }, { l: markAppend([2]), m: { a: markAppend([2]) } }, { l: [3] }, { l: markAppend([4]), m: { a: [9] } }];
    for (const strategy of ['replace', 'append'] as const) {
      const flat = deepMerge(layers, strategy);
      const grouped = deepMerge([deepMerge(layers.slice(0, 2), strategy), deepMerge(layers.slice(2), strategy)], strategy);
      expect(grouped).toEqual(flat);
    }
    expect(deepMerge(layers, 'replace')).toEqual({ l: [3, 4], m: { a: [9] } });
  });

  it('treats [a] + !append [b] as a plain list afterwards, but !append + !append keeps appending', () => {
    const doc = parseYaml('one: !append [b]\ntwo: !append [c]\n', 'x.yaml') as Record<string, unknown[]>;
    const plainThenAppend = deepMerge([{ l: ['a'] }, { l: doc.one }]).l as unknown[];
    expect(deepMerge([{ l: ['base'] }, { l: plainThenAppend }])).toEqual({ l: ['a', 'b'] });
    const appendThenAppend = deepMerge([{ l: doc.one }, { l: doc.two }]).l as unknown[];
    expect(deepMerge([{ l: ['base'] }, { l: appendThenAppend }])).toEqual({ l: ['base', 'b', 'c'] });
  });
});
