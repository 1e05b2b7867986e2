/** The bounded DAG scheduler, with real timers: what starts when, and what a failure or an abort does. */
import { schedule, type ScheduleNode } from '../../src/graph/schedule.js';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted while running'))), { once: true });
  });

/** Runs `nodes` whose value is how long each sleeps (a negative value fails after that long), recording start/end times. */
async function run(nodes: ScheduleNode<number>[], opts: { parallelism: number; failFast?: boolean; signal?: AbortSignal }) {
  const t0 = Date.now();
  const times: Record<string, { start: number; end: number }> = {};
  let concurrent = 0;
  let maxConcurrent = 0;
  const results = await schedule(
    nodes,
    async (ms, key, signal) => {
      times[key] = { start: Date.now() - t0, end: -1 };
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      try {
        await sleep(Math.abs(ms), signal);
        if (ms < 0) throw new Error(`${key} broke`);
        return `${key} done`;
      } finally {
        concurrent--;
        times[key]!.end = Date.now() - t0;
      }
    },
    opts,
  );
  const status = Object.fromEntries(results.map((r) => [r.key, r.status === 'skipped' ? `skipped: ${r.reason}` : r.status]));
  return { results, times, status, maxConcurrent };
}

const node = (key: string, ms: number, deps: string[] = []): ScheduleNode<number> => ({ key, value: ms, deps });

describe('schedule', () => {
  test('without edges it is a bounded pool: never more than `parallelism` at once, every node once, results in input order', async () => {
    const nodes = Array.from({ length: 9 }, (_, i) => node(`n${i}`, 20 + (i % 3) * 10));
    const { results, maxConcurrent } = await run(nodes, { parallelism: 3 });
    expect(maxConcurrent).toBe(3);
    expect(results.map((r) => [r.key, r.status])).toEqual(nodes.map((n) => [n.key, 'ok']));
    expect(results[0]).toMatchObject({ status: 'ok', value: 'n0 done' });
    for (const r of results) expect(r.durationMs).toBeGreaterThanOrEqual(15);
  });

  test('a node starts as soon as its own dependencies finished, not held back by an unrelated slower node (no waves)', async () => {
    // slow (600 ms) and fast (50 ms) start together; after-fast depends only on fast.
    const { times } = await run([node('slow', 600), node('fast', 50), node('after-fast', 50, ['fast']), node('after-slow', 10, ['slow'])], { parallelism: 4 });
    expect(times['after-fast']!.start).toBeGreaterThanOrEqual(times.fast!.end);
    expect(times['after-fast']!.end).toBeLessThan(times.slow!.end - 200);
    expect(times['after-slow']!.start).toBeGreaterThanOrEqual(times.slow!.end);
  });

  test('fail-fast: after a failure nothing new starts, running nodes finish, the rest are skipped', async () => {
    const { status, times } = await run([node('bad', -50), node('running', 300), node('queued', 10), node('child', 10, ['running'])], { parallelism: 2 });
    expect(status).toEqual({
      bad: 'failed',
      running: 'ok',
      queued: 'skipped: not started: bad failed (fail-fast)',
      child: 'skipped: not started: bad failed (fail-fast)',
    });
    expect(times.queued).toBeUndefined();
    expect(times.running!.end).toBeGreaterThanOrEqual(250);
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
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const { status } = await run([node('a', 5000), node('b', 5000), node('c', 10)], { parallelism: 2, failFast: false, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(status).toEqual({ a: 'failed', b: 'failed', c: 'skipped: not started: aborted' });
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
