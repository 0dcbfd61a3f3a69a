import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchRun, runBatchAll } from '../../src/batch/run.js';
import { BatchStore } from '../../src/batch/store.js';

const handler = new URL('./fixtures/fake-parse-handler.ts', import.meta.url);
let dir: string;
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-run-'));
  mkdirSync(join(dir, 'in'));
  // More files than the store identifies ahead of the pool (16), so the look-ahead keeps input order too.
  files = Array.from({ length: 40 }, (_, i) => {
    const p = join(dir, 'in', `${String(i).padStart(2, '0')}.txt`);
    writeFileSync(p, `报告${i}\n${'正文'.repeat(i + 1)}`);
    return p;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('BatchRun', () => {
  it('parses only new or changed files on a re-run, in input order, and bypasses the store with cache:false', async () => {
    const store = join(dir, 'cache.sqlite');
    const first = await runBatchAll(files, { jobs: 2, store, handler });
    expect(first.stats).toMatchObject({ files: 40, parsed: 40, cached: 0, failed: 0 });
    expect(first.items.map((i) => i.result.manifest.path)).toEqual(files);

    const second = await runBatchAll(files, { jobs: 2, store, handler });
    expect(second.stats).toMatchObject({ files: 40, parsed: 0, cached: 40 });
    // The cached results are the same records.
    expect(second.items.map((i) => i.result.reports)).toEqual(first.items.map((i) => i.result.reports));

    // Grow the corpus by one file and change another one's bytes.
    const added = join(dir, 'in', 'zz-new.txt');
    writeFileSync(added, '新报告\n内容');
    writeFileSync(files[3], '改过的报告\n内容不同');
    const future = new Date(Date.now() + 5000);
    utimesSync(files[3], future, future);
    const grown = [...files, added];
    const third = await runBatchAll(grown, { jobs: 2, store, handler });
    expect(third.stats).toMatchObject({ files: 41, parsed: 2, cached: 39 });
    expect(third.items.filter((i) => !i.cached).map((i) => i.result.manifest.path)).toEqual([files[3], added]);
    expect(third.items[3].result.reports[0].title).toBe('改过的报告');
    expect(third.items.map((i) => i.result.manifest.path)).toEqual(grown);

    const nocache = await runBatchAll(grown, { jobs: 2, store, cache: false, handler });
    expect(nocache.stats).toMatchObject({ files: 41, parsed: 41, cached: 0 });
  });

  it('writes a run with full batches through the store-writer thread, a small one in the main thread', async () => {
    const many = Array.from({ length: 150 }, (_, i) => {
      const p = join(dir, 'in', `many-${String(i).padStart(3, '0')}.txt`);
      writeFileSync(p, `多${i}\n正文`);
      return p;
    });
    const inMain = vi.spyOn(BatchStore.prototype, 'putMany');
    let mainWrites: number;
    const store = join(dir, 'cache-writer.sqlite');
    try {
      const big = await runBatchAll(many, { jobs: 2, store, handler });
      expect(big.stats).toMatchObject({ files: 150, parsed: 150 });
      mainWrites = inMain.mock.calls.length;
      // A small run (fewer files than one batch) writes here rather than start a thread.
      await runBatchAll(files.slice(0, 3), { jobs: 1, store, handler });
      expect(inMain.mock.calls.length).toBe(mainWrites + 1);
    } finally {
      inMain.mockRestore();
    }
    expect(mainWrites).toBe(0);
    // Every result is in the store, in the thread's writes: the re-run answers all of them.
    const again = await runBatchAll(many, { jobs: 2, store, handler });
    expect(again.stats).toMatchObject({ files: 150, cached: 150, parsed: 0 });
    expect(again.items.map((i) => i.result.reports[0].title)).toEqual(many.map((_, i) => `多${i}`));

    // A consumer that stops early: the batches already sent to the thread are still stored.
    const early = join(dir, 'cache-writer-early.sqlite');
    const run = BatchRun.open({ jobs: 2, store: early, handler });
    let seen = 0;
    try {
      for await (const _ of run.results(many)) if (++seen === 140) break;
    } finally {
      await run.close();
    }
    const after = await runBatchAll(many, { jobs: 2, store: early, handler });
    expect(after.stats.cached).toBeGreaterThanOrEqual(128);
  });

  it('trusts an unchanged size+mtime (as git does) and re-hashes a touched file', async () => {
    const store = join(dir, 'cache2.sqlite');
    const p = join(dir, 'in', 'same-size.txt');
    writeFileSync(p, 'AAAA\nx');
    const stamp = new Date('2024-01-01T00:00:00Z');
    utimesSync(p, stamp, stamp);
    await runBatchAll([p], { jobs: 1, store, handler });
    writeFileSync(p, 'BBBB\nx');
    utimesSync(p, stamp, stamp);
    // Same size and mtime: the store trusts its recorded hash (as git does) ...
    const trusted = await runBatchAll([p], { jobs: 1, store, handler });
    expect(trusted.stats.cached).toBe(1);
    // ... and --no-cache is the way out; a touched file is re-hashed.
    utimesSync(p, new Date(), new Date());
    const rehashed = await runBatchAll([p], { jobs: 1, store, handler });
    expect(rehashed.stats.parsed).toBe(1);
    expect(rehashed.items[0].result.reports[0].title).toBe('BBBB');
  });

  it('closes the input stream when its consumer stops early, from the store as from the pool', async () => {
    for (const store of [join(dir, 'cache.sqlite'), undefined]) {
      let closed = false;
      async function* paths(): AsyncGenerator<string> {
        try {
          yield* files;
        } finally {
          closed = true;
        }
      }
      const run = BatchRun.open({ jobs: 1, store, cache: store !== undefined, handler });
      let seen = 0;
      try {
        for await (const item of run.results(paths())) {
          expect(item.cached).toBe(store !== undefined); // all hits from the first test's store
          if (++seen === 2) break;
        }
      } finally {
        await run.close();
      }
      expect(closed).toBe(true);
    }
  });

  it('does not file a result under the hash of bytes that changed before the worker read them', async () => {
    const store = join(dir, 'cache4.sqlite');
    // A store holding a current result: the run hashes each input before the pool (a hit is possible).
    await runBatchAll([files[0]], { jobs: 1, store, handler });
    const changing = join(dir, 'in', 'rewrite-me.txt');
    writeFileSync(changing, 'ORIGINAL\ntext');
    const first = await runBatchAll([changing], { jobs: 1, store, handler });
    expect(first.items[0].result.reports[0].title).toBe('REWRITTEN');
    // The identity handed on is that of the bytes parsed, not the store's earlier one.
    expect(first.items[0].identity).toBeUndefined();
    // A file holding the original bytes must be parsed for what it says, not answered with the rewrite.
    const original = join(dir, 'in', 'original.txt');
    writeFileSync(original, 'ORIGINAL\ntext');
    const second = await runBatchAll([original], { jobs: 1, store, handler });
    expect(second.items[0].cached).toBe(false);
    expect(second.items[0].result.reports[0].title).toBe('ORIGINAL');
  });

  it('on a store with no current result, files each result under the hash of the bytes the worker read', async () => {
    const store = join(dir, 'cache5.sqlite');
    const changing = join(dir, 'in', 'rewrite-first.txt');
    writeFileSync(changing, 'ORIGINAL\ntext');
    const skipped = join(dir, 'in', 'style.css');
    writeFileSync(skipped, 'body {}');
    // Nothing stored yet, so nothing is hashed before the pool: the worker's identity is what is stored.
    const first = await runBatchAll([files[1], changing, skipped], { jobs: 1, store, handler });
    expect(first.items[1].identity?.hash).toBe(first.items[1].result.source?.hash);
    expect(first.items[1].result.reports[0].title).toBe('REWRITTEN');
    // The same bytes elsewhere are a hit; so is every unchanged input, including the one the worker
    // did not read (the fake handler reads it; the real one skips .css by name, which is hashed here).
    const copy = join(dir, 'in', 'copy-of-rewritten.txt');
    writeFileSync(copy, 'REWRITTEN\nwhile queued');
    const second = await runBatchAll([files[1], copy, skipped], { jobs: 1, store, handler });
    expect(second.items.map((i) => i.cached)).toEqual([true, true, true]);
    expect(second.items[1].result.manifest.path).toBe(copy);
  });

  it('turns a file that fails in the worker into a failed manifest row that is not cached', async () => {
    const store = join(dir, 'cache3.sqlite');
    const bad = join(dir, 'in', 'bad.txt');
    writeFileSync(bad, 'FAIL here');
    const paths = [files[0], bad, files[1], join(dir, 'in', 'missing.txt')];
    const run = BatchRun.open({ jobs: 2, store, handler });
    const got = [];
    try {
      for await (const item of run.results(paths)) got.push(item);
    } finally {
      await run.close();
    }
    expect(got.map((g) => g.result.manifest.status)).toEqual(['partial', 'failed', 'partial', 'failed']);
    expect(got[1].result.manifest.message).toContain('cannot parse this one');
    const again = await runBatchAll(paths, { jobs: 2, store, handler });
    expect(again.items.map((i) => i.cached)).toEqual([true, false, true, false]);
  });
});
