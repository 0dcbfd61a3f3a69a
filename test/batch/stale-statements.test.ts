/**
 * A re-run after the NLP setup changed answers every file's parse from the store and recomputes its
 * statements in the main thread; those results are written back in batches as they go (through the
 * store-writer thread), not held until the end of the run (at 100k files that was ~3 GB).
 */
import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../src/synth/index.js';
import { runThemes } from '../../src/pipeline/themes.js';
import { batchHooks } from '../../src/batch/executor.js';
import { BatchStore } from '../../src/batch/store.js';
import { WorkerPool } from '../../src/batch/pool.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-stale-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('statements recomputed for stored parses', () => {
  it('are stored in batches while the run goes on', async () => {
    const corpus = join(dir, 'corpus');
    await runSynth({ n: 150, seed: 7, out: corpus });
    const out = join(dir, 'out');
    const first = await batchHooks('themes', { out, jobs: 2 });
    await runThemes([corpus], { out, ...first, keepReports: false, keepStatements: false, keepDigests: false });
    expect(first.executor.stats.parsed).toBeGreaterThan(140);

    // Another NLP setup: every parse is a hit, every file's statements are new and must be stored.
    // Writes go to the store in the main thread (putMany) or, once a batch is full, to the store-writer
    // thread (a pool task with `writes`): both are watched.
    const putMany = vi.spyOn(BatchStore.prototype, 'putMany');
    const poolRun = vi.spyOn(WorkerPool.prototype, 'run');
    try {
      const second = await batchHooks('themes', { out, jobs: 2, words: ['政务公开专栏'] });
      await runThemes([corpus], { out, ...second, keepReports: false, keepStatements: false, keepDigests: false });
      // Only what failed the first time is parsed again (failures are never stored).
      expect(second.executor.stats.parsed).toBe(first.executor.stats.failed);
      const toThread = poolRun.mock.calls.map(([task]) => task as { writes?: unknown[] }).filter((t) => Array.isArray(t.writes));
      expect(toThread.length).toBeGreaterThan(0);
      const sizes = [...putMany.mock.calls.map(([items]) => items.length), ...toThread.map((t) => t.writes!.length)].filter((n) => n > 0);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(second.executor.stats.cached);
      expect(sizes.length).toBeGreaterThan(1);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(64);
    } finally {
      putMany.mockRestore();
      poolRun.mockRestore();
    }
  });
});
