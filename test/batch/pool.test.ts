import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { WorkerPool, maxJobs, type PoolResult } from '../../src/batch/pool.js';
import type { EchoTask } from './fixtures/echo-handler.js';

const handler = new URL('./fixtures/echo-handler.ts', import.meta.url);
type Out = { n: number; square: number; thread: number };

async function collect(gen: AsyncIterable<PoolResult<EchoTask, Out>>): Promise<PoolResult<EchoTask, Out>[]> {
  const out: PoolResult<EchoTask, Out>[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('WorkerPool', () => {
  it('yields results in input order whatever finishes first, using every worker', async () => {
    const pool = await WorkerPool.start<{ offset: number }, EchoTask, Out>({ handler, init: { offset: 1 }, jobs: 2 });
    try {
      // Early tasks are slow, later ones fast: completion order differs from input order.
      const tasks: EchoTask[] = Array.from({ length: 20 }, (_, n) => ({ n, mode: 'slow', ms: n < 4 ? 80 : 1 }));
      const results = await collect(pool.map(tasks));
      expect(results.map((r) => r.index)).toEqual(tasks.map((_, i) => i));
      expect(results.map((r) => (r.ok ? r.value.square : null))).toEqual(tasks.map((t) => t.n * t.n + 1));
      const threads = new Set(results.map((r) => (r.ok ? r.value.thread : 0)));
      expect(threads.size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('starts at most 4 workers per core, whatever it is asked for', async () => {
    const pool = await WorkerPool.start<{ offset: number }, EchoTask, Out>({ handler, init: { offset: 1 }, jobs: 10_000 });
    try {
      expect(pool.jobs).toBe(maxJobs());
      expect(maxJobs()).toBe(4 * availableParallelism());
    } finally {
      await pool.close();
    }
  });

  it('turns a throwing task, a dying worker and a hung task into failed results and goes on', async () => {
    const pool = await WorkerPool.start<{ offset: number }, EchoTask, Out>({
      handler,
      init: { offset: 0 },
      jobs: 2,
      timeoutMs: 1500,
    });
    try {
      const tasks: EchoTask[] = [
        { n: 1 },
        { n: 2, mode: 'throw' },
        { n: 3 },
        { n: 4, mode: 'exit' },
        { n: 5 },
        { n: 6, mode: 'hang' },
        { n: 7 },
        { n: 8 },
      ];
      const results = await collect(pool.map(tasks));
      expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true, false, true, true]);
      const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
      expect(errors[0]).toContain('bad task 2');
      expect(errors[1]).toMatch(/exited with code 3/);
      expect(errors[2]).toMatch(/timed out/);
      expect(pool.restarts).toBe(2);
      // The pool still works after the replacements.
      await expect(pool.run({ n: 9 })).resolves.toMatchObject({ square: 81 });
    } finally {
      await pool.close();
    }
  });

  it('reads a lazy source at most `window` tasks ahead of the consumer (backpressure)', async () => {
    const pool = await WorkerPool.start<{ offset: number }, EchoTask, Out>({ handler, init: { offset: 0 }, jobs: 2, window: 4 });
    try {
      let pulled = 0;
      function* source(): Generator<EchoTask> {
        for (let n = 0; n < 1000; n++) {
          pulled++;
          yield { n };
        }
      }
      let consumed = 0;
      let maxAhead = 0;
      for await (const r of pool.map(source())) {
        expect(r.index).toBe(consumed);
        consumed++;
        maxAhead = Math.max(maxAhead, pulled - consumed);
        if (consumed === 50) break;
      }
      expect(consumed).toBe(50);
      expect(maxAhead).toBeLessThanOrEqual(4);
      expect(pulled).toBeLessThanOrEqual(54);
    } finally {
      await pool.close();
    }
  });

  it('answers from the shortcut without a worker when it has a value', async () => {
    const pool = await WorkerPool.start<{ offset: number }, EchoTask, Out>({ handler, init: { offset: 0 }, jobs: 1 });
    try {
      const results = await collect(
        pool.map([{ n: 1 }, { n: 2 }, { n: 3 }], {
          shortcut: (t) => (t.n === 2 ? { n: 2, square: -1, thread: -1 } : undefined),
        }),
      );
      expect(results.map((r) => r.cached)).toEqual([false, true, false]);
      expect(results.map((r) => (r.ok ? r.value.square : null))).toEqual([1, -1, 9]);
    } finally {
      await pool.close();
    }
  });

  it('refuses to start when the handler cannot initialise, with the handler error', async () => {
    await expect(
      WorkerPool.start({ handler: new URL('./fixtures/broken-handler.ts', import.meta.url), jobs: 2 }),
    ).rejects.toThrow(/dictionary file not found/);
  });
});
