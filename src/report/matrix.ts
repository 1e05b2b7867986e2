/** The matrix job summary's body (Markdown; report/action-summary.ts adds the heading), a pure renderer. */
import { markdownText } from '../util/escape.js';

/** GitHub job summaries are capped (1 MiB); 500 rows keep the table readable and far below it. */
const MAX_ROWS = 500;

/** One row per instance; `packedLegs`: how many legs they were packed into, when they were. */
export function matrixSummary(rows: readonly { stack: string; component: string; base_component: string }[], packedLegs?: number): string {
  if (rows.length === 0) return 'No instances selected.\n';
  const e = markdownText;
  const lines = rows.slice(0, MAX_ROWS).map((r) => `| ${e(r.stack)} | ${e(r.component)} | ${e(r.base_component)} |`);
  const more = rows.length > MAX_ROWS ? `\n…and ${rows.length - MAX_ROWS} more\n` : '';
  const packed = packedLegs ? `, packed into ${packedLegs} legs` : '';
  return `${rows.length} instance(s)${packed}\n\n| stack | component | base component |\n|---|---|---|\n${lines.join('\n')}\n${more}`;
}
