/** Output writers: CSV (RFC 4180, BOM, formula-safe), JSONL, atomic temp-then-rename files. */
export { safeCell, quoteField, csvRow, toCsv, parseCsv, parseCsvObjects, UTF8_BOM, type CsvValue } from './csv.js';
export { AtomicFile, writeFileAtomic, abortPendingWrites, tempPathFor } from './atomic.js';
export { CsvWriter, JsonlWriter, type CsvWriterOptions } from './writers.js';
export { ensureWritableDir, OutputDirError } from './outdir.js';
