/** "Did you mean" hints: the known names closest to what the user typed. */

/** Edit distance (insert, delete, substitute), for ranking close names. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * Up to `max` known names close to `typed`: within an edit distance of a third of its length
 * (at least 2), or containing it / contained in it; closest first, and none much further than the best.
 */
export function closeNames(typed: string, known: Iterable<string>, max = 3): string[] {
  const t = typed.toLowerCase();
  const limit = Math.max(2, Math.floor(t.length / 3));
  const scored: { name: string; d: number }[] = [];
  for (const name of new Set(known)) {
    const n = name.toLowerCase();
    const d = editDistance(t, n);
    if (d <= limit || (t.length >= 3 && (n.includes(t) || t.includes(n)))) scored.push({ name, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1));
  // Only the clearly closest: a name two edits further than the best one is noise.
  const best = scored[0]?.d ?? 0;
  return scored
    .filter((s) => s.d <= best + 1)
    .slice(0, max)
    .map((s) => s.name);
}

/** ` (did you mean "a" or "b"?)` or '' when nothing is close. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const close = closeNames(typed, known);
  if (close.length === 0) return '';
  const quoted = close.map((c) => `"${c}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return `; did you mean ${list}?`;
}
