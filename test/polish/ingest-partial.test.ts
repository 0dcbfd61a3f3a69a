/**
 * Files of which only a part could be read: a crawl dump with bad lines, a PDF with a page that cannot
 * be read. readInput returns their documents (status ok) and says they are partial, so the manifest
 * row is `partial` (SCHEMA.md: "only part of a report found"), not `ok` with a note.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { readInput } from '../../src/ingest/index.js';
import { parseText } from '../../src/parse/index.js';
import { processFile } from '../../src/pipeline/parse.js';
import { reportBlocks, reportPdf } from '../ingest/helpers/forms.js';
import { scratch, type Scratch } from '../ingest/helpers/tmp.js';

const REPORT_133 = readFileSync('test/fixtures/corpus/reports/133.txt', 'utf8');
let tmp: Scratch;
let goodPdf: string;
let brokenPdf: string;
let goodDump: string;
let badDump: string;

/** The same PDF with one more page whose page-tree entry is not a page (pdf.js cannot read it). */
async function withBrokenPage(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes);
  doc.addPage();
  const kids = doc.catalog.Pages().Kids();
  kids.set(kids.size() - 1, doc.context.register(doc.context.obj(42)));
  return doc.save();
}

beforeAll(async () => {
  tmp = await scratch('polish-partial');
  const pdf = await reportPdf(reportBlocks(parseText(REPORT_133).reports[0]));
  goodPdf = await tmp.file('good.pdf', pdf);
  brokenPdf = await tmp.file('broken.pdf', await withBrokenPage(pdf));
  const line = JSON.stringify({ url: 'https://www.pingtan.gov.cn/b.htm', text: REPORT_133 });
  goodDump = await tmp.file('good.jsonl', `${line}\n`);
  badDump = await tmp.file('bad.jsonl', `${line}\n{"url": "https://example.gov.cn/x", "html": \n`);
}, 60_000);
afterAll(async () => {
  await tmp.remove();
});

describe('readInput marks files read only in part', () => {
  it('a crawl dump with a bad line: its documents, the line named, partial', async () => {
    const res = await readInput(badDump);
    expect(res).toMatchObject({ status: 'ok', partial: true });
    expect(res.documents).toHaveLength(1);
    expect(res.message).toMatch(/^1 of 2 lines unusable: line 2: invalid JSON/);
    expect(await readInput(goodDump)).toMatchObject({ status: 'ok', partial: false, message: '' });
  });

  it('a PDF with an unreadable page: the pages that could be read, the page named, partial', async () => {
    const res = await readInput(brokenPdf);
    expect(res).toMatchObject({ status: 'ok', partial: true });
    expect(res.message).toMatch(/^damaged PDF: page \d+ of \d+ could not be read$/);
    expect(res.documents[0].text).toContain('平潭综合实验区');
    expect(await readInput(goodPdf)).toMatchObject({ status: 'ok', partial: false, message: '' });
  });

  it('failed and skipped files are never partial', async () => {
    expect(await readInput(await tmp.file('empty.txt', ''))).toMatchObject({ status: 'failed', partial: false });
    expect(await readInput(await tmp.file('none.jsonl', 'nope\n'))).toMatchObject({ status: 'failed', partial: false });
  });

  // processFile → manifestRow turns IngestResult.partial into a `partial` row.
  it('the manifest row of such a file is partial, with its reports and the note', async () => {
    for (const path of [badDump, brokenPdf]) {
      const { manifest, reports } = await processFile(path);
      expect(reports.length).toBe(1);
      expect(manifest.status).toBe('partial');
    }
  });
});
