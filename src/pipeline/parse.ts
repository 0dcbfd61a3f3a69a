/**
 * The parse command: inputs → ingest → parse → validate → reports.jsonl, cells.csv, findings.csv,
 * manifest.csv (the output contract in README / SCHEMA.md).
 *
 * processFile handles one input file and returns plain data, so the batch pool can run it in a worker
 * and the store can cache it. runParse streams the results of all files into the output files in input
 * order, whatever runs them (the `executor` hook), then adds the findings that need the whole run.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { listInputs, readInput } from '../ingest/index.js';
import { AtomicFile } from '../io/atomic.js';
import { parseCsvObjects } from '../io/csv.js';
import {
  clearFingerprint,
  identifyInput,
  isTransientFailure,
  upToDate,
  writeFingerprint,
  type FingerprintKey,
  type IdentifiedInput,
  type InputIdentity,
  type RecordedSummary,
} from '../batch/run-fingerprint.js';
import { codeVersion, parseVersion } from '../batch/version.js';
import { ensureWritableDir } from '../io/outdir.js';
import { CsvWriter } from '../io/writers.js';
import { csvField, csvRow, type CsvValue } from '../io/csv.js';
import { narrativesOf, reportHead, type PreparedBytes, type PreparedReport } from '../batch/prepared.js';
import type { Finding, ManifestRow, ManifestStatus, ReportRecord, Severity } from '../model/types.js';
import { TABLE_NAMES } from '../model/types.js';
import { forEachRow } from '../model/cells.js';
import { narrativeOf, type ReportNarrative } from '../analyze/digest.js';
import { parseDocument } from '../parse/index.js';
import { LABELS } from '../validate/catalogue.js';
import { CorpusValidator, corpusEntry, type CorpusFinding } from '../validate/corpus.js';
import { validateReport } from '../validate/index.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, type RunOptions } from './options.js';

export const CELLS_COLUMNS = ['report_id', 'table', 'row', 'col', 'value', 'raw', 'status'] as const;
export const FINDINGS_COLUMNS = ['report_id', 'rule', 'severity', 'message', 'cells'] as const;
export const MANIFEST_COLUMNS = ['path', 'status', 'reports', 'message'] as const;
export const PARSE_OUTPUTS = ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv'] as const;

/** Per-file limits of processFile (the serialisable part of RunOptions). */
export interface ProcessOptions {
  maxBytes?: number;
  timeoutMs?: number;
  /** Read the file with blocking calls (see IngestOptions.blockingIo): for worker threads. */
  blockingIo?: boolean;
}

