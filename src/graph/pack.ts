/**
 * More instances than GitHub runs jobs in one matrix (256): the matrix entries are packed into at
 * most `maxLegs` legs, each leg running several instances with the runner (dependency order,
 * parallelism). A packed leg names its instances in one string, `instances`, that the plan and
 * apply commands take back (the action's `instances` input): `stack:component` keys separated by
 * commas, where a key whose stack is the previous key's drops `stack:` (`dev:vpc,db,prod:vpc`).
 *
 * Which instances share a leg: the entries are in stack order, so a leg takes a run of neighbours
 * (whole stacks where a boundary is near), and reads the few manifests that define them. A leg
 * assumes one role and installs one tool, so instances that need different ones never share a leg.
 */
import { AtmosError } from '../util/errors.js';
import type { InstanceId } from '../stacks/identity.js';
import type { MatrixEntry } from './matrix.js';

/** What packing reads of an entry (a matrix entry, or an apply level's). */
export type PackableEntry = Pick<MatrixEntry, 'stack' | 'component' | 'manifest' | 'tool' | 'role_plan' | 'role_apply' | 'region'>;

/** One leg of a packed matrix: the instances it runs, and what it needs to run them. */
export interface PackedLeg {
  /** The instance keys (see the module comment); names holding `%`, `,`, `:` or white space are percent-encoded. */
  instances: string;
  /** How many instances (for job names). */
  count: number;
  /**
   * The top-level manifests that define the instances, comma separated (the action's `manifest`
   * input): the leg reads only those. Empty when one of them is defined by several manifests, as
   * for a one-instance entry, so that the leg checks that the definitions agree.
   */
  manifest: string;
  tool: MatrixEntry['tool'];
  role_plan?: string;
  role_apply?: string;
  region?: string;
}

/**
 * GitHub keeps at most 1 MB of outputs per job, sized as UTF-16 (two bytes per character of
 * ASCII). The matrix output gets most of it; the job's other outputs (count, tool versions) are small.
 */
export const MATRIX_OUTPUT_BUDGET_UTF16_BYTES = 900_000;

/** The size GitHub counts for an output value: UTF-16 code units, two bytes each. */
export function utf16Bytes(text: string): number {
  return text.length * 2;
}

const NEEDS_ESCAPE = /[%,:\s]/g;

function encodeName(name: string): string {
  return name.replace(NEEDS_ESCAPE, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

function decodeName(text: string, key: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AtmosError(`instances: ${JSON.stringify(key)} holds a bad %-escape`);
  }
}

/** The `instances` string of these instances, in the order given. */
export function formatInstanceKeys(instances: readonly InstanceId[]): string {
  let previous: string | undefined;
  return instances
    .map((i) => {
      const key = previous === i.stack ? encodeName(i.component) : `${encodeName(i.stack)}:${encodeName(i.component)}`;
      previous = i.stack;
      return key;
    })
    .join(',');
}

/** The instances an `instances` string names, in its order (the one parser of the format). */
export function parseInstanceKeys(text: string): InstanceId[] {
  const out: InstanceId[] = [];
  let stack: string | undefined;
  for (const raw of text.split(',')) {
    const key = raw.trim();
    if (key === '') continue;
    const colon = key.indexOf(':');
    if (colon >= 0) stack = decodeName(key.slice(0, colon), key);
    else if (stack === undefined) throw new AtmosError(`instances: the first key must name its stack (stack:component), not ${JSON.stringify(key)}`);
    const rawComponent = colon >= 0 ? key.slice(colon + 1) : key;
    // Names holding `:` are escaped, so a second one means a malformed key.
    if (stack === '' || rawComponent === '' || rawComponent.includes(':')) {
      throw new AtmosError(`instances: ${JSON.stringify(key)} is not a stack:component key`);
    }
    const component = decodeName(rawComponent, key);
    out.push({ stack, component });
  }
  if (out.length === 0) throw new AtmosError('instances: no instance named');
  return out;
}

/** Instances that need the same tool and credentials: they may share a leg. */
function classOf(e: PackableEntry): string {
  return [e.tool, e.role_plan ?? '', e.role_apply ?? '', e.region ?? ''].join('\0');
}

/** How many legs each class gets: at least one, the rest in proportion to its size (largest remainders first). */
function allocate(sizes: readonly number[], maxLegs: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((n) => (maxLegs * n) / total);
  const legs = exact.map((x, i) => Math.min(sizes[i]!, Math.max(1, Math.floor(x))));
  let spare = maxLegs - legs.reduce((a, b) => a + b, 0);
  // The minimum of one leg per class may overshoot: take back from the classes with the most legs.
  while (spare < 0) {
    const i = legs.indexOf(Math.max(...legs));
    legs[i]!--;
    spare++;
  }
  const byRemainder = sizes.map((_n, i) => i).sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || a - b);
  while (spare > 0 && byRemainder.some((i) => legs[i]! < sizes[i]!)) {
    for (const i of byRemainder) {
      if (spare === 0) break;
      if (legs[i]! < sizes[i]!) {
        legs[i]!++;
        spare--;
      }
    }
  }
  return legs;
}

