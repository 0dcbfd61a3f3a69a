import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as aq from 'arquero';
import ExcelJS from 'exceljs';
import * as pq from 'parquet-wasm/esm';
import { BatchStore } from '../../src/batch/store.js';
import { runExport, EXPORT_TABLES } from '../../src/batch/export.js';
import { parseCsvObjects } from '../../src/io/csv.js';
import type { ReportRecord } from '../../src/model/types.js';

let dir: string;
let storePath: string;
let counts: Record<string, number>;

function report(i: number): ReportRecord {
  return {
    id: `r${String(i).padStart(3, '0')}`,
    source: { path: `in/${i}.txt`, index: 0 },
    title: `某县${2019 + (i % 5)}年政府信息公开工作年度报告`,
    agency: '某县人民政府',
    level: 'county',
    year: 2019 + (i % 5),
    template: '2021',
    sections: { overview: null, proactive: null, applications: null, review_litigation: null, problems: null, other: null },
    tables: {
      proactive: { 'art20_8.fees': { amount_wan: { value: 12.5 + i, raw: `${12.5 + i}万元`, status: 'printed' } } },
      applications: {
        new_received: { total: { value: i, raw: String(i), status: 'printed' }, natural_person: { value: null, raw: '/', status: 'blank' } },
      },
      review_litigation: null,
    },
    findings: i % 2 ? [{ rule: 'applications.balance', severity: 'error', message: `=SUM(A1) 相差${i}`, cells: ['applications.new_received.total'] }] : [],
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-export-'));
  storePath = join(dir, 'store.sqlite');
  const store = BatchStore.open(storePath, { parseVersion: 'p', nlpVersion: 'n', warn: () => {} });
  for (let i = 0; i < 10; i++) {
    const r = report(i);
    store.put(
      { path: `in/${i}.txt`, hash: String(i).padStart(64, 'a'), size: 10, mtimeMs: 1 },
      {
        manifest: { path: `in/${i}.txt`, status: i % 2 ? 'partial' : 'ok', reports: 1, message: '1 report' },
        reports: [r],
        statements: [
          { report_id: r.id, kind: 'problem', index: 0, text: '一是政策解读形式单一。', tokens: ['政策', '解读'], themes: [{ id: 'interpretation', score: 0.9 }], boilerplate: null },
          { report_id: r.id, kind: 'measure', index: 0, text: '一是丰富解读形式。', tokens: ['丰富'], themes: [], boilerplate: null },
        ],
      },
    );
  }
  counts = store.counts();
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ogi export', () => {
  it('writes every table as parquet (several row groups) that reads back to the same rows', async () => {
    const out = join(dir, 'pq');
    const { summary } = await runExport({ format: 'parquet', store: storePath, out, chunkRows: 7 });
    expect(summary.tables).toEqual({ files: 10, reports: 10, cells: counts.cells, findings: 5, statements: 20 });
    const require = createRequire(import.meta.url);
    pq.initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
    const cells = aq.fromArrow(pq.readParquet(readFileSync(join(out, 'cells.parquet'))).intoIPCStream());
    expect(cells.numRows()).toBe(30);
    expect(cells.columnNames()).toEqual(EXPORT_TABLES.find((t) => t.name === 'cells')!.columns.map((c) => c.name));
    const fee = cells.filter((d: { row_key: string; report_id: string }) => d.row_key === 'art20_8.fees' && d.report_id === 'r003').objects()[0];
    expect(fee).toMatchObject({ table_name: 'proactive', col_key: 'amount_wan', value: 15.5, raw: '15.5万元', status: 'printed' });
    const blank = cells.filter((d: { col_key: string; report_id: string }) => d.col_key === 'natural_person' && d.report_id === 'r001').objects()[0];
    expect(blank).toMatchObject({ value: null, raw: '/', status: 'blank' });
    const reports = aq.fromArrow(pq.readParquet(readFileSync(join(out, 'reports.parquet'))).intoIPCStream());
    expect(reports.array('year')).toEqual([2019, 2020, 2021, 2022, 2023, 2019, 2020, 2021, 2022, 2023]);
  });

  it('writes CSV with a BOM and formula-safe cells, and XLSX with one sheet per table', async () => {
    const out = join(dir, 'csv');
    await runExport({ format: 'csv', store: storePath, out });
    const text = readFileSync(join(out, 'findings.csv'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsvObjects(text.slice(1));
    expect(rows).toHaveLength(5);
    expect(rows[0].message).not.toMatch(/^=/);
    expect(rows[0].message).toContain('SUM(A1) 相差1');

    const xout = join(dir, 'xlsx');
    const { summary } = await runExport({ format: 'xlsx', store: storePath, out: xout });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(summary.outputs[0]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['files', 'reports', 'cells', 'findings', 'statements']);
    const st = wb.getWorksheet('statements')!;
    expect(st.rowCount).toBe(21);
    expect(st.getRow(2).getCell(4).value).toBe('一是政策解读形式单一。');
    const f = wb.getWorksheet('findings')!;
    expect(f.getRow(2).getCell(5).value).toBe('=SUM(A1) 相差1');
    expect(f.getRow(2).getCell(5).formula).toBeUndefined();
  });

  it('writes an empty table as a parquet file with its schema', async () => {
    const emptyStore = join(dir, 'empty.sqlite');
    BatchStore.open(emptyStore, { parseVersion: 'p', warn: () => {} }).close();
    const out = join(dir, 'pq-empty');
    const { summary } = await runExport({ format: 'parquet', store: emptyStore, out });
    expect(summary.tables).toEqual({ files: 0, reports: 0, cells: 0, findings: 0, statements: 0 });
    const require = createRequire(import.meta.url);
    pq.initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
    const statements = aq.fromArrow(pq.readParquet(readFileSync(join(out, 'statements.parquet'))).intoIPCStream());
    expect(statements.numRows()).toBe(0);
    expect(statements.columnNames()).toContain('top_theme');
  });

  it('refuses a file that is not a store, naming it', async () => {
    const bogus = join(dir, 'bogus.sqlite');
    writeFileSync(bogus, 'not sqlite');
    await expect(runExport({ format: 'csv', store: bogus, out: join(dir, 'x') })).rejects.toThrow(/bogus\.sqlite is not an ogi store/);
    await expect(runExport({ format: 'json', store: storePath, out: join(dir, 'x') })).rejects.toThrow(/unknown export format/);
  });
});
