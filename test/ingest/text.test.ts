import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBytes, listInputs, readInput } from '../../src/ingest/index.js';

const REPORT = 'test/fixtures/corpus/reports/133.txt';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ogi-ingest-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readInput: text files', () => {
  it('reads a UTF-8 report and hashes the raw bytes', async () => {
    const res = await readInput(REPORT);
    expect(res.status).toBe('ok');
    expect(res.documents).toHaveLength(1);
    const doc = res.documents[0];
    const raw = await readFile(REPORT, 'utf8');
    expect(doc.text).toBe(raw.replace(/\r\n?/g, '\n').normalize('NFC'));
    expect(doc.format).toBe('text');
    expect(doc.encoding).toBe('utf-8');
    expect(doc.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.originalText).toBeUndefined();
  });

  it('strips a UTF-8 BOM and normalises CRLF', async () => {
    const p = join(dir, 'bom.txt');
    await writeFile(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('一、总体情况\r\n本年度共收到申请5件。\r\n')]));
    const res = await readInput(p);
    expect(res.status).toBe('ok');
    expect(res.documents[0].text).toBe('一、总体情况\n本年度共收到申请5件。\n');
  });

  it('same bytes give the same hash whatever the path', async () => {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.md');
    await writeFile(a, '政府信息公开工作年度报告');
    await writeFile(b, '政府信息公开工作年度报告');
    const [ra, rb] = await Promise.all([readInput(a), readInput(b)]);
    expect(ra.documents[0].hash).toBe(rb.documents[0].hash);
  });

  it('fails an empty file with "empty file"', async () => {
    const p = join(dir, 'empty.txt');
    await writeFile(p, '');
    expect(await readInput(p)).toMatchObject({ status: 'failed', message: 'empty file', documents: [] });
  });

  it('fails binary bytes in a .txt with a clear message', async () => {
    const p = join(dir, 'binary.txt');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    await writeFile(p, bytes);
    const res = await readInput(p);
    expect(res.status).toBe('failed');
    expect(res.message).toMatch(/binary/);
  });

  it('fails text that no supported encoding reads sensibly', async () => {
    const p = join(dir, 'garbled.txt');
    // Lead and trail bytes of GBK's rare-character extension: valid bytes, nonsense text in every encoding.
    const bytes = Buffer.alloc(2000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = 0x81 + ((i * 37) % 0x1f);
    await writeFile(p, bytes);
    const res = await readInput(p);
    expect(res.status).toBe('failed');
    expect(res.message).toMatch(/^unreadable text/);
  });

  it('fails a file over the size limit', async () => {
    const p = join(dir, 'big.txt');
    await writeFile(p, '年'.repeat(2000));
    const res = await readInput(p, { maxBytes: 1000 });
    expect(res.status).toBe('failed');
    expect(res.message).toMatch(/too large.*limit/);
  });

  it('fails a missing path with the OS reason', async () => {
    const res = await readInput(join(dir, 'nope.txt'));
    expect(res.status).toBe('failed');
    expect(res.message).toContain('ENOENT');
  });

  it('reads UTF-16 with and without a byte-order mark', async () => {
    const text = '一、总体情况\n本年度共收到政府信息公开申请15件，已全部按时答复。\n';
    for (const [name, bytes] of [
      ['le-bom.txt', iconv.encode(text, 'utf-16le', { addBOM: true })],
      ['be-bom.txt', iconv.encode(text, 'utf-16be', { addBOM: true })],
      ['le.txt', iconv.encode(text, 'utf-16le')],
      ['be.txt', iconv.encode(text, 'utf-16be')],
    ] as const) {
      const p = join(dir, name);
      await writeFile(p, bytes);
      const res = await readInput(p);
      expect(res.status, name).toBe('ok');
      expect(res.documents[0].text, name).toBe(text);
      expect(res.documents[0].encoding, name).toMatch(/^utf-16(le|be)$/);
    }
  });

  it('fails a folder given as a file', async () => {
    expect(await readInput(dir)).toMatchObject({ status: 'failed', message: expect.stringContaining('directory') });
  });

  it('skips images and stylesheets with a reason', async () => {
    const png = join(dir, 'logo.png');
    const css = join(dir, 'site.css');
    await writeFile(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    await writeFile(css, 'body{}');
    expect(await readInput(png)).toMatchObject({ status: 'skipped', message: expect.stringContaining('image') });
    expect(await readInput(css)).toMatchObject({ status: 'skipped', message: expect.stringContaining('stylesheet') });
  });
});

describe('decodeBytes', () => {
  const sample = '平潭综合实验区2019年政府信息公开工作年度报告。本年度共收到政府信息公开申请15件，已全部按时答复。';
  it('detects UTF-8, GBK, Big5 and UTF-16', () => {
    expect(decodeBytes(Buffer.from(sample))).toEqual({ text: sample, encoding: 'utf-8' });
    expect(decodeBytes(iconv.encode(sample, 'gbk'))).toEqual({ text: sample, encoding: 'gb18030' });
    const trad = '平潭綜合實驗區2019年政府資訊公開工作年度報告。本年度共收到政府資訊公開申請15件，已全部按時答覆。';
    expect(decodeBytes(iconv.encode(trad, 'big5'))).toEqual({ text: trad, encoding: 'big5' });
    expect(decodeBytes(iconv.encode(sample, 'utf-16le', { addBOM: true }))).toEqual({ text: sample, encoding: 'utf-16le' });
    expect(decodeBytes(iconv.encode(sample, 'utf-16be', { addBOM: true }))).toEqual({ text: sample, encoding: 'utf-16be' });
    expect(decodeBytes(iconv.encode(sample, 'utf-16le'))).toEqual({ text: sample, encoding: 'utf-16le' });
    expect(decodeBytes(iconv.encode(sample, 'utf-16be'))).toEqual({ text: sample, encoding: 'utf-16be' });
  });
});

describe('listInputs', () => {
  it('recurses folders in name order and keeps missing paths', async () => {
    const root = join(dir, 'tree');
    await rm(root, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(join(root, 'b', 'c'), { recursive: true }));
    await writeFile(join(root, 'b', 'c', 'z.txt'), 'x');
    await writeFile(join(root, 'b', 'a.txt'), 'x');
    await writeFile(join(root, 'a.html'), 'x');
    const missing = join(dir, 'missing.txt');
    const list = await listInputs([root, missing, join(root, 'a.html')]);
    expect(list).toEqual([join(root, 'a.html'), join(root, 'b', 'a.txt'), join(root, 'b', 'c', 'z.txt'), missing]);
  });
});
