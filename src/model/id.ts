import { createHash } from 'node:crypto';

/** sha256 hex of bytes or text. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Stable report id: the same input bytes give the same id on every run, whatever the path.
 * docIndex is the document inside a container (JSONL line), reportIndex the report inside the document.
 */
export function reportId(docHash: string, docIndex: number, reportIndex: number): string {
  return sha256(`${docHash}:${docIndex}:${reportIndex}`).slice(0, 16);
}
