/** The results of a plan/apply/destroy run: the final table, the JSON output and the exit code. Pure functions. */
import type { StoreStats } from '../providers/store.js';
import { displayName } from '../stacks/identity.js';
import { summarizePlan, type PlanResult } from '../terraform/plan-result.js';
import type { InstanceRunResult, RunAction } from '../terraform/run-instance.js';

export interface RunReport {
  action: RunAction;
  /** One per selected instance, in selection order. */
  results: InstanceRunResult[];
  parallelism: number;
  wallMs: number;
  /** The run was cancelled by a signal. */
  cancelled: boolean;
  /** What the provider store did (absent when it was off). */
  providers?: StoreStats;
}

function counts(r: InstanceRunResult): string {
  const c = r.plan?.counts;
  if (!c) return '';
  return `+${c.add} ~${c.change} -${c.destroy}${c.replace ? ` ±${c.replace}` : ''}`;
}

/** The result column: what happened, or why not. */
export function resultText(r: InstanceRunResult): string {
  switch (r.status) {
    case 'no-changes':
      return 'no changes';
    case 'changes':
      return `changes ${counts(r)}`;
    case 'applied':
    case 'destroyed':
      return r.plan ? `${r.status} ${counts(r)}` : r.status;
    case 'failed':
      return `failed: ${r.reason}`;
    case 'skipped':
      return `skipped: ${r.reason}`;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A long terraform error would stretch the table; the JSON output keeps the whole text. */
const MAX_RESULT = 160;

/** The final table: INSTANCE, RESULT, DURATION, then a summary line. */
export function formatRunTable(report: RunReport): string {
  const rows = [['INSTANCE', 'RESULT', 'DURATION']];
  for (const r of report.results) {
    const text = resultText(r).replace(/\s+/g, ' ');
    rows.push([displayName(r), text.length > MAX_RESULT ? `${text.slice(0, MAX_RESULT - 1)}…` : text, formatDuration(r.durationMs)]);
  }
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`.trimEnd());
  const by = (s: InstanceRunResult['status']) => report.results.filter((r) => r.status === s).length;
  const tally = (['no-changes', 'changes', 'applied', 'destroyed', 'failed', 'skipped'] as const)
    .filter((s) => by(s) > 0)
    .map((s) => `${by(s)} ${s.replace('-', ' ')}`)
    .join(', ');
  const head = `${report.action}: ${report.results.length} instance(s), ${tally}; ${formatDuration(report.wallMs)} wall, parallelism ${report.parallelism}`;
  return `${lines.join('\n')}\n\n${head}${report.cancelled ? ' (cancelled)' : ''}\n`;
}

/** `--format json`: snake_case fields; the plan lists addresses and counts, never values. */
export function runJson(report: RunReport): Record<string, unknown> {
  return {
    action: report.action,
    cancelled: report.cancelled,
    parallelism: report.parallelism,
    wall_ms: Math.round(report.wallMs),
    // What the provider store did: a CI log or dashboard can tell a warm store (0 extractions) from a cold one.
    ...(report.providers ? { provider_store: { ...report.providers } } : {}),
    results: report.results.map((r) => ({
      instance: r.instance,
      stack: r.stack,
      component: r.component,
      status: r.status,
      reason: r.reason,
      duration_ms: Math.round(r.durationMs),
      ...(r.planfile ? { planfile: r.planfile } : {}),
      ...(r.plan
        ? {
            changes: { add: r.plan.add, change: r.plan.change, destroy: r.plan.destroy, replace: r.plan.replace },
            counts: r.plan.counts,
            output_changes: r.plan.outputs,
          }
        : {}),
      steps: r.steps.map((s) => ({ step: s.step, ms: Math.round(s.ms), code: s.code, ...(s.signal ? { signal: s.signal } : {}) })),
    })),
  };
}

/**
 * 0 all ok, 1 any failure (or a cancelled run), and with `plan --detailed-exitcode` 2 when some
 * instance has changes and none failed. The CLI turns a cancellation into 130/143 itself.
 */
export function runExitCode(report: RunReport, opts: { detailedExitcode?: boolean } = {}): number {
  if (report.cancelled || report.results.some((r) => r.status === 'failed')) return 1;
  if (opts.detailedExitcode && report.results.some((r) => r.status === 'changes')) return 2;
  return 0;
}

/**
 * The question apply and destroy ask on a terminal before changing what nobody has reviewed, as
 * terraform asks: the instance, its workspace, what the plan does, and that only "yes" approves.
 */
export function approvalQuestion(action: 'apply' | 'destroy', who: { component: string; stack: string; workspace: string }, plan: PlanResult): string {
  const verb = action === 'destroy' ? 'Destroy' : 'Apply';
  return `\n${verb} the plan of ${who.component}@${who.stack} (workspace ${who.workspace}: ${summarizePlan(plan)})?\n  Only 'yes' will be accepted to approve.\n  Enter a value: `;
}
