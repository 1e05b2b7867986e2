import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, loadPlanfile, planDrift, readPlansDir, writePlanFolder, type PlanMetadata } from '../../src/terraform/plan-store.js';
import { planFolderName } from '../../src/util/paths.js';
import { tempDir } from '../helpers/fs.js';
import { planResult } from '../helpers/plans.js';

const meta = (stack: string, component: string) => ({
  instance: `${stack}:${component}`,
  stack,
  component,
  commitSha: 'c'.repeat(40),
  configSha256: '1'.repeat(64),
  lockFileSha256: null,
  stackFile: `deploy/${stack}`,
  createdAt: '2026-01-01T00:00:00Z',
});
const result = (stack: string, component: string) => ({
  instance: `${stack}:${component}`,
  stack,
  component,
  status: 'changes' as const,
  reason: '+1',
  plan: planResult({ add: ['a.b'] }),
  durationMs: 5,
});

describe('the plans directory', () => {
  it('gives every instance its own folder, even names that would collide when joined naively', () => {
    const pairs: [string, string][] = [
      ['a', 'b-c'],
      ['a-b', 'c'],
      ['a-b', 'hc'],
      ['a', 'hb-c'],
      ['a--b', 'c'],
      ['a', '-b-c'],
      ['a/b', 'c'],
      ['a', 'b/c'],
    ];
    const names = pairs.map(([s, c]) => planFolderName(s, c));
    expect(new Set(names).size).toBe(pairs.length);
    expect(() => planFolderName('../x', 'c')).toThrow();
  });

  it('writes planfile, result and metadata, reads them back sorted, and skips an unfinished folder', async () => {
    const dir = tempDir();
    const src = path.join(tempDir(), 'p.planfile');
    fs.writeFileSync(src, 'PLAN BYTES');
    await writePlanFolder(dir, { meta: meta('prod', 'vpc'), result: result('prod', 'vpc'), planfile: src });
    await writePlanFolder(dir, { meta: meta('dev', 'vpc'), result: result('dev', 'vpc'), planfile: src, encryptionKey: 'k' });
    fs.mkdirSync(path.join(dir, 'half-written')); // a leg killed before its metadata
    const stored = readPlansDir(dir);
    expect(stored.map((s) => s.meta.instance)).toEqual(['dev:vpc', 'prod:vpc']);
    expect(stored[0]!.meta).toMatchObject({ encrypted: true, format: 1 });
    expect(stored[1]!.meta).toMatchObject({ encrypted: false });
    expect(stored[0]!.meta.planfileSha256).toBe(stored[1]!.meta.planfileSha256);
    expect(fs.readdirSync(stored[0]!.folder).sort()).toEqual(['plan-meta.json', 'result.json', 'tfplan.enc']);
    expect(loadPlanfile(stored[0]!, 'k').toString()).toBe('PLAN BYTES');
    expect(loadPlanfile(stored[1]!, undefined).toString()).toBe('PLAN BYTES');
    expect(() => loadPlanfile(stored[0]!, undefined)).toThrow('dev:vpc: the planfile is encrypted; set the encryption-key input');
    fs.appendFileSync(path.join(stored[1]!.folder, 'tfplan'), '!');
    expect(() => loadPlanfile(stored[1]!, undefined)).toThrow(/prod:vpc: the planfile's SHA-256 is .*, the plan recorded .*: it was modified after review/);
    expect(readPlansDir(path.join(dir, 'missing'))).toEqual([]);
  });

  it('a failed plan keeps its folder without a planfile, so the comment shows it and apply refuses it', async () => {
    const dir = tempDir();
    const stored = await writePlanFolder(dir, { meta: meta('dev', 'db'), result: { ...result('dev', 'db'), status: 'failed', reason: 'init failed' } });
    expect(fs.readdirSync(stored.folder).sort()).toEqual(['plan-meta.json', 'result.json']);
    expect(() => loadPlanfile(readPlansDir(dir)[0]!, undefined)).toThrow('dev:db: there is no planfile (the plan failed)');
  });

  it('says what differs between the plan and the present', () => {
    const m = { ...meta('dev', 'vpc'), format: 1, encrypted: false } as PlanMetadata;
    expect(planDrift(m, { configSha256: m.configSha256, lockFileSha256: null })).toEqual([]);
    expect(planDrift(m, { configSha256: '2'.repeat(64), lockFileSha256: 'ab'.repeat(32) })).toEqual([
      'the resolved configuration changed since the plan (stack file deploy/dev or what it imports): plan again',
      'the provider lock file changed since the plan (none → abababababab…): plan again',
    ]);
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
