/** The action's job summaries besides the plan report: each command's heading and warnings, describe, find-plans and a failed run. Pure. */
import { codeSpan, codeText, fence, markdownText } from '../util/escape.js';

/** `### atmos-action <title>`, each warning as a GitHub alert (a reviewer reads the summary first), then the body. */
export function commandSummary(title: string, body: string, warnings: readonly string[] = []): string {
  const alerts = warnings.map((w) => `> [!WARNING]\n> ${markdownText(w)}\n\n`).join('');
  return `### atmos-action ${title}\n\n${alerts}${body}`;
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
  const shown = codeText(message);
  const f = fence(shown);
  return `### atmos-action ${markdownText(command)} failed\n\n${f}\n${shown}\n${f}\n`;
}
