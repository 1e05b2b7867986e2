/**
 * Beyond Atmos (docs/atmos-compatibility.md §11.6): an instance that reads another instance's
 * outputs (`!terraform.output`, `!terraform.state`, `atmos.Component`) depends on it, so the reader runs after the
 * instance it reads when both are in the run, instead of reading stale or missing values.
 */
import type { Log } from '../../ports/log.js';
import type { OutputRead } from '../evaluate-instance.js';
import type { ResolvedInstance } from '../instance.js';
import type { DependencyRef } from '../types.js';

export function addOutputDependencies(instances: ResolvedInstance[], reads: Map<ResolvedInstance, OutputRead[]>, log: Log): void {
  if (reads.size === 0) return;
  const known = new Set(instances.map((i) => `${i.stack}\u0000${i.component}`));
  for (const [inst, list] of reads) {
    const refs: DependencyRef[] = [...inst.dependsOn];
    for (const r of list) {
      const via = r.fn === 'atmos.Component' ? 'atmos.Component' : (`!${r.fn}` as const);
      const stack = r.stack ?? inst.stack;
      if (r.component === inst.component && stack === inst.stack) continue;
      if (!known.has(`${stack}\u0000${r.component}`)) {
        log.warn(
          `${inst.component} (stack ${inst.stack}) reads ${r.expression} of ${r.component} in stack ${stack} (${via} at ${r.path}), which does not exist`,
        );
        continue;
      }
      if (refs.some((d) => d.component === r.component && d.stack === stack)) continue;
      refs.push({ component: r.component, stack, via });
      log.info(`${inst.component} (stack ${inst.stack}) depends on ${r.component} (stack ${stack}): it reads its output ${r.expression} (${via} at ${r.path})`);
    }
    inst.dependsOn = refs;
  }
}
