/**
 * Crawl dumps: one JSON object per line, {url, html} or {url, text} (title is kept when given).
 * Each good line is one SourceDocument (index = 0-based line number, so ids stay stable when other
 * lines change); a bad line is named in the result message and the rest goes on.
 */
import type { SourceDocument } from '../model/types.js';
import { decodeBytes } from './decode.js';
import { IngestError, makeDocument } from './document.js';
import { htmlToDocument } from './html.js';
import type { Reader } from './read.js';

/** How many bad lines are spelled out in the message before "…and N more". */
const MAX_NAMED_PROBLEMS = 5;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const readJsonl: Reader = async (bytes, ctx) => {
  const { text, encoding } = decodeBytes(bytes);
  const lines = text.split(/\r?\n/);
  const documents: SourceDocument[] = [];
  const problems: string[] = [];
  let records = 0;
  let ownOutput = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    records++;
    // Let the time limit fire between lines, and stop work once it has.
    if (records % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    if (ctx.signal.aborted) throw new IngestError('cancelled');
    const where = `line ${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (err) {
      problems.push(`${where}: invalid JSON (${describe(err)})`);
      continue;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      problems.push(`${where}: not a JSON object`);
      continue;
    }
    const fields = record as Record<string, unknown>;
    // ogi's own reports.jsonl / statements.jsonl, e.g. when the output folder sits inside an input folder.
    if (records === 1) ownOutput = 'report_id' in fields || ('source' in fields && 'tables' in fields && 'sections' in fields);
    const { url, html, text: plain } = fields;
    const meta = { path: ctx.path, format: 'jsonl' as const, hash: ctx.hash, index: i, encoding, url: typeof url === 'string' ? url : undefined };
    try {
      if (typeof html === 'string' && html.trim() !== '') {
        documents.push(htmlToDocument(html, ctx.path, { ...meta }));
      } else if (typeof plain === 'string' && plain.trim() !== '') {
        documents.push(makeDocument(meta, plain));
      } else {
        problems.push(`${where}: no "html" or "text" field with content`);
      }
    } catch (err) {
      problems.push(`${where}: ${describe(err)}`);
    }
  }

  if (records === 0) throw new IngestError('empty crawl dump (no JSON lines)');
  if (documents.length === 0 && ownOutput) throw new IngestError('ogi output (reports/statements JSONL), not a crawl dump', 'skipped');
  let message = '';
  if (problems.length > 0) {
    const named = problems.slice(0, MAX_NAMED_PROBLEMS).join('; ');
    const more = problems.length > MAX_NAMED_PROBLEMS ? `; …and ${problems.length - MAX_NAMED_PROBLEMS} more` : '';
    message = `${problems.length} of ${records} lines unusable: ${named}${more}`;
  }
  if (documents.length === 0) throw new IngestError(message || 'no usable lines in crawl dump');
  return { documents, message, partial: problems.length > 0 };
};
