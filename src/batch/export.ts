/**
 * `ogi export --format parquet|csv|xlsx --store FILE --out DIR`: writes the tables of the incremental
 * store (files, reports, cells, findings, statements; see STORE.md) for use in other tools.
 *
 * Streams: rows are read from SQLite with an iterator and written in chunks, so a store of 100k reports
 * (tens of millions of cells) exports in bounded memory. Every output goes to a temp file renamed at
 * the end. Parquet: arquero → Arrow (flechette, explicit column types so every chunk has one schema)
 * → parquet-wasm's streaming writer (one row group per chunk, ZSTD). CSV: UTF-8 with BOM for Excel.
 * XLSX: exceljs streaming writer; a table longer than Excel's 1,048,576 rows continues on another sheet.
 */
import Database from 'better-sqlite3';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import * as aq from 'arquero';
import { float64, int32, utf8, type DataType } from '@uwdata/flechette';
import ExcelJS from 'exceljs';
import { CsvWriter } from '../io/writers.js';
import { ensureWritableDir } from '../io/outdir.js';
import { writeAtomicallyWith } from '../io/atomic.js';

export const EXPORT_FORMATS = ['parquet', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type ColumnKind = 'text' | 'int' | 'real';
interface TableSpec {
  name: string;
  /** SELECT list (SQL) → output column name and kind. */
  columns: { name: string; sql?: string; kind: ColumnKind }[];
  order: string;
}

/** What is exported, per table: the store's columns minus internal ones (the full report JSON). */
export const EXPORT_TABLES: readonly TableSpec[] = [
  {
    name: 'files',
    columns: [
      { name: 'path', kind: 'text' },
      { name: 'content_hash', kind: 'text' },
      { name: 'size', kind: 'real' },
      { name: 'mtime_ms', kind: 'real' },
      { name: 'status', kind: 'text' },
      { name: 'reports', kind: 'int' },
      { name: 'message', kind: 'text' },
      { name: 'seen_at', kind: 'text' },
    ],
    order: 'path',
  },
  {
    name: 'reports',
    columns: [
      { name: 'report_id', kind: 'text' },
      { name: 'path', kind: 'text' },
      { name: 'seq', kind: 'int' },
      { name: 'title', kind: 'text' },
      { name: 'agency', kind: 'text' },
      { name: 'level', kind: 'text' },
      { name: 'region', kind: 'text' },
      { name: 'year', kind: 'int' },
      { name: 'template', kind: 'text' },
      { name: 'errors', kind: 'int' },
      { name: 'warnings', kind: 'int' },
      { name: 'content_hash', kind: 'text' },
    ],
    order: 'path, seq',
  },
  {
    name: 'cells',
    columns: [
      { name: 'report_id', kind: 'text' },
      { name: 'table_name', kind: 'text' },
      { name: 'row_key', kind: 'text' },
      { name: 'col_key', kind: 'text' },
      { name: 'value', kind: 'real' },
      { name: 'raw', kind: 'text' },
      { name: 'status', kind: 'text' },
    ],
    order: 'report_id, table_name, row_key, col_key',
  },
  {
    name: 'findings',
    columns: [
      { name: 'report_id', kind: 'text' },
      { name: 'seq', kind: 'int' },
      { name: 'rule', kind: 'text' },
      { name: 'severity', kind: 'text' },
      { name: 'message', kind: 'text' },
      { name: 'cells', kind: 'text' },
    ],
    order: 'report_id, seq',
  },
  {
    name: 'statements',
    columns: [
      { name: 'report_id', kind: 'text' },
      { name: 'kind', kind: 'text' },
      { name: 'idx', kind: 'int' },
      { name: 'text', kind: 'text' },
      { name: 'top_theme', kind: 'text' },
      { name: 'top_score', kind: 'real' },
      { name: 'themes', kind: 'text' },
      { name: 'tokens', kind: 'text' },
      { name: 'vague', kind: 'int' },
      { name: 'offset', sql: '"offset"', kind: 'int' },
    ],
    order: 'report_id, pos',
  },
];

export interface ExportOptions {
  format: ExportFormat | string;
  /** The store file (.ogi-cache.sqlite of an earlier run). */
  store: string;
  /** Output folder. */
  out: string;
  /** Rows per Parquet row group / per write chunk (default 65,536). */
  chunkRows?: number;
}

export interface ExportSummary {
  command: 'export';
  format: ExportFormat;
  store: string;
  out: string;
  tables: Record<string, number>;
  outputs: string[];
  elapsed_ms: number;
}

const EXCEL_MAX_ROWS = 1_048_576;
const XLSX_CELL_MAX = 32_767;

type Row = Record<string, string | number | null>;

function selectSql(spec: TableSpec): string {
  return `SELECT ${spec.columns.map((c) => (c.sql ? `${c.sql} AS "${c.name}"` : `"${c.name}"`)).join(', ')} FROM ${spec.name} ORDER BY ${spec.order}`;
}

/** Reads rows in chunks so a table of millions of rows never sits in memory at once. */
function* chunks(db: Database.Database, spec: TableSpec, size: number): Generator<Row[]> {
  let chunk: Row[] = [];
  for (const row of db.prepare(selectSql(spec)).iterate() as Iterable<Row>) {
    chunk.push(row);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

// --- parquet --------------------------------------------------------------------------------------

type ParquetWasm = typeof import('parquet-wasm/esm');
let parquetModule: ParquetWasm | null = null;

/** parquet-wasm's ESM build with its wasm loaded synchronously from node_modules (no fetch in Node). */
async function parquet(): Promise<ParquetWasm> {
  if (!parquetModule) {
    const mod = (await import('parquet-wasm/esm')) as ParquetWasm;
    const require = createRequire(import.meta.url);
    mod.initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
    parquetModule = mod;
  }
  return parquetModule;
}

const ARROW_TYPES: Record<ColumnKind, () => DataType> = { text: utf8, int: int32, real: float64 };

async function writeParquet(db: Database.Database, spec: TableSpec, path: string, chunkRows: number): Promise<number> {
  const pq = await parquet();
  const types = Object.fromEntries(spec.columns.map((c) => [c.name, ARROW_TYPES[c.kind]()]));
  const names = spec.columns.map((c) => c.name);
  const source = chunks(db, spec, chunkRows);
  const props = () => new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
  const toBatches = (rowsOfChunk: Row[]) => {
    const columns = Object.fromEntries(names.map((n) => [n, rowsOfChunk.map((r) => r[n] ?? null)]));
    return pq.Table.fromIPCStream(aq.toArrowIPC(aq.table(columns), { format: 'stream', types }));
  };
  const first = source.next();
  if (first.done) {
    // An empty table: no record batch to stream, but the file still carries the schema.
    await writeBytesAtomic(path, [pq.writeParquet(toBatches([]), props())]);
    return 0;
  }
  let rows = 0;
  let pendingChunk: Row[] | null = first.value;
  const batches = new ReadableStream({
    pull(controller) {
      const chunk = pendingChunk ?? source.next().value;
      pendingChunk = null;
      if (!chunk) {
        controller.close();
        return;
      }
      rows += chunk.length;
      for (const b of toBatches(chunk).recordBatches()) controller.enqueue(b);
    },
  });
  const bytes = (await pq.transformParquetStream(batches, props())) as ReadableStream<Uint8Array>;
  await writeBytesAtomic(path, bytes);
  return rows;
}

/** Writes byte chunks to a temp file beside `path` and renames it into place when complete. */
async function writeBytesAtomic(path: string, chunksIn: Iterable<Uint8Array> | ReadableStream<Uint8Array>): Promise<void> {
  await writeAtomicallyWith(path, async (temp) => {
    const file = createWriteStream(temp);
    try {
      if (chunksIn instanceof ReadableStream) {
        const reader = chunksIn.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!file.write(value)) await once(file, 'drain');
        }
      } else {
        for (const value of chunksIn) if (!file.write(value)) await once(file, 'drain');
      }
      file.end();
      await once(file, 'finish');
    } catch (err) {
      file.destroy();
      throw err;
    }
  });
}

// --- csv ------------------------------------------------------------------------------------------

async function writeCsv(db: Database.Database, spec: TableSpec, path: string, chunkRows: number): Promise<number> {
  const names = spec.columns.map((c) => c.name);
  const csv = await CsvWriter.open(path, names, { bom: true });
  let rows = 0;
  try {
    for (const chunk of chunks(db, spec, chunkRows)) {
      for (const row of chunk) await csv.write(names.map((n) => row[n] ?? null));
      rows += chunk.length;
    }
    await csv.close();
  } catch (err) {
    await csv.abort();
    throw err;
  }
  return rows;
}

// --- xlsx -----------------------------------------------------------------------------------------

/** Every table into one workbook at `temp`, row by row (exceljs' streaming writer). */
async function writeXlsx(db: Database.Database, temp: string, chunkRows: number, counts: Record<string, number>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temp, useStyles: false, useSharedStrings: false });
  for (const spec of EXPORT_TABLES) {
    const names = spec.columns.map((c) => c.name);
    let part = 1;
    const newSheet = () => {
      const sheet = workbook.addWorksheet(part === 1 ? spec.name : `${spec.name} (${part})`);
      sheet.addRow(names).commit();
      return sheet;
    };
    let sheet = newSheet();
    let inSheet = 1;
    let rows = 0;
    for (const chunk of chunks(db, spec, chunkRows)) {
      for (const row of chunk) {
        if (inSheet >= EXCEL_MAX_ROWS) {
          sheet.commit();
          part++;
          sheet = newSheet();
          inSheet = 1;
        }
        // Plain values only: strings are written as text, never as formulas.
        sheet
          .addRow(names.map((n) => {
            const v = row[n];
            return typeof v === 'string' && v.length > XLSX_CELL_MAX ? v.slice(0, XLSX_CELL_MAX) : v;
          }))
          .commit();
        inSheet++;
      }
      rows += chunk.length;
    }
    sheet.commit();
    counts[spec.name] = rows;
  }
  await workbook.commit();
}

