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
import { packPrepared, unpackPrepared, withLazyReports, type PreparedReport } from '../../src/batch/prepared.js';
import { prepareReport, processFile, runParse, PARSE_OUTPUTS, type FileExecutor } from '../../src/pipeline/parse.js';
import { csvRow } from '../../src/io/csv.js';
import { corpusEntry } from '../../src/validate/corpus.js';
import { cellRows } from '../../src/analyze/index.js';

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
      const cells = cellRows([r]).map((c) => [c.report_id, c.table, c.row, c.col, c.value, c.raw, c.status]);
      expect(cells.length).toBeGreaterThan(100);
      expect(p.cellsCsv.split('\r\n').slice(0, -1)).toEqual(cells.map((row) => csvRow(row, { safe: true })));
      expect(p.findingsCsv.split('\r\n').length - 1).toBe(r.findings.length);
      expect(p.corpus).toEqual(corpusEntry(r));
      expect(p.head).toMatchObject({ path: r.source.path, title: r.title, year: r.year, template: r.template });
    }
  });

  it('pack into one transferable UTF-8 buffer and unpack to the same texts and output slices', async () => {
    const file = await processFile(join(corpus, 'reports/121.txt'));
    const prepared = file.reports.map(prepareReport);
    expect(prepared.length).toBeGreaterThan(0);
    const packed = packPrepared(prepared);
    // Owns its memory: the transfer list can move it.
    expect(packed.bytes.byteLength).toBe(packed.bytes.buffer.byteLength);
    const copy = structuredClone(packed, { transfer: [packed.bytes.buffer as ArrayBuffer] });
    const { prepared: back, bytes } = unpackPrepared(copy);
    expect(back.map((p) => ({ ...p }))).toEqual(prepared.map((p) => ({ ...p })));
    const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
    expect(text(bytes.reports)).toBe(prepared.map((p) => p.json + '\n').join(''));
    expect(text(bytes.cells)).toBe(prepared.map((p) => p.cellsCsv).join(''));
    expect(text(bytes.findings)).toBe(prepared.map((p) => p.findingsCsv).join(''));
    prepared.forEach((p, i) => expect(bytes.lineBytes(i)).toBe(Buffer.byteLength(p.json + '\n')));

    const none = unpackPrepared(packPrepared([]));
    expect(none.prepared).toEqual([]);
    expect([none.bytes.reports.length, none.bytes.cells.length, none.bytes.findings.length]).toEqual([0, 0, 0]);
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

  it('add cross-report findings to their records by rewriting only those lines of reports.jsonl', async () => {
    const plain = join(dir, 'plain');
    await runParse([corpus], { out: plain, cache: false });
    const before = readFileSync(join(plain, 'reports.jsonl'), 'utf8').split('\n').slice(0, -1);
    const ids = before.map((l) => (JSON.parse(l) as { id: string }).id);
    const chosen = [ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]];
    const extra = (id: string) => ({ rule: 'copy.section', severity: 'info' as const, message: `测试 ${id}`, cells: [], report_id: id });
    for (const jobs of [0, 2]) {
      const out = join(dir, `cross-${jobs}`);
      const executor = jobs ? createBatchExecutor({ jobs, cache: false, out }) : undefined;
      await runParse([corpus], { out, cache: false, executor, corpusFindings: () => chosen.map(extra) });
      const after = readFileSync(join(out, 'reports.jsonl'), 'utf8').split('\n').slice(0, -1);
      expect(after.length).toBe(before.length);
      after.forEach((line, i) => {
        if (!chosen.includes(ids[i])) return expect(line).toBe(before[i]);
        const record = JSON.parse(before[i]) as { findings: unknown[] };
        const { report_id: _, ...finding } = extra(ids[i]);
        record.findings.push(finding);
        expect(line).toBe(JSON.stringify(record));
      });
    }
  });
});
