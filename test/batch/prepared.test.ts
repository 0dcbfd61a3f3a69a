/**
 * Reports rendered in the workers (prepared.ts): the outputs a prepared run writes are byte-identical
 * to rendering the records in the main thread, records are parsed only when someone reads them, and
 * the store gives the same outputs on a re-run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchExecutor } from '../../src/batch/executor.js';
import { withLazyReports, type PreparedReport } from '../../src/batch/prepared.js';
import { cellRows, prepareReport, processFile, runParse, PARSE_OUTPUTS, type FileExecutor } from '../../src/pipeline/parse.js';
import { csvRow } from '../../src/io/csv.js';
import { corpusEntry } from '../../src/validate/corpus.js';

const corpus = join(import.meta.dirname, '../fixtures/corpus');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-prepared-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputs = (out: string) => PARSE_OUTPUTS.map((f) => readFileSync(join(out, f)));

describe('prepared reports', () => {
  it('carry the record JSON, its cells and findings rows and its cross-report figures', async () => {
    const { reports } = await processFile(join(corpus, 'reports/103.txt'));
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) {
      const p = prepareReport(r);
      expect(JSON.parse(p.json)).toEqual(r);
      expect(p.json).toBe(JSON.stringify(r));
      const cells = cellRows(r);
      expect(cells.length).toBeGreaterThan(100);
      expect(p.cellsCsv.split('\r\n').slice(0, -1)).toEqual(cells.map((row) => csvRow(row, { safe: true })));
      expect(p.findingsCsv.split('\r\n').length - 1).toBe(r.findings.length);
      expect(p.corpus).toEqual(corpusEntry(r));
      expect(p.head).toMatchObject({ path: r.source.path, title: r.title, year: r.year, template: r.template });
    }
  });

  it('parse their records only when read, once', () => {
    const good = prepareReport(JSON.parse('{"id":"x","findings":[],"tables":{},"source":{"path":"p"}}'));
    const broken: PreparedReport = { ...good, json: 'not json' };
    const lazy = withLazyReports({ manifest: 'm' }, [good]);
    expect(Object.keys(lazy)).toContain('reports');
    const first = lazy.reports;
    expect(first[0].id).toBe('x');
    expect(lazy.reports).toBe(first);
    const never = withLazyReports({ manifest: 'm' }, [broken]);
    expect(never.manifest).toBe('m');
    expect(() => never.reports).toThrow();
  });

  it('give the same outputs as main-thread rendering, with 2 workers and from the store, without parsing records', async () => {
    const seq = join(dir, 'seq');
    await runParse([corpus], { out: seq, cache: false });
    const expected = outputs(seq);

    // Count reads of `reports` on what the executor yields: a plain parse must not need them.
    let reads = 0;
    const counting = (inner: FileExecutor): FileExecutor =>
      async function* (paths, opts) {
        for await (const r of inner(paths, opts)) {
          yield new Proxy(r, {
            get(target, key, receiver) {
              if (key === 'reports') reads++;
              return Reflect.get(target, key, receiver) as unknown;
            },
          });
        }
      };

    const pooled = join(dir, 'pooled');
    const executor = createBatchExecutor({ jobs: 2, cache: false, out: pooled });
    await runParse([corpus], { out: pooled, cache: false, keepReports: false, executor: counting(executor) });
    expect(executor.stats.parsed).toBeGreaterThan(30);
    expect(reads).toBe(0);
    expect(outputs(pooled)).toEqual(expected);

    // First run fills the store, the second answers every file from it.
    const stored = join(dir, 'stored');
    for (const round of [0, 1]) {
      const ex = createBatchExecutor({ jobs: 2, out: stored });
      const run = await runParse([corpus], { out: stored, cache: false, keepReports: round === 1, executor: ex });
      expect(round === 0 ? ex.stats.parsed : ex.stats.cached).toBe(ex.stats.files);
      expect(outputs(stored)).toEqual(expected);
      if (round === 1) expect(run.reports.map((r) => r.id)).toEqual(readFileSync(join(seq, 'reports.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
    }
  });
});
