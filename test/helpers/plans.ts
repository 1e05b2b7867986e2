/** Synthetic plan results and plan folders, for the report and comment tests. */
import type { ReportEntry } from '../../src/report/plan-report.js';
import type { PlanResult } from '../../src/terraform/plan-result.js';
import { writePlanFolder } from '../../src/terraform/plan-store.js';

export function planResult(p: Partial<Pick<PlanResult, 'add' | 'change' | 'destroy' | 'replace' | 'outputs'>>): PlanResult {
  const r: PlanResult = {
    add: p.add ?? [],
    change: p.change ?? [],
    destroy: p.destroy ?? [],
    replace: p.replace ?? [],
    forget: [],
    import: [],
    moved: [],
    outputs: p.outputs ?? [],
    counts: { add: 0, change: 0, destroy: 0, replace: 0, forget: 0, import: 0, moved: 0, outputs: 0 },
    hasChanges: false,
    applyable: true,
    terraformVersion: '1.11.4',
  };
  r.counts = { ...r.counts, add: r.add.length, change: r.change.length, destroy: r.destroy.length, replace: r.replace.length, outputs: r.outputs.length };
  r.hasChanges = r.add.length + r.change.length + r.destroy.length + r.replace.length + r.outputs.length > 0;
  return r;
}

/**
 * `n` instances across stacks; instance i adds (i % 7) * `scale` resources, so sections differ in
 * size; every 50th fails, every 10th has no changes.
 */
export function manyEntries(n: number, scale = 10): ReportEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const stack = `org-ue${i % 4}-stage${Math.floor(i / 4) % 10}`;
    const component = `service-${String(i).padStart(3, '0')}`;
    const base = { instance: `${stack}:${component}`, stack, component };
    if (i % 50 === 49) return { ...base, status: 'failed', reason: `Error: creating thing ${i}: AccessDenied` } as ReportEntry;
    if (i % 10 === 9) return { ...base, status: 'no-changes', reason: 'no changes', plan: planResult({}), planfileSha256: 'a'.repeat(64) } as ReportEntry;
    const add = Array.from({ length: (i % 7) * scale + 1 }, (_, k) => `module.${component}.aws_resource.item["key-${k}-with-a-fairly-long-name"]`);
    return {
      ...base,
      status: 'changes',
      reason: '',
      plan: planResult({ add }),
      planfileSha256: `${String(i).padStart(4, '0')}${'b'.repeat(60)}`,
    } as ReportEntry;
  });
}

/** Plan folders for `entries` (results and metadata, no planfile), as the comment job reads them. */
export async function writePlanFolders(dir: string, entries: readonly ReportEntry[]): Promise<void> {
  for (const e of entries) {
    await writePlanFolder(dir, {
      meta: {
        instance: e.instance,
        stack: e.stack,
        component: e.component,
        commitSha: 'c'.repeat(40),
        configSha256: 'd'.repeat(64),
        lockFileSha256: null,
        files: {},
        terraformVersion: null,
        stackFile: 'deploy/x',
        createdAt: '2026-01-01T00:00:00Z',
      },
      result: { instance: e.instance, stack: e.stack, component: e.component, status: e.status, reason: e.reason, plan: e.plan, durationMs: 1 },
    });
  }
}
