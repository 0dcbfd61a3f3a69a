/**
 * readInput / listInputs: the entry points of the ingest stage. Every path yields exactly one
 * IngestResult (one manifest row); nothing a file contains can throw out of readInput.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../model/id.js';
import type { SourceDocument } from '../model/types.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../pipeline/options.js';
import { decodeBytes, looksBinary, textPlausibility } from './decode.js';
import { IngestError, makeDocument } from './document.js';
import { classifyPath, looksLikeHtml, sniffBytes, type Classification, type ReaderFormat } from './formats.js';

export interface IngestOptions {
  /** Per-file size limit in bytes (default 50 MB). */
  maxBytes?: number;
  /** Per-file time limit for the conversion in milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface IngestResult {
  path: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Why a file failed or was skipped; notes (bad JSONL lines, encoding) for ok files; '' when nothing to say. */
  message: string;
  documents: SourceDocument[];
  /**
   * Only part of the file could be read (JSONL lines that are not usable, PDF pages that could not be
   * read); `message` says which. The file's manifest row is then `partial` (SCHEMA.md: "only part of a
   * report found"), whatever its reports' checks say. Always false unless status is 'ok'.
   */
  partial: boolean;
}

/** What a format reader returns: the documents, and a note for the manifest (e.g. bad JSONL lines). */
export interface ReaderOutput {
  documents: SourceDocument[];
  message?: string;
  /** Part of the file was lost (bad lines, unreadable pages); `message` says which. */
  partial?: boolean;
}

export interface ReaderContext {
  path: string;
  hash: string;
  /** Aborted when the time limit is reached; long readers check it between steps. */
  signal: AbortSignal;
}

export type Reader = (bytes: Uint8Array, ctx: ReaderContext) => Promise<ReaderOutput>;

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}

