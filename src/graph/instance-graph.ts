/**
 * The one dependency graph among selected instances: which instance waits for which, its levels,
 * its reversal (destroy), and a cycle named when there is one. The runner schedules it
 * (`graph/schedule.ts`, the one scheduler), and `apply-matrix` turns it into levels of jobs.
 */
import { instanceKey, type InstanceId } from '../stacks/identity.js';
import { AtmosError } from '../util/errors.js';
import type { ScheduleNode } from './schedule.js';

export interface InstanceGraph<T extends InstanceId> {
  /** The instances, in the order given. */
  readonly instances: readonly T[];
  /** Per instance (by position): the keys of the instances it waits for, all among `instances`. */
  readonly deps: readonly (readonly string[])[];
}

/**
 * The graph among `instances`: one edge per dependency that is itself among them. A dependency
 * outside the set is no edge; `outside` hears of each one, for the caller to say so or not.
 */
export function instanceGraph<T extends InstanceId>(
  instances: readonly T[],
  dependsOn: (instance: T) => readonly InstanceId[],
  outside?: (instance: T, dependency: InstanceId) => void,
): InstanceGraph<T> {
  const keys = new Set(instances.map(instanceKey));
  const deps = instances.map((i) => {
    const own: string[] = [];
    for (const d of dependsOn(i)) {
      const k = instanceKey(d);
      if (!keys.has(k)) outside?.(i, d);
      else if (!own.includes(k)) own.push(k);
    }
    return own;
  });
  return { instances, deps };
}

/** The same graph with every edge turned around: destroy removes a dependent before what it depends on. */
export function reversed<T extends InstanceId>(graph: InstanceGraph<T>): InstanceGraph<T> {
  const position = new Map(graph.instances.map((i, n) => [instanceKey(i), n]));
  const deps: string[][] = graph.instances.map(() => []);
  graph.deps.forEach((own, n) => {
    for (const k of own) deps[position.get(k)!]!.push(instanceKey(graph.instances[n]!));
  });
  return { instances: graph.instances, deps };
}

/** The scheduler's nodes, keyed by {@link instanceKey}. */
export function scheduleNodes<T extends InstanceId>(graph: InstanceGraph<T>): ScheduleNode<T>[] {
  return graph.instances.map((i, n) => ({ key: instanceKey(i), deps: graph.deps[n], value: i }));
}

/**
 * Level n holds the instances whose dependencies are all in levels before it (level 0: none), each
 * level in the order given. Throws a configuration error naming a cycle when there is one.
 */
export function graphLevels<T extends InstanceId>(graph: InstanceGraph<T>): T[][] {
  const nodes = scheduleNodes(graph);
  const cycle = findCycle(nodes);
  if (cycle) throw cycleError(cycle);
  const position = new Map(nodes.map((n, i) => [n.key, i]));
  const dependents: number[][] = nodes.map(() => []);
  const waiting = nodes.map((n, i) => {
    for (const d of n.deps ?? []) dependents[position.get(d)!]!.push(i);
    return n.deps?.length ?? 0;
  });
  // In topological order (no cycle: every node is reached): a node's level is one more than its deepest dependency's.
  const level: number[] = new Array(nodes.length).fill(0);
  const ready = nodes.flatMap((_n, i) => (waiting[i] === 0 ? [i] : []));
  for (let head = 0; head < ready.length; head++) {
    const i = ready[head]!;
    for (const d of dependents[i]!) {
      level[d] = Math.max(level[d]!, level[i]! + 1);
      if (--waiting[d]! === 0) ready.push(d);
    }
  }
  const out: T[][] = [];
  nodes.forEach((n, i) => (out[level[i]!] ??= []).push(n.value));
  return out;
}

/** `dependency cycle: a → b → a`: the one wording of a cycle, wherever it is found. */
export function cycleError(cycle: readonly string[]): AtmosError {
  return new AtmosError(`dependency cycle: ${cycle.join(' → ')}`);
}

/**
 * One cycle among nodes with dependency keys, as keys with the first repeated at the end, or null.
 * Dependencies on keys that are not nodes are ignored. Iterative: deep chains cannot overflow the stack.
 */
export function findCycle(nodes: readonly { key: string; deps?: readonly string[] }[]): string[] | null {
  const index = new Map(nodes.map((n, i) => [n.key, i]));
  const state = new Uint8Array(nodes.length); // 0 new, 1 on the path, 2 done
  for (let root = 0; root < nodes.length; root++) {
    if (state[root]) continue;
    const path: number[] = [root];
    const next: number[] = [0];
    state[root] = 1;
    while (path.length) {
      const i = path[path.length - 1]!;
      const deps = nodes[i]!.deps ?? [];
      if (next[next.length - 1]! < deps.length) {
        const d = index.get(deps[next[next.length - 1]!++]!);
        if (d === undefined) continue;
        if (state[d] === 1) return [...path.slice(path.indexOf(d)), d].map((p) => nodes[p]!.key);
        if (state[d] === 0) {
          state[d] = 1;
          path.push(d);
          next.push(0);
        }
      } else {
        state[i] = 2;
        path.pop();
        next.pop();
      }
    }
  }
  return null;
}
