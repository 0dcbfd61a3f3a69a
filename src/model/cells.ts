/**
 * The one walk over a report's table cells, shared by cells.csv (pipeline/parse.ts) and the arquero
 * cells table (analyze/tables.ts), so both list the same cells in the same order.
 */
import { TABLE_NAMES, type Cell, type ReportRecord, type TableName } from './types.js';

/** Calls visit for every row of every table, in table (TABLE_NAMES), row order: the rows forEachCell walks. */
export function forEachRow(r: ReportRecord, visit: (table: TableName, row: string, cols: Record<string, Cell>) => void): void {
  for (const table of TABLE_NAMES) {
    const t = r.tables[table];
    if (!t) continue;
    for (const row in t) visit(table, row, t[row]);
  }
}

/** Calls visit for every cell of every table, in table (TABLE_NAMES), row, column order. */
export function forEachCell(r: ReportRecord, visit: (table: TableName, row: string, col: string, cell: Cell) => void): void {
  forEachRow(r, (table, row, cols) => {
    for (const col in cols) visit(table, row, col, cols[col]);
  });
}
