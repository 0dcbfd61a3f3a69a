/**
 * The part of a report and of a statement that the analysis stage reads, so a run over 100k reports
 * can keep every report in memory: a digest is ~1 KB where a ReportRecord (tables, sections) is
 * ~30 KB, and a statement digest has no text and shares its token strings with other statements.
 *
 * Every analysis function takes ReportRecord or ReportDigest (AnalysisReport), and Statement or
 * StatementDigest: a record is digested on the fly, so library callers can keep passing records.
 */
import type { Finding, ReportRecord, Statement } from '../model/types.js';
import { computeReportMetrics, type ReportMetrics } from './metrics.js';

export interface ReportDigest extends Pick<ReportRecord, 'id' | 'source' | 'title' | 'agency' | 'level' | 'year' | 'template'> {
  region: string | null;
  /** The parser found a non-empty section 五. */
  has_problems: boolean;
  /** Rule and severity of each finding (messages and cells are in findings.csv). */
  findings: Pick<Finding, 'rule' | 'severity'>[];
  /** The table figures the report's charts and comparisons use. */
  metrics: ReportMetrics;
}

/** What analysis reads of a statement: no text, no offset. */
export type StatementDigest = Pick<Statement, 'report_id' | 'kind' | 'index' | 'tokens' | 'themes' | 'boilerplate' | 'vague'>;

/** A report as analysis functions take it. */
export type AnalysisReport = ReportRecord | ReportDigest;

export function isDigest(r: AnalysisReport): r is ReportDigest {
  return 'metrics' in r;
}

export function digestReport(r: ReportRecord): ReportDigest {
  return {
    id: r.id,
    source: { ...r.source },
    title: r.title,
    agency: r.agency,
    level: r.level,
    year: r.year,
    template: r.template,
    region: r.region ?? null,
    has_problems: r.sections.problems !== null && r.sections.problems.trim() !== '',
    findings: r.findings.map((f) => ({ rule: f.rule, severity: f.severity })),
    metrics: computeReportMetrics(r),
  };
}

export function toDigest(r: AnalysisReport): ReportDigest {
  return isDigest(r) ? r : digestReport(r);
}

export function metricsOf(r: AnalysisReport): ReportMetrics {
  return isDigest(r) ? r.metrics : computeReportMetrics(r);
}

export function hasProblemsSection(r: AnalysisReport): boolean {
  return isDigest(r) ? r.has_problems : r.sections.problems !== null && r.sections.problems.trim() !== '';
}

/**
 * Builds statement digests whose tokens and theme ids are shared strings: a corpus repeats the same few
 * thousand words, so 1M statements hold pointers instead of 15M string copies.
 */
export class StatementDigester {
  private readonly strings = new Map<string, string>();

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  digest(s: Statement): StatementDigest {
    const d: StatementDigest = {
      report_id: this.intern(s.report_id),
      kind: s.kind,
      index: s.index,
      tokens: s.tokens.map((t) => this.intern(t)),
      themes: s.themes.map((t) => ({ ...t, id: this.intern(t.id) })),
      boilerplate: s.boilerplate,
    };
    if (s.vague !== undefined) d.vague = s.vague;
    return d;
  }
}
