/**
 * Inputs as collected: crawl dumps (JSONL), folders of mixed files, non-report files, size and time
 * limits, truncated DOCX. Every path gets exactly one result and nothing throws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInputs, readInput } from '../../src/ingest/index.js';
import { readOpenFile } from '../../src/ingest/read.js';
import { sniffBytes } from '../../src/ingest/formats.js';
import { parseDocument } from '../../src/parse/index.js';
import { scratch, type Scratch } from './helpers/tmp.js';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reportBlocks, reportDocx, reportHtml, tableValues } from './helpers/forms.js';
import { parseText } from '../../src/parse/index.js';

let tmp: Scratch;
beforeAll(async () => {
  tmp = await scratch('ingest-inputs');
});
afterAll(async () => {
  await tmp.remove();
});

const REPORT_133 = readFileSync('test/fixtures/corpus/reports/133.txt', 'utf8');
const PAGE_134 = readFileSync('test/fixtures/corpus/html/134.html', 'utf8');

describe('crawl dumps (JSONL)', () => {
  it('makes one document per good line, keeps the URL and names bad lines', async () => {
    const lines = [
      JSON.stringify({ url: 'https://www.pingtan.gov.cn/a.htm', html: PAGE_134 }),
      '{"url": "https://example.gov.cn/broken", "html": ',
      '',
      JSON.stringify({ url: 'https://www.pingtan.gov.cn/b.htm', text: REPORT_133 }),
      JSON.stringify({ url: 'https://example.gov.cn/empty' }),
      JSON.stringify(['not', 'an', 'object']),
    ];
    const res = await readInput(await tmp.file('dump.jsonl', lines.join('\n') + '\n'));
    expect(res.status).toBe('ok');
    expect(res.documents.map((d) => [d.index, d.url, d.format])).toEqual([
      [0, 'https://www.pingtan.gov.cn/a.htm', 'jsonl'],
      [3, 'https://www.pingtan.gov.cn/b.htm', 'jsonl'],
    ]);
    expect(res.message).toMatch(/^3 of 5 lines unusable: line 2: invalid JSON/);
    expect(res.message).toContain('line 5: no "html" or "text" field');
    expect(res.message).toContain('line 6: not a JSON object');
    // Same file hash, different index: distinct, stable report ids.
    const [a, b] = res.documents.map((d) => parseDocument(d).reports[0]);
    expect(a.year).toBe(2021);
    expect(b.year).toBe(2019);
    expect(a.id).not.toBe(b.id);
    expect(a.source.url).toBe('https://www.pingtan.gov.cn/a.htm');
  });

  it("skips ogi's own reports.jsonl found in an input folder", async () => {
    const line = JSON.stringify({ id: 'abc', source: { path: 'a.txt', index: 0 }, title: null, sections: {}, tables: {}, findings: [] });
    expect(await readInput(await tmp.file('reports.jsonl', `${line}\n${line}\n`))).toMatchObject({ status: 'skipped', message: expect.stringContaining('ogi output') });
  });

  it('fails a dump with no usable line', async () => {
    const res = await readInput(await tmp.file('bad.jsonl', 'nope\n{"url": 1}\n'));
    expect(res.status).toBe('failed');
    expect(res.message).toMatch(/2 of 2 lines unusable/);
  });
});

describe('folders and limits', () => {
  it('gives every file of the corpus a result, reports parse, the rest is skipped with a reason', async () => {
    const files = await listInputs(['test/fixtures/corpus']);
    expect(files.length).toBeGreaterThan(30);
    const results = await Promise.all(files.map((f) => readInput(f)));
    expect(results.map((r) => r.path)).toEqual(files);
    for (const r of results) {
      if (/\.(txt|html)$/.test(r.path)) expect(r.status, `${r.path}: ${r.message}`).toBe('ok');
      else expect(r.status, r.path).toBe('skipped');
      if (r.status !== 'ok') expect(r.message).not.toBe('');
    }
  });

  it('lists folders in name order, following links to folders and files, keeping broken links and skipping .git', async () => {
    const root = join(tmp.dir, 'walk');
    await mkdir(join(root, 'b-dir', 'inner'), { recursive: true });
    await mkdir(join(root, '.git'), { recursive: true });
    await mkdir(join(tmp.dir, 'walk-elsewhere'), { recursive: true });
    await writeFile(join(root, 'c.txt'), 'c');
    await writeFile(join(root, 'a.txt'), 'a');
    await writeFile(join(root, 'b-dir', 'inner', 'deep.txt'), 'd');
    await writeFile(join(root, '.git', 'HEAD'), 'ref');
    await writeFile(join(tmp.dir, 'walk-elsewhere', 'linked.txt'), 'l');
    await symlink(join(tmp.dir, 'walk-elsewhere'), join(root, 'd-link-to-dir'));
    await symlink(join(root, 'a.txt'), join(root, 'e-link-to-file.txt'));
    await symlink(join(root, 'nowhere.txt'), join(root, 'f-broken.txt'));
    await symlink(root, join(root, 'b-dir', 'loop'));
    const rel = (await listInputs([root])).map((p) => p.slice(root.length + 1));
    expect(rel).toEqual(['a.txt', 'b-dir/inner/deep.txt', 'c.txt', 'd-link-to-dir/linked.txt', 'e-link-to-file.txt', 'f-broken.txt']);
  });

  it('skips non-report files by extension and by content', async () => {
    const dir = join(tmp.dir, 'site');
    await mkdir(dir, { recursive: true });
    await tmp.file('site/style.css', 'body { color: red }');
    await tmp.file('site/app.js', 'console.log(1)');
    await tmp.file('site/font.woff2', new Uint8Array([0x77, 0x4f, 0x46, 0x32, 1, 2, 3]));
    await tmp.file('site/archive.zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    await tmp.file('site/photo.bin', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));
    await tmp.file('site/old.doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    await tmp.file('site/report', REPORT_133);
    const results = await Promise.all((await listInputs([dir])).map((f) => readInput(f)));
    const byName = Object.fromEntries(results.map((r) => [r.path.split('/').pop(), r]));
    expect(byName['style.css']).toMatchObject({ status: 'skipped', message: expect.stringContaining('stylesheet') });
    expect(byName['app.js']).toMatchObject({ status: 'skipped', message: expect.stringContaining('script') });
    expect(byName['font.woff2']).toMatchObject({ status: 'skipped', message: expect.stringContaining('font') });
    expect(byName['archive.zip']).toMatchObject({ status: 'skipped', message: expect.stringContaining('archive') });
    expect(byName['photo.bin']).toMatchObject({ status: 'skipped', message: expect.stringContaining('image') });
    expect(byName['old.doc']).toMatchObject({ status: 'failed', message: expect.stringContaining('.docx') });
    expect(byName['report']).toMatchObject({ status: 'ok' });
    expect(byName['report'].documents[0].format).toBe('text');
  });

  it('reads a page saved as .txt as HTML', async () => {
    const res = await readInput(await tmp.file('page.txt', PAGE_134));
    expect(res.status).toBe('ok');
    expect(res.documents[0].format).toBe('html');
    expect(res.documents[0].tables).toHaveLength(3);
  });

  it('sniffs content that contradicts the name (a PDF named .htm is read as PDF)', async () => {
    const { makePdf } = await import('./helpers/make-pdf.js');
    const pdf = await makePdf([{ kind: 'para', text: '一、总体情况' }]);
    const res = await readInput(await tmp.file('misnamed.htm', pdf));
    expect(res.status).toBe('ok');
    expect(res.documents[0].format).toBe('pdf');
    expect(res.documents[0].text).toContain('一、总体情况');
  });

  it('applies the size limit before reading', async () => {
    for (const blockingIo of [false, true]) {
      const res = await readInput(await tmp.file('big.html', PAGE_134), { maxBytes: 100_000, blockingIo });
      expect(res.status).toBe('failed');
      expect(res.message).toMatch(/^file too large: \d+ KB exceeds the limit of 98 KB$/);
      expect(res.identity).toBeUndefined();
    }
  });

  it('reads the same with blocking calls (worker threads) as with promises, and hands on the hash it took', async () => {
    await mkdir(join(tmp.dir, 'odd/folder.txt'), { recursive: true });
    await tmp.file('odd/empty.txt', '');
    await tmp.file('odd/style.css', 'body { color: red }');
    await tmp.file('odd/data.txt', new Uint8Array([0, 1, 2, 3, 0, 0, 0, 0xff, 0xfe, 0]));
    const files = [...(await listInputs(['test/fixtures/corpus'])), join(tmp.dir, 'odd/empty.txt'), join(tmp.dir, 'odd/folder.txt'), join(tmp.dir, 'odd/style.css'), join(tmp.dir, 'odd/data.txt'), join(tmp.dir, 'odd/missing.txt')];
    for (const f of files) {
      const promised = await readInput(f);
      const blocking = await readInput(f, { blockingIo: true });
      expect(blocking, f).toEqual(promised);
      if (promised.status === 'ok') {
        const bytes = readFileSync(f);
        expect(promised.identity).toMatchObject({ size: bytes.length, hash: createHash('sha256').update(bytes).digest('hex') });
        expect(promised.identity!.mtimeMs).toBe(statSync(f).mtimeMs);
      }
    }
    const byName = async (name: string) => readInput(join(tmp.dir, 'odd', name), { blockingIo: true });
    expect(await byName('empty.txt')).toMatchObject({ status: 'failed', message: 'empty file' });
    expect(await byName('folder.txt')).toMatchObject({ status: 'failed', message: 'is a directory, not a file' });
    const css = await byName('style.css');
    expect(css.status).toBe('skipped');
    expect(css.identity).toBeUndefined();
    expect(await byName('data.txt')).toMatchObject({ status: 'failed', message: 'binary data, not a text report', identity: { size: 10 } });
    expect(await byName('missing.txt')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^cannot read: ENOENT/) });
    // What stat said and what the file holds may differ while it is being written.
    const big = Buffer.from('一二三四五六七八九十'.repeat(20_000)); // 600,000 bytes
    await tmp.file('odd/growing.txt', big);
    const readAs = (stated: number, limit: number) => {
      const fd = openSync(join(tmp.dir, 'odd', 'growing.txt'), 'r');
      try {
        return readOpenFile(fd, stated, limit);
      } finally {
        closeSync(fd);
      }
    };
    expect(readAs(big.length, 1e9).equals(big)).toBe(true);
    expect(readAs(1000, 1e9).equals(big)).toBe(true); // grew after the stat: read to its end
    expect(readAs(big.length + 5000, 1e9).equals(big)).toBe(true); // shrank
    expect(readAs(1000, 100_000).length).toBeGreaterThan(100_000); // grew past the limit: stops soon after it
    expect(readAs(1000, 100_000).length).toBeLessThan(big.length);
    // A named pipe is not opened (that would wait for a writer): it is skipped, as the promise path does.
    execFileSync('mkfifo', [join(tmp.dir, 'odd', 'pipe.txt')]);
    expect(await byName('pipe.txt')).toMatchObject({ status: 'skipped', message: 'not a regular file' });
    expect(await readInput(join(tmp.dir, 'odd', 'pipe.txt'))).toMatchObject({ status: 'skipped', message: 'not a regular file' });
  });
});

describe('web archives (.mht)', () => {
  it('reads the HTML page of a quoted-printable GBK archive, with its address', async () => {
    const iconv = (await import('iconv-lite')).default;
    const record = parseText(REPORT_133).reports[0];
    const html = reportHtml(reportBlocks(record)).replace('charset="utf-8"', 'charset="gb2312"');
    // Quoted-printable: every byte outside printable ASCII as =XX, lines folded with soft breaks.
    const qp = [...iconv.encode(html, 'gbk')]
      .map((b) => (b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`))
      .join('')
      .replace(/(.{72})/g, '$1=\r\n');
    const mht = [
      'From: <Saved by Blink>',
      'Snapshot-Content-Location: https://www.pingtan.gov.cn/zwgk/t20200120_80576.htm',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related;',
      '\ttype="text/html";',
      '\tboundary="----MultipartBoundary--abc123----"',
      '',
      '',
      '------MultipartBoundary--abc123----',
      'Content-Type: text/html; charset="gb2312"',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Location: https://www.pingtan.gov.cn/zwgk/t20200120_80576.htm',
      '',
      qp,
      '------MultipartBoundary--abc123----',
      'Content-Type: image/png',
      'Content-Transfer-Encoding: base64',
      '',
      'iVBORw0KGgo=',
      '------MultipartBoundary--abc123------',
      '',
    ].join('\r\n');
    const res = await readInput(await tmp.file('page.mht', mht));
    expect(res.status, res.message).toBe('ok');
    const doc = res.documents[0];
    expect(doc.url).toBe('https://www.pingtan.gov.cn/zwgk/t20200120_80576.htm');
    expect(doc.encoding).toBe('gb18030');
    expect(doc.tables).toHaveLength(3);
    expect(tableValues(parseDocument(doc).reports[0])).toEqual(tableValues(record));
  });

  it('fails an archive without an HTML page', async () => {
    const mht = 'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n';
    expect(await readInput(await tmp.file('empty.mhtml', mht))).toMatchObject({ status: 'failed', message: 'web archive holds no HTML page' });
  });
});

describe('a file name that is not UTF-8', () => {
  it('is listed and failed with the reason, not "no such file"', async () => {
    const dir = join(tmp.dir, 'gbk-names');
    await mkdir(dir);
    // 政府 in GBK: Node lists it with U+FFFD and cannot open it by that name.
    const raw = Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0xd5, 0xfe, 0xb8, 0xae]), Buffer.from('.txt')]);
    await writeFile(raw, REPORT_133);
    const paths = await listInputs([dir]);
    expect(paths).toHaveLength(1);
    expect(paths[0]).toContain('\uFFFD');
    const res = await readInput(paths[0]);
    expect(res).toMatchObject({ status: 'failed', message: expect.stringContaining('the file name is not valid UTF-8') });
  });
});

describe('DOCX', () => {
  it('fails a truncated DOCX with a clear message', async () => {
    const record = parseText(REPORT_133).reports[0];
    const docx = await reportDocx(reportBlocks(record));
    const res = await readInput(await tmp.file('truncated.docx', docx.subarray(0, Math.floor(docx.length / 2))));
    expect(res.status).toBe('failed');
    expect(res.message).toMatch(/^damaged or unreadable DOCX: /);
  });

  it('fails a DOCX cut before its word/ part (not skipped as a plain ZIP), and a ZIP named .docx', async () => {
    // A download cut after the first local header, which names [Content_Types].xml (no word/ name yet).
    const name = Buffer.from('[Content_Types].xml', 'latin1');
    const head = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(22), Buffer.from([name.length, 0, 0, 0]), name]);
    const cut = await readInput(await tmp.file('cut-early.docx', head));
    expect(cut).toMatchObject({ status: 'failed', message: 'damaged DOCX: the ZIP archive is cut short (no central directory)' });
    // A whole ZIP with no word/ in it (here: an empty archive's end record after one header).
    const zip = Buffer.concat([Buffer.from(head), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
    const notDocx = await readInput(await tmp.file('not-really.docx', zip));
    expect(notDocx).toMatchObject({ status: 'failed', message: 'not a DOCX: a ZIP archive without word/document.xml' });
    // The same bytes under a .zip name are still an archive to skip.
    expect(await readInput(await tmp.file('cut-early.zip', head))).toMatchObject({ status: 'skipped' });
  });

  it('knows a DOCX whose word/ part comes after a large first entry (a thumbnail)', () => {
    const thumbnail = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(22), Buffer.from([24, 0, 0, 0]), Buffer.from('docProps/thumbnail.jpeg')]);
    const bytes = Buffer.concat([thumbnail, Buffer.alloc(1_200_000), Buffer.from('PK\u0003\u0004word/document.xml', 'latin1')]);
    expect(sniffBytes(bytes)).toEqual({ kind: 'read', format: 'docx' });
  });
});
