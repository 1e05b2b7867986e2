/** decideProvision: what a provision does and why, from what is on disk, without touching disk. */
import { decideProvision, describeOutcome, type ObservedWorkdir, type SourceView } from '../../src/workdir/decide.js';
import type { WorkdirMetadata } from '../../src/workdir/metadata.js';
import { parseTtl } from '../../src/workdir/ttl.js';

const now = new Date('2026-04-02T00:00:00Z');
const remotePrev: WorkdirMetadata = {
  component: 'vpc',
  source_type: 'remote',
  source_uri: 'github.com/acme/mods//vpc',
  source_version: 'v1',
  created_at: '2026-04-01T00:00:00Z',
  updated_at: '2026-04-01T00:00:00Z',
  last_accessed: '2026-04-01T00:00:00Z',
};
const done: ObservedWorkdir = { existed: true, complete: true, recovered: false, prev: remotePrev };
const remote = (over: Partial<Extract<SourceView, { kind: 'remote' }>> = {}): SourceView => ({
  kind: 'remote',
  uri: 'github.com/acme/mods//vpc',
  version: 'v1',
  ...over,
});
const sync = (added: number, updated = 0, removed = 0) => ({
  added: Array(added).fill('f'),
  updated: Array(updated).fill('f'),
  removed: Array(removed).fill('f'),
});

describe('decideProvision', () => {
  test('local sources: create, full comparison after an interrupted or foreign workdir, else incremental', () => {
    const local: SourceView = { kind: 'local', path: '/src/vpc' };
    expect(decideProvision({ existed: false, complete: false, recovered: false, prev: null }, local, now)).toEqual({ kind: 'local', mode: 'create' });
    expect(decideProvision({ existed: true, complete: false, recovered: true, prev: null }, local, now)).toEqual({
      kind: 'local',
      mode: 'recheck',
      why: 'previous provision did not finish',
    });
    const d = decideProvision(done, local, now);
    expect(describeOutcome(d, local, sync(0))).toEqual({ action: 'unchanged', reason: 'unchanged' });
    expect(describeOutcome(d, local, sync(1, 2))).toEqual({ action: 'synced', reason: 'synced 3 files (1 added, 2 updated, 0 removed)' });
    expect(describeOutcome({ kind: 'local', mode: 'create' }, local, sync(1))).toEqual({ action: 'created', reason: 'created from /src/vpc (1 file)' });
  });

  test('remote sources are fetched again only for a reason that is named', () => {
    expect(decideProvision(done, remote(), now)).toEqual({ kind: 'remote-current', reason: 'unchanged (source github.com/acme/mods//vpc at v1 is current)' });
    expect(decideProvision(done, remote({ version: 'v2' }), now)).toMatchObject({ kind: 'remote-fetch', why: 'source version changed (v1 → v2)' });
    expect(decideProvision(done, remote({ uri: 'github.com/acme/other//vpc' }), now)).toMatchObject({
      why: 'source URI changed (github.com/acme/mods//vpc → github.com/acme/other//vpc)',
    });
    expect(decideProvision(done, remote({ ttl: parseTtl('2h') }), now)).toMatchObject({ why: 'TTL 2h expired (updated 1d ago)' });
    expect(decideProvision(done, remote({ ttl: parseTtl('7d') }), now)).toMatchObject({ kind: 'remote-current' });
    // synced from its component folder before (no source URI recorded), now with a `source:`
    expect(decideProvision({ ...done, prev: { ...remotePrev, source_type: 'local', source_uri: undefined } }, remote(), now)).toMatchObject({
      why: 'source changed from local to remote',
    });
    // a `source:` that is a local folder is recorded as local, with its URI: current as any other source
    expect(decideProvision({ ...done, prev: { ...remotePrev, source_type: 'local' } }, remote(), now)).toMatchObject({ kind: 'remote-current' });
    const refetch = decideProvision(done, remote({ version: 'v2' }), now);
    expect(describeOutcome(refetch, remote({ version: 'v2' }), sync(0, 1, 1))).toEqual({
      action: 'reprovisioned',
      reason: 'source version changed (v1 → v2): synced 2 files (0 added, 1 updated, 1 removed)',
    });
  });
});
