/**
 * PDF layout cases (tables without rules, tables over pages, turned pages) and failures (scans,
 * damaged and truncated files, the time limit).
 */
import { PDFDocument, rgb } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInput } from '../../src/ingest/index.js';
import { pdfToText } from '../../src/ingest/pdf.js';
import { parseDocument, parseText } from '../../src/parse/index.js';
import { reportBlocks, reportPdf, tableValues } from './helpers/forms.js';
import { makePdf } from './helpers/make-pdf.js';
import { completeReports } from './helpers/reports.js';
import { scratch, type Scratch } from './helpers/tmp.js';

// Two reports suffice here: one seed report (2019 template, seed layout) and 133.txt.
const reports = completeReports()
  .filter((r) => r.name === 'seed:灵川' || r.name === '133.txt')
  .map((r) => ({ ...r, record: parseText(r.text).reports[0] }));
let tmp: Scratch;

beforeAll(async () => {
  tmp = await scratch('ingest-pdf-layout');
});
afterAll(async () => {
  await tmp.remove();
});

describe('PDF layouts and failures', () => {
  it.each(reports)('$name without table rules (text clustered into rows and columns)', async ({ name, record }) => {
    const path = await tmp.file(`${name.replace(/[^\w.]+/g, '_')}.unruled.pdf`, await reportPdf(reportBlocks(record), { ruled: false }));
    const res = await readInput(path);
    expect(res.status).toBe('ok');
    const found = parseDocument(res.documents[0]).reports;
    expect(found).toHaveLength(1);
    expect(tableValues(found[0])).toEqual(tableValues(record));
  });

  it('rebuilds merged cells and joins a table continued on the next page', async () => {
    // Enough rows to run over a page: the second part must join the first, same columns.
    const grid = [
      [{ text: '项目', rowspan: 2, colspan: 1, origin: [0, 0] as [number, number] }, { text: '数量', rowspan: 1, colspan: 2, origin: [0, 1] as [number, number] }, { text: '数量', rowspan: 1, colspan: 2, origin: [0, 1] as [number, number] }],
      [{ text: '项目', rowspan: 2, colspan: 1, origin: [0, 0] as [number, number] }, { text: '上年', rowspan: 1, colspan: 1, origin: [1, 1] as [number, number] }, { text: '本年', rowspan: 1, colspan: 1, origin: [1, 2] as [number, number] }],
      ...Array.from({ length: 90 }, (_, i) => [
        { text: `第${i + 1}项`, rowspan: 1, colspan: 1, origin: [i + 2, 0] as [number, number] },
        { text: String(i), rowspan: 1, colspan: 1, origin: [i + 2, 1] as [number, number] },
        { text: String(i * 2), rowspan: 1, colspan: 1, origin: [i + 2, 2] as [number, number] },
      ]),
    ];
    const pdf = await makePdf([{ kind: 'para', text: '表格测试' }, { kind: 'table', grid }]);
    const out = await pdfToText(pdf);
    expect(out.pages).toBeGreaterThan(1);
    expect(out.tables).toHaveLength(1);
    const table = out.tables[0];
    expect(table).toHaveLength(92);
    expect(table[0][0]).toMatchObject({ text: '项目', rowspan: 2, origin: [0, 0] });
    expect(table[1][0]).toMatchObject({ text: '项目', origin: [0, 0] });
    expect(table[0][1]).toMatchObject({ text: '数量', colspan: 2 });
    expect(table[91].map((c) => c.text)).toEqual(['第90项', '89', '178']);
    expect(out.text.split('\n')).toContain('| 项目 | 数量 |  |');
  });

  it('reads a landscape page (/Rotate 90) in display order and keeps headings on their own lines', async () => {
    const { readFile } = await import('node:fs/promises');
    const fontkit = (await import('@pdf-lib/fontkit')).default;
    const { degrees } = await import('pdf-lib');
    const subsetFont = (await import('subset-font')).default;
    const lines = ['一、总体情况', '本年度共收到申请5件。', '二、主动公开政府信息情况'];
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const fontBytes = await readFile('node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
    const font = await doc.embedFont(await subsetFont(fontBytes, lines.join(''), { targetFormat: 'sfnt' }));
    const page = doc.addPage([595, 842]);
    page.setRotation(degrees(90));
    // On a page turned 90°, text reading left to right on screen runs up the page's y axis.
    lines.forEach((t, i) => page.drawText(t, { x: 60 + i * 20, y: 60, size: 12, font, rotate: degrees(90) }));
    const out = await pdfToText(await doc.save());
    expect(out.text.split('\n')).toEqual(lines);
  });

  it('fails a PDF without a text layer as a scan', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.drawRectangle({ x: 50, y: 50, width: 300, height: 400, color: rgb(0.5, 0.5, 0.5) });
    const res = await readInput(await tmp.file('scan.pdf', await doc.save()));
    expect(res).toMatchObject({ status: 'failed', message: 'scanned PDF: no text layer', documents: [] });
  });

  it('fails a damaged PDF with a clear message', async () => {
    const res = await readInput(await tmp.file('damaged.pdf', '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\ngarbage without end'));
    expect(res.status).toBe('failed');
    expect(res.message).toMatch(/PDF/);
  });

  it('gives a truncated PDF a result, never an exception', async () => {
    const full = await makePdf([{ kind: 'para', text: '一、总体情况。本年度共收到申请5件。'.repeat(40) }]);
    const res = await readInput(await tmp.file('truncated.pdf', full.slice(0, Math.floor(full.length / 2))));
    expect(['ok', 'failed']).toContain(res.status);
    if (res.status === 'failed') expect(res.message).toMatch(/PDF|text layer/);
  });

  it('stops a conversion at the time limit', async () => {
    const pdf = await makePdf([{ kind: 'para', text: '政府信息公开工作年度报告' }]);
    const res = await readInput(await tmp.file('slow.pdf', pdf), { timeoutMs: 1 });
    expect(res).toMatchObject({ status: 'failed', message: 'timed out after 0.001 s' });
  });
});
