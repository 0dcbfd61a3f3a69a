/**
 * Analysis stage: typed records → tables, per-report metrics, theme trends and joins.
 * Pure functions over ReportRecord[] and Statement[]; no file access.
 */
import { metricsOf, toDigest, type AnalysisReport, type ReportDigest, type StatementDigest } from './digest.js';
import type { MetricKey, ReportMetrics } from './metrics.js';
import { filterReports, type ReportFilterOptions } from './filter.js';
import { themePrevalence, themesByReport, themeVsMetric, type GroupBy, type PrevalenceRow, type ThemeMetricRow } from './themes.js';
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

/** Counts of the analysed corpus that the report's overview states (each list in first-seen order). */
export interface CorpusOverview {
  reports: number;
  /** Reports per year; reports without a year are counted in noYear. */
  years: [number, number][];
  noYear: number;
  levels: [ReportDigest['level'], number][];
  templates: [ReportDigest['template'], number][];
  statements: number;
  /** Reports with at least one statement. */
  reportsWithStatements: number;
}

export interface AnalysisResult {
  /**
   * Reports and statements after --since/--until/--filter. A caller done with them may empty both
   * (runReport does, before rendering, unless asked to keep digests): rendering reads only the rest.
   */
  reports: ReportDigest[];
  statements: StatementDigest[];
  overview: CorpusOverview;
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
  const statements = keptStatements(allStatements, kept, repeatedIds(allReports));
  const found = [...new Set(statements.flatMap((s) => s.themes.map((t) => t.id)))];
  // Keep the given order, then any theme found that the list does not know.
  const themeIds = opts.themeIds ? [...opts.themeIds, ...found.filter((t) => !opts.themeIds!.includes(t)).sort()] : found.sort();
  const metrics = reportMetrics(reports);
  const by = opts.by ?? 'year';
  // One report → themes map for every join below (at 100k reports each rebuild is ~30 MB of garbage).
  const rt = themesByReport(statements);
  const byYear = themePrevalence(reports, statements, 'year', themeIds, rt);
  return {
    reports,
    statements,
    overview: corpusOverview(reports, statements),
    totalReports: allReports.length,
    by,
    themeIds,
    metrics,
    prevalence: by === 'year' ? byYear : themePrevalence(reports, statements, by, themeIds, rt),
    prevalenceByYear: byYear,
    prevalenceByLevel: themePrevalence(reports, statements, 'level', themeIds, rt),
    themeVsMetric: (opts.metrics ?? DEFAULT_COMPARED_METRICS).flatMap((m) =>
      themeVsMetric(reports, statements, metrics, m, { themeIds, resamples: opts.bootstrapResamples, seed: opts.seed, reportThemes: rt }),
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

/** How many items have each key, keys in first-seen order. */
export function countInOrder<T, K>(items: readonly T[], key: (item: T) => K): [K, number][] {
  const counts = new Map<K, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()];
}

export function corpusOverview(reports: readonly ReportDigest[], statements: readonly StatementDigest[]): CorpusOverview {
  const dated = reports.filter((r) => r.year !== null);
  return {
    reports: reports.length,
    years: countInOrder(dated, (r) => r.year!),
    noYear: reports.length - dated.length,
    levels: countInOrder(reports, (r) => r.level),
    templates: countInOrder(reports, (r) => r.template),
    statements: statements.length,
    reportsWithStatements: new Set(statements.map((s) => s.report_id)).size,
  };
}

/** Ids of reports given more than once (the same file at two paths). */
function repeatedIds(reports: readonly AnalysisReport[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const r of reports) (seen.has(r.id) ? repeated : seen).add(r.id);
  return repeated;
}

/**
 * Statements of the kept reports, each (report, kind, index) once. Only a report given twice can bring
 * its statements twice, so only those statements need a key: at 100k reports, keying every statement
 * made ~100 MB of strings for nothing.
 */
function keptStatements(all: readonly StatementDigest[], kept: ReadonlySet<string>, repeated: ReadonlySet<string>): StatementDigest[] {
  const seen = new Set<string>();
  return all.filter((s) => {
    if (!kept.has(s.report_id)) return false;
    if (!repeated.has(s.report_id)) return true;
    const key = `${s.report_id}\u0000${s.kind}\u0000${s.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
