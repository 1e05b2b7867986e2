/**
 * The layering of src/ (docs/architecture.md), checked on every import statement: a module may
 * import only from its own layer or layers to its left, and only adapters touch the outside world.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/fs.js';

const SRC = path.join(REPO_ROOT, 'src');

/** Left to right; a layer may import from any layer with a lower or equal rank (never a sibling entry point). */
export const LAYERS: Record<string, number> = {
  util: 0,
  // The Go-template engine: pure, needs only util; config (name_template) and stacks build on it.
  templates: 1,
  ports: 2,
  lock: 3,
  config: 4,
  stacks: 5,
  graph: 6,
  workdir: 7,
  providers: 8,
  terraform: 9,
  report: 10,
  app: 11,
  action: 12,
  cli: 12,
};

/**
 * Modules allowed to import `@actions/*`, spawn processes or read `process.env`: the entry points
 * and the port adapters (`ports/node-*` over Node's APIs, `ports/actions-*` over the `@actions/*` packages).
 */
const ADAPTERS = [/^action\//, /^cli\//, /^ports\/node-/, /^ports\/actions-/];

/** String literals naming a managed location (the workdir tree, its lock/temp/trash folders, `.atmos/*`). */
const LOCATION_LITERAL =
  /['"`](\.workdir|\.locks|\.tmp|\.trash|\.atmos|provision\.complete|provision\.in-progress|metadata\.json|manifest\.json|\.workdir-metadata\.json)['"`]/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const abs = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(abs) : d.name.endsWith('.ts') ? [abs] : [];
  });
}

/** Every module specifier in a file: static imports, re-exports and dynamic `import()`. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

export function layerOf(relFromSrc: string): string {
  const first = relFromSrc.split('/')[0]!;
  return first.endsWith('.ts') ? '(top level)' : first;
}

/** Upward edges among `files` (paths relative to src/ with their text), as `from → to` strings. */
export function layerViolations(files: { rel: string; text: string }[]): string[] {
  const bad: string[] = [];
  for (const { rel, text } of files) {
    const from = layerOf(rel);
    if (!(from in LAYERS)) {
      bad.push(`${rel}: not in any layer`);
      continue;
    }
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
      const to = layerOf(target);
      if (to === from) continue;
      if (!(to in LAYERS) || LAYERS[to]! >= LAYERS[from]!) bad.push(`${rel} → ${target} (${from} may not import ${to})`);
    }
  }
  return bad;
}

function readSrc(): { rel: string; text: string }[] {
  return sourceFiles(SRC).map((abs) => ({ rel: path.relative(SRC, abs).split(path.sep).join('/'), text: fs.readFileSync(abs, 'utf8') }));
}

describe('layers', () => {
  test('no import in src/ runs up the layer order', () => {
    expect(layerViolations(readSrc())).toEqual([]);
  });

  test('the check catches an upward edge, a sibling entry point and a file outside every layer', () => {
    expect(
      layerViolations([
        { rel: 'config/load.ts', text: "import { deepMerge } from '../stacks/merge.js';" },
        { rel: 'graph/matrix.ts', text: "import {\n  buildWorkdirPath,\n} from '../workdir/path.js';" },
        { rel: 'workdir/sync.ts', text: "const m = await import('../lock/lock.js');\nimport type { X } from '../report/x.js';" },
        { rel: 'cli/main.ts', text: "export { run } from '../action/run.js';" },
        { rel: 'project.ts', text: '' },
        { rel: 'stacks/ok.ts', text: "import { a } from '../util/errors.js';\nimport { b } from './merge.js';\nimport fs from 'node:fs';" },
      ]),
    ).toEqual([
      'config/load.ts → stacks/merge.js (config may not import stacks)',
      'graph/matrix.ts → workdir/path.js (graph may not import workdir)',
      'workdir/sync.ts → report/x.js (workdir may not import report)',
      'cli/main.ts → action/run.js (cli may not import action)',
      'project.ts: not in any layer',
    ]);
  });

  test('on-disk locations are spelled only in util/paths.ts, atomic writes live only in util/atomic-fs.ts', () => {
    const offenders: string[] = [];
    for (const { rel, text } of readSrc()) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (rel !== 'util/paths.ts') {
        for (const m of code.matchAll(LOCATION_LITERAL)) offenders.push(`${rel} spells ${m[0]}`);
      }
      if (rel !== 'util/atomic-fs.ts') {
        if (/function (atomicWriteFile|tempNameFor)\b/.test(code)) offenders.push(`${rel} defines an atomic write`);
        for (const m of code.matchAll(/import\s*\{[^}]*\b(?:atomicWriteFile|tempNameFor)\b[^}]*\}\s*from\s*['"]([^'"]+)['"]/g)) {
          if (!m[1]!.endsWith('util/atomic-fs.js')) offenders.push(`${rel} takes atomic writes from ${m[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test('only adapters import @actions/*, spawn processes or read process.env', () => {
    const offenders = readSrc()
      .filter(({ rel }) => !ADAPTERS.some((re) => re.test(rel)))
      .filter(({ text }) => /from\s+['"]@actions\/|node:child_process|process\.env\b(?!\.)?/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map(({ rel }) => rel);
    expect(offenders).toEqual([]);
  });
});
