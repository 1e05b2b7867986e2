import picomatch from 'picomatch';
import type { Instance } from '../stacks/types.js';
import { didYouMean } from '../util/suggest.js';

export interface InstanceFilter {
  /** Globs (or exact names) matched against the canonical stack name; any match selects. */
  stacks?: string[];
  /** Globs (or exact names) matched against the Atmos component name. */
  components?: string[];
  /** Keep abstract instances (never deployable; only for describe). */
  includeAbstract?: boolean;
  /** Keep instances with metadata.enabled: false. */
  includeDisabled?: boolean;
}

function matcher(globs: string[] | undefined): (name: string) => boolean {
  const list = (globs ?? [])
    .flatMap((g) => g.split(','))
    .map((g) => g.trim())
    .filter(Boolean);
  if (list.length === 0) return () => true;
  const m = picomatch(list, { dot: true });
  return (name) => m(name);
}

/** Whether a stack/component pair is one the globs select (abstract and disabled aside). */
export function selects(filter: Pick<InstanceFilter, 'stacks' | 'components'>): (stack: string, component: string) => boolean {
  const stackOk = matcher(filter.stacks);
  const componentOk = matcher(filter.components);
  return (stack, component) => stackOk(stack) && componentOk(component);
}

/** Instances chosen by stack/component globs; deployable ones only unless asked otherwise. Order is stable: stack, then component. */
export function selectInstances(instances: readonly Instance[], filter: InstanceFilter = {}): Instance[] {
  const stackOk = matcher(filter.stacks);
  const componentOk = matcher(filter.components);
  return instances
    .filter((i) => (filter.includeAbstract || !i.abstract) && (filter.includeDisabled || i.enabled))
    .filter((i) => stackOk(i.stack) && componentOk(i.component))
    .sort((a, b) => (a.stack === b.stack ? cmp(a.component, b.component) : cmp(a.stack, b.stack)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * For each stack/component pattern that matches no instance, a warning naming the closest known
 * names: an empty selection is never silent.
 */
export function emptySelectionWarnings(
  instances: readonly Instance[],
  filter: Pick<InstanceFilter, 'stacks' | 'components'>,
  words: { stacks: string; components: string } = { stacks: 'stacks', components: 'components' },
): string[] {
  const out: string[] = [];
  const check = (patterns: string[] | undefined, names: string[], what: string) => {
    for (const p of (patterns ?? [])
      .flatMap((g) => g.split(','))
      .map((g) => g.trim())
      .filter(Boolean)) {
      const m = picomatch(p, { dot: true });
      if (names.some((n) => m(n))) continue;
      out.push(`${what} ${JSON.stringify(p)} matches nothing${didYouMean(p, names)}`);
    }
  };
  check(filter.stacks, [...new Set(instances.map((i) => i.stack))], words.stacks);
  check(filter.components, [...new Set(instances.map((i) => i.component))], words.components);
  return out;
}
