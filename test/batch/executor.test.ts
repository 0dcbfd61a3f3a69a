import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParse } from '../../src/pipeline/parse.js';
import { createBatchExecutor } from '../../src/batch/executor.js';

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
    await runParse(inputs, { out: pooled, executor: second });
    expect(second.stats.cached).toBe(first.stats.parsed);
    expect(second.stats.parsed).toBe(0);

    const want = read(sequential);
    expect(read(pooled)).toEqual(want);
    expect(want['reports.jsonl'].split('\n').length).toBeGreaterThan(30);
  });
});
