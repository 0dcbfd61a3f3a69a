/**
 * The part of a report and of a statement that the analysis stage reads, so a run over 100k reports
 * can keep every report in memory: a digest is ~1 KB where a ReportRecord (tables, sections) is
 * ~30 KB, and a statement digest has no text and shares its token strings with other statements.
 *
 * Every analysis function takes ReportRecord or ReportDigest (AnalysisReport), and Statement or
 * StatementDigest: a record is digested on the fly, so library callers can keep passing records.
 */
import type { Finding, ReportRecord, Statement, ThemeScore } from '../model/types.js';
import { computeReportMetrics, type ReportMetrics } from './metrics.js';

export interface ReportDigest extends Pick<ReportRecord, 'id' | 'source' | 'title' | 'agency' | 'level' | 'year' | 'template'> {
  region: string | null;
  /** The parser found a non-empty section 五. */
  has_problems: boolean;
  /** Rule and severity of each finding (messages and cells are in findings.csv); see findingRef. */
  findings: Readonly<Pick<Finding, 'rule' | 'severity'>>[];
  /** The table figures the report's charts and comparisons use. */
  metrics: ReportMetrics;
}

/**
 * What analysis reads of a statement: no text, no scores. In a digest built by StatementDigester,
 * `tokens` holds only the distinct terms analysis counts (isTerm) and `themes` shared { id } objects,
 * so a statement costs ~150 bytes; a full Statement passes as a digest too.
 */
export type StatementDigest = Pick<Statement, 'report_id' | 'kind' | 'index' | 'tokens' | 'boilerplate'> & {
  themes: readonly Pick<ThemeScore, 'id'>[];
};

/** A token that counts as a term of section 五: single characters and numbers are particles and marks. */
export function isTerm(token: string): boolean {
  return [...token].length >= 2 && !/^[\d.,%％]+$/.test(token);
}

// Findings of a digest are shared { rule, severity } objects: a corpus has a few dozen distinct ones.
const FINDING_REFS = new Map<string, Readonly<Pick<Finding, 'rule' | 'severity'>>>();

/** The shared { rule, severity } object of a digest's finding. */
export function findingRef(f: Pick<Finding, 'rule' | 'severity'>): Readonly<Pick<Finding, 'rule' | 'severity'>> {
  const key = `${f.rule}\u0000${f.severity}`;
  let ref = FINDING_REFS.get(key);
  if (!ref) FINDING_REFS.set(key, (ref = Object.freeze({ rule: f.rule, severity: f.severity })));
  return ref;
}

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
    findings: r.findings.map(findingRef),
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
 * Builds statement digests whose terms and theme ids are shared: a corpus repeats the same few
 * thousand words, so 1M statements hold pointers instead of 15M string copies.
 */
export class StatementDigester {
  private readonly strings = new Map<string, string>();
  private readonly themeRefs = new Map<string, Readonly<Pick<ThemeScore, 'id'>>>();

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private themeRef(id: string): Readonly<Pick<ThemeScore, 'id'>> {
    let ref = this.themeRefs.get(id);
    if (!ref) this.themeRefs.set(id, (ref = Object.freeze({ id })));
    return ref;
  }

  digest(s: Statement): StatementDigest {
    // map() after filter(): arrays of exactly their length (push() leaves room for 17).
    return {
      report_id: this.intern(s.report_id),
      kind: s.kind,
      index: s.index,
      tokens: [...new Set(s.tokens)].filter(isTerm).map((t) => this.intern(t)),
      themes: s.themes.map((t) => this.themeRef(t.id)),
      boilerplate: s.boilerplate,
    };
  }
}
