/**
 * A streamed report run on the workers reads each report's narrative (digest and section 五, sent by the
 * worker) instead of parsing the record's JSON in the main thread, and writes what a plain run writes.
 */
import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReport } from '../../src/pipeline/report.js';
import { batchHooks } from '../../src/batch/executor.js';
import type { FileExecutor } from '../../src/pipeline/parse.js';

const corpus = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
const inputs = [join(corpus, 'reports'), join(corpus, 'seed')];
const OUTPUTS = ['statements.jsonl', 'reports.jsonl', 'findings.csv', 'themes.csv', 'tables/report_metrics.csv', 'tables/theme_prevalence_by_year.csv'];
const streamed = { keepReports: false, keepStatements: false, keepDigests: false } as const;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-narratives-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (out: string) => Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f), 'utf8')]));

/** The executor with every read of a file result's `reports` (the lazy parse of its records) counted. */
function countingReads(executor: FileExecutor): { executor: FileExecutor; reads: () => number } {
  let reads = 0;
  const counted: FileExecutor = async function* (paths, opts) {
    for await (const file of executor(paths, opts)) {
      const records = Object.getOwnPropertyDescriptor(file, 'reports')!;
      Object.defineProperty(file, 'reports', {
        enumerable: true,
        configurable: true,
        get: () => {
          reads++;
          return records.get ? records.get.call(file) : records.value;
        },
      });
      yield file;
    }
  };
  return { executor: counted, reads: () => reads };
}

describe('narratives from the workers', () => {
  it('a streamed report run parses no record in the main thread and writes what a plain run writes', async () => {
    const plain = join(dir, 'plain');
    await runReport(inputs, { out: plain, ...streamed });

    const out = join(dir, 'workers');
    const hooks = await batchHooks('report', { out, jobs: 2, cache: false });
    const { executor, reads } = countingReads(hooks.executor);
    // Every parse of a whole record in this thread, wherever it happens (executor, batch run, pipeline).
    const parse = vi.spyOn(JSON, 'parse');
    let run;
    try {
      run = await runReport(inputs, { out, ...streamed, nlp: hooks.nlp, executor });
    } finally {
      parse.mockRestore();
    }
    const recordParses = parse.mock.calls.filter(([text]) => typeof text === 'string' && text.startsWith('{"id":') && text.includes('"tables":')).length;
    expect(hooks.executor.stats.parsed).toBeGreaterThan(30);
    expect(run.summary.reports).toBeGreaterThan(30);
    expect(reads()).toBe(0);
    // Only the records that get cross-report findings are parsed, to add them (reports.jsonl rewrite).
    expect(recordParses).toBe(new Set(run.crossFindings.map((f) => f.report_id)).size);
    expect(recordParses).toBeLessThan(run.summary.reports / 2);
    expect(read(out)).toEqual(read(plain));
    expect(read(plain)['statements.jsonl'].split('\n').length).toBeGreaterThan(20);
  });

  it('a caller who asks for records still gets them, with the same outputs', async () => {
    const out = join(dir, 'records');
    const hooks = await batchHooks('report', { out, jobs: 2, cache: false });
    const { executor, reads } = countingReads(hooks.executor);
    const seen: string[] = [];
    await runReport(inputs, { out, ...streamed, nlp: hooks.nlp, executor, onReport: (r) => void seen.push(r.id) });
    expect(reads()).toBeGreaterThan(30);
    expect(seen.length).toBeGreaterThan(30);
    expect(read(out)).toEqual(read(join(dir, 'plain')));
  });
});
