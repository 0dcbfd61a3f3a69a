/**
 * CSV encoding (RFC 4180) and a small reader, shared by every writer of the project.
 * Files opened in Excel want a UTF-8 BOM and CRLF line ends, so both are the defaults of the writers.
 */

/** A value a CSV cell may hold; null and undefined become an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

export const UTF8_BOM = '\uFEFF';

// A cell that starts with one of these is read by spreadsheets as a formula (CSV/formula injection).
const FORMULA_START = /^[=+\-@\t\r]/;
// Plain numbers ("-5", "+3.5") are safe and must stay numbers for the people who sort by them.
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Makes a cell safe to open in a spreadsheet: text that would start a formula ("=HYPERLINK(...)",
 * "@SUM", "+1+2") is prefixed with an apostrophe, as OWASP recommends. Numbers are left alone.
 */
export function safeCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (FORMULA_START.test(value) && !PLAIN_NUMBER.test(value)) return `'${value}`;
  return value;
}

const NEEDS_QUOTES = /[",\r\n]/;
/** String(n) for 0 ≤ n < 1024. */
const SMALL_INTEGERS = Array.from({ length: 1024 }, (_, n) => String(n));

/** One field, quoted when it holds a comma, quote, CR or LF (RFC 4180 §2.6), quotes doubled (§2.7). */
export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvRowOptions {
  /** Apply safeCell to every value (default true). */
  safe?: boolean;
}

/**
 * One value as csvRow writes it: safeCell (when `safe`), then quoteField. Numbers and booleans never
 * need the formula guard or quotes, so they skip both (CSV rows are mostly figures).
 */
export function csvField(value: CsvValue, safe = true): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // Most figures are small whole numbers: their text is looked up (String(-0) is '0' too).
    if (value >= 0 && value < SMALL_INTEGERS.length && (value | 0) === value) return SMALL_INTEGERS[value];
    return safe && !Number.isFinite(value) ? '' : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // safeCell and quoteField on a string, by character codes (short keys and figures: faster than
  // running both patterns on each).
  let text = value;
  if (safe && text.length > 0) {
    const c = text.charCodeAt(0);
    // FORMULA_START: = + - @ TAB CR.
    if ((c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // NEEDS_QUOTES: " , CR LF.
    if (c === 0x22 || c === 0x2c || c === 0x0d || c === 0x0a) return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** One CSV record without the line end. */
export function csvRow(values: readonly CsvValue[], opts: CsvRowOptions = {}): string {
  const safe = opts.safe ?? true;
  let line = values.length > 0 ? csvField(values[0], safe) : '';
  for (let i = 1; i < values.length; i++) line += ',' + csvField(values[i], safe);
  return line;
}

export interface ToCsvOptions extends CsvRowOptions {
  /** Start with a UTF-8 byte order mark so Excel reads the file as UTF-8 (default true). */
  bom?: boolean;
  /** Line end (default CRLF, as RFC 4180 says). */
  eol?: '\r\n' | '\n';
}

/** A whole CSV document in memory (for small tables; use CsvWriter for streams). */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>, opts: ToCsvOptions = {}): string {
  const eol = opts.eol ?? '\r\n';
  const lines = [csvRow(header, { safe: false })];
  for (const row of rows) lines.push(csvRow(row, opts));
  return (opts.bom ?? true ? UTF8_BOM : '') + lines.join(eol) + eol;
}

/**
 * Reads CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a leading BOM) into records.
 * A trailing empty line does not make an empty record.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (ch === '\r' && src[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** parseCsv plus the header: each record as an object keyed by the header names. */
export function parseCsvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}
