/**
 * PDF: each complete seed report and 133.txt laid out as a PDF with a text layer (ruled tables, merged
 * cells, wrapped cell text, tables split over pages) parses to the table figures of the text version.
 * Layout cases and failures are in pdf-layout.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInput } from '../../src/ingest/index.js';
import { parseDocument, parseText } from '../../src/parse/index.js';
import { hasOrgSubtotal, reportBlocks, reportPdf, tableValues } from './helpers/forms.js';
import { readSingle } from './helpers/read.js';
import { completeReports } from './helpers/reports.js';
import { scratch, type Scratch } from './helpers/tmp.js';

const reports = completeReports().map((r) => ({ ...r, record: parseText(r.text).reports[0] }));
let tmp: Scratch;

beforeAll(async () => {
  tmp = await scratch('ingest-pdf');
});
afterAll(async () => {
  await tmp.remove();
});

describe('PDF with a text layer', () => {
  it.each(reports.filter((r) => !hasOrgSubtotal(r.record)))('$name parses to the figures of the text version', async ({ name, record }) => {
    const { doc, report } = await readSingle(await tmp.file(`${name.replace(/[^\w.]+/g, '_')}.pdf`, await reportPdf(reportBlocks(record))));
    expect(doc.format).toBe('pdf');
    expect(tableValues(report)).toEqual(tableValues(record));
    expect(report.year).toBe(record.year);
    expect(report.title).toBe(record.title);
  });

  it.each(reports.filter((r) => hasOrgSubtotal(r.record)))('$name (merged 法人或其他组织 figure, read with the grid)', async ({ name, record }) => {
    const path = await tmp.file(`${name.replace(/[^\w.]+/g, '_')}.pdf`, await reportPdf(reportBlocks(record)));
    const doc = (await readInput(path)).documents[0];
    expect(tableValues(parseDocument(doc).reports[0])).toEqual(tableValues(record));
  });
});
