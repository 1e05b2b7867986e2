/** The action's job summaries besides the plan report: each command's heading and warnings, describe, find-plans and a failed run. Pure. */
import { escapeMarkdown, fence } from './plan-report.js';

/** `### atmos-action <title>`, each warning as a GitHub alert (a reviewer reads the summary first), then the body. */
export function commandSummary(title: string, body: string, warnings: readonly string[] = []): string {
  const alerts = warnings.map((w) => `> [!WARNING]\n> ${escapeMarkdown(w)}\n\n`).join('');
  return `### atmos-action ${title}\n\n${alerts}${body}`;
}

/** Inline code holding `text` as is: delimited by more backticks than any run inside it. */
export function codeSpan(text: string): string {
  const ticks = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** describe: which instance, and its workspace (the whole description is in the `result` output). */
export function describeSummary(d: { stack: string; component: string; workspace: string }): string {
  return `${codeSpan(d.component)} in stack ${codeSpan(d.stack)}: workspace ${codeSpan(d.workspace)}\n`;
}

/** find-plans: the run whose plan artifacts were reviewed. */
export function reviewedPlansSummary(found: { runId: number; headSha: string; artifacts: readonly string[] }): string {
  return `### atmos-action: reviewed plans\n\nRun ${found.runId} (commit ${codeSpan(found.headSha.slice(0, 12))}): ${found.artifacts.length} plan artifact(s).\n`;
}

/** A command that stopped with an error: the message in a code block nothing inside it can close. */
export function failureSummary(command: string, message: string): string {
  const f = fence(message);
  return `### atmos-action ${escapeMarkdown(command)} failed\n\n${f}\n${message}\n${f}\n`;
}