function osReason(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = String((err as { code: unknown }).code);
    const reasons: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a directory',
      ELOOP: 'too many symbolic links',
      ENAMETOOLONG: 'file name too long',
      EIO: 'input/output error',
    };
    return `${code}: ${reasons[code] ?? (err instanceof Error ? err.message : code)}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Plain text: decode, refuse binary data, normalise. */
export const readText: Reader = async (bytes, ctx) => {
  if (looksBinary(bytes)) throw new IngestError('binary data, not a text report');
  const { text, encoding } = decodeBytes(bytes);
  if (text.trim() === '') throw new IngestError('empty file (only white space)');
  // No supported encoding gave sensible characters (an unknown legacy encoding, or data, not text).
  if (textPlausibility(text.slice(0, 20_000)) < 0.5) throw new IngestError(`unreadable text: not valid in any supported encoding (best guess ${encoding})`);
  return { documents: [makeDocument({ path: ctx.path, format: 'text', hash: ctx.hash, encoding }, text)] };
};

/** Decide the reader from name and content. Content wins where it is definite (a PDF named .htm). */
function resolveFormat(byName: Classification, bytes: Uint8Array): Classification {
  const sniffed = sniffBytes(bytes);
  if (byName.kind === 'skip') return byName;
  if (sniffed && (byName.kind !== 'read' || byName.format !== 'jsonl')) return sniffed;
  if (byName.kind === 'read' && byName.format === 'text') {
    // Crawlers often save whole pages as .txt: a file that opens as an HTML document is read as one.
    const start = decodeBytes(bytes.subarray(0, 1024)).text.trimStart().toLowerCase();
    return start.startsWith('<!doctype html') || start.startsWith('<html') ? { kind: 'read', format: 'html' } : byName;
  }
  if (byName.kind !== 'unknown') return byName;
  if (looksBinary(bytes)) return { kind: 'skip', reason: 'not a report format (binary file of unknown type)' };
  const head = decodeBytes(bytes.subarray(0, 4096)).text;
  if (looksLikeHtml(head)) return { kind: 'read', format: 'html' };
  if (/^\s*\{\s*"/.test(head) && head.includes('"url"')) return { kind: 'read', format: 'jsonl' };
  return { kind: 'read', format: 'text' };
}

async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new IngestError(`timed out after ${+(ms / 1000).toFixed(3)} s`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Read one input file into SourceDocuments. Never throws: every problem becomes a failed or skipped
 * result whose message names the reason (the caller adds the path to the manifest row).
 */
export async function readInput(path: string, opts: IngestOptions = {}): Promise<IngestResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = (status: IngestResult['status'], message: string, documents: SourceDocument[] = [], partial = false): IngestResult => ({
    path,
    status,
    message,
    documents,
    partial,
  });

  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return result('failed', 'is a directory, not a file');
    if (!info.isFile()) return result('skipped', 'not a regular file');
    size = info.size;
  } catch (err) {
    return result('failed', `cannot read: ${osReason(err)}`);
  }

  const byName = classifyPath(path);
  if (byName.kind === 'skip') return result('skipped', byName.reason);
  if (byName.kind === 'unsupported') return result('failed', byName.reason);
  if (size > maxBytes) return result('failed', `file too large: ${formatBytes(size)} exceeds the limit of ${formatBytes(maxBytes)}`);
  if (size === 0) return result('failed', 'empty file');

  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return result('failed', `cannot read: ${osReason(err)}`);
  }
  if (bytes.length === 0) return result('failed', 'empty file');

  const resolved = resolveFormat(byName, bytes);
  if (resolved.kind === 'skip') return result('skipped', resolved.reason);
  if (resolved.kind === 'unsupported') return result('failed', resolved.reason);
  const format = resolved.kind === 'read' ? resolved.format : 'text';
  const hash = sha256(bytes);
  try {
    const reader = await loadReader(format);
    const out = await withTimeout((signal) => reader(bytes, { path, hash, signal }), timeoutMs);
    if (out.documents.length === 0) return result('failed', out.message || `no report text found in ${format} file`);
    return result('ok', out.message ?? '', out.documents, out.partial === true);
  } catch (err) {
    if (err instanceof IngestError) return result(err.status, err.message);
    const detail = err instanceof Error ? err.message : String(err);
    return result('failed', `${format} could not be read: ${detail}`);
  }
}

/** Readers of heavy formats are imported on first use so text-only runs stay light. */
async function loadReader(format: ReaderFormat): Promise<Reader> {
  switch (format) {
    case 'html':
      return (await import('./html.js')).readHtml;
    case 'docx':
      return (await import('./docx.js')).readDocx;
    case 'pdf':
      return (await import('./pdf.js')).readPdf;
    case 'jsonl':
      return (await import('./jsonl.js')).readJsonl;
    case 'mhtml':
      return (await import('./mhtml.js')).readMhtml;
    default:
      return readText;
  }
}

/** Folders not worth descending into: version control and dependency trees. */
const SKIP_DIRS = new Set(['.git', '.svn', '.hg', 'node_modules']);

/**
 * Expand inputs to files: folders are recursed (entries sorted by name, so the order is the same on
 * every machine), files kept as given, duplicates dropped. A path that does not exist is kept so that
 * readInput reports it in the manifest.
 */
export async function listInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();

  const add = (p: string): void => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };

  const walk = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      add(dir);
      return;
    }
    if (visitedDirs.has(real)) return; // symlink loop
    visitedDirs.add(real);
    let names: string[];
    try {
      names = (await readdir(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch {
      add(dir); // unreadable folder: readInput reports why
      return;
    }
    for (const name of names) {
      const child = join(dir, name);
      let isDir = false;
      try {
        isDir = (await stat(child)).isDirectory();
      } catch {
        // broken link or vanished entry: readInput reports it
      }
      if (isDir) {
        if (!SKIP_DIRS.has(name)) await walk(child);
      } else add(child);
    }
  };

  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = (await stat(input)).isDirectory();
    } catch {
      // missing: keep it so readInput reports the OS reason
    }
    if (isDir) await walk(input);
    else add(input);
  }
  return out;
}
