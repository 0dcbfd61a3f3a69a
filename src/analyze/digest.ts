/**
 * The part of a report and of a statement that the analysis stage reads, so a run over 100k reports
 * can keep every report in memory: a digest is ~1 KB where a ReportRecord (tables, sections) is
 * ~30 KB, and a statement digest has no text and shares its token strings with other statements.
 *
 * Every analysis function takes ReportRecord or ReportDigest (AnalysisReport), and Statement or
 * StatementDigest: a record is digested on the fly, so library callers can keep passing records.
 */
import type { Finding, NarrativeSource, ReportRecord, Statement, StatementKind, ThemeScore } from '../model/types.js';
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
 * `tokens` holds only the distinct terms analysis counts (isTerm) and `themes` is shared by every
 * statement with the same themes, so a statement costs ~130 bytes; a full Statement passes as a digest.
 */
export interface StatementDigest {
  readonly report_id: string;
  readonly kind: StatementKind;
  readonly index: number;
  readonly tokens: readonly string[];
  readonly themes: readonly Pick<ThemeScore, 'id'>[];
  boilerplate: Statement['boilerplate'];
}

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
    has_problems: hasProblemsSection(r),
    findings: r.findings.map(findingRef),
    metrics: computeReportMetrics(r),
  };
}

/**
 * What a themes or report run needs of a report as it streams by: its digest and its section 五. A batch
 * worker computes it beside the report's output text, so the main thread never parses the whole record
 * (~18 KB of JSON a report) just to read these.
 */
export interface ReportNarrative {
  digest: ReportDigest;
  problems: string | null;
}

export function narrativeOf(r: ReportRecord): ReportNarrative {
  return { digest: digestReport(r), problems: r.sections.problems };
}

/** The narrative as the NLP stage reads it (nlp.statements, CopyIndex.addReport). */
export function narrativeSource(n: ReportNarrative): NarrativeSource {
  return { id: n.digest.id, year: n.digest.year, agency: n.digest.agency, sections: { problems: n.problems } };
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

const TERM_SEP = '\u0001';

/** A statement digest with its terms in one string (one object instead of an array of pointers). */
class CompactStatement implements StatementDigest {
  constructor(
    readonly report_id: string,
    readonly kind: StatementKind,
    readonly index: number,
    private readonly terms: string,
    readonly themes: readonly Pick<ThemeScore, 'id'>[],
    public boilerplate: Statement['boilerplate'],
  ) {}

  get tokens(): readonly string[] {
    return this.terms ? this.terms.split(TERM_SEP) : [];
  }
}

/**
 * Builds statement digests for a streamed run: report ids interned, terms joined in one string, and one
 * shared themes array per distinct theme list (a corpus has a few hundred).
 */
export class StatementDigester {
  private readonly ids = new Map<string, string>();
  private readonly themeLists = new Map<string, readonly Pick<ThemeScore, 'id'>[]>();

  private reportId(id: string): string {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  }

  private themes(ids: readonly string[]): readonly Pick<ThemeScore, 'id'>[] {
    const key = ids.join(TERM_SEP);
    let list = this.themeLists.get(key);
    if (!list) this.themeLists.set(key, (list = Object.freeze(ids.map((id) => Object.freeze({ id })))));
    return list;
  }

  /** The distinct terms of a statement as one string (what a digest keeps of its tokens). */
  static terms(s: Pick<Statement, 'tokens'>): string {
    return [...new Set(s.tokens)].filter((t) => isTerm(t) && !t.includes(TERM_SEP)).join(TERM_SEP);
  }

  digest(s: Statement): StatementDigest {
    return this.fromParts(s.report_id, s.kind, s.index, StatementDigester.terms(s), s.themes.map((t) => t.id), s.boilerplate);
  }

  /** A digest from its parts (as a digest spool stores them). */
  fromParts(
    reportId: string,
    kind: StatementKind,
    index: number,
    terms: string,
    themeIds: readonly string[],
    boilerplate: Statement['boilerplate'] = null,
  ): StatementDigest {
    return new CompactStatement(this.reportId(reportId), kind, index, terms, this.themes(themeIds), boilerplate);
  }
}
