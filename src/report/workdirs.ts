/** Renderers for workdir commands: pure functions from results to text or JSON, shared by the CLI and the action. */
import type { CleanResult } from '../workdir/clean.js';
import type { WorkdirInfo } from '../workdir/list.js';
import type { ProvisionBatch, ProvisionResult } from '../workdir/provision.js';
import { posixRelative } from '../graph/matrix.js';
import { markdownText } from '../util/escape.js';
import { buildWorkdirPath } from '../util/paths.js';

/** The JSON shape Atmos's `workdir list --format json` prints, plus atmos-action's extra fields. */
export function toListJson(w: WorkdirInfo): Record<string, unknown> {
  const { absPath: _abs, lock_owner, ...rest } = w;
  return { ...rest, ...(lock_owner ? { lock_owner } : {}) };
}

/** Table with Atmos's columns (COMPONENT, STACK, TYPE, VERSION, LAST_ACCESSED, PATH) plus STATUS. */
export function formatWorkdirTable(items: WorkdirInfo[]): string {
  const rows = [['COMPONENT', 'STACK', 'TYPE', 'VERSION', 'LAST_ACCESSED', 'STATUS', 'PATH']];
  for (const w of items) {
    const status = [
      w.complete ? 'ok' : 'incomplete',
      w.locked ? 'locked' : '',
      w.local_state.length ? 'local-state' : '',
      w.metadata_error ? 'no-metadata' : '',
    ]
      .filter(Boolean)
      .join(',');
    rows.push([w.component || '?', w.stack || '?', w.source_type || '?', w.source_version ?? '', w.last_accessed, status, w.path]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** `workdir show` as aligned `key: value` lines. */
export function formatWorkdirDetails(info: WorkdirInfo): string {
  const status = [
    info.complete ? 'complete' : 'incomplete (next provision redoes it)',
    info.locked ? 'locked' : '',
    info.local_state.length ? `local state: ${info.local_state.join(', ')}` : '',
  ];
  const rows: [string, string | undefined][] = [
    ['component', info.component],
    ['stack', info.stack],
    ['path', info.path],
    ['source type', info.source_type],
    ['source', info.source],
    ['version', info.source_version],
    ['commit', info.source_identity],
    ['content hash', info.content_hash],
    ['created', info.created_at],
    ['updated', info.updated_at],
    ['last accessed', info.last_accessed],
    ['status', status.filter(Boolean).join('; ')],
  ];
  return (
    rows
      .filter(([, v]) => v)
      .map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`)
      .join('\n') + '\n'
  );
}

/** One line per provisioned instance: what was done and why (`dev/vpc: synced 3 files (…)`). */
export function provisionLine(r: ProvisionResult): string {
  const lock = r.lockFile.action === 'seeded' || r.lockFile.action === 'reseeded' ? `; .terraform.lock.hcl ${r.lockFile.action} from ${r.lockFile.from}` : '';
  const what = r.reason.startsWith(r.action) ? r.reason : `${r.action}: ${r.reason}`;
  return `${r.stack}/${r.component}: ${what}${lock}`;
}

/** The CLI's text output of a provision run. */
export function formatProvisionText(report: ProvisionBatch): string {
  const lines = report.outcomes.map((o) => (o.result ? provisionLine(o.result) : `${o.instance.stack}/${o.instance.component}: failed: ${o.error!.message}`));
  if (report.notEnabled.length)
    lines.push(`skipped ${report.notEnabled.length} instance(s) without provision.workdir.enabled (pass --workdir to include them)`);
  return lines.map((l) => `${l}\n`).join('');
}

/** The CLI's JSON output of a provision run: full results, errors, and the instances left alone. */
export function provisionJson(report: ProvisionBatch): unknown[] {
  return [
    ...report.outcomes.map((o) =>
      o.result
        ? { status: 'ok', ...(snakeKeys(o.result) as object) }
        : { status: 'error', stack: o.instance.stack, component: o.instance.component, error: o.error!.message },
    ),
    ...report.notEnabled.map((i) => ({ status: 'skipped', stack: i.stack, component: i.component, reason: 'workdir not enabled' })),
  ];
}

/** The action's `workdirs` output: one entry per instance, paths relative to `cwd` (forward slashes). */
export function provisionOutput(report: ProvisionBatch, cwd: string): unknown[] {
  return report.outcomes.map((o) => ({
    stack: o.instance.stack,
    component: o.instance.component,
    path: posixRelative(cwd, buildWorkdirPath(report.basePath, o.instance.stack, o.instance.component)),
    ...(o.result ? { action: o.result.action, reason: o.result.reason, changed: o.result.changed } : { action: 'failed', reason: o.error!.message }),
  }));
}

/** The action's provision summary body: a count, then one row per instance. */
export function provisionSummary(report: ProvisionBatch): string {
  const failed = report.outcomes.filter((o) => o.error).length;
  const e = markdownText;
  const rows = report.outcomes.map((o) => `| ${e(o.instance.stack)} | ${e(o.instance.component)} | ${o.result ? o.result.action : 'failed'} |`);
  return `${report.outcomes.length} workdir(s), ${failed} failed\n\n| stack | component | result |\n|---|---|---|\n${rows.join('\n')}\n`;
}

/** The action's clean summary body. */
export function cleanSummary(r: CleanResult): string {
  return `${r.removed.length} workdir(s) ${r.dryRun ? 'would remove' : 'removed'}, ${r.skipped.length} skipped\n`;
}

/** The CLI's text output of a clean run: each workdir named by its instance, then its folder. */
export function formatCleanText(r: CleanResult): string {
  const verb = r.dryRun ? 'would remove' : 'removed';
  const who = (e: { component: string; stack: string; path: string }) =>
    e.component || e.stack ? `${e.component || '?'} in stack ${e.stack || '?'} (${e.path})` : e.path;
  const lines = [
    ...r.removed.map((e) => `${verb} ${who(e)}${e.why ? `: ${e.why}` : ''}`),
    ...r.skipped.map((e) => `skipped ${who(e)}: ${e.reasons.join('; ')}`),
    ...r.missing.map((m) => `no workdir for ${m.component} in stack ${m.stack}`),
  ];
  if (r.skipped.length) lines.push(`${r.skipped.length} workdir(s) skipped; --force deletes them anyway`);
  if (!lines.length) lines.push('nothing to clean');
  return lines.map((l) => `${l}\n`).join('');
}

/** A clean run as JSON, in snake_case like every JSON atmos-action prints. */
export function cleanJson(r: CleanResult): unknown {
  return snakeKeys(r);
}

/** Keys of our own result objects in snake_case (never applied to user data such as vars). */
export function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(x)]));
}
