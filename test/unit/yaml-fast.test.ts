/**
 * The fast YAML reader (src/util/yaml-fast.ts) against the full one: on every text, it either
 * gives exactly the full reader's value (same keys in the same order, same types, same numbers)
 * or declines (NOT_SIMPLE); it never accepts a text the full reader refuses. Checked on the
 * repository's own YAML, on generated repositories, on random documents and on random edits of
 * all of those. It must also take the common shapes itself, or it is of no use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { generateStacksRepo } from '../../bench/gen-stacks.js';
import { NOT_SIMPLE, parseSimpleYaml } from '../../src/util/yaml-fast.js';
import { isAppendList, parseFullYaml, parseYaml } from '../../src/util/yaml.js';
import { tempDir } from '../helpers/fs.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** A value written out with everything that tells two readings apart: types, key order, -0, NaN, `!append` marks. */
function canonical(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? 'num:-0' : `num:${String(v)}`;
  if (typeof v === 'string') return `str:${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `bool:${v}`;
  if (Array.isArray(v)) return `${isAppendList(v) ? 'append' : ''}[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return `proto?${String(Object.getPrototypeOf(v))}`;
    return `{${Object.keys(v as object)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return `${typeof v}:${String(v)}`;
}

type Outcome = 'fast' | 'declined';

/** Compares both readers on one text; returns whether the fast one took it. */
function compare(text: string, label: string): Outcome {
  let full: string;
  try {
    full = canonical(parseFullYaml(text, label));
  } catch (e) {
    full = `error: ${(e as Error).message}`;
  }
  const fast = parseSimpleYaml(text);
  if (fast === NOT_SIMPLE) return 'declined';
  const got = canonical(fast);
  if (got !== full) throw new Error(`${label}: the fast reader gave\n  ${got}\nthe full reader\n  ${full}\ntext:\n${text}`);
  return 'fast';
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git' || e.name === 'build' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|tmpl)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** A small seeded generator (mulberry32), so every run tries the same documents. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Most keys and values are ordinary, as in real files; the rest probe the edges of the subset. */
const COMMON_KEYS = ['name', 'vars', 'a b', '1', 'true', 'x.y', 'k-1', 'c/d'];
const COMMON_SCALARS = [
  'x',
  'hello world',
  '1',
  '-2',
  '1.5',
  'true',
  'false',
  'null',
  '"dq"',
  "'sq'",
  '[a, b]',
  '[]',
  '{}',
  '!env FOO',
  'a#b',
  'http://h:80/x',
];
const KEYS = [
  'name',
  'vars',
  'a b',
  '1',
  '01',
  '1.0',
  'true',
  'null',
  '~',
  '0x1f',
  '-1',
  '.inf',
  'k-1',
  'x.y',
  'http://h',
  '"q"',
  "'s'",
  '""',
  '__proto__',
  'constructor',
  '<<',
  '-x',
  ':x',
  '?x',
  'a#b',
  '[a]',
  'k:',
];
// prettier-ignore
const SCALARS = [
  'x', 'hello world', '1', '-0', '+5', '007', '0o17', '0o8', '0x1F', '0xg', '1.5', '.5', '5.', '1e3', '1E-2', '.inf', '-.Inf', '.nan', '.NaN', 'nan',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'no', 'yes', 'on', 'null', 'Null', 'NULL', 'nULL', '~', '', 'a: b', 'a:b', 'a #c', 'a#b', 'a  ', 'a:',
  '"dq"', '"esc \\n \\t \\" \\\\ \\x41 \\u00e9 \\U0001F600"', '"bad \\q"', '"\\x4"', '"open', "'sq'", "'it''s'", "'open", "'a'b", '"a"#c', '"a" #c',
  '[]', '[a, b]', '[1, "two", \'3\']', '[a, [b]]', '[a,]', '[a, , b]', '[a: 1]', '[a #c]', '{}', '{ }', '{a: 1}', '!env FOO', '!env "FOO"', '!exec echo hi # c',
  '!terraform.output vpc id', '!env', '!append [a]', '!append x', '!env"x"', '!env:x', '!env,x y', '!a/b.c-d_e x', '!!str x', '!', '&a x', '*a', '|', '>-', '- x', '-x', '?x', ':x', '? x', '%x', '@x', '`x', ',x', '---', '...',
  '{{ .vars.x }}', 'a{b}', 'a[0]', 'x # y: z', 'é', '💡',
];

/** A random document built from common and odd pieces, with indentation that is sometimes off. */
function randomDocument(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const key = (): string => pick(rnd() < 0.85 ? COMMON_KEYS : KEYS);
  const scalar = (): string => pick(rnd() < 0.85 ? COMMON_SCALARS : SCALARS);
  const lines: string[] = [];
  const emit = (depth: number, indent: number): void => {
    const n = 1 + Math.floor(rnd() * 4);
    const asSeq = rnd() < 0.3;
    for (let i = 0; i < n; i++) {
      const pad = ' '.repeat(Math.max(0, indent + (rnd() < 0.05 ? pick([-1, 1, 2]) : 0)));
      const head = asSeq ? (rnd() < 0.3 ? `- ${key()}:` : '-') : `${key()}:`;
      const r = rnd();
      if (r < 0.08) lines.push(pick(['', '# comment', `${pad}# indented comment`, '   ']));
      if (depth < 4 && r < 0.35) {
        lines.push(`${pad}${head}${rnd() < 0.1 ? ' # c' : ''}`);
        const step = pick([1, 2, 2, 2, 4, 0]);
        emit(depth + 1, indent + step);
      } else {
        lines.push(`${pad}${head} ${scalar()}${rnd() < 0.1 ? ' # c' : ''}`);
        if (rnd() < 0.05) lines.push(`${pad}  continued`);
      }
    }
  };
  if (rnd() < 0.1) lines.push(pick(['---', '--- # c', '%YAML 1.2', '---\n---']));
  emit(0, rnd() < 0.1 ? 2 : 0);
  return lines.join('\n') + (rnd() < 0.9 ? '\n' : '');
}

/** Small random edits of a text: a line indented or outdented, characters dropped or inserted, a line doubled. */
function mutate(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rnd() * lines.length);
  const line = lines[i]!;
  const at = Math.floor(rnd() * (line.length + 1));
  switch (Math.floor(rnd() * 7)) {
    case 0:
      lines[i] = ' ' + line;
      break;
    case 1:
      lines[i] = line.replace(/^ /, '');
      break;
    case 2:
      lines[i] = line.slice(0, at) + line.slice(at + 1);
      break;
    case 3:
      lines[i] = line.slice(0, at) + [':', ' ', '#', '-', '"', "'", '[', '&a ', '*a', '\t', '\r', ': ', ' #'][Math.floor(rnd() * 13)] + line.slice(at);
      break;
    case 4:
      lines.splice(i, 0, line);
      break;
    case 5:
      lines.splice(i, 0, '  '.repeat(Math.floor(rnd() * 4)) + ['- x', 'k: v', 'k:', '-', '# c', ''][Math.floor(rnd() * 6)]);
      break;
    default:
      lines.splice(i, 1);
  }
  return lines.join('\n');
}

