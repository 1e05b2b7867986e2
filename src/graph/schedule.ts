/**
 * The one bounded scheduler: runs the nodes of a DAG with at most `parallelism` at once. A node
 * starts as soon as its own dependencies have finished (a ready queue, not waves), so a slow node
 * never holds back an unrelated one. A plain bounded pool is the DAG without edges.
 *
 * Failure policy (what the terraform runner needs):
 * - fail-fast: after a failure nothing new starts; running nodes finish; the rest are skipped.
 * - keep-going: dependents of a failed (or skipped) node are skipped, naming the dependency;
 *   independent nodes still run.
 * - an aborted `signal` stops starting new work, like fail-fast; running nodes get the signal.
 */
import { performance } from 'node:perf_hooks';
import { AtmosError } from '../util/errors.js';
import { cycleError, findCycle } from './instance-graph.js';

export interface ScheduleNode<T> {
  /** Unique among the nodes. */
  key: string;
  /** Keys of nodes that must finish successfully before this one starts. */
  deps?: readonly string[];
  value: T;
}

export type NodeResult<R> =
  | { key: string; status: 'ok'; value: R; durationMs: number }
  | { key: string; status: 'failed'; error: unknown; durationMs: number }
  | { key: string; status: 'skipped'; reason: string; durationMs: 0 };

export interface ScheduleOptions {
  /** Nodes running at once (at least 1). */
  parallelism: number;
  /** Stop starting new nodes after the first failure. Default true. */
  failFast?: boolean;
  /** Aborting stops starting new nodes; it is passed on to the running ones. */
  signal?: AbortSignal;
}

/** Work for one node; gets the schedule's signal so long-running work can stop too. */
export type NodeWork<T, R> = (value: T, key: string, signal: AbortSignal | undefined) => Promise<R>;

/**
 * Runs every node and resolves with one result per node, in the order given. Never rejects for a
 * node's failure (it is in the results); refuses up front duplicate keys, unknown dependencies
 * and cycles.
 */
export async function schedule<T, R>(nodes: readonly ScheduleNode<T>[], work: NodeWork<T, R>, opts: ScheduleOptions): Promise<NodeResult<R>[]> {
  const index = indexNodes(nodes);
  const failFast = opts.failFast ?? true;
  const limit = Math.max(1, Math.floor(opts.parallelism));
  const results: (NodeResult<R> | undefined)[] = new Array(nodes.length);
  /** Unfinished dependencies per node. */
  const waiting = nodes.map((n) => n.deps?.length ?? 0);
  const dependents = dependentsOf(nodes, index);
  const ready: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (waiting[i] === 0) ready.push(i);
  let head = 0;
  let running = 0;
  let settled = 0;
  let stopReason: string | undefined;
  const started = new Uint8Array(nodes.length);

  return new Promise((resolve) => {
    const finish = () => {
      if (settled === nodes.length) resolve(results as NodeResult<R>[]);
    };
    const settle = (i: number, r: NodeResult<R>) => {
      results[i] = r;
      settled++;
    };
    /** Skips every not yet settled node that depends on `i`, transitively. */
    const skipDependents = (i: number, why: string) => {
      const stack = [...(dependents[i] ?? [])];
      while (stack.length) {
        const d = stack.pop()!;
        if (results[d]) continue;
        settle(d, { key: nodes[d]!.key, status: 'skipped', reason: why, durationMs: 0 });
        stack.push(...(dependents[d] ?? []));
      }
    };
    const stop = (reason: string) => {
      if (stopReason !== undefined) return;
      stopReason = reason;
      for (let i = 0; i < nodes.length; i++) {
        if (!results[i] && !started[i]) settle(i, { key: nodes[i]!.key, status: 'skipped', reason, durationMs: 0 });
      }
    };
    const pump = () => {
      while (stopReason === undefined && running < limit && head < ready.length) {
        const i = ready[head++]!;
        if (results[i]) continue; // skipped meanwhile
        started[i] = 1;
        running++;
        const t0 = performance.now();
        let p: Promise<R>;
        try {
          p = work(nodes[i]!.value, nodes[i]!.key, opts.signal);
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(
          (value) => done(i, { key: nodes[i]!.key, status: 'ok', value, durationMs: performance.now() - t0 }),
          (error: unknown) => done(i, { key: nodes[i]!.key, status: 'failed', error, durationMs: performance.now() - t0 }),
        );
      }
      finish();
    };
    const done = (i: number, r: NodeResult<R>) => {
      running--;
      settle(i, r);
      if (r.status === 'ok') {
        for (const d of dependents[i] ?? []) if (--waiting[d]! === 0 && !results[d]) ready.push(d);
      } else if (failFast) {
        stop(`not started: ${r.key} failed (fail-fast)`);
      } else {
        skipDependents(i, `dependency ${r.key} failed`);
      }
      pump();
    };
    if (opts.signal?.aborted) stop('not started: aborted');
    else
      opts.signal?.addEventListener(
        'abort',
        () => {
          stop('not started: aborted');
          finish();
        },
        { once: true },
      );
    pump();
  });
}

/** Key → position; refuses duplicates, unknown dependencies and cycles with a configuration error. */
function indexNodes(nodes: readonly ScheduleNode<unknown>[]): Map<string, number> {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (index.has(n.key)) throw new AtmosError(`scheduler: duplicate node ${n.key}`);
    index.set(n.key, i);
  });
  for (const n of nodes) {
    for (const d of n.deps ?? []) if (!index.has(d)) throw new AtmosError(`${n.key} depends on ${d}, which is not selected`);
  }
  const cycle = findCycle(nodes);
  if (cycle) throw cycleError(cycle);
  return index;
}

/** For each node, the positions of the nodes that depend on it (undefined when none: the common, edgeless case). */
function dependentsOf(nodes: readonly ScheduleNode<unknown>[], index: Map<string, number>): (number[] | undefined)[] {
  const out: (number[] | undefined)[] = new Array(nodes.length);
  nodes.forEach((n, i) => {
    for (const d of n.deps ?? []) (out[index.get(d)!] ??= []).push(i);
  });
  return out;
}
