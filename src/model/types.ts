/**
 * The records that flow between pipeline stages (ingest → parse → validate → nlp → analyze → render).
 * Every stage takes and returns these plain, JSON-serialisable shapes, so a stage can run in a worker
 * thread, be cached in the store, or be used on its own as a library.
 *
 * The output contract (field names of reports.jsonl, cells.csv, …) is ../../README.md "Output contract";
 * never rename or drop a field here without changing it there.
 */

export type Level = 'central' | 'province' | 'city' | 'county' | 'township' | 'department';
export type Template = '2019' | '2021' | 'pre2019' | 'unknown';
export type Severity = 'error' | 'warning' | 'info';

/** A place in the decoded text of one source document (0-based offset, 1-based line/column). */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

/** A finding of a check, in the style of a vfile message: rule id, severity, cells it concerns. */
export interface Finding {
  /** Rule id from the catalogue (src/data/rules.json), e.g. "applications.balance". */
  rule: string;
  severity: Severity;
  /** What a person should check, in Chinese or English. */
  message: string;
  /** Cell keys "table.row.col", e.g. "applications.new_received.total". */
  cells: string[];
  /** Where in the source the finding points, when known. */
  position?: SourcePosition;
  /** Short quote of the source text behind the finding (original characters). */
  quote?: string;
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

export type TableName = 'proactive' | 'applications' | 'review_litigation';
export const TABLE_NAMES: readonly TableName[] = ['proactive', 'applications', 'review_litigation'];

/**
 * printed: read as printed; blank: printed empty or a placeholder ("/", "—", "无");
 * derived: computed from other cells (e.g. the `denied` sum); inferred: placed by the table's own
 * equations where the layout lost the position; ambiguous: could not be placed, value is null.
 */
export type CellStatus = 'printed' | 'blank' | 'derived' | 'inferred' | 'ambiguous';

export interface Cell {
  value: number | null;
  /** The text as printed ("55014.55万元", "减少5项", "/"), null when nothing was printed. */
  raw: string | null;
  status: CellStatus;
}

/**
 * One table as row key → column key → cell.
 * proactive rows are "art20_1.regulations", "art20_5.licensing", …; applications rows "new_received", …;
 * review_litigation rows "review", "litigation_direct", "litigation_after_review".
 */
export type TableCells = Record<string, Record<string, Cell>>;

export interface ReportTables {
  proactive: TableCells | null;
  applications: TableCells | null;
  review_litigation: TableCells | null;
}

// ---------------------------------------------------------------------------------------------
// Sections and reports
// ---------------------------------------------------------------------------------------------

export type SectionKey = 'overview' | 'proactive' | 'applications' | 'review_litigation' | 'problems' | 'other';
export const SECTION_KEYS: readonly SectionKey[] = [
  'overview',
  'proactive',
  'applications',
  'review_litigation',
  'problems',
  'other',
];

export type Sections = Record<SectionKey, string | null>;

/** Where a section sits in the report text (offsets into ReportRecord.text). */
export interface SectionSpan {
  key: SectionKey;
  heading: string;
  start: number;
  end: number;
}

export interface ReportSource {
  /** Input file as given on the command line (or found under a given folder). */
  path: string;
  /** n-th report inside that file (0-based). */
  index: number;
  /** For crawl dumps and saved pages: the page URL. */
  url?: string;
  /** 'text' | 'html' | 'docx' | 'pdf' | 'jsonl' */
  format?: SourceFormat;
  /** Detected encoding of the bytes, e.g. 'utf-8', 'gb18030', 'big5', 'utf-16le'. */
  encoding?: string;
  /** True when the text was converted from traditional to simplified characters. */
  converted_traditional?: boolean;
}

export interface ReportRecord {
  /** Stable id: a hash of the input bytes and the report index; same bytes give the same id. */
  id: string;
  source: ReportSource;
  title: string | null;
  agency: string | null;
  level: Level | null;
  year: number | null;
  template: Template;
  sections: Sections;
  tables: ReportTables;
  findings: Finding[];
  /** Region guessed from the agency name (province, and city where named), for grouping. */
  region?: string | null;
  /** Heading of section 五 as printed, null when there is none. */
  problems_heading?: string | null;
  /**
   * Text before the first part heading (一、…), as printed: the lead-in where reports state their
   * statistics period ("本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止"). Null when the
   * report has no part headings or starts inside part 一.
   */
  preamble?: string | null;
  /**
   * Sections in the original characters when the text was converted from traditional characters
   * (quotes shown to users keep the original). Absent when no conversion took place.
   */
  sections_original?: Partial<Sections>;
}

/**
 * What the NLP stage reads of a report: its id, its agency and year (copied text is compared within an
 * agency, year over year) and section 五. A ReportRecord is one; so is the small projection a batch
 * worker sends instead of the whole record (see ReportNarrative in src/analyze/digest.ts).
 */
export interface NarrativeSource {
  id: string;
  year: number | null;
  agency: string | null;
  sections: Pick<Sections, 'problems'>;
}

// ---------------------------------------------------------------------------------------------
// Ingest
// ---------------------------------------------------------------------------------------------

export type SourceFormat = 'text' | 'html' | 'docx' | 'pdf' | 'jsonl';

/**
 * A cell grid read from a structured source (HTML, DOCX, PDF). Spanned cells are repeated in every
 * slot they cover, with `origin` pointing at the slot where the cell starts, so a mapper can tell a
 * merged label from a repeated number.
 */
export interface GridCell {
  text: string;
  rowspan: number;
  colspan: number;
  /** [row, col] of the slot where this (possibly merged) cell begins. */
  origin: [number, number];
}
export type Grid = GridCell[][];

/**
 * One document handed to the parser: decoded, normalised text (simplified characters) plus any
 * tables that a structured source kept. Structured sources (HTML, DOCX, PDF) also render each kept
 * table into `text` as a pipe table at the place it stood (one grid row per line, a merged cell printed
 * once at its origin slot, empty slots as empty cells), so the text parser's label logic maps it.
 */
export interface SourceDocument {
  path: string;
  /** n-th document inside a container (a JSONL crawl dump line); 0 for ordinary files. */
  index: number;
  url?: string;
  format: SourceFormat;
  encoding?: string;
  /** Text for parsing and NLP: simplified characters, NFKC-normalised punctuation kept as printed. */
  text: string;
  /** The text before traditional → simplified conversion, same length and offsets as `text`. */
  originalText?: string;
  tables: Grid[];
  /** sha256 of the raw bytes (hex); the basis of stable report ids. */
  hash: string;
}

export type ManifestStatus = 'ok' | 'partial' | 'failed' | 'skipped';

/** One row of manifest.csv: every input file gets exactly one. */
export interface ManifestRow {
  path: string;
  status: ManifestStatus;
  reports: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// NLP
// ---------------------------------------------------------------------------------------------

export type StatementKind = 'problem' | 'measure';

export interface ThemeScore {
  id: string;
  score: number;
}

export interface Statement {
  report_id: string;
  kind: StatementKind;
  index: number;
  text: string;
  tokens: string[];
  themes: ThemeScore[];
  /** Near-duplicate of an earlier report's statement: that report's id and the similarity. */
  boilerplate: { of: string | null; similarity: number } | null;
  /** True when the statement names no object ("仍存在一些不足"). */
  vague?: boolean;
  /** Offset of the statement inside sections.problems. */
  offset?: number;
}

export interface Theme {
  id: string;
  name: string;
  description: string;
  phrases: string[];
}
