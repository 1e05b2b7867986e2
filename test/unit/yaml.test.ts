/**
 * The YAML reader: alias expansion bounded as go-yaml v3 bounds it (docs/yaml.md), anchors and
 * merge keys as before, and errors that name the file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { AtmosError } from '../../src/util/errors.js';
import { isAppendList, parseYaml } from '../../src/util/yaml.js';
import { allowedAliasRatio } from '../../src/util/yaml-to-js.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/** The classic "billion laughs": 10 levels of 10 aliases each, 10^10 nodes once expanded. */
function billionLaughs(): string {
  const lines = ['lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `lol${i}: &lol${i} [${Array(10)
        .fill(`*lol${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}

function parseError(text: string, file = 'stacks/x.yaml'): AtmosError {
  try {
    parseYaml(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(AtmosError);
    return e as AtmosError;
  }
  throw new Error('expected parseYaml to throw');
}

describe('alias bombs', () => {
  it('refuses a billion-laughs document, naming the file and the line of the alias that crossed the limit', () => {
    const e = parseError(billionLaughs(), 'stacks/bomb.yaml');
    expect(e.message).toMatch(/excessive aliasing/);
    expect(e.file).toBe('stacks/bomb.yaml');
    // lol3 (1,000s of expanded nodes against a few dozen written ones) is the first level over 99 %
    expect(e.line).toBe(4);
  });

  it('refuses a bomb hidden in a merge key, as go-yaml counts merged sources as aliases', () => {
    const lines = ['a0: &a0 {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}'];
    for (let i = 1; i <= 9; i++) {
      const sources = Array.from({ length: 10 }, (_, j) => `m${j}: *a${i - 1}`).join(', ');
      lines.push(`a${i}: &a${i} {${sources}}`);
    }
    lines.push('top:', '  <<: *a9');
    expect(parseError(lines.join('\n')).message).toMatch(/excessive aliasing/);
  });

  it('refuses a bomb in a stack manifest with an error naming that manifest', () => {
    const root = tempDir('atmos-yaml-');
    cleanups.push(root);
    writeTree(root, {
      'atmos.yaml':
        'components:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_pattern: "{stage}"\n',
      'stacks/deploy/dev.yaml': `vars:\n  stage: dev\nsettings:\n${billionLaughs().replace(/^(?=.)/gm, '  ')}`,
    });
    let caught: unknown;
    try {
      resolveStacks(loadAtmosConfig({ cwd: root, env: {} }));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AtmosError);
    const e = caught as AtmosError;
    expect(e.message).toMatch(/excessive aliasing/);
    expect(path.relative(root, String(e.file))).toBe(path.join('stacks', 'deploy', 'dev.yaml'));
    expect(e.line).toBe(7); // lol3, 3 lines down
  });

  it('accepts heavy but bounded reuse: 1,000 maps each merging the same anchored defaults', () => {
    const lines = ['defaults: &defaults {a: 1, b: 2, c: 3, d: [x, y, z]}', 'components:'];
    for (let i = 0; i < 1000; i++) lines.push(`  c${i}:`, '    <<: *defaults', `    name: c${i}`);
    const doc = parseYaml(lines.join('\n'), 'x.yaml') as { components: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.components)).toHaveLength(1000);
    expect(doc.components.c999).toEqual({ a: 1, b: 2, c: 3, d: ['x', 'y', 'z'], name: 'c999' });
  });

  it('allows 99 % of decoded nodes through aliases up to 400,000 nodes, 10 % from 4,000,000, linear between', () => {
    expect(allowedAliasRatio(1_000)).toBe(0.99);
    expect(allowedAliasRatio(400_000)).toBe(0.99);
    expect(allowedAliasRatio(2_200_000)).toBeCloseTo(0.545, 6);
    expect(allowedAliasRatio(4_000_000)).toBeCloseTo(0.1, 6);
    expect(allowedAliasRatio(50_000_000)).toBe(0.1);
  });
});

describe('anchors and merge keys', () => {
  it('resolves aliases, with explicit keys winning wherever they stand and earlier merge sources winning', () => {
    const doc = parseYaml(
      [
        'base: &base {region: us-east-1, size: small, tags: {team: a}}',
        'extra: &extra {size: large, zone: b}',
        'svc:',
        '  size: medium',
        '  <<: [*base, *extra]',
        '  region: eu-west-1',
        'copy: *base',
        'inline:',
        '  <<: {q: 1}',
        '  q: 2',
      ].join('\n'),
      'x.yaml',
    ) as Record<string, Record<string, unknown>>;
    expect(doc.svc).toEqual({ size: 'medium', region: 'eu-west-1', tags: { team: 'a' }, zone: 'b' });
    expect(Object.keys(doc.svc)).toEqual(['size', 'region', 'tags', 'zone']);
    expect(doc.copy).toEqual({ region: 'us-east-1', size: 'small', tags: { team: 'a' } });
    expect(doc.inline).toEqual({ q: 2 });
  });

  it('uses the latest anchor of a name, keeps !append through an alias and YAML function tags as strings', () => {
    const doc = parseYaml('a: &x 1\nb: &x 2\nc: *x\nl: &l !append [p]\nm: *l\nf: !terraform.output vpc id\ng: !env\n', 'x.yaml') as Record<string, unknown>;
    expect(doc.c).toBe(2);
    expect(doc.m).toEqual(['p']);
    expect(isAppendList(doc.m)).toBe(true);
    expect(doc.f).toBe('!terraform.output vpc id');
    expect(doc.g).toBe('!env');
  });
});

describe('errors name the line', () => {
  it('for a duplicate key, also in a map of thousands of keys', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: ${i}`);
    keys.push('k17: again');
    const e = parseError(keys.join('\n'));
    expect(e.message).toMatch(/keys must be unique/);
    expect(e.line).toBe(5001);
  });

  it('for an alias to an unknown anchor, an anchor containing itself, and a non-map merge source', () => {
    expect(parseError('a: 1\nb: *nope\n')).toMatchObject({ line: 2 });
    expect(parseError('a: 1\nb: &b [1, *b]\n').message).toMatch(/itself/);
    const e = parseError('a: &a [1]\nb:\n  <<: *a\n');
    expect(e.message).toMatch(/Merge sources must be maps/);
    expect(e.line).toBe(3);
  });
});

const cleanups: string[] = [];
afterAll(() => {
  for (const d of cleanups) fs.rmSync(d, { recursive: true, force: true });
});
