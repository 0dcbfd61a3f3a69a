/**
 * Reports rendered where they were parsed (a batch worker), so the main thread, which writes every
 * file's outputs in input order, only appends bytes.
 *
 * Measured on 10k synthetic reports with 2 workers, the main thread spent ~9 s of CPU per run parsing
 * each result's JSON, stringifying every record again for reports.jsonl, rendering its CSV rows and
 * encoding it all to UTF-8: on a 2-core machine that is time taken from the workers (now ~3 s). A
 * PreparedReport carries that text ready-made (PackedReports: encoded, in one transferred buffer); the
 * record is parsed again only when a caller needs it (runParse's onReport hook, keepReports), through
 * the lazy `reports` of withLazyReports. The NLP stage reads the report's `narrative` instead (its
 * digest and section 五, computed in the worker when the run asks for them).
 */
import type { ReportNarrative } from '../analyze/digest.js';
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
  /**
   * The same JSON as UTF-8, when it came packed from a worker (a view of the transferred buffer, not a
   * copy; not enumerable): the store binds these bytes instead of decoding `json` to a string.
   */
  readonly jsonBytes?: Uint8Array;
  /** Its cells.csv rows (csvRow with the formula guard, each ending in CRLF); '' without tables. */
  cellsCsv: string;
  /** Its findings.csv rows, likewise. */
  findingsCsv: string;
  /** Its findings (run counts; the store's findings table). */
  findings: Finding[];
  /** Null when the report takes no part in the cross-report checks (no agency, year or 表三). */
  corpus: CorpusEntry | null;
  head: PreparedHead;
  /** Its digest and section 五, when the run has an NLP stage (computed with the text, see ReportNarrative). */
  narrative?: ReportNarrative;
}

/** The parts of a PreparedReport that are not output text (they travel as plain data). */
export type PreparedMeta = Omit<PreparedReport, 'json' | 'cellsCsv' | 'findingsCsv'>;

/** A file's output text as UTF-8, one slice per output file: what runParse appends. */
export interface PreparedBytes {
  /** The reports.jsonl lines of the file's reports, newline-terminated. */
  reports: Uint8Array;
  cells: Uint8Array;
  findings: Uint8Array;
  /** Byte length of report i's line in `reports` (newline included). */
  lineBytes(i: number): number;
}

/**
 * A file's prepared reports packed for the trip to the main thread: every text UTF-8-encoded into one
 * buffer (moved, not copied, by postMessage's transfer list; the main thread writes slices of it
 * without encoding anything). `bytes` holds 3n texts: the n reports.jsonl lines, then the n cells.csv
 * texts, then the n findings.csv texts; text k spans [offsets[k], offsets[k+1]) (3n+1 offsets).
 */
export interface PackedReports {
  meta: PreparedMeta[];
  bytes: Uint8Array;
  offsets: number[];
}

export function packPrepared(prepared: readonly PreparedReport[]): PackedReports {
  const texts: string[] = [];
  for (const p of prepared) texts.push(p.json + '\n');
  for (const p of prepared) texts.push(p.cellsCsv);
  for (const p of prepared) texts.push(p.findingsCsv);
  const offsets: number[] = [0];
  let total = 0;
  for (const t of texts) offsets.push((total += Buffer.byteLength(t, 'utf8')));
  // Not pooled: the buffer must own its memory to be transferable.
  const bytes = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const t of texts) at += bytes.write(t, at, 'utf8');
  const meta = prepared.map(({ id, findings, corpus, head, narrative }) => ({ id, findings, corpus, head, narrative }));
  return { meta, bytes, offsets };
}

/**
 * The inverse of packPrepared in the receiving thread: PreparedReports whose texts are decoded from
 * the bytes only if read, and the three output slices of the file.
 */
export function unpackPrepared(packed: PackedReports): { prepared: PreparedReport[]; bytes: PreparedBytes } {
  const { meta, offsets } = packed;
  const buf = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
  const n = meta.length;
  /** Start of report i's text in region r (0 json lines, 1 cells, 2 findings); i = n: the region's end. */
  const at = (region: number, i: number) => offsets[region * n + i];
  const prepared = meta.map((m, i) =>
    Object.defineProperties({ ...m } as PreparedReport, {
      json: { enumerable: true, get: () => buf.toString('utf8', at(0, i), at(0, i + 1) - 1) },
      jsonBytes: { enumerable: false, get: () => buf.subarray(at(0, i), at(0, i + 1) - 1) },
      cellsCsv: { enumerable: true, get: () => buf.toString('utf8', at(1, i), at(1, i + 1)) },
      findingsCsv: { enumerable: true, get: () => buf.toString('utf8', at(2, i), at(2, i + 1)) },
    }),
  );
  return {
    prepared,
    bytes: {
      reports: buf.subarray(at(0, 0), at(0, n)),
      cells: buf.subarray(at(1, 0), at(1, n)),
      findings: buf.subarray(at(2, 0), at(2, n)),
      lineBytes: (i) => at(0, i + 1) - at(0, i),
    },
  };
}

/** The narratives of a file's prepared reports when every one has its narrative, else null. */
export function narrativesOf(prepared: readonly PreparedReport[] | undefined): ReportNarrative[] | null {
  if (!prepared) return null;
  const out: ReportNarrative[] = [];
  for (const p of prepared) {
    if (!p.narrative) return null;
    out.push(p.narrative);
  }
  return out;
}

/** What the store writes of a report: PreparedReport, or the same computed from a record. */
export type StoredReport = Pick<PreparedReport, 'id' | 'json' | 'jsonBytes' | 'findings' | 'head'>;

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
