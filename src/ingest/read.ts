/**
 * readInput / listInputs: the entry points of the ingest stage. Every path yields exactly one
 * IngestResult (one manifest row); nothing a file contains can throw out of readInput.
 */
import { closeSync, openSync, readSync, statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../model/id.js';
import { UsageError } from '../model/errors.js';
import type { SourceDocument } from '../model/types.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../pipeline/options.js';
import { decodeBytes, looksBinary, textPlausibility } from './decode.js';
import { IngestError, makeDocument } from './document.js';
import { classifyPath, looksLikeHtml, notADocx, opensAsHtmlDocument, sniffBytes, type Classification, type ReaderFormat } from './formats.js';

export interface IngestOptions {
  /** Per-file size limit in bytes (default 50 MB). */
  maxBytes?: number;
  /** Per-file time limit for the conversion in milliseconds (default 60 s). */
  timeoutMs?: number;
  /**
   * Read the file with blocking calls (stat, open, read, close on this thread). Right for a worker
   * thread, whose event loop has nothing else to do: the promise API sends each of those steps through
   * libuv's thread pool and waits for its reply, which measured ~0.5 ms of idle time per file.
   */
  blockingIo?: boolean;
}

/** What was read of a file: its size and modification time when opened, and the sha256 of its bytes. */
export interface InputFileIdentity {
  size: number;
  mtimeMs: number;
  hash: string;
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
  /** Set once the bytes were read (whatever the status after that): saves a caller hashing them again. */
  identity?: InputFileIdentity;
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
  // A .docx whose ZIP shows no word/ part is a broken download (or no DOCX at all), not a file to skip.
  const broken = byName.kind === 'read' && byName.format === 'docx' && sniffed?.kind === 'skip' ? notADocx(bytes) : null;
  if (broken) return { kind: 'unsupported', reason: broken };
  if (sniffed && (byName.kind !== 'read' || byName.format !== 'jsonl')) return sniffed;
  if (byName.kind === 'read' && byName.format === 'text') {
    // Crawlers often save whole pages as .txt: a file that opens as an HTML document is read as one.
    const head = bytes.subarray(0, 1024);
    // Without a '<' byte no decoding of the head holds a '<' (every supported encoding writes it as
    // that byte), so it cannot open as HTML: skip decoding it (a cut UTF-8 character at byte 1024
    // sends the decoder through every legacy encoding).
    if (head.indexOf(0x3c) < 0) return byName;
    return opensAsHtmlDocument(decodeBytes(head).text) ? { kind: 'read', format: 'html' } : byName;
  }
  if (byName.kind !== 'unknown') return byName;
  if (looksBinary(bytes)) return { kind: 'skip', reason: 'not a report format (binary file of unknown type)' };
  const head = decodeBytes(bytes.subarray(0, 4096)).text;
  if (looksLikeHtml(head)) return { kind: 'read', format: 'html' };
  if (/^\s*\{\s*"/.test(head) && head.includes('"url"')) return { kind: 'read', format: 'jsonl' };
  return { kind: 'read', format: 'text' };
}

/** The signal of a read that has no time limit to enforce. */
const NEVER_ABORTED = new AbortController().signal;

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
  // Once the bytes are read, every result carries their identity.
  let identity: InputFileIdentity | undefined;
  const result = (status: IngestResult['status'], message: string, documents: SourceDocument[] = [], partial = false): IngestResult => ({
    path,
    status,
    message,
    documents,
    partial,
    ...(identity && { identity }),
  });

  // Size limit and format by name come before the bytes are read: a huge or skipped file costs a stat.
  const byName = classifyPath(path);
  const readUpTo = byName.kind === 'read' || byName.kind === 'unknown' ? maxBytes : -1;
  let file: OpenedFile;
  try {
    file = opts.blockingIo ? readBlocking(path, readUpTo) : await readAsync(path, readUpTo);
  } catch (err) {
    // A name that is not UTF-8 (a GBK name from a Windows zip) reaches us with U+FFFD in place of its
    // bytes, and no file has that name: say so rather than "no such file".
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && path.includes('\uFFFD')) {
      return result('failed', 'cannot read: the file name is not valid UTF-8 (shown with �), so it cannot be opened under it; rename it to UTF-8 (e.g. convmv -f gbk -t utf-8)');
    }
    return result('failed', `cannot read: ${osReason(err)}`);
  }
  if (file.kind !== 'file') return file.kind === 'directory' ? result('failed', 'is a directory, not a file') : result('skipped', 'not a regular file');
  if (byName.kind === 'skip') return result('skipped', byName.reason);
  if (byName.kind === 'unsupported') return result('failed', byName.reason);
  if (file.size > maxBytes) return result('failed', `file too large: ${formatBytes(file.size)} exceeds the limit of ${formatBytes(maxBytes)}`);
  if (file.size === 0 || !file.bytes || file.bytes.length === 0) return result('failed', 'empty file');
  const bytes = file.bytes;
  const hash = sha256(bytes);
  identity = { size: file.size, mtimeMs: file.mtimeMs, hash };

  const resolved = resolveFormat(byName, bytes);
  if (resolved.kind === 'skip') return result('skipped', resolved.reason);
  if (resolved.kind === 'unsupported') return result('failed', resolved.reason);
  const format = resolved.kind === 'read' ? resolved.format : 'text';
  try {
    const reader = await loadReader(format);
    // readText does all its work before it returns: a timer could only fire after it has settled, so
    // plain text (most inputs) is read without one (no timer, controller and race per file).
    const out =
      reader === readText
        ? await readText(bytes, { path, hash, signal: NEVER_ABORTED })
        : await withTimeout((signal) => reader(bytes, { path, hash, signal }), timeoutMs);
    if (out.documents.length === 0) return result('failed', out.message || `no report text found in ${format} file`);
    return result('ok', out.message ?? '', out.documents, out.partial === true);
  } catch (err) {
    if (err instanceof IngestError) return result(err.status, err.message);
    const detail = err instanceof Error ? err.message : String(err);
    return result('failed', `${format} could not be read: ${detail}`);
  }
}

/** Where a blocking read looks past the stated end of a file that may still be growing (one per thread). */
const growthProbe = Buffer.alloc(64 * 1024);

/** Reads from fd's position until buf is full or the file ends; the number of bytes read. */
function readInto(fd: number, buf: Buffer): number {
  let filled = 0;
  while (filled < buf.length) {
    const n = readSync(fd, buf, filled, buf.length - filled, null);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/** A path as opened: a regular file's size, mtime and (when asked for and within the limit) its bytes. */
type OpenedFile =
  | { kind: 'directory' | 'special' }
  | { kind: 'file'; size: number; mtimeMs: number; bytes: Uint8Array | null };

/** Reads a regular file of at most `readUpTo` bytes (-1: stat only). Throws the OS error. */
async function readAsync(path: string, readUpTo: number): Promise<OpenedFile> {
  const info = await stat(path);
  const decided = fromStat(info, readUpTo);
  if (decided) return decided;
  const bytes = await readFile(path);
  return { kind: 'file', size: bytes.length, mtimeMs: info.mtimeMs, bytes };
}

/** What the stat alone decides: not a regular file, or nothing to read (empty or over the limit). */
function fromStat(info: Stats, readUpTo: number): OpenedFile | null {
  if (info.isDirectory()) return { kind: 'directory' };
  if (!info.isFile()) return { kind: 'special' };
  if (info.size === 0 || info.size > readUpTo) return { kind: 'file', size: info.size, mtimeMs: info.mtimeMs, bytes: null };
  return null;
}

/** readAsync with blocking calls: stat, then for a regular file open, read to the end, close. */
function readBlocking(path: string, readUpTo: number): OpenedFile {
  // Stat before opening: opening a FIFO for reading would wait for a writer.
  const info = statSync(path);
  const decided = fromStat(info, readUpTo);
  if (decided) return decided;
  const fd = openSync(path, 'r');
  try {
    const bytes = readOpenFile(fd, info.size, readUpTo);
    // The size is that of the bytes read (and hashed), unless they ran past the limit.
    return { kind: 'file', size: bytes.length > readUpTo ? Math.max(info.size, bytes.length) : bytes.length, mtimeMs: info.mtimeMs, bytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * The bytes of an open file whose stat said `statedSize`: that many, or fewer if it shrank, or more if it
 * grew, reading on until its end or until past `readUpTo`. Exported for tests.
 */
export function readOpenFile(fd: number, statedSize: number, readUpTo: number): Buffer {
  const first = Buffer.allocUnsafe(statedSize);
  const chunks = [first.subarray(0, readInto(fd, first))];
  let got = chunks[0].length;
  // A file still being written may have grown past the size stat gave: read on to its end.
  let more = got === statedSize;
  while (more && got <= readUpTo) {
    const n = readInto(fd, growthProbe);
    if (n > 0) chunks.push(Buffer.from(growthProbe.subarray(0, n)));
    got += n;
    more = n === growthProbe.length;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, got);
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

export interface ListInputsOptions {
  /**
   * Folders never walked into (the run's output folder, when it lies inside an input folder: its
   * reports.jsonl, statements.jsonl … are not reports). A file inside one given by name is still listed.
   */
  excludeDirs?: readonly string[];
}

/**
 * Expand inputs to files: folders are recursed (entries sorted by name, so the order is the same on
 * every machine), files kept as given, duplicates dropped. A path that does not exist is kept so that
 * readInput reports it in the manifest.
 */
export async function listInputs(inputs: string[], opts: ListInputsOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();
  // A folder to leave out is marked visited (by its real path), so no walk enters it.
  const excluded = new Set<string>();
  for (const dir of opts.excludeDirs ?? []) {
    try {
      excluded.add(await realpath(dir));
    } catch {
      // not there (yet): nothing in it to leave out
    }
  }
  for (const dir of excluded) visitedDirs.add(dir);

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
    let entries: Dirent[];
    try {
      entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      add(dir); // unreadable folder: readInput reports why
      return;
    }
    for (const entry of entries) {
      const name = entry.name;
      const child = join(dir, name);
      // The entry's type comes with the listing: a folder of 100k reports needs no stat per file. Links
      // (followed, as readInput does) and types the file system does not report are stat'ed.
      let isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) {
        try {
          isDir = (await stat(child)).isDirectory();
        } catch {
          // broken link or vanished entry: readInput reports it
        }
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
    if (isDir && excluded.size && excluded.has(await realpath(input))) {
      // Its files would be read as inputs, and then overwritten by the outputs.
      throw new UsageError(`${input} is the output folder (--out) as well as an input: write the outputs to another folder`);
    }
    if (isDir) await walk(input);
    else add(input);
  }
  return out;
}
