import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AtomicFile,
  CsvWriter,
  JsonlWriter,
  OutputDirError,
  abortPendingWrites,
  ensureWritableDir,
  parseCsv,
  safeCell,
  toCsv,
  writeFileAtomic,
} from '../../src/io/index.js';

describe('csv encoding', () => {
  it('quotes fields per RFC 4180 and round-trips through parseCsv', () => {
    const rows = [
      ['a,b', 'say "hi"', 'line1\nline2', '', '普通文本'],
      ['x', 'y\r\nz', ' lead', 'trail ', '"'],
    ];
    const text = toCsv(['c1', 'c2', 'c3', 'c4', 'c5'], rows, { safe: false });
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('"a,b","say ""hi""","line1\nline2",,普通文本\r\n');
    expect(parseCsv(text)).toEqual([['c1', 'c2', 'c3', 'c4', 'c5'], ...rows]);
  });

  it('neutralises formula starts but keeps plain numbers', () => {
    expect(safeCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('+1+2')).toBe("'+1+2");
    expect(safeCell('-2+3')).toBe("'-2+3");
    expect(safeCell('-5')).toBe('-5');
    expect(safeCell('55014.55')).toBe('55014.55');
    expect(safeCell(-5)).toBe('-5');
    expect(safeCell(null)).toBe('');
    expect(safeCell('减少5项')).toBe('减少5项');
  });
});

describe('atomic writers', () => {
  it('write to a hidden temp file and rename only on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogi-io-'));
    try {
      const csv = await CsvWriter.open(join(dir, 'out.csv'), ['id', 'value']);
      const jsonl = await JsonlWriter.open<{ n: number }>(join(dir, 'out.jsonl'));
      for (let n = 0; n < 5000; n++) {
        await csv.write([`r${n}`, n]);
        await jsonl.write({ n });
      }
      // Before close nothing exists under the final names.
      expect((await readdir(dir)).filter((f) => !f.startsWith('.'))).toEqual([]);
      await csv.close();
      await jsonl.close();
      expect((await readdir(dir)).sort()).toEqual(['out.csv', 'out.jsonl']);
      const records = parseCsv(await readFile(join(dir, 'out.csv'), 'utf8'));
      expect(records.length).toBe(5001);
      expect(records[5000]).toEqual(['r4999', '4999']);
      const lines = (await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n');
      expect(JSON.parse(lines[4999])).toEqual({ n: 4999 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('abort and abortPendingWrites leave no file behind and keep the old output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogi-io-'));
    try {
      const first = await AtomicFile.open(join(dir, 'a.txt'));
      await first.write('old');
      await first.commit();
      const second = await AtomicFile.open(join(dir, 'a.txt'));
      await second.write('half-written');
      await second.abort();
      const third = await AtomicFile.open(join(dir, 'b.txt'));
      await third.write('x');
      expect(abortPendingWrites()).toBe(1);
      expect((await readdir(dir)).sort()).toEqual(['a.txt']);
      expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('old');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writeFileAtomic writes text as UTF-8 and bytes as they are, leaving no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogi-io-'));
    try {
      const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
      await writeFileAtomic(join(dir, 'chart.png'), png);
      await writeFileAtomic(join(dir, 'chart.svg'), '<svg>政务公开</svg>');
      expect((await readdir(dir)).sort()).toEqual(['chart.png', 'chart.svg']);
      expect(new Uint8Array(await readFile(join(dir, 'chart.png')))).toEqual(png);
      expect(await readFile(join(dir, 'chart.svg'), 'utf8')).toBe('<svg>政务公开</svg>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ensureWritableDir creates folders and rejects unwritable ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ogi-io-'));
    try {
      await ensureWritableDir(join(dir, 'x', 'y'));
      expect(await readdir(join(dir, 'x'))).toEqual(['y']);
      expect(await readdir(join(dir, 'x', 'y'))).toEqual([]);
      // A regular file where a folder should be: fails whoever runs the test (root ignores modes).
      await writeFile(join(dir, 'plain-file'), 'x');
      await expect(ensureWritableDir(join(dir, 'plain-file', 'out'))).rejects.toBeInstanceOf(OutputDirError);
      if (process.getuid?.() !== 0) {
        await chmod(join(dir, 'x'), 0o500);
        await expect(ensureWritableDir(join(dir, 'x', 'z'))).rejects.toBeInstanceOf(OutputDirError);
        await chmod(join(dir, 'x'), 0o700);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