const generated = tempDir('atmos-yaml-fast-');
afterAll(() => fs.rmSync(generated, { recursive: true, force: true }));

describe('the fast YAML reader', () => {
  const repoFiles = yamlFiles(ROOT).filter((f) => !f.startsWith(generated));
  const variants: [string, Parameters<typeof generateStacksRepo>[1]][] = [
    ['plain', { stacks: 6, components: 12 }],
    ['instance-vars', { stacks: 6, components: 12, instanceVars: true }],
    ['templated', { stacks: 6, components: 12, templated: true }],
  ];
  for (const [name, opts] of variants) generateStacksRepo(path.join(generated, name), opts);
  const generatedFiles = yamlFiles(generated);

  it("gives the full reader's values for every YAML file of the repository, and takes most of them", () => {
    expect(repoFiles.length).toBeGreaterThan(100);
    const outcomes = repoFiles.map((f) => compare(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f)));
    expect(outcomes.filter((o) => o === 'fast').length).toBeGreaterThan(repoFiles.length * 0.8);
  });

  it('takes every file of the generated repositories (the shapes of real stacks), with the same values', () => {
    expect(generatedFiles.length).toBeGreaterThan(50);
    for (const f of generatedFiles)
      expect([path.relative(generated, f), compare(fs.readFileSync(f, 'utf8'), f)]).toEqual([path.relative(generated, f), 'fast']);
  });

  it('agrees with the full reader, or declines, on random documents', () => {
    const rnd = random(16);
    const outcomes = { fast: 0, declined: 0 };
    for (let i = 0; i < 3000; i++) outcomes[compare(randomDocument(rnd), `random #${i}`)]++;
    // Both paths must be exercised: enough documents taken to mean something, enough declined to hit the edges.
    expect(outcomes.fast).toBeGreaterThan(800);
    expect(outcomes.declined).toBeGreaterThan(1000);
  });

  it('agrees with the full reader, or declines, on random edits of real files', () => {
    const rnd = random(61);
    const texts = [...repoFiles, ...generatedFiles].map((f) => fs.readFileSync(f, 'utf8')).filter((t) => parseSimpleYaml(t) !== NOT_SIMPLE);
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      let text = texts[i % texts.length]!;
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) text = mutate(text, rnd);
      if (compare(text, `edit #${i}`) === 'fast') taken++;
    }
    expect(taken).toBeGreaterThan(1000);
  });

  it('leaves errors to the full reader, which names the line', () => {
    expect(parseSimpleYaml('a: 1\nb:\n  c: 2\n  c: 3\n')).toBe(NOT_SIMPLE);
    expect(() => parseYaml('a: 1\nb:\n  c: 2\n  c: 3\n', 'x.yaml')).toThrow(expect.objectContaining({ line: 4 }));
    expect(parseSimpleYaml('a:\n  b: 1\n   c: 2\n')).toBe(NOT_SIMPLE);
    expect(() => parseYaml('a: b: c\n', 'x.yaml')).toThrow(expect.objectContaining({ line: 1 }));
  });

  it('leaves a tag the file may not use to the full reader, which refuses it with its line', () => {
    const known = new Set(['!env', '!exec']);
    const text = 'vars:\n  a: !env A\n  b: !envv B\n';
    expect(parseSimpleYaml(text, known)).toBe(NOT_SIMPLE);
    expect(() => parseYaml(text, 'x.yaml', known)).toThrow(
      expect.objectContaining({ line: 3, message: expect.stringMatching(/unsupported YAML tag '!envv'/) }),
    );
    expect(parseYaml('vars:\n  a: !env A\n', 'x.yaml', known)).toEqual({ vars: { a: '!env A' } });
  });
});