/** What one input file yields: its manifest row and its validated reports. Plain, serialisable data. */
export interface FileResult {
  manifest: ManifestRow;
  reports: ReportRecord[];
  /** The input's size, mtime and sha256 when the executor already hashed it (saves runParse a read). */
  source?: InputIdentity;
  /**
   * The reports rendered for the outputs (prepareReport), one per report in the same order, when the
   * executor had them made where the file was parsed: runParse then writes these texts and reads
   * `reports` only for onReport and keepReports, and for onNarrative when a prepared report has no
   * narrative (an executor may make `reports` a lazy getter). They
   * must describe `reports` as they are: an executor that changes a record drops `prepared`.
   */
  prepared?: PreparedReport[];
  /** With `prepared`: the same output text of the whole file, UTF-8 (written as it is). */
  preparedBytes?: PreparedBytes;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A failed manifest row for a file whose processing threw. */
export function failedResult(path: string, err: unknown): FileResult {
  return { manifest: { path, status: 'failed', reports: 0, message: `internal error: ${errorText(err)}` }, reports: [] };
}

/** Rules of error severity in a report, for the manifest message (a missing part is told apart). */
function errorRules(r: ReportRecord): string[] {
  return [...new Set(r.findings.filter((f) => f.severity === 'error' && f.rule !== 'sections.missing').map((f) => f.rule))];
}

/**
 * Tables of a templated report whose section is there but whose table could not be read (its figures
 * are lost, whatever severity the parser gave its finding): "表二、表三", null when all were read.
 */
function lostTables(r: ReportRecord): string | null {
  if (r.template === 'pre2019') return null;
  const lost = TABLE_NAMES.filter((t) => r.tables[t] === null && /\S/.test(r.sections[t] ?? ''));
  return lost.length ? lost.map((t) => LABELS.tables[t]).join('、') : null;
}

/** "复议诉讼、问题及改进" for a report cut off before those parts, null for a complete one. */
function missingParts(r: ReportRecord): string | null {
  const f = r.findings.find((x) => x.rule === 'sections.missing' && x.severity === 'error');
  if (!f) return null;
  return f.cells.map((c) => LABELS.sections_short[c.replace(/^sections\./, '')] ?? c).join('、');
}

/**
 * One input file: read, split into reports, parse, validate. Never throws: whatever goes wrong becomes
 * the file's manifest row ("failed" with the reason), so one bad file never stops a run.
 */
export async function processFile(path: string, opts: ProcessOptions = {}): Promise<FileResult> {
  try {
    const ingest = await readInput(path, {
      maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      blockingIo: opts.blockingIo,
    });
    // The bytes were hashed as they were read: the run fingerprint need not read the file again.
    const source = ingest.identity;
    if (ingest.status !== 'ok') {
      return { manifest: { path, status: ingest.status, reports: 0, message: ingest.message || ingest.status }, reports: [], source };
    }
    const reports: ReportRecord[] = [];
    const docErrors: string[] = [];
    let strayFragments = 0;
    let strayChars = 0;
    for (const doc of ingest.documents) {
      try {
        const parsed = parseDocument(doc);
        strayFragments += parsed.stray.fragments;
        strayChars += parsed.stray.chars;
        for (const r of parsed.reports) {
          // A check that trips over one odd record costs that record its checks, not the file its reports.
          try {
            r.findings.push(...validateReport(r));
          } catch (err) {
            docErrors.push(`checks failed on report ${r.source.index}: ${errorText(err)}`);
          }
          reports.push(r);
        }
      } catch (err) {
        docErrors.push(ingest.documents.length > 1 ? `document ${doc.index}: ${errorText(err)}` : `parser error: ${errorText(err)}`);
      }
    }
    const manifest = manifestRow(path, reports, { fragments: strayFragments, chars: strayChars }, docErrors, ingest.message, ingest.partial === true);
    return { manifest, reports, source };
  } catch (err) {
    return failedResult(path, err);
  }
}

/** Status and message of a file's manifest row (rules in SCHEMA.md). */
export function manifestRow(
  path: string,
  reports: ReportRecord[],
  stray: { fragments: number; chars: number },
  docErrors: string[] = [],
  ingestNote = '',
  /** Only part of the file could be read (bad JSONL lines, unreadable PDF pages): the row is partial. */
  ingestPartial = false,
): ManifestRow {
  const parts: string[] = [];
  let status: ManifestStatus;
  if (reports.length === 0) {
    status = 'failed';
    parts.push(docErrors.length ? docErrors.join('; ') : 'no report found (no 政府信息公开 annual report title or sections in the text)');
    if (docErrors.length === 0 && stray.fragments > 0) parts.push(`${plural(stray.fragments, 'unrelated fragment')} (${stray.chars} chars) ignored`);
  } else {
    parts.push(plural(reports.length, 'report'));
    const incomplete = reports.map(missingParts).filter((m): m is string => m !== null);
    if (incomplete.length === 1) parts.push(`1 incomplete (sections missing: ${incomplete[0]})`);
    else if (incomplete.length > 1) parts.push(`${incomplete.length} incomplete (sections missing)`);
    const unread = reports.map(lostTables).filter((m): m is string => m !== null);
    if (unread.length === 1) parts.push(`1 with tables not read (${unread[0]})`);
    else if (unread.length > 1) parts.push(`${unread.length} with tables not read`);
    const withErrors = reports.filter((r) => errorRules(r).length > 0);
    if (withErrors.length) {
      const rules = [...new Set(withErrors.flatMap(errorRules))].sort();
      parts.push(`${withErrors.length} with error findings (${rules.join(', ')})`);
    }
    if (stray.fragments > 0) parts.push(`${plural(stray.fragments, 'unrelated fragment')} (${stray.chars} chars) ignored`);
    parts.push(...docErrors);
    status = incomplete.length || unread.length || withErrors.length || docErrors.length || ingestPartial ? 'partial' : 'ok';
  }
  if (ingestNote) parts.push(ingestNote);
  return { path, status, reports: reports.length, message: parts.join('; ') };
}

/** Runs processFile over paths and yields the results in input order. Must yield one result per path. */
export type FileExecutor = (paths: readonly string[], opts: ProcessOptions) => AsyncIterable<FileResult>;

/** The default executor: one file after another in this thread (the batch pool plugs in via `executor`). */
export const sequentialExecutor: FileExecutor = async function* (paths, opts) {
  for (const path of paths) yield await processFile(path, opts);
};

export interface ParseProgress {
  done: number;
  total: number;
  path: string;
  status: ManifestStatus;
}

export interface RunParseOptions extends RunOptions {
  /** Who runs processFile on the files (default: sequentialExecutor). Results must come in input order. */
  executor?: FileExecutor;
  /** Keep every report in ParseRun.reports (default true). Turn off for very large runs: memory stays bounded. */
  keepReports?: boolean;
  /** Called after each file is written. */
  onProgress?: (p: ParseProgress) => void;
  /** Called with the list of input files once it is known (before any is processed). */
  onStart?: (paths: readonly string[]) => void;
  /**
   * Called with every report as it is written (before cross-report findings are added). An error it
   * throws is noted in that file's manifest row (status partial), and the run goes on.
   */
  onReport?: (r: ReportRecord) => void | Promise<void>;
  /**
   * Called with every report's digest and section 五 as it is written, before onReport: what the NLP
   * stage reads. A batch executor's workers send it ready-made, so unlike onReport it costs no parse
   * of the record in this thread. Errors are noted as onReport's are.
   */
  onNarrative?: (n: ReportNarrative) => void | Promise<void>;
  /**
   * Findings that need every report of the run and come from a later stage (the NLP stage's
   * whole-section copies), asked for once after the last file. They are written to findings.csv and
   * added to their records in the same pass as the validator's cross-report findings.
   */
  corpusFindings?: () => CorpusFinding[] | Promise<CorpusFinding[]>;
}

export interface RunSummary {
  command: string;
  out: string;
  files: number;
  status: Record<ManifestStatus, number>;
  reports: number;
  findings: { total: number; by_severity: Record<Severity, number>; by_rule: Record<string, number> };
  outputs: string[];
  elapsed_ms: number;
  /**
   * True when nothing was parsed or written: --out already held the outputs of a run over the same
   * inputs (paths and bytes), parser version and options, untouched since (the figures are that run's).
   */
  up_to_date?: boolean;
}

export interface ParseRun {
  reports: ReportRecord[];
  /**
   * Findings that needed the whole run (the validator's cross-report checks, then corpusFindings),
   * added to their records after the last file: for callers that digested records as they streamed.
   * Empty for a run that found its outputs up to date (the records read back already carry them).
   */
  crossFindings: CorpusFinding[];
  manifest: ManifestRow[];
  /** Number of findings written to findings.csv. */
  findings: number;
  summary: RunSummary;
  /**
   * Every input's identity as read (size, mtime, sha256), in input order: what a run fingerprint of a
   * later stage records (./fingerprint.ts). Absent with --no-cache, for a run that found its outputs up
   * to date, or when an input was lost, could not be identified or failed in a way that may not happen
   * again (such a run is never fingerprinted).
   */
  sources?: readonly IdentifiedInput[];
}

export type { IdentifiedInput };

function countFinding(summary: RunSummary, f: Finding): void {
  summary.findings.total++;
  summary.findings.by_severity[f.severity] = (summary.findings.by_severity[f.severity] ?? 0) + 1;
  summary.findings.by_rule[f.rule] = (summary.findings.by_rule[f.rule] ?? 0) + 1;
}

const findingRow = (reportId: string, f: Finding) => [reportId, f.rule, f.severity, f.message, f.cells.join(';')];

/** Rows as CsvWriter.write renders them (formula guard on, CRLF), in one string. */
function renderRows(rows: readonly (readonly CsvValue[])[]): string {
  let text = '';
  for (const row of rows) text += csvRow(row, { safe: true }) + '\r\n';
  return text;
}

/**
 * The cells.csv rows of one report (every cell of every table, in table, row, column order), rendered
 * without building row arrays: a report has a few hundred cells, and this runs for every report.
 * Report id, table and row are rendered once per table row, not once per cell.
 */
export function renderCellRows(r: ReportRecord): string {
  const id = csvField(r.id);
  let text = '';
  forEachRow(r, (table, row, cols) => {
    const head = `${id},${csvField(table)},${csvField(row)},`;
    for (const col in cols) {
      const cell = cols[col];
      text += `${head}${csvField(col)},${csvField(cell.value)},${csvField(cell.raw)},${csvField(cell.status)}\r\n`;
    }
  });
  return text;
}

/**
 * Everything runParse writes of one report, as text (its reports.jsonl line, cells.csv and
 * findings.csv rows) plus the figures the run counts and checks across reports. A batch worker calls
 * this, so the main thread only appends; runParse calls it for results that come without it.
 */
export function prepareReport(r: ReportRecord): PreparedReport {
  return {
    id: r.id,
    json: JSON.stringify(r),
    cellsCsv: renderCellRows(r),
    findingsCsv: renderRows(r.findings.map((f) => findingRow(r.id, f))),
    findings: r.findings,
    corpus: corpusEntry(r),
    head: reportHead(r),
  };
}

/**
 * Parses every input file into --out: reports.jsonl, cells.csv, findings.csv, manifest.csv.
 * Output is streamed to temp files renamed at the end (an interrupted run leaves no half-written file)
 * and ordered by input whatever the parallelism. Throws OutputDirError when --out cannot be written.
 */
export async function runParse(inputs: string[], opts: RunParseOptions): Promise<ParseRun> {
  const started = Date.now();
  const out = await ensureWritableDir(opts.out);
  // The output folder is never read as input, even inside an input folder.
  const paths = await listInputs(inputs, { excludeDirs: [out] });
  opts.onStart?.(paths);
  const keep = opts.keepReports ?? true;
  const executor = opts.executor ?? sequentialExecutor;
  const processOpts: ProcessOptions = { maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs };

  const summary: RunSummary = {
    command: 'parse',
    out,
    files: paths.length,
    status: { ok: 0, partial: 0, failed: 0, skipped: 0 },
    reports: 0,
    findings: { total: 0, by_severity: { error: 0, warning: 0, info: 0 }, by_rule: {} },
    outputs: PARSE_OUTPUTS.map((f) => join(out, f)),
    elapsed_ms: 0,
  };
  const reports: ReportRecord[] = [];
  const manifest: ManifestRow[] = [];

  // Unchanged re-run: same inputs, version and options, outputs untouched → leave them as they are.
  // Only a plain parse qualifies (an onReport, onNarrative or corpusFindings hook, e.g. themes, needs every report to pass through).
  // --no-cache redoes everything and, like the store, leaves no fingerprint (no input is hashed).
  // The whole code's version, not only the parser's: the CSV and JSON writers (src/io, the workers'
  // rendering) and the installed dependencies shape the output bytes too.
  const key: FingerprintKey = {
    command: 'parse',
    parseVersion: parseVersion(),
    options: { code: codeVersion(), maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS },
  };
  const fingerprinted = !opts.onReport && !opts.onNarrative && !opts.corpusFindings && opts.cache !== false;
  // Identities are also what a later stage's fingerprint records (ParseRun.sources).
  const identify = opts.cache !== false;
  if (fingerprinted) {
    const recorded = await upToDate(out, paths, key, PARSE_OUTPUTS);
    if (recorded) {
      Object.assign(summary, recorded, { up_to_date: true });
      const rows = await readManifest(join(out, 'manifest.csv'), paths);
      if (rows) {
        manifest.push(...rows);
        if (keep) reports.push(...(await readReports(join(out, 'reports.jsonl'))));
        opts.onProgress?.({ done: paths.length, total: paths.length, path: paths[paths.length - 1] ?? '', status: rows[rows.length - 1]?.status ?? 'ok' });
        summary.elapsed_ms = Date.now() - started;
        return { reports, crossFindings: [], manifest, findings: summary.findings.total, summary };
      }
      summary.up_to_date = undefined;
      summary.status = { ok: 0, partial: 0, failed: 0, skipped: 0 };
      summary.reports = 0;
      summary.findings = { total: 0, by_severity: { error: 0, warning: 0, info: 0 }, by_rule: {} };
    }
  }
  // The outputs are about to change: the old fingerprint no longer describes them.
  await clearFingerprint(out);
  // Identities are read beside the run (the main thread mostly waits on the executor) and awaited at the end.
  const identities: { path: string; identity: Promise<InputIdentity | null> }[] = [];
  const corpus = new CorpusValidator();

  const reportsFile = await AtomicFile.open(join(out, 'reports.jsonl'));
  // Where each record's line lies in reports.jsonl, for the cross-report findings pass.
  const lines = new LineIndex();
  const cells = await CsvWriter.open(join(out, 'cells.csv'), CELLS_COLUMNS);
  const findings = await CsvWriter.open(join(out, 'findings.csv'), FINDINGS_COLUMNS);
  const manifestCsv = await CsvWriter.open(join(out, 'manifest.csv'), MANIFEST_COLUMNS);
  const abortAll = () => Promise.all([reportsFile.abort(), cells.abort(), findings.abort(), manifestCsv.abort()]);
  let cross: CorpusFinding[] = [];

  // A report id comes from the file's bytes: a file with the same bytes as an earlier one (a page saved
  // twice in a crawl) repeats its ids. It is listed, not counted twice. Keyed by the file's first id.
  const firstPathById = new Map<string, string>();

  try {
    let done = 0;
    const expected = new Set(paths);
    const listRow = async (row: ManifestRow) => {
      manifest.push(row);
      summary.status[row.status]++;
      await manifestCsv.write([row.path, row.status, row.reports, row.message]);
      done++;
      opts.onProgress?.({ done, total: paths.length, path: row.path, status: row.status });
    };
    for await (const result of executor(paths, processOpts)) {
      let row = result.manifest;
      expected.delete(row.path);
      if (identify) identities.push({ path: row.path, identity: result.source ? Promise.resolve(result.source) : identifyInput(row.path, processOpts.maxBytes ?? DEFAULT_MAX_BYTES) });
      const firstId = row.reports > 0 ? (result.prepared ?? result.reports)[0]?.id : undefined;
      const original = firstId === undefined ? undefined : firstPathById.get(firstId);
      if (original !== undefined) {
        await listRow({ path: row.path, status: 'skipped', reports: 0, message: `duplicate: the same bytes as ${original} (${plural(row.reports, 'report')}, counted there)` });
        continue;
      }
      if (firstId !== undefined) firstPathById.set(firstId, row.path);
      const hookErrors: string[] = [];
      // Records are read (and, for a prepared result, parsed) only when a caller wants them.
      const narratives = opts.onNarrative ? narrativesOf(result.prepared) : null;
      const records = keep || opts.onReport || (opts.onNarrative && !narratives) ? result.reports : null;
      const prepared = result.prepared ?? (records ?? result.reports).map(prepareReport);
      const encoded = result.prepared ? result.preparedBytes : undefined;
      if (encoded) {
        for (let i = 0; i < prepared.length; i++) lines.add(prepared[i].id, encoded.lineBytes(i));
        await reportsFile.writeBytes(encoded.reports);
        await cells.writeRendered(encoded.cells);
        await findings.writeRendered(encoded.findings);
      }
      for (let i = 0; i < prepared.length; i++) {
        const p = prepared[i];
        summary.reports++;
        if (!encoded) {
          lines.add(p.id, Buffer.byteLength(p.json, 'utf8') + 1);
          await reportsFile.write(p.json + '\n');
          await cells.writeRendered(p.cellsCsv);
          await findings.writeRendered(p.findingsCsv);
        }
        for (const f of p.findings) countFinding(summary, f);
        corpus.addEntry(p.corpus);
        // A later stage failing on one report (e.g. its statements) marks that file, not the run; the
        // caller's onReport is not called for a report whose narrative stage failed.
        let stageFailed = false;
        if (opts.onNarrative) {
          try {
            await opts.onNarrative(narratives ? narratives[i] : narrativeOf(records![i]));
          } catch (err) {
            stageFailed = true;
            const index = narratives ? narratives[i].digest.source.index : records![i].source.index;
            hookErrors.push(`report ${index} (${p.id}): ${errorText(err)}`);
          }
        }
        if (!records) continue;
        const r = records[i];
        if (!stageFailed) {
          try {
            await opts.onReport?.(r);
          } catch (err) {
            hookErrors.push(`report ${r.source.index} (${r.id}): ${errorText(err)}`);
          }
        }
        if (keep) reports.push(r);
      }
      if (hookErrors.length) {
        row = { ...row, status: row.status === 'ok' ? 'partial' : row.status, message: [row.message, ...hookErrors].filter(Boolean).join('; ') };
      }
      await listRow(row);
    }
    // An executor that lost a file must not make it vanish from the manifest.
    for (const path of paths) {
      if (!expected.has(path)) continue;
      const row: ManifestRow = { path, status: 'failed', reports: 0, message: 'internal error: no result from the executor' };
      manifest.push(row);
      summary.status.failed++;
      await manifestCsv.write([row.path, row.status, row.reports, row.message]);
    }

    cross = [...corpus.findings(), ...((await opts.corpusFindings?.()) ?? [])];
    for (const f of cross) {
      countFinding(summary, f);
      await findings.write(findingRow(f.report_id, f));
    }
    if (cross.length) {
      const byReport = groupByReport(cross);
      if (keep) for (const r of reports) r.findings.push(...(byReport.get(r.id) ?? []));
      await rewriteWithFindings(reportsFile, join(out, 'reports.jsonl'), byReport, lines);
    } else {
      await reportsFile.commit();
    }
    await Promise.all([cells.close(), findings.close(), manifestCsv.close()]);
  } catch (err) {
    await abortAll();
    throw err;
  }
  // Written last, so it only ever describes complete outputs. A run with a lost or transient failure
  // (timeout, crash, unreadable file) leaves none: the next run tries those files again.
  const complete = identities.length === paths.length && identities.every((x, i) => x.path === paths[i]);
  let sources: IdentifiedInput[] | undefined;
  if (identify && complete && !manifest.some(isTransientFailure)) {
    const inputs = await Promise.all(identities.map(async ({ path, identity }) => ({ path, identity: await identity })));
    if (inputs.every((i): i is IdentifiedInput => i.identity !== null)) sources = inputs;
  }
  if (fingerprinted && sources) {
    const recorded: RecordedSummary = { status: summary.status, reports: summary.reports, findings: summary.findings };
    await writeFingerprint(out, key, sources, PARSE_OUTPUTS, recorded);
  }
  summary.elapsed_ms = Date.now() - started;
  return { reports, crossFindings: cross, manifest, findings: summary.findings.total, summary, ...(sources ? { sources } : {}) };
}

/** manifest.csv of an up-to-date run, with its paths taken from the input list; null if it does not match. */
async function readManifest(file: string, paths: readonly string[]): Promise<ManifestRow[] | null> {
  try {
    const rows = parseCsvObjects((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    if (rows.length !== paths.length) return null;
    return rows.map((r, i) => ({ path: paths[i], status: r.status as ManifestStatus, reports: Number(r.reports), message: r.message ?? '' }));
  } catch {
    return null;
  }
}

/** The records of an up-to-date reports.jsonl (for callers that keep reports). */
async function readReports(file: string): Promise<ReportRecord[]> {
  const out: ReportRecord[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) out.push(JSON.parse(line) as ReportRecord);
  return out;
}

function groupByReport(found: CorpusFinding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const { report_id, ...f } of found) {
    const list = map.get(report_id);
    if (list) list.push(f);
    else map.set(report_id, [f]);
  }
  return map;
}

/** Id and byte length of every line of reports.jsonl, in order (compact: 100k reports are a few MB). */
class LineIndex {
  readonly ids: string[] = [];
  private lengths = new Float64Array(1024);
  add(id: string, bytes: number): void {
    if (this.ids.length === this.lengths.length) {
      const grown = new Float64Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.lengths[this.ids.length] = bytes;
    this.ids.push(id);
  }
  length(i: number): number {
    return this.lengths[i];
  }
}

/** Copy chunk size of the second pass (each chunk is a fresh buffer: AtomicFile keeps it until flushed). */
const COPY_CHUNK = 1 << 20;

/**
 * Second pass over the written reports: adds cross-report findings to the records they concern. Lines
 * of other records are copied as bytes (their places are known from the first pass), so only the few
 * records that change are decoded, parsed and written again.
 */
async function rewriteWithFindings(first: AtomicFile, path: string, byReport: Map<string, Finding[]>, lines: LineIndex): Promise<void> {
  const tempPath = await first.close();
  const second = await AtomicFile.open(path);
  const source = await open(tempPath, 'r');
  try {
    const read = async (start: number, length: number): Promise<Buffer> => {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await source.read(buf, got, length - got, start + got);
        if (bytesRead === 0) throw new Error(`${tempPath}: ended at byte ${start + got}, expected ${start + length}`);
        got += bytesRead;
      }
      return buf;
    };
    const copy = async (start: number, end: number): Promise<void> => {
      for (let at = start; at < end; at += COPY_CHUNK) await second.writeBytes(await read(at, Math.min(COPY_CHUNK, end - at)));
    };
    let pos = 0;
    let copied = 0;
    for (let i = 0; i < lines.ids.length; i++) {
      const length = lines.length(i);
      const extra = byReport.get(lines.ids[i]);
      if (extra) {
        await copy(copied, pos);
        const record = JSON.parse((await read(pos, length)).toString('utf8', 0, length - 1)) as ReportRecord;
        record.findings.push(...extra);
        await second.write(JSON.stringify(record) + '\n');
        copied = pos + length;
      }
      pos += length;
    }
    const { size } = await source.stat();
    if (size !== pos) throw new Error(`${tempPath}: ${size} bytes, the records written add up to ${pos}`);
    await copy(copied, pos);
    await source.close();
    await second.commit();
  } catch (err) {
    await source.close().catch(() => undefined);
    await second.abort();
    throw err;
  } finally {
    await first.abort();
  }
}
