/**
 * Analysis stage: typed records → tables, per-report metrics, theme trends and joins.
 * Pure functions over ReportRecord[] and Statement[]; no file access.
 */
import { metricsOf, toDigest, type AnalysisReport, type ReportDigest, type StatementDigest } from './digest.js';
import type { MetricKey, ReportMetrics } from './metrics.js';
import { filterReports, type ReportFilterOptions } from './filter.js';
import { themePrevalence, themeVsMetric, type GroupBy, type PrevalenceRow, type ThemeMetricRow } from './themes.js';
import {
  copiedShareByYear,
  correctionRatesByYear,
  failuresByRuleAndYear,
  missingYears,
  outcomesByYear,
  requestsByYear,
  topTermsByYear,
  type CopiedRow,
  type CorrectionRow,
  type FailureRow,
  type OutcomeRow,
  type RequestsRow,
  type TermRow,
} from './trends.js';

export * from './metrics.js';
export * from './digest.js';
export * from './theme-tally.js';
export * from './filter.js';
export * from './themes.js';
export * from './trends.js';
export { buildTables, cellRows, type AnalysisTables, type CellRow } from './tables.js';

/** Per-report metrics (see ReportMetrics for the definitions). */
export function reportMetrics(reports: readonly AnalysisReport[]): ReportMetrics[] {
  return reports.map(metricsOf);
}

export interface AnalyzeCorpusOptions extends ReportFilterOptions {
  /** Grouping of the main prevalence table (default year). */
  by?: GroupBy;
  /** Metrics compared between reports naming a theme and not (default requests_received, disclosure_rate). */
  metrics?: MetricKey[];
  /** Theme ids in display order (default: every theme found, sorted). */
  themeIds?: string[];
  bootstrapResamples?: number;
  seed?: number;
  topTerms?: number;
}

export interface AnalysisResult {
  /** Reports and statements after --since/--until/--filter. */
  reports: ReportDigest[];
  statements: StatementDigest[];
  /** Reports before filtering (to say how many the filter removed). */
  totalReports: number;
  by: GroupBy;
  themeIds: string[];
  metrics: ReportMetrics[];
  prevalence: PrevalenceRow[];
  prevalenceByYear: PrevalenceRow[];
  prevalenceByLevel: PrevalenceRow[];
  themeVsMetric: ThemeMetricRow[];
  outcomes: OutcomeRow[];
  corrections: CorrectionRow[];
  requests: RequestsRow[];
  terms: TermRow[];
  copied: CopiedRow[];
  failures: FailureRow[];
  /** Years between the first and the last year present without any report. */
  missingYears: number[];
}

export const DEFAULT_COMPARED_METRICS: MetricKey[] = ['requests_received', 'disclosure_rate'];

/** Everything the theme report shows, computed once. */
export function analyzeCorpus(
  allReports: readonly AnalysisReport[],
  allStatements: readonly StatementDigest[],
  opts: AnalyzeCorpusOptions = {},
): AnalysisResult {
  // The same file given at two paths has the same bytes and so the same report id: count it once.
  const reports = uniqueBy(filterReports(allReports, opts), (r) => r.id).map(toDigest);
  const kept = new Set(reports.map((r) => r.id));
  const statements = uniqueBy(
    allStatements.filter((s) => kept.has(s.report_id)),
    (s) => `${s.report_id}\u0000${s.kind}\u0000${s.index}`,
  );
  const found = [...new Set(statements.flatMap((s) => s.themes.map((t) => t.id)))];
  // Keep the given order, then any theme found that the list does not know.
  const themeIds = opts.themeIds ? [...opts.themeIds, ...found.filter((t) => !opts.themeIds!.includes(t)).sort()] : found.sort();
  const metrics = reportMetrics(reports);
  const by = opts.by ?? 'year';
  const byYear = themePrevalence(reports, statements, 'year', themeIds);
  return {
    reports,
    statements,
    totalReports: allReports.length,
    by,
    themeIds,
    metrics,
    prevalence: by === 'year' ? byYear : themePrevalence(reports, statements, by, themeIds),
    prevalenceByYear: byYear,
    prevalenceByLevel: themePrevalence(reports, statements, 'level', themeIds),
    themeVsMetric: (opts.metrics ?? DEFAULT_COMPARED_METRICS).flatMap((m) =>
      themeVsMetric(reports, statements, metrics, m, { themeIds, resamples: opts.bootstrapResamples, seed: opts.seed }),
    ),
    outcomes: outcomesByYear(metrics),
    corrections: correctionRatesByYear(metrics),
    requests: requestsByYear(metrics),
    terms: topTermsByYear(reports, statements, opts.topTerms ?? 10),
    copied: copiedShareByYear(reports, statements),
    failures: failuresByRuleAndYear(reports),
    missingYears: missingYears(reports),
  };
}

/** First occurrence of each key, in order. */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