/**
 * Where a class of `n` entries is cut into `legs` runs of near-equal length: each cut moves to the
 * nearest stack boundary within a quarter of a run, so that a leg holds whole stacks where it can.
 */
function cuts(entries: readonly PackableEntry[], legs: number): number[] {
  const n = entries.length;
  const size = n / legs;
  const slack = Math.floor(size / 4);
  const out: number[] = [];
  let previous = 0;
  for (let k = 1; k < legs; k++) {
    const ideal = Math.round(k * size);
    const lo = Math.max(previous + 1, ideal - slack);
    const hi = Math.min(n - (legs - k), ideal + slack);
    let best = Math.min(Math.max(ideal, lo), hi);
    for (let d = 0; d <= slack; d++) {
      const found = [ideal - d, ideal + d].find((j) => j >= lo && j <= hi && entries[j]!.stack !== entries[j - 1]!.stack);
      if (found !== undefined) {
        best = found;
        break;
      }
    }
    out.push(best);
    previous = best;
  }
  return out;
}

function legOf(entries: readonly PackableEntry[]): PackedLeg {
  const first = entries[0]!;
  const manifests = entries.some((e) => e.manifest === '') ? [] : [...new Set(entries.map((e) => e.manifest))];
  return {
    instances: formatInstanceKeys(entries),
    count: entries.length,
    manifest: manifests.join(','),
    tool: first.tool,
    ...(first.role_plan !== undefined && { role_plan: first.role_plan }),
    ...(first.role_apply !== undefined && { role_apply: first.role_apply }),
    ...(first.region !== undefined && { region: first.region }),
  };
}

/**
 * The entries (sorted by stack, then component) packed into at most `maxLegs` legs. Every entry is
 * in exactly one leg. Refused when more classes (tool, roles, region) than legs are needed.
 */
export function packEntries(entries: readonly PackableEntry[], maxLegs: number): PackedLeg[] {
  const classes = new Map<string, PackableEntry[]>();
  for (const e of entries) {
    const c = classOf(e);
    const group = classes.get(c);
    if (group) group.push(e);
    else classes.set(c, [e]);
  }
  if (classes.size > maxLegs) {
    throw new AtmosError(
      `the ${entries.length} instances need ${classes.size} different combinations of tool, AWS roles and region, and each needs its own leg: ` +
        `more than max-legs (${maxLegs}); split the selection into calls with stacks/components (each with its own group)`,
    );
  }
  const groups = [...classes.values()];
  const legs = allocate(
    groups.map((g) => g.length),
    maxLegs,
  );
  return groups.flatMap((group, i) => {
    const at = [0, ...cuts(group, legs[i]!), group.length];
    return at.slice(1).map((end, k) => legOf(group.slice(at[k], end)));
  });
}
