/**
 * cells.csv (prepareReport's cellsCsv) and the arquero cells table (analyze cellRows) hold the same
 * cells, in the same order, with the same fields.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellRows } from '../../src/analyze/index.js';
import { TABLE_NAMES, type ReportRecord } from '../../src/model/types.js';
import { parseText } from '../../src/parse/index.js';
import { prepareReport } from '../../src/pipeline/parse.js';
import { csvRow } from '../../src/io/csv.js';

/** The cells.csv lines of one report, without the line ends. */
const csvLines = (r: ReportRecord) => prepareReport(r).cellsCsv.split('\r\n').slice(0, -1);

const corpus = join(import.meta.dirname, '../fixtures/corpus/reports');
const reports: ReportRecord[] = ['103.txt', '104.txt', '114.txt'].flatMap((f) => parseText(readFileSync(join(corpus, f), 'utf8')).reports);

describe('cell rows', () => {
  it('list every cell once, in table, row, column order', () => {
    expect(reports.length).toBeGreaterThanOrEqual(3);
    for (const r of reports) {
      const rows = cellRows([r]);
      const expected = TABLE_NAMES.flatMap((t) =>
        Object.entries(r.tables[t] ?? {}).flatMap(([row, cols]) => Object.entries(cols).map(([col, c]) => [t, row, col, c.value, c.raw, c.status])),
      );
      expect(expected.length).toBeGreaterThan(10);
      expect(rows.map((c) => [c.table, c.row, c.col, c.value, c.raw, c.status])).toEqual(expected);
      expect(rows.every((c) => c.report_id === r.id)).toBe(true);
    }
  });

  it('are the same for cells.csv and the analysis table', () => {
    const columns = ['report_id', 'table', 'row', 'col', 'value', 'raw', 'status'] as const;
    expect(cellRows(reports).map((c) => csvRow(columns.map((k) => c[k]), { safe: true }))).toEqual(reports.flatMap((r) => csvLines(r)));
  });

  it('skip tables that were not found', () => {
    const r = { ...reports[0], tables: { ...reports[0].tables, applications: null } };
    expect(cellRows([r]).some((c) => c.table === 'applications')).toBe(false);
    expect(csvLines(r).length).toBe(cellRows([r]).length);
    expect(cellRows([r]).length).toBeLessThan(cellRows([reports[0]]).length);
  });
});
