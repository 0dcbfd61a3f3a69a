/**
 * Atomic output: every file is written to a temporary file in the same folder and renamed over its
 * final name only when complete, so an interrupted run never leaves a half-written output file
 * (rename within one folder is atomic on POSIX file systems).
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

// Temp paths that may exist on disk, registered before the file is created and released only once it
// has been renamed or removed, so a signal arriving mid-open or mid-rename still finds it
// (abortPendingWrites).
const pending = new Set<string>();

/** Hidden temp name next to the target: ".reports.jsonl.<pid>.<random>.tmp". */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A file being written. Text is buffered (64 KiB) and written in order; each flush is awaited,
 * which is the backpressure that keeps memory bounded on long streams.
 */
export class AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  private handle: FileHandle | null;
  /** Text and bytes in write order (bytes come ready-encoded, e.g. from a worker thread). */
  private buffer: (string | Uint8Array)[] = [];
  private buffered = 0;
  private done = false;
  private static readonly FLUSH_AT = 64 * 1024;

  private constructor(path: string, tempPath: string, handle: FileHandle) {
    this.path = path;
    this.tempPath = tempPath;
    this.handle = handle;
  }

  /** Opens the temp file for `path` (its folder must exist). */
  static async open(path: string): Promise<AtomicFile> {
    const tempPath = tempPathFor(path);
    pending.add(tempPath);
    try {
      return new AtomicFile(path, tempPath, await open(tempPath, 'wx'));
    } catch (err) {
      pending.delete(tempPath);
      throw err;
    }
  }

  async write(text: string): Promise<void> {
    if (this.done || !this.handle) throw new Error(`write after close: ${this.path}`);
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= AtomicFile.FLUSH_AT) await this.flush();
  }

  /**
   * Appends UTF-8 bytes (kept by reference until flushed: the caller must not reuse them). Cheaper than
   * write() for text encoded elsewhere: no join, no encoding in this thread.
   */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.done || !this.handle) throw new Error(`write after close: ${this.path}`);
    if (bytes.length === 0) return;
    this.buffer.push(bytes);
    this.buffered += bytes.length;
    if (this.buffered >= AtomicFile.FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0 || !this.handle) return;
    const parts = this.buffer;
    this.buffer = [];
    this.buffered = 0;
    if (parts.every((p) => typeof p === 'string')) {
      await this.handle.write(parts.join(''), null, 'utf8');
      return;
    }
    // Mixed: runs of text joined and encoded, bytes as they are, all in one gathered write.
    const chunks: Uint8Array[] = [];
    let text: string[] = [];
    for (const p of parts) {
      if (typeof p === 'string') {
        text.push(p);
        continue;
      }
      if (text.length) chunks.push(Buffer.from(text.join(''), 'utf8'));
      text = [];
      chunks.push(p);
    }
    if (text.length) chunks.push(Buffer.from(text.join(''), 'utf8'));
    await this.handle.writev(chunks);
  }

  /**
   * Writes what is buffered and closes the temp file without renaming it, so its content can be read
   * back (e.g. to patch records after a whole run); finish with commit() or abort().
   */
  async close(): Promise<string> {
    if (!this.done && this.handle) {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      this.handle = null;
    }
    return this.tempPath;
  }

  /** Writes what is buffered, closes, and renames the temp file over the final name. */
  async commit(): Promise<void> {
    if (this.done) return;
    await this.close();
    this.done = true;
    await rename(this.tempPath, this.path);
    pending.delete(this.tempPath);
  }

  /** Closes and removes the temp file; the final name is left as it was. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await unlink(this.tempPath).catch(() => undefined);
    pending.delete(this.tempPath);
  }
}

/** Writes a whole file atomically (text as UTF-8, or bytes as they are). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const file = await AtomicFile.open(path);
  try {
    if (typeof data === 'string') await file.write(data);
    else await file.writeBytes(data);
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
}

/**
 * A file another library writes by path (exceljs' streaming workbook, a byte stream): `write` fills the
 * temp path, which is renamed into place once whole, removed on failure, and removed on Ctrl-C like
 * every other pending write.
 */
export async function writeAtomicallyWith(path: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const tempPath = tempPathFor(path);
  pending.add(tempPath);
  try {
    await write(tempPath);
    await rename(tempPath, path);
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    throw err;
  } finally {
    pending.delete(tempPath);
  }
}

/**
 * Removes the temp files of writes still open. Synchronous, so it can run in a signal or 'exit'
 * handler (the CLI calls it on SIGINT/SIGTERM).
 */
export function abortPendingWrites(): number {
  let removed = 0;
  for (const tempPath of pending) {
    try {
      unlinkSync(tempPath);
      removed++;
    } catch {
      // already gone
    }
  }
  pending.clear();
  return removed;
}
