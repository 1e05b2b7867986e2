/**
 * Differential test: the TypeScript engine against Go's text/template + Sprig on the same corpus.
 * Go's outputs are committed (expected.json, from tools/gotemplate-oracle), so no Go is needed here.
 */
import { loadCorpus, renderCase, type CorpusCase } from './corpus.js';

/**
 * Cases where we deliberately differ from the Go 1.19 oracle, with the reason. A listed case that
 * starts to match fails the test, so this list never goes stale.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'control/20': 'Go 1.22+ (what Atmos is built with) ranges over an integer; the Go 1.19 oracle errors',
  'exec-errors/5': 'Go 1.22+ ranges over an integer; the Go 1.19 oracle errors',
  'sprig-math/16': 'integers beyond 2^53 lose precision in JavaScript numbers',
};

const cases = loadCorpus();
const groups = [...new Set(cases.map((c) => c.group))];

function mismatch(c: CorpusCase): string | undefined {
  const got = renderCase(c);
  if (got.out === c.expected.out && got.err === c.expected.err) return undefined;
  return `${c.id} ${JSON.stringify(c.t)}\n  go: ${JSON.stringify(c.expected)}\n  ts: ${JSON.stringify(got)}`;
}

describe('Go template corpus (Go text/template + Sprig as the oracle)', () => {
  it('covers a few hundred cases', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(groups)('%s', (group) => {
    const failures = cases
      .filter((c) => c.group === group && !(c.id in KNOWN_DIFFERENCES))
      .map(mismatch)
      .filter((m): m is string => m !== undefined);
    expect(failures).toEqual([]);
  });

  it('still differs where a difference is documented', () => {
    const nowMatching = cases.filter((c) => c.id in KNOWN_DIFFERENCES && mismatch(c) === undefined).map((c) => c.id);
    expect(nowMatching).toEqual([]);
  });
});