/** Exports every table of the store into `out` in the given format. */
export async function runExport(opts: ExportOptions): Promise<{ summary: ExportSummary }> {
  const started = Date.now();
  const format = opts.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`unknown export format "${opts.format}" (use parquet, csv or xlsx)`);
  const storePath = resolve(opts.store);
  if (!existsSync(storePath)) throw new Error(`store file not found: ${storePath}`);
  let db: Database.Database;
  try {
    db = new Database(storePath, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    const missing = EXPORT_TABLES.filter(
      (t) => !db.prepare(`SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?`).get(t.name),
    ).map((t) => t.name);
    if (missing.length) {
      db.close();
      throw new Error(`missing table(s) ${missing.join(', ')}`);
    }
  } catch (err) {
    throw new Error(`${storePath} is not an ogi store: ${(err as Error).message}`);
  }
  const out = resolve(opts.out);
  await ensureWritableDir(out);
  const chunkRows = opts.chunkRows ?? 65_536;
  const tables: Record<string, number> = {};
  const outputs: string[] = [];
  try {
    if (format === 'xlsx') {
      const path = join(out, 'store.xlsx');
      await writeAtomicallyWith(path, (temp) => writeXlsx(db, temp, chunkRows, tables));
      outputs.push(path);
    } else {
      for (const spec of EXPORT_TABLES) {
        const path = join(out, `${spec.name}.${format}`);
        tables[spec.name] =
          format === 'parquet' ? await writeParquet(db, spec, path, chunkRows) : await writeCsv(db, spec, path, chunkRows);
        outputs.push(path);
      }
    }
  } finally {
    db.close();
  }
  return { summary: { command: 'export', format, store: storePath, out, tables, outputs, elapsed_ms: Date.now() - started } };
}
