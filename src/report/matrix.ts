/** The matrix job summary (Markdown), a pure renderer. */

/** GitHub job summaries are capped (1 MiB); 500 rows keep the table readable and far below it. */
const MAX_ROWS = 500;

export function matrixSummary(rows: readonly { stack: string; component: string; base_component: string }[]): string {
  if (rows.length === 0) return '### atmos-action matrix\n\nNo instances selected.\n';
  const escape = (s: string) => s.replace(/[|`<>]/g, (c) => `\\${c}`);
  const lines = rows.slice(0, MAX_ROWS).map((r) => `| ${escape(r.stack)} | ${escape(r.component)} | ${escape(r.base_component)} |`);
  const more = rows.length > MAX_ROWS ? `\n…and ${rows.length - MAX_ROWS} more\n` : '';
  return `### atmos-action matrix\n\n${rows.length} instance(s)\n\n| stack | component | base component |\n|---|---|---|\n${lines.join('\n')}\n${more}`;
}
