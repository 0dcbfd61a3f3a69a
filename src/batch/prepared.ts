/**
 * Reports rendered where they were parsed (a batch worker), so the main thread, which writes every
 * file's outputs in input order, only appends text.
 *
 * Measured on 10k synthetic reports with 2 workers, the main thread spent ~11 s of CPU per run parsing
 * each result's JSON, stringifying every record again for reports.jsonl and rendering its CSV rows: on a
 * 2-core machine that is time taken from the workers. A PreparedReport carries that text ready-made;
 * the record is parsed again only when a caller needs it (runParse's onReport hook, keepReports, the
 * NLP stage), through the lazy `reports` of withLazyReports.
 */
import type { Finding, ReportRecord } from '../model/types.js';
import type { CorpusEntry } from '../validate/corpus.js';

/** The columns of a report that the store keeps beside its JSON. */
export interface PreparedHead {
  path: string;
  title: string | null;
  agency: string | null;
  level: ReportRecord['level'];
  region: string | null;
  year: number | null;
  template: ReportRecord['template'];
}

/** One report as the parse outputs write it. */
export interface PreparedReport {
  id: string;
  /** JSON.stringify of the record: its reports.jsonl line without the newline. */
  json: string;
  /** Its cells.csv rows (csvRow with the formula guard, each ending in CRLF); '' without tables. */
  cellsCsv: string;
  /** Its findings.csv rows, likewise. */
  findingsCsv: string;
  /** Its findings (run counts; the store's findings table). */
  findings: Finding[];
  /** Null when the report takes no part in the cross-report checks (no agency, year or 表三). */
  corpus: CorpusEntry | null;
  head: PreparedHead;
}

/** What the store writes of a report: PreparedReport, or the same computed from a record. */
export type StoredReport = Pick<PreparedReport, 'id' | 'json' | 'findings' | 'head'>;

export function reportHead(r: ReportRecord): PreparedHead {
  return { path: r.source.path, title: r.title, agency: r.agency, level: r.level, region: r.region ?? null, year: r.year, template: r.template };
}

/**
 * Gives `target` a `reports` property that parses `prepared`'s JSON on first read (and keeps the
 * records, so every reader sees the same objects). Enumerable, so spreading or serialising the
 * object yields the records as a plain property would; assigning replaces them.
 */
export function withLazyReports<T extends object>(target: T, prepared: readonly PreparedReport[]): T & { reports: ReportRecord[] } {
  let records: ReportRecord[] | undefined;
  Object.defineProperty(target, 'reports', {
    enumerable: true,
    configurable: true,
    get: () => (records ??= prepared.map((p) => JSON.parse(p.json) as ReportRecord)),
    set: (value: ReportRecord[]) => {
      records = value;
    },
  });
  return target as T & { reports: ReportRecord[] };
}

/** `target` with a `reports` property read through from `source` (parsed there, at most once). */
export function reportsFrom<T extends object>(target: T, source: { readonly reports: ReportRecord[] }): T & { reports: ReportRecord[] } {
  Object.defineProperty(target, 'reports', { enumerable: true, configurable: true, get: () => source.reports });
  return target as T & { reports: ReportRecord[] };
}
