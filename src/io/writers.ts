/** Streaming CSV and JSONL writers on top of AtomicFile. */
import { AtomicFile } from './atomic.js';
import { csvRow, UTF8_BOM, type CsvValue } from './csv.js';

export interface CsvWriterOptions {
  /** UTF-8 byte order mark for Excel (default true). */
  bom?: boolean;
  /** Guard cells against formula injection with safeCell (default true). */
  safe?: boolean;
}

/** A CSV file written row by row (RFC 4180, CRLF), renamed into place on close(). */
export class CsvWriter {
  private constructor(
    private readonly file: AtomicFile,
    private readonly safe: boolean,
    readonly columns: readonly string[],
  ) {}

  static async open(path: string, columns: readonly string[], opts: CsvWriterOptions = {}): Promise<CsvWriter> {
    const file = await AtomicFile.open(path);
    const writer = new CsvWriter(file, opts.safe ?? true, columns);
    await file.write((opts.bom ?? true ? UTF8_BOM : '') + csvRow(columns, { safe: false }) + '\r\n');
    return writer;
  }

  get path(): string {
    return this.file.path;
  }

  /** One record: values in column order, or an object keyed by column name. */
  async write(row: readonly CsvValue[] | Record<string, CsvValue>): Promise<void> {
    const values = Array.isArray(row) ? row : this.columns.map((c) => (row as Record<string, CsvValue>)[c]);
    await this.file.write(csvRow(values as readonly CsvValue[], { safe: this.safe }) + '\r\n');
  }

  /**
   * Rows rendered elsewhere (e.g. in a worker thread) with csvRow and this writer's formula guard,
   * each ending in CRLF, as text or UTF-8 bytes: appended as they are.
   */
  async writeRendered(text: string | Uint8Array): Promise<void> {
    if (typeof text !== 'string') await this.file.writeBytes(text);
    else if (text) await this.file.write(text);
  }

  close(): Promise<void> {
    return this.file.commit();
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}

/** A JSON Lines file: one JSON value per line, UTF-8, LF. */
export class JsonlWriter<T = unknown> {
  private constructor(private readonly file: AtomicFile) {}

  static async open<T = unknown>(path: string): Promise<JsonlWriter<T>> {
    return new JsonlWriter<T>(await AtomicFile.open(path));
  }

  get path(): string {
    return this.file.path;
  }

  async write(value: T): Promise<void> {
    await this.file.write(JSON.stringify(value) + '\n');
  }

  /** A record already serialised (one line of JSON, no newline). */
  async writeLine(json: string): Promise<void> {
    await this.file.write(json + '\n');
  }

  close(): Promise<void> {
    return this.file.commit();
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}
