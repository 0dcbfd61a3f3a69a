/**
 * Which reader a file goes to: by extension (src/data/ingest-formats.json), and by content for
 * unknown extensions or files whose content contradicts the name (a .htm that is really a PDF).
 */
import { basename, extname } from 'node:path';
import formats from '../data/ingest-formats.json' with { type: 'json' };
import type { SourceFormat } from '../model/types.js';

/** The reader a file goes to: a SourceFormat, or a web archive (.mht) whose page is read as HTML. */
export type ReaderFormat = SourceFormat | 'mhtml';

export type Classification =
  | { kind: 'read'; format: ReaderFormat }
  | { kind: 'skip'; reason: string }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'unknown' };

const byExtension = new Map<string, ReaderFormat>();
for (const ext of formats.text) byExtension.set(ext, 'text');
for (const ext of formats.html) byExtension.set(ext, 'html');
for (const ext of formats.docx) byExtension.set(ext, 'docx');
for (const ext of formats.pdf) byExtension.set(ext, 'pdf');
for (const ext of formats.jsonl) byExtension.set(ext, 'jsonl');
for (const ext of formats.mhtml) byExtension.set(ext, 'mhtml');
const skip = new Map<string, string>(Object.entries(formats.skip));
const unsupported = new Map<string, string>(Object.entries(formats.unsupported));
const skipNames = new Set(formats.skipNames);

/** Classify by name only. */
export function classifyPath(path: string): Classification {
  const name = basename(path).toLowerCase();
  if (skipNames.has(name)) return { kind: 'skip', reason: `not a report (${name})` };
  const ext = extname(name);
  const format = byExtension.get(ext);
  if (format) return { kind: 'read', format };
  const skipReason = skip.get(ext);
  if (skipReason) return { kind: 'skip', reason: `not a report format (${ext}: ${skipReason})` };
  const unsupportedReason = unsupported.get(ext);
  if (unsupportedReason) return { kind: 'unsupported', reason: unsupportedReason };
  return { kind: 'unknown' };
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const WORD_PART = Buffer.from('word/', 'latin1');
/** A ZIP's central directory ends with this record, in its last 64 KB + 22 bytes. */
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * Why a file named .docx cannot be one when its bytes are a ZIP without a word/ part (sniffBytes says
 * "ZIP archive"): cut short (no central directory: a broken download) or another archive. Null when
 * the bytes are no such ZIP.
 */
export function notADocx(bytes: Uint8Array): string | null {
  if (!startsWith(bytes, ZIP_MAGIC)) return null;
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (zip.includes(WORD_PART)) return null;
  return zip.subarray(Math.max(0, zip.length - 65_557)).includes(ZIP_END)
    ? 'not a DOCX: a ZIP archive without word/document.xml'
    : 'damaged DOCX: the ZIP archive is cut short (no central directory)';
}

/** What the first bytes say the file is; null when they say nothing definite. */
export function sniffBytes(bytes: Uint8Array): Classification | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { kind: 'read', format: 'pdf' }; // %PDF-
  if (startsWith(bytes, ZIP_MAGIC)) {
    // A ZIP: DOCX when it carries word/document.xml. The name sits as plain bytes in its local header and
    // in the central directory at the end, so it is looked for in the whole file (a large first entry,
    // e.g. a thumbnail, can push it past any fixed head).
    const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (zip.includes(WORD_PART)) return { kind: 'read', format: 'docx' };
    return { kind: 'skip', reason: 'not a report format (ZIP archive)' };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    return { kind: 'unsupported', reason: 'legacy Office file (.doc/.xls) is not supported; save it as .docx' };
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) {
    return { kind: 'skip', reason: 'not a report format (image)' };
  }
  if (startsWith(bytes, [0x1f, 0x8b]) || startsWith(bytes, [0x52, 0x61, 0x72, 0x21]) || startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf])) {
    return { kind: 'skip', reason: 'not a report format (archive)' };
  }
  // A web archive (MIME multipart/related, as browsers save "single file" pages).
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1');
  if (/^(MIME-Version|From|Subject|Date|Snapshot-Content-Location):/im.test(head) && /multipart\/related/i.test(head)) {
    return { kind: 'read', format: 'mhtml' };
  }
  return null;
}

/** True when the text opens as an HTML document: a doctype or an <html> tag first (after white space). */
export function opensAsHtmlDocument(text: string): boolean {
  const head = text.trimStart().slice(0, 14).toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** True when decoded text is an HTML document rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  return opensAsHtmlDocument(head) || /^<\?xml[^>]*>\s*<html/.test(head) ||
    (head.startsWith('<') && /<(head|body|div|table|p)[\s>]/.test(head));
}
