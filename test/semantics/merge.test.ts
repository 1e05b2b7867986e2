/**
 * Rule 2 — deep merge (docs/atmos-compatibility.md §2.3) and YAML parsing (§2.1 "YAML: go-yaml v3").
 */
import { describe, it, expect } from '@jest/globals';
import { resolveFixture } from './helpers.js';
import { type Resolved } from './helpers.js';
import { beforeAll } from '@jest/globals';

describe('deep merge (§2.3)', () => {
  it('replace strategy (default): maps recurse, scalars/null/""/0/false override, type changes, lists replace, !append appends; YAML 1.2 scalars; anchors and merge keys', () => {
    const r = resolveFixture('merge-replace');
    const vpc = r.get('vpc', 'dev');
    // catalog/base.yaml is merged first, deploy/dev.yaml on top (§2.1), then the component
    // section (global vars → component vars, §2.2).
    expect(vpc.vars).toEqual({
      stage: 'dev',
      // map + map → recurse: a kept, b.c replaced, b.d kept, e added
      nested: { a: 'base-a', b: { c: 'top-c', d: 'base-d' }, e: 'top-e' },
      // null, "", 0, false all replace the dst value
      to_null: null,
      map_to_null: null,
      to_empty: '',
      to_zero: 0,
      to_false: false,
      // type changes: src wins across types
      map_to_string: 'now-a-string',
      string_to_map: { k: 'v' },
      // replace: src list replaces dst list
      list_replace: [3],
      // `!append` appends regardless of the strategy (import-level merge)
      list_appended: ['base', 'top'],
      // an empty map merged into a map changes nothing
      empty_map_into: { keep: 'kept' },
      // YAML 1.2 core schema: yes/on/off/no are strings
      yes_str: 'yes',
      on_str: 'on',
      off_str: 'off',
      no_str: 'no',
      tilde: null,
      // anchors, aliases and `<<` merge keys
      anchored: { team: 'platform', size: 'small' },
      aliased: { team: 'platform', size: 'small' },
      merged: { team: 'platform', size: 'large' },
      // `!append` at component level appends to the global list
      comp_list: ['global', 'comp'],
    });
  });

  it('append strategy: dst followed by src, at import level and through globals → base → component', () => {
    const r = resolveFixture('merge-append');
    // globals: catalog/base [base] + deploy/dev [top] = [base, top]
    // vpc: globals [base, top] + vpc [comp]
    expect(r.get('vpc', 'dev').vars).toEqual({ stage: 'dev', tags: ['base', 'top', 'comp'] });
    // derived: globals + base vpc's own [comp] + derived [derived] (§2.2 order)
    expect(r.get('derived', 'dev').vars).toEqual({ stage: 'dev', tags: ['base', 'top', 'comp', 'derived'] });
  });

  it('merge strategy: element-wise, maps deep-merged, dst kept for scalars, extra src elements appended', () => {
    const r = resolveFixture('merge-merge');
    expect(r.get('vpc', 'dev').vars).toEqual({
      stage: 'dev',
      items: [
        // both maps → deep merge
        { a: 1, b: 2, c: 2, n: { x: 1, y: 2 } },
        // scalars → dst kept
        'x',
        // map vs scalar → dst kept
        { k: 1 },
        // extra src element appended
        'extra',
      ],
      // src shorter: index 0 scalar → dst kept; remaining dst elements stay
      short: [1, 2, 3],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Rules 2, 3 — per-component list_merge_strategy (§2.3, issue #2396), `!append` through
// inheritance (§2.3 "A list tagged !append appends whatever the strategy")
// ---------------------------------------------------------------------------------------------
describe('per-component settings.list_merge_strategy and !append through inheritance (§2.3)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-lists');
  });

  it('atmos.yaml has no strategy → replace for the config', () => {
    expect(r.config.listMergeStrategy).toBe('replace');
  });

  it('settings.list_merge_strategy: append on the component governs its merges', () => {
    // vars: global {tags:[global]} → base {tags:[base]} → own {tags:[own]}, appended.
    const a = r.get('appender', 'dev');
    expect(a.vars).toEqual({ stage: 'dev', tags: ['global', 'base', 'own'], l2: ['g'] });
    expect(a.settings).toEqual({ list_merge_strategy: 'append' });
  });

  it('a sibling without the setting keeps the atmos.yaml strategy (replace)', () => {
    expect(r.get('replacer', 'dev').vars).toEqual({ stage: 'dev', tags: ['own'], l2: ['g'] });
    expect(r.get('base', 'dev').vars).toEqual({ stage: 'dev', tags: ['base'], l2: ['g'] });
  });

  it('the setting may come from a base component’s settings (any level)', () => {
    // viabase inherits base2 whose settings carry append: global [global] ← base2 [b2] ← own [own]
    const v = r.get('viabase', 'dev');
    expect(v.settings).toEqual({ list_merge_strategy: 'append' });
    expect(v.vars).toEqual({ stage: 'dev', tags: ['global', 'b2', 'own'], l2: ['g'] });
    // base2's own (abstract) instance also merges under append: [global] + [b2]
    expect(r.get('base2', 'dev').vars).toEqual({ stage: 'dev', tags: ['global', 'b2'], l2: ['g'] });
  });

  it('!append through inheritance: base l: [a], component l: !append [b] → [a, b] under replace', () => {
    // l2: global [g] ← lbase !append [b] ← lchild !append [c] → every step appends → [g, b, c]
    expect(r.get('lchild', 'dev').vars).toEqual({ stage: 'dev', tags: ['global'], l: ['a', 'b'], l2: ['g', 'b', 'c'] });
    // lbase's own instance: global [g] ← !append [b]
    expect(r.get('lbase', 'dev').vars).toEqual({ stage: 'dev', tags: ['global'], l: ['a'], l2: ['g', 'b'] });
  });
});
