/**
 * Year-by-year aggregates behind the report's charts. Each aggregate counts only reports that give
 * every figure it needs, and says how many that were (n), so a year with few usable reports is visible.
 */
import type { Severity } from '../model/types.js';
import { isTerm, type AnalysisReport, type StatementDigest } from './digest.js';
import type { ReportMetrics } from './metrics.js';

export const OUTCOMES = ['granted', 'partially_granted', 'denied', 'unavailable', 'not_processed', 'other_outcome'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface OutcomeRow {
  year: number;
  outcome: Outcome;
  /** Requests with this outcome, summed over the reports counted. */
  count: number;
  /** count / (七)总计 summed over the same reports. */
  share: number | null;
  /** Reports that give all six outcome groups and (七)总计. */
  reports: number;
}

function yearsOf(metrics: ReportMetrics[]): number[] {
  return [...new Set(metrics.map((m) => m.year).filter((y): y is number => y !== null))].sort((a, b) => a - b);
}

/** Composition of request outcomes by year (sums over reports, so large agencies weigh more). */
export function outcomesByYear(metrics: ReportMetrics[]): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const year of yearsOf(metrics)) {
    const complete = metrics.filter(
      (m) => m.year === year && m.requests_handled !== null && OUTCOMES.every((o) => m[o] !== null),
    );
    const handled = complete.reduce((s, m) => s + (m.requests_handled ?? 0), 0);
    for (const o of OUTCOMES) {
      const count = complete.reduce((s, m) => s + (m[o] ?? 0), 0);
      rows.push({ year, outcome: o, count, share: handled > 0 ? count / handled : null, reports: complete.length });
    }
  }
  return rows;
}

export interface CorrectionRow {
  year: number;
  kind: 'review' | 'litigation';
  corrected: number;
  /** 维持 + 纠正 + 其他 */
  concluded: number;
  /** Pooled rate corrected / concluded; null when no case was concluded. */
  rate: number | null;
  reports: number;
}

/** Review and litigation correction rates by year, pooled over reports that give all three results. */
export function correctionRatesByYear(metrics: ReportMetrics[]): CorrectionRow[] {
  const rows: CorrectionRow[] = [];
  for (const year of yearsOf(metrics)) {
    const ofYear = metrics.filter((m) => m.year === year);
    for (const kind of ['review', 'litigation'] as const) {
      let corrected = 0;
      let concluded = 0;
      let reports = 0;
      for (const m of ofYear) {
        const u = kind === 'review' ? m.review_upheld : m.litigation_upheld;
        const c = kind === 'review' ? m.review_corrected : m.litigation_corrected;
        const o = kind === 'review' ? m.review_other : m.litigation_other;
        if (u === null || c === null || o === null) continue;
        corrected += c;
        concluded += u + c + o;
        reports++;
      }
      rows.push({ year, kind, corrected, concluded, rate: concluded > 0 ? corrected / concluded : null, reports });
    }
  }
  return rows;
}

export interface RequestsRow {
  year: number;
  reports: number;
  /** Reports that state 本年新收. */
  reports_with_value: number;
  total_received: number;
  median_received: number | null;
}

export function requestsByYear(metrics: ReportMetrics[]): RequestsRow[] {
  return yearsOf(metrics).map((year) => {
    const ofYear = metrics.filter((m) => m.year === year);
    const vals = ofYear.map((m) => m.requests_received).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const mid = vals.length === 0 ? null : vals.length % 2 ? vals[(vals.length - 1) / 2] : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
    return {
      year,
      reports: ofYear.length,
      reports_with_value: vals.length,
      total_received: vals.reduce((s, v) => s + v, 0),
      median_received: mid,
    };
  });
}

export interface TermRow {
  year: number;
  term: string;
  /** Statements of that year containing the term. */
  statements: number;
  /** statements / all statements of that year. */
  share: number;
  rank: number;
}

/**
 * The most frequent terms of section 五 per year (by the number of statements containing them).
 * Single characters and pure numbers are left out: after segmentation they are mostly particles and
 * enumeration marks, not topics.
 */
