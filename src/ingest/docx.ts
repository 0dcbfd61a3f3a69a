/**
 * DOCX → HTML (mammoth, which keeps table cells and turns Word's gridSpan/vMerge into colspan/rowspan)
 * → the HTML path without chrome detection (a Word file is all report).
 */
import mammoth from 'mammoth';
import { IngestError } from './document.js';
import { htmlToDocument } from './html.js';
import type { Reader } from './read.js';

/** Images would only bloat the HTML with data URIs; the report's figures are in text and tables. */
const dropImages = mammoth.images.imgElement(async () => ({ src: '' }));

export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: dropImages, externalFileAccess: false },
    );
    return result.value;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new IngestError(`damaged or unreadable DOCX: ${detail}`);
  }
}

export const readDocx: Reader = async (bytes, ctx) => {
  const html = await docxToHtml(bytes);
  if (ctx.signal.aborted) throw new IngestError('cancelled');
  const doc = htmlToDocument(`<html><body>${html}</body></html>`, ctx.path, { format: 'docx', hash: ctx.hash, findBody: false });
  return { documents: [doc] };
};
