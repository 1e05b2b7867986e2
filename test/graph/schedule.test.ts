/**
 * The bounded DAG scheduler, with real timers: what starts when, and what a failure or an abort
 * does. Orderings are read from the sequence of start/end events, never from clock readings: a node
 * that must still be running when another one ends waits for that end (with a fallback long
 * enough to mean "the scheduler never started it", so a wrong order fails instead of hanging).
 */
import { performance } from 'node:perf_hooks';
import { schedule, type ScheduleNode } from '../../src/graph/schedule.js';

/** Long enough that reaching it means the awaited node never ran; short enough to fail well inside the test timeout. */
const NEVER_MS = 10_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted while running'))), { once: true });
  });

/** What a node does: sleep that long (a negative value fails after that long), or hold until another node has ended. */
type Work = number | { until: string; fail?: boolean };

/** Runs `nodes`, recording the order of `start <key>` / `end <key>` events and how long each node's work took as measured inside it. */
async function run(nodes: ScheduleNode<Work>[], opts: { parallelism: number; failFast?: boolean; signal?: AbortSignal }, onStart?: (key: string) => void) {
  const events: string[] = [];
  const tookMs: Record<string, number> = {};
  const ended = new Map<string, () => void>();
  const endOf = (key: string) => new Promise<void>((resolve) => ended.set(key, resolve));
  const waits = new Map(nodes.map((n) => [n.key, endOf(n.key)]));
  let concurrent = 0;
  let maxConcurrent = 0;
  const results = await schedule(
    nodes,
    async (work, key, signal) => {
      const t0 = performance.now();
      events.push(`start ${key}`);
      onStart?.(key);
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      try {
        if (typeof work === 'number') {
          await sleep(Math.abs(work), signal);
          if (work < 0) throw new Error(`${key} broke`);
        } else {
          const fallback = new AbortController();
          try {
            await Promise.race([waits.get(work.until)!, sleep(NEVER_MS, AbortSignal.any([fallback.signal, ...(signal ? [signal] : [])]))]);
          } finally {
            fallback.abort();
          }
          if (work.fail) throw new Error(`${key} broke`);
        }
        return `${key} done`;
      } finally {
        concurrent--;
        events.push(`end ${key}`);
        tookMs[key] = performance.now() - t0;
        ended.get(key)!();
      }
    },
    opts,
  );
  const status = Object.fromEntries(results.map((r) => [r.key, r.status === 'skipped' ? `skipped: ${r.reason}` : r.status]));
  const at = (event: string) => {
    const i = events.indexOf(event);
    if (i < 0) throw new Error(`no event "${event}" in ${JSON.stringify(events)}`);
    return i;
  };
  return { results, events, at, tookMs, status, maxConcurrent };
}

const node = (key: string, work: Work, deps: string[] = []): ScheduleNode<Work> => ({ key, value: work, deps });

describe('schedule', () => {
  test('without edges it is a bounded pool: never more than `parallelism` at once, every node once, results in input order', async () => {
    const nodes = Array.from({ length: 9 }, (_, i) => node(`n${i}`, 20 + (i % 3) * 10));
    const { results, maxConcurrent, tookMs } = await run(nodes, { parallelism: 3 });
    expect(maxConcurrent).toBe(3);
    expect(results.map((r) => [r.key, r.status])).toEqual(nodes.map((n) => [n.key, 'ok']));
    expect(results[0]).toMatchObject({ status: 'ok', value: 'n0 done' });
    // Each result's duration covers its node's whole work.
    for (const r of results) expect(r.durationMs).toBeGreaterThanOrEqual(tookMs[r.key]!);
  });

  test('a node starts as soon as its own dependencies finished, not held back by an unrelated slower node (no waves)', async () => {
    // slow and fast start together; after-fast depends only on fast; slow runs until after-fast has ended.
    const { at } = await run([node('slow', { until: 'after-fast' }), node('fast', 50), node('after-fast', 50, ['fast']), node('after-slow', 10, ['slow'])], {
      parallelism: 4,
    });
    expect(at('start after-fast')).toBeGreaterThan(at('end fast'));
    expect(at('end after-fast')).toBeLessThan(at('end slow'));
    expect(at('start after-slow')).toBeGreaterThan(at('end slow'));
  });

  test('fail-fast: after a failure nothing new starts, running nodes finish, the rest are skipped', async () => {
    // `running` is still running when `bad` fails: it ends only after that.
    const { status, events, at } = await run([node('bad', -50), node('running', { until: 'bad' }), node('queued', 10), node('child', 10, ['running'])], {
      parallelism: 2,
    });
    expect(status).toEqual({
      bad: 'failed',
      running: 'ok',
      queued: 'skipped: not started: bad failed (fail-fast)',
      child: 'skipped: not started: bad failed (fail-fast)',
    });
    expect(events).not.toContain('start queued');
    expect(at('end running')).toBeGreaterThan(at('end bad'));
  });

  test('keep-going: dependents of a failure are skipped with the reason, transitively; independent nodes still run', async () => {
    const { status, results } = await run(
      [node('base', -30), node('mid', 10, ['base']), node('leaf', 10, ['mid']), node('other', 50), node('after-other', 10, ['other'])],
      { parallelism: 2, failFast: false },
    );
    expect(status).toEqual({
      base: 'failed',
      mid: 'skipped: dependency base failed',
      leaf: 'skipped: dependency base failed',
      other: 'ok',
      'after-other': 'ok',
    });
    const failed = results.find((r) => r.key === 'base');
    expect(failed?.status === 'failed' && (failed.error as Error).message).toBe('base broke');
  });

  test('an abort stops starting new nodes and reaches the running ones', async () => {
    const controller = new AbortController();
    const running = new Set<string>();
    // Aborted once a and b both run; without the signal they would sleep on and end 'ok'.
    const onStart = (key: string) => void (running.add(key).size === 2 && setImmediate(() => controller.abort()));
    const { status, results } = await run(
      [node('a', 30_000), node('b', 30_000), node('c', 10)],
      { parallelism: 2, failFast: false, signal: controller.signal },
      onStart,
    );
    expect(status).toEqual({ a: 'failed', b: 'failed', c: 'skipped: not started: aborted' });
    for (const r of results.slice(0, 2)) expect(r.status === 'failed' && (r.error as Error).message).toBe('aborted while running');
  });

  test('refuses unknown dependencies and cycles before starting anything', async () => {
    let ran = 0;
    const work = async () => void ran++;
    await expect(schedule([node('a', 1, ['ghost'])], work, { parallelism: 1 })).rejects.toThrow('a depends on ghost, which is not selected');
    await expect(schedule([node('a', 1, ['c']), node('b', 1, ['a']), node('c', 1, ['b']), node('d', 1)], work, { parallelism: 1 })).rejects.toThrow(
      'dependency cycle: a → c → b → a',
    );
    expect(ran).toBe(0);
  });
});
