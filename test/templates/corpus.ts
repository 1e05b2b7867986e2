/**
 * Loads the differential corpus (corpus.yaml) and Go's outputs for it (expected.json, written by
 * tools/gotemplate-oracle), and renders a case with the TypeScript engine the way the oracle does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';
import { Template, decodeYamlForTemplates, sprigFuncs } from '../../src/templates/index.js';
import type { MissingKey } from '../../src/templates/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The environment the oracle gives Sprig's env/expandenv. */
export const ORACLE_ENV: Record<string, string> = { TPL_ORACLE_NAME: 'oracle', TPL_ORACLE_EMPTY: '' };

export interface CorpusCase {
  id: string;
  group: string;
  t: string;
  data: string;
  funcs: string;
  missingkey?: MissingKey;
  delims?: [string, string];
  expected: { out?: string; err?: string };
}

interface Group {
  group: string;
  data?: string;
  funcs?: string;
  missingkey?: MissingKey;
  cases: (string | { t: string; data?: string; funcs?: string; missingkey?: MissingKey; delims?: [string, string] })[];
}

export function loadCorpus(): CorpusCase[] {
  const groups = YAML.parse(readFileSync(path.join(here, 'corpus.yaml'), 'utf8')) as Group[];
  const expected = JSON.parse(readFileSync(path.join(here, 'expected.json'), 'utf8')) as {
    cases: { id: string; t: string; out?: string; err?: string }[];
  };
  const byId = new Map(expected.cases.map((c) => [c.id, c]));
  const out: CorpusCase[] = [];
  for (const g of groups) {
    g.cases.forEach((c, i) => {
      const spec = typeof c === 'string' ? { t: c } : c;
      const id = `${g.group}/${i}`;
      const exp = byId.get(id);
      if (!exp || exp.t !== spec.t) throw new Error(`expected.json is stale for ${id}: regenerate it (docs/templates.md)`);
      out.push({
        id,
        group: g.group,
        t: spec.t,
        data: spec.data ?? g.data ?? '',
        funcs: spec.funcs ?? g.funcs ?? 'sprig',
        missingkey: spec.missingkey ?? g.missingkey,
        delims: spec.delims,
        expected: { out: exp.out, err: exp.err },
      });
    });
  }
  return out;
}

const sprig = sprigFuncs({ env: (n) => ORACLE_ENV[n] });

/** Renders a case as the oracle does: template "t", yaml.v3-decoded data. */
export function renderCase(c: CorpusCase): { out?: string; err?: string } {
  try {
    const t = Template.compile(c.t, {
      name: 't',
      funcs: c.funcs === 'go' ? {} : sprig,
      missingKey: c.missingkey,
      delims: c.delims,
    });
    const data = c.data ? decodeYamlForTemplates(c.data) : null;
    return { out: t.execute(data) };
  } catch (e) {
    return { err: (e as Error).message };
  }
}
