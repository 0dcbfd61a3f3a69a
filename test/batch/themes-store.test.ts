/** Statements through the batch executor and the store: same outputs as a plain run, reused on re-runs. */
import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runThemes } from '../../src/pipeline/themes.js';
import { batchHooks } from '../../src/batch/executor.js';
import { BatchStore } from '../../src/batch/store.js';

const corpus = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const inputs = [join(corpus, 'reports'), join(corpus, 'seed')];
const OUTPUTS = ['statements.jsonl', 'reports.jsonl', 'themes.csv'];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-themes-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (out: string) => Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f), 'utf8')]));

describe('themes on the batch executor', () => {
  it('gives the outputs of a plain run, stores the statements, and reuses them unchanged', async () => {
    const plain = join(dir, 'plain');
    await runThemes(inputs, { out: plain });

    const out = join(dir, 'batch');
    const first = await batchHooks('themes', { out, jobs: 2 });
    const run1 = await runThemes(inputs, { out, ...first });
    expect(first.executor.stats.parsed).toBeGreaterThan(30);
    expect(run1.statements.length).toBeGreaterThan(20);
    const db = new Database(join(out, '.ogi-cache.sqlite'), { readonly: true });
    const stored = (db.prepare('SELECT count(*) AS n FROM statements').get() as { n: number }).n;
    const before = db.prepare('SELECT DISTINCT nlp_version FROM results WHERE reports > 0').all() as { nlp_version: string }[];
    db.close();
    expect(before).toHaveLength(1);
    expect(stored).toBe(run1.statements.length);

    const second = await batchHooks('themes', { out, jobs: 2 });
    // The workers bring each hit's stored statements: nothing is recomputed, so nothing is written back.
    const writes = vi.spyOn(BatchStore.prototype, 'putMany');
    let written: number;
    const run2 = await runThemes(inputs, { out, ...second }).finally(() => {
      written = writes.mock.calls.length;
      writes.mockRestore();
    });
    expect(written!).toBe(0);
    expect(second.executor.stats.parsed).toBe(0);
    expect(second.executor.stats.cached).toBe(first.executor.stats.parsed);
    expect(run2.statements).toEqual(run1.statements);
    expect(read(out)).toEqual(read(plain));

    // Another NLP setup (an extra segmenter word) keeps the parse but recomputes the statements.
    const third = await batchHooks('themes', { out, jobs: 2, words: ['政务公开专栏'] });
    await runThemes(inputs, { out, ...third });
    expect(third.executor.stats.parsed).toBe(0);
    const db2 = new Database(join(out, '.ogi-cache.sqlite'), { readonly: true });
    const versions = db2.prepare('SELECT DISTINCT nlp_version FROM results WHERE reports > 0').all() as { nlp_version: string }[];
    db2.close();
    expect(versions).toHaveLength(1);
    expect(versions[0].nlp_version).not.toBe(before[0].nlp_version);
  });
});
