/**
 * Issue 3, "done when": each complete seed report and 133.txt, built as an HTML page with merged cells,
 * as a DOCX, in GBK and in traditional characters, parses to exactly the table figures of the text
 * version. (The PDF form is in pdf.test.ts.)
 */
import iconv from 'iconv-lite';
import * as OpenCC from 'opencc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../src/model/types.js';
import { parseText } from '../../src/parse/index.js';
import { reportBlocks, reportDocx, reportHtml, tableValues } from './helpers/forms.js';
import { readSingle } from './helpers/read.js';
import { completeReports } from './helpers/reports.js';
import { scratch, type Scratch } from './helpers/tmp.js';

const reports = completeReports().map((r) => ({ ...r, record: parseText(r.text).reports[0] }));
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
let tmp: Scratch;

beforeAll(async () => {
  tmp = await scratch('ingest-forms');
});
afterAll(async () => {
  await tmp.remove();
});

function safeName(name: string): string {
  return name.replace(/[^\w.]+/g, '_');
}

/**
 * Every case is expected to pass: reports with a merged 法人或其他组织 figure (helpers/forms.ts
 * hasOrgSubtotal) are read with the grid's colspan since the parser uses doc.tables.
 */
function structuredIt(_record: ReportRecord): typeof it {
  return it;
}

describe.each(reports)('$name', ({ name, text, record }) => {
  const want = tableValues(record);
  const itStructured = structuredIt(record);

  it('the text version has tables to compare', () => {
    expect(record.tables.applications).not.toBeNull();
    expect(Object.values(want).some((v) => v !== null)).toBe(true);
  });

  itStructured('as an HTML page with merged cells', async () => {
    const { doc, report: got } = await readSingle(await tmp.file(`${safeName(name)}.html`, reportHtml(reportBlocks(record))));
    expect(doc.format).toBe('html');
    expect(doc.tables.some((grid) => grid.flat().some((cell) => cell.rowspan > 1))).toBe(true);
    expect(tableValues(got)).toEqual(want);
    expect(got.year).toBe(record.year);
    expect(got.template).toBe(record.template);
  });

  itStructured('as a DOCX', async () => {
    const { doc, report: got } = await readSingle(await tmp.file(`${safeName(name)}.docx`, await reportDocx(reportBlocks(record))));
    expect(doc.format).toBe('docx');
    expect(tableValues(got)).toEqual(want);
    expect(got.year).toBe(record.year);
  });

  it('in GBK', async () => {
    const bytes = iconv.encode(text, 'gbk');
    // The report must survive GBK at all for the comparison to mean anything.
    expect(iconv.decode(bytes, 'gbk')).toBe(text);
    const { doc, report } = await readSingle(await tmp.file(`${safeName(name)}.gbk.txt`, bytes), 0);
    expect(doc.encoding).toBe('gb18030');
    expect(tableValues(report)).toEqual(want);
  });

  it('in traditional characters (UTF-8 and Big5)', async () => {
    const traditional = toTraditional(text);
    expect(traditional).not.toBe(text);
    const { doc: utf8, report: got } = await readSingle(await tmp.file(`${safeName(name)}.trad.txt`, traditional), 0);
    expect(utf8.originalText).toBe(traditional.replace(/\r\n?/g, '\n').normalize('NFC'));
    expect(utf8.text.length).toBe(utf8.originalText!.length);
    expect(got.source.converted_traditional).toBe(true);
    expect(tableValues(got)).toEqual(want);

    const big5Bytes = iconv.encode(traditional, 'big5');
    if (iconv.decode(big5Bytes, 'big5') === traditional) {
      const big5 = await readSingle(await tmp.file(`${safeName(name)}.big5.txt`, big5Bytes), 0);
      expect(big5.doc.encoding).toBe('big5');
      expect(tableValues(big5.report)).toEqual(want);
    }
  });
});
