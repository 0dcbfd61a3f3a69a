/**
 * Building SourceDocuments: every reader ends here so normalisation (NFC, traditional → simplified)
 * is the same for text, HTML, DOCX, PDF and crawl-dump lines.
 */
import type { Grid, SourceDocument, SourceFormat } from '../model/types.js';
import { convertTraditional, normalizeText } from './normalize.js';

export interface DocumentMeta {
  path: string;
  format: SourceFormat;
  hash: string;
  index?: number;
  url?: string;
  encoding?: string;
}

/** A reader's clear, user-facing failure ("scanned PDF: no text layer"); becomes a failed manifest row. */
export class IngestError extends Error {
  constructor(message: string, readonly status: 'failed' | 'skipped' = 'failed') {
    super(message);
    this.name = 'IngestError';
  }
}

export function makeDocument(meta: DocumentMeta, rawText: string, tables: Grid[] = []): SourceDocument {
  const { text, originalText } = normalizeText(rawText);
  const doc: SourceDocument = { path: meta.path, index: meta.index ?? 0, format: meta.format, text, tables, hash: meta.hash };
  if (meta.url !== undefined) doc.url = meta.url;
  if (meta.encoding !== undefined) doc.encoding = meta.encoding;
  if (originalText !== undefined) doc.originalText = originalText;
  if (originalText !== undefined) {
    // Table cells are shown to the parser too: convert them the same way as the text.
    for (const grid of tables) for (const row of grid) for (const cell of row) cell.text = convertTraditional(cell.text);
  }
  return doc;
}
