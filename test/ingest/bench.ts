/**
 * Ingest timings (prints figures, asserts nothing): `npx tsx test/ingest/bench.ts`.
 * Builds 133.txt as HTML, DOCX, PDF (ruled and unruled), GBK and traditional, and times readInput on
 * each form and on the real saved pages; pdfjs's one-off start-up is reported on its own.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import * as OpenCC from 'opencc-js';
import { readInput } from '../../src/ingest/index.js';
import { parseText } from '../../src/parse/index.js';
import { reportBlocks, reportDocx, reportHtml, reportPdf } from './helpers/forms.js';
import { scratch } from './helpers/tmp.js';

const RUNS = 5;

async function time(label: string, path: string): Promise<void> {
  const ms: number[] = [];
  let status = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await readInput(path);
    ms.push(performance.now() - t0);
    status = res.status;
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} ${status.padEnd(7)} median ${ms[Math.floor(RUNS / 2)].toFixed(1).padStart(7)} ms   min ${ms[0].toFixed(1).padStart(7)} ms`);
}

const tmp = await scratch('ingest-bench');
try {
  const text = readFileSync('test/fixtures/corpus/reports/133.txt', 'utf8');
  const blocks = reportBlocks(parseText(text).reports[0]);
  const files = {
    text: await tmp.file('r.txt', text),
    gbk: await tmp.file('r.gbk.txt', iconv.encode(text, 'gbk')),
    traditional: await tmp.file('r.trad.txt', OpenCC.Converter({ from: 'cn', to: 'tw' })(text)),
    html: await tmp.file('r.html', reportHtml(blocks)),
    docx: await tmp.file('r.docx', await reportDocx(blocks)),
    pdf: await tmp.file('r.pdf', await reportPdf(blocks)),
    pdfUnruled: await tmp.file('r.unruled.pdf', await reportPdf(blocks, { ruled: false })),
  };
  const t0 = performance.now();
  await readInput(files.pdf);
  console.log(`pdfjs start-up + first PDF      ${(performance.now() - t0).toFixed(0)} ms`);
  await time('133 text (UTF-8)', files.text);
  await time('133 text (GBK)', files.gbk);
  await time('133 text (traditional)', files.traditional);
  await time('133 HTML (generated)', files.html);
  await time('133 DOCX', files.docx);
  await time('133 PDF (ruled tables)', files.pdf);
  await time('133 PDF (unruled tables)', files.pdfUnruled);
  await time('133.html (real page, 225 KB)', 'test/fixtures/corpus/html/133.html');
  await time('134.html (real page, 367 KB)', 'test/fixtures/corpus/html/134.html');
} finally {
  await tmp.remove();
}
