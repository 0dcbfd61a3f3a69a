/** Test helper: read one file that must hold exactly one document with exactly one report. */
import { expect } from 'vitest';
import { readInput } from '../../../src/ingest/index.js';
import type { ReportRecord, SourceDocument } from '../../../src/model/types.js';
import { parseDocument } from '../../../src/parse/index.js';

export async function readSingle(path: string, tables = 3): Promise<{ doc: SourceDocument; report: ReportRecord }> {
  const res = await readInput(path);
  expect(res.status, `${path}: ${res.message}`).toBe('ok');
  expect(res.documents).toHaveLength(1);
  const doc = res.documents[0];
  expect(doc.tables).toHaveLength(tables);
  const { reports } = parseDocument(doc);
  expect(reports).toHaveLength(1);
  return { doc, report: reports[0] };
}
