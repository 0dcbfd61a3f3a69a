/**
 * Ingest stage: files as people collect them (text, saved web pages, DOCX, PDF, crawl dumps, in any
 * common Chinese encoding, simplified or traditional) → SourceDocuments for the parser.
 */
export { readInput, listInputs, readText, type ListInputsOptions } from './read.js';
export type { IngestOptions, IngestResult, InputFileIdentity, Reader, ReaderContext, ReaderOutput } from './read.js';
export { decodeBytes, looksBinary, textPlausibility } from './decode.js';
export type { DecodedText } from './decode.js';
export { normalizeText, cleanText, toSimplifiedIfTraditional, convertTraditional } from './normalize.js';
export { IngestError, makeDocument } from './document.js';
export { classifyPath, sniffBytes } from './formats.js';
export { htmlToDocument } from './html.js';
export type { HtmlOptions } from './html.js';
export { docxToHtml } from './docx.js';
export { pdfToText } from './pdf.js';
export type { PdfText } from './pdf.js';
export { placeCells, compactGrid, gridToPipeLines } from './grid.js';
export type { RawCell } from './grid.js';
