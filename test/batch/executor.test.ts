import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParse } from '../../src/pipeline/parse.js';
import { createBatchExecutor } from '../../src/batch/executor.js';
import Database from 'better-sqlite3';
import { BatchStore } from '../../src/batch/store.js';
import { parseVersion } from '../../src/batch/version.js';
import { handle, init } from '../../src/batch/file-handler.js';

const corpus = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const inputs = [join(corpus, 'reports'), join(corpus, 'seed')];
const OUTPUTS = ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-exec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (out: string) => Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f), 'utf8')]));

describe('batch executor in runParse', () => {
  it('writes byte-identical outputs sequentially, with 2 workers, and from the store', async () => {
    const sequential = join(dir, 'seq');
    await runParse(inputs, { out: sequential });

    const pooled = join(dir, 'pool');
    const first = createBatchExecutor({ jobs: 2, out: pooled });
    await runParse(inputs, { out: pooled, executor: first });
    expect(first.stats.parsed).toBeGreaterThan(30);
    expect(first.stats.cached).toBe(0);

    // Without the run fingerprint the re-run goes through the store (with it, nothing would run at all).
    rmSync(join(pooled, '.ogi-run.json'));
    const second = createBatchExecutor({ jobs: 2, out: pooled });
    // The workers read the hits (StoreReader): the main thread reads no stored record.
    const mainReads = vi.spyOn(BatchStore.prototype, 'get');
    try {
      await runParse(inputs, { out: pooled, executor: second });
      expect(mainReads).not.toHaveBeenCalled();
    } finally {
      mainReads.mockRestore();
    }
    expect(second.stats.cached).toBe(first.stats.parsed);
    expect(second.stats.parsed).toBe(0);

    const want = read(sequential);
    expect(read(pooled)).toEqual(want);
    expect(want['reports.jsonl'].split('\n').length).toBeGreaterThan(30);

    // The store got each worker's JSON as bytes: it holds them as TEXT, the records as parsed. (Reports
    // with cross-report findings have them in reports.jsonl, added after the store's copy was taken.)
    const db = new Database(join(pooled, '.ogi-cache.sqlite'), { readonly: true });
    const stored = db.prepare('SELECT typeof(json) AS type, json, json_extract(json, \'$.id\') AS id FROM reports').all() as { type: string; json: string; id: string }[];
    db.close();
    expect(stored.length).toBe(want['reports.jsonl'].trim().split('\n').length);
    expect(new Set(stored.map((r) => r.type))).toEqual(new Set(['text']));
    const lines = new Map(want['reports.jsonl'].trim().split('\n').map((l) => [JSON.parse(l).id as string, l]));
    const same = stored.filter((r) => r.json === lines.get(r.id)).length;
    expect(same).toBeGreaterThan(stored.length / 2);
    for (const r of stored) expect(JSON.parse(r.json).sections).toEqual(JSON.parse(lines.get(r.id)!).sections);
  });
});

describe('file handler with the store', () => {
  it('renders a stored result as it renders a parse, and parses when the stored result has gone', async () => {
    const out = join(dir, 'handler');
    await runParse([join(corpus, 'reports', '133.txt')], { out, executor: createBatchExecutor({ jobs: 1, out }) });
    const path = join(corpus, 'reports', '133.txt');
    await init({ parse: {}, nlp: null, narratives: true, store: { path: join(out, '.ogi-cache.sqlite'), parseVersion: parseVersion(), nlpVersion: null } });
    const parsed = await handle({ path });
    expect(parsed.cached).toBeUndefined();
    expect(parsed.source?.hash).toMatch(/^[0-9a-f]{64}$/);

    const fromStore = await handle({ path, stored: { identity: parsed.source!, statements: false } });
    expect(fromStore.cached).toBe(true);
    expect(fromStore.source).toBeUndefined();
    expect(fromStore.manifest).toEqual(parsed.manifest);
    expect(Buffer.from(fromStore.bytes).equals(Buffer.from(parsed.bytes))).toBe(true);

    // Another run replaced the result between the main thread's check and this read: parse instead.
    const gone = await handle({ path, stored: { identity: { ...parsed.source!, hash: '0'.repeat(64) }, statements: false } });
    expect(gone.cached).toBeUndefined();
    expect(Buffer.from(gone.bytes).equals(Buffer.from(parsed.bytes))).toBe(true);
    // Statements asked of a store that has none for this run's NLP: a miss, so a parse.
    expect((await handle({ path, stored: { identity: parsed.source!, statements: true } })).cached).toBeUndefined();

    // A store the worker cannot open: the file is parsed and the error goes back to the main thread.
    await init({ parse: {}, nlp: null, store: { path: join(out, 'no-such-store.sqlite'), parseVersion: parseVersion(), nlpVersion: null } });
    const unreadable = await handle({ path, stored: { identity: parsed.source!, statements: false } });
    expect(unreadable.cached).toBeUndefined();
    expect(unreadable.storeError?.message).toBeTruthy();
    expect(unreadable.manifest).toEqual(parsed.manifest);
  });
});
