/**
 * The corpus as arquero tables, for joins, group-bys and notebooks:
 * reports (one row per report, with its metrics), cells (long form, as cells.csv), statements and
 * statement_themes (one row per statement × theme).
 */
import { from, type ColumnTable } from 'arquero';
import type { ReportRecord, Statement } from '../model/types.js';
import { forEachCell } from '../model/cells.js';
import { computeReportMetrics } from './metrics.js';
import { hasSection5, themesByReport } from './themes.js';

export interface AnalysisTables {
  reports: ColumnTable;
  cells: ColumnTable;
  statements: ColumnTable;
  statement_themes: ColumnTable;
}

export interface CellRow {
  report_id: string;
  table: string;
  row: string;
  col: string;
  value: number | null;
  raw: string | null;
  status: string;
}

/** One row per cell, in cells.csv order (see forEachCell). */
export function cellRows(reports: ReportRecord[]): CellRow[] {
  const out: CellRow[] = [];
  for (const r of reports) {
    forEachCell(r, (table, row, col, c) => out.push({ report_id: r.id, table, row, col, value: c.value, raw: c.raw, status: c.status }));
  }
  return out;
}

/** from() of an empty array gives a table without columns; keep the columns so joins still work. */
function tableOf<T extends object>(rows: T[], columns: string[]): ColumnTable {
  if (rows.length > 0) return from(rows);
  return from([Object.fromEntries(columns.map((c) => [c, null]))]).slice(0, 0);
}

export function buildTables(reports: ReportRecord[], statements: Statement[]): AnalysisTables {
  const rt = themesByReport(statements);
  const reportRows = reports.map((r) => ({
    ...computeReportMetrics(r),
    id: r.id,
    title: r.title,
    source_path: r.source.path,
    source_index: r.source.index,
    has_section5: hasSection5(r, rt),
    themes: [...(rt.get(r.id) ?? [])].sort().join(';'),
    findings_error: r.findings.filter((f) => f.severity === 'error').length,
    findings_warning: r.findings.filter((f) => f.severity === 'warning').length,
  }));
  const reportCols = reportRows[0] ? Object.keys(reportRows[0]) : ['id', 'report_id', 'year', 'level', 'region', 'template', 'agency', 'title'];
  const statementRows = statements.map((s) => ({
    report_id: s.report_id,
    kind: s.kind,
    index: s.index,
    text: s.text,
    tokens: s.tokens.join(' '),
    themes: s.themes.map((t) => t.id).join(';'),
    boilerplate_of: s.boilerplate?.of ?? null,
    boilerplate_similarity: s.boilerplate?.similarity ?? null,
    vague: s.vague ?? null,
  }));
  const themeRows = statements.flatMap((s) =>
    s.themes.map((t, rank) => ({ report_id: s.report_id, kind: s.kind, index: s.index, theme: t.id, score: t.score, rank })),
  );
  return {
    reports: tableOf(reportRows, reportCols),
    cells: tableOf(cellRows(reports), ['report_id', 'table', 'row', 'col', 'value', 'raw', 'status']),
    statements: tableOf(statementRows, ['report_id', 'kind', 'index', 'text', 'tokens', 'themes', 'boilerplate_of', 'boilerplate_similarity', 'vague']),
    statement_themes: tableOf(themeRows, ['report_id', 'kind', 'index', 'theme', 'score', 'rank']),
  };
}