export function topTermsByYear(reports: readonly AnalysisReport[], statements: readonly StatementDigest[], perYear = 10): TermRow[] {
  const yearOf = new Map(reports.map((r) => [r.id, r.year]));
  const perYearCounts = new Map<number, { statements: number; counts: Map<string, number> }>();
  for (const s of statements) {
    const y = yearOf.get(s.report_id);
    if (y === null || y === undefined) continue;
    let g = perYearCounts.get(y);
    if (!g) perYearCounts.set(y, (g = { statements: 0, counts: new Map() }));
    g.statements++;
    for (const t of new Set(s.tokens)) {
      if (!isTerm(t)) continue;
      g.counts.set(t, (g.counts.get(t) ?? 0) + 1);
    }
  }
  const rows: TermRow[] = [];
  for (const year of [...perYearCounts.keys()].sort((a, b) => a - b)) {
    const g = perYearCounts.get(year)!;
    const top = [...g.counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh'))
      .slice(0, perYear);
    top.forEach(([term, n], i) => rows.push({ year, term, statements: n, share: n / g.statements, rank: i + 1 }));
  }
  return rows;
}

export interface CopiedRow {
  year: number;
  statements: number;
  /** Statements flagged as near-duplicates of an earlier report's statement. */
  copied: number;
  share: number | null;
  reports: number;
}

/** Share of section 五 statements that repeat an earlier report's text, by year. */
export function copiedShareByYear(reports: readonly AnalysisReport[], statements: readonly StatementDigest[]): CopiedRow[] {
  const yearOf = new Map(reports.map((r) => [r.id, r.year]));
  const g = new Map<number, { statements: number; copied: number; reports: Set<string> }>();
  for (const s of statements) {
    const y = yearOf.get(s.report_id);
    if (y === null || y === undefined) continue;
    let e = g.get(y);
    if (!e) g.set(y, (e = { statements: 0, copied: 0, reports: new Set() }));
    e.statements++;
    e.reports.add(s.report_id);
    if (s.boilerplate !== null) e.copied++;
  }
  return [...g.keys()]
    .sort((a, b) => a - b)
    .map((year) => {
      const e = g.get(year)!;
      return { year, statements: e.statements, copied: e.copied, share: e.statements ? e.copied / e.statements : null, reports: e.reports.size };
    });
}

export interface FailureRow {
  /** Year as text, "未知" when the report has no year. */
  year: string;
  rule: string;
  severity: Severity;
  findings: number;
  /** Reports with at least one such finding. */
  reports: number;
}

/** Check failures (findings of severity error or warning) by rule and year. */
export function failuresByRuleAndYear(reports: readonly AnalysisReport[], severities: Severity[] = ['error', 'warning']): FailureRow[] {
  const m = new Map<string, FailureRow & { ids: Set<string> }>();
  for (const r of reports) {
    const year = r.year === null ? '未知' : String(r.year);
    for (const f of r.findings) {
      if (!severities.includes(f.severity)) continue;
      const key = `${year}\u0000${f.rule}\u0000${f.severity}`;
      let e = m.get(key);
      if (!e) m.set(key, (e = { year, rule: f.rule, severity: f.severity, findings: 0, reports: 0, ids: new Set() }));
      e.findings++;
      e.ids.add(r.id);
    }
  }
  return [...m.values()]
    .map(({ ids, ...row }) => ({ ...row, reports: ids.size }))
    .sort((a, b) => a.year.localeCompare(b.year) || a.rule.localeCompare(b.rule) || a.severity.localeCompare(b.severity));
}

/** Years between the first and last year present that have no report. */
export function missingYears(reports: readonly AnalysisReport[]): number[] {
  const ys = reports.map((r) => r.year).filter((y): y is number => y !== null);
  if (ys.length === 0) return [];
  const have = new Set(ys);
  const out: number[] = [];
  for (let y = Math.min(...ys); y <= Math.max(...ys); y++) if (!have.has(y)) out.push(y);
  return out;
}
