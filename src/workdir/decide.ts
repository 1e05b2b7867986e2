/**
 * What a provision will do to a workdir, and why: a pure decision from what is on disk (observed
 * before any change) and the instance's source. provision.ts does the work; this file only decides
 * and words the outcome, so every rule here is testable without a filesystem.
 */
import type { WorkdirMetadata } from './metadata.js';
import type { SyncResult } from './sync.js';
import { formatDuration, isExpired, type Ttl } from './ttl.js';

/** The workdir as found, before anything is changed. */
export interface ObservedWorkdir {
  /** The folder exists with more than `.atmos/` in it. */
  existed: boolean;
  /** The last provision finished (its sentinel exists). */
  complete: boolean;
  /** A provision was interrupted (the in-progress marker is there). */
  recovered: boolean;
  prev: WorkdirMetadata | null;
}

export type SourceView = { kind: 'local'; path: string } | { kind: 'remote'; uri: string; version?: string; ttl?: Ttl };

export type ProvisionDecision =
  /** Sync from the local component folder: a new workdir, a full content comparison, or the incremental path. */
  | { kind: 'local'; mode: 'create' | 'recheck' | 'incremental'; why?: string }
  /** The remote source is current: only the metadata is touched. */
  | { kind: 'remote-current'; reason: string }
  /** Fetch the remote source and sync it in. */
  | { kind: 'remote-fetch'; why: string; existed: boolean };

export type ProvisionAction = 'created' | 'synced' | 'reprovisioned' | 'unchanged';

export function decideProvision(observed: ObservedWorkdir, source: SourceView, now: Date): ProvisionDecision {
  if (source.kind === 'local') {
    if (!observed.existed) return { kind: 'local', mode: 'create' };
    if (!observed.complete) return { kind: 'local', mode: 'recheck', why: unfinished(observed) };
    return { kind: 'local', mode: 'incremental' };
  }
  const why = remoteReason(observed, source, now);
  if (why === null) return { kind: 'remote-current', reason: `unchanged (source ${source.uri}${at(source.version)} is current)` };
  return { kind: 'remote-fetch', why, existed: observed.existed };
}

/** The action and the sentence users see, once the sync (if any) ran. */
export function describeOutcome(d: ProvisionDecision, source: SourceView, sync: SyncCounts | null): { action: ProvisionAction; reason: string } {
  if (d.kind === 'remote-current') return { action: 'unchanged', reason: d.reason };
  const s = sync ?? { added: [], updated: [], removed: [] };
  const created = (from: string) => ({ action: 'created' as const, reason: `created from ${from} (${plural(s.added.length, 'file')})` });
  if (d.kind === 'remote-fetch') {
    const remote = source as Extract<SourceView, { kind: 'remote' }>;
    return d.existed ? { action: 'reprovisioned', reason: `${d.why}: ${summarize(s)}` } : created(`${remote.uri}${at(remote.version)}`);
  }
  if (d.mode === 'create') return created((source as Extract<SourceView, { kind: 'local' }>).path);
  if (d.mode === 'recheck') return { action: 'reprovisioned', reason: `${d.why}; compared every file: ${summarize(s)}` };
  return s.added.length + s.updated.length + s.removed.length > 0 ? { action: 'synced', reason: summarize(s) } : { action: 'unchanged', reason: 'unchanged' };
}

type SyncCounts = Pick<SyncResult, 'added' | 'updated' | 'removed'>;

function unfinished(o: ObservedWorkdir): string {
  return o.recovered ? 'previous provision did not finish' : 'workdir was not provisioned by atmos-action';
}

function at(version: string | undefined): string {
  return version ? ` at ${version}` : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarize(s: SyncCounts): string {
  const n = s.added.length + s.updated.length + s.removed.length;
  return `synced ${plural(n, 'file')} (${s.added.length} added, ${s.updated.length} updated, ${s.removed.length} removed)`;
}

/** Why a remote source must be fetched again, or null when the workdir is current. */
function remoteReason(o: ObservedWorkdir, src: Extract<SourceView, { kind: 'remote' }>, now: Date): string | null {
  if (!o.existed) return 'new workdir';
  if (!o.complete) return unfinished(o);
  const prev = o.prev;
  if (!prev) return 'workdir metadata missing';
  // Synced from the component folder before (a `source:` always records its URI, a local folder's too).
  if (prev.source_type !== 'remote' && !prev.source_uri) return 'source changed from local to remote';
  if ((prev.source_version ?? '') !== (src.version ?? '')) return `source version changed (${prev.source_version || 'none'} → ${src.version || 'none'})`;
  if ((prev.source_uri ?? '') !== src.uri) return `source URI changed (${prev.source_uri || 'none'} → ${src.uri})`;
  if (src.ttl) {
    if (src.ttl.always) return `TTL ${src.ttl.text} means always re-provision`;
    const updated = new Date(prev.updated_at);
    if (isExpired(src.ttl, updated, now)) {
      const age = now.getTime() - updated.getTime();
      return `TTL ${src.ttl.text} expired (updated ${Number.isNaN(age) ? 'at an unknown time' : `${formatDuration(age)} ago`})`;
    }
  }
  return null;
}
