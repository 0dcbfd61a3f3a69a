import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readdirSync, existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { BatchStore } from '../../src/batch/store.js';
import type { BatchFileResult, FileIdentity } from '../../src/batch/types.js';
import type { ReportRecord } from '../../src/model/types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sampleResult(path: string, hash: string, n = 2): BatchFileResult {
  const reports: ReportRecord[] = Array.from({ length: n }, (_, i) => ({
    id: `${hash.slice(0, 12)}${i}`,
    source: { path, index: i },
    title: `报告${i}`,
    agency: '某县人民政府',
    level: 'county',
    year: 2021 + i,
    template: '2021',
    sections: { overview: '概述', proactive: null, applications: null, review_litigation: null, problems: '一是解读形式单一。', other: null },
    tables: {
      proactive: null,
      applications: {
        new_received: { total: { value: 15, raw: '15', status: 'printed' }, natural_person: { value: null, raw: '/', status: 'blank' } },
      },
      review_litigation: { review: { total: { value: 0, raw: '0', status: 'printed' } } },
    },
    findings: [{ rule: 'applications.balance', severity: 'error', message: '一+二=15，(七)+四=14，相差1', cells: ['applications.new_received.total', 'applications.handled_total.total'] }],
  }));
  return {
    manifest: { path, status: 'partial', reports: n, message: `${n} reports` },
    reports,
    // As the NLP stage makes them: `vague: true` on a vague statement, no key on the others.
    statements: reports.map((r, i) => ({
      report_id: r.id, kind: 'problem' as const, index: 0, text: '解读形式单一', tokens: ['解读', '形式', '单一'],
      themes: [{ id: 'interpretation', score: 0.93 }, { id: 'other', score: 0.1 }], boilerplate: null, offset: 2,
      ...(i === 0 ? { vague: true } : {}),
    })),
  };
}

const ident = (path: string, hash: string): FileIdentity => ({ path, hash, size: 100, mtimeMs: 1234.5 });

describe('BatchStore', () => {
  it('round-trips a file result, relabels it for another path, and fills the SQL tables', () => {
    const store = BatchStore.open(join(dir, 's.sqlite'), { parseVersion: 'p1', nlpVersion: 'n1', warn: () => {} });
    const result = sampleResult('a.txt', 'aa'.repeat(32));
    store.put(ident('a.txt', 'aa'.repeat(32)), result);
    const back = store.get(ident('a.txt', 'aa'.repeat(32)), true);
    expect(back).toEqual(result);
    const elsewhere = store.get(ident('copy/b.txt', 'aa'.repeat(32)));
    expect(elsewhere?.manifest.path).toBe('copy/b.txt');
    expect(elsewhere?.reports.map((r) => r.source.path)).toEqual(['copy/b.txt', 'copy/b.txt']);
    expect(elsewhere?.statements).toBeUndefined();
    expect(store.counts()).toEqual({ files: 1, results: 1, reports: 2, cells: 6, findings: 2, statements: 2 });
    const db = store.connection;
    const cell = db.prepare(`SELECT value, raw, status FROM cells WHERE table_name='applications' AND row_key='new_received' AND col_key='natural_person'`).all();
    expect(cell).toEqual([{ value: null, raw: '/', status: 'blank' }, { value: null, raw: '/', status: 'blank' }]);
    const theme = db.prepare(`SELECT top_theme, top_score FROM statements LIMIT 1`).get();
    expect(theme).toEqual({ top_theme: 'interpretation', top_score: 0.93 });
    // 0/1 for SQL (WHERE vague = 0 finds the others), read back as the stage wrote them.
    expect(db.prepare(`SELECT vague FROM statements ORDER BY report_id`).all()).toEqual([{ vague: 1 }, { vague: 0 }]);
    expect(back?.statements?.map((st) => 'vague' in st)).toEqual([true, false]);
    store.close();
  });

  it('treats another parse or NLP version as a miss, and replaces old rows on re-put', () => {
    const path = join(dir, 's.sqlite');
    const h = 'bb'.repeat(32);
    const s1 = BatchStore.open(path, { parseVersion: 'p1', nlpVersion: 'n1', warn: () => {} });
    s1.put(ident('a.txt', h), sampleResult('a.txt', h, 3));
    s1.close();
    const s2 = BatchStore.open(path, { parseVersion: 'p2', nlpVersion: 'n1', warn: () => {} });
    expect(s2.get(ident('a.txt', h))).toBeUndefined();
    expect(s2.knownHash('a.txt', 100, 1234.5)).toBeNull();
    s2.put(ident('a.txt', h), sampleResult('a.txt', h, 1));
    expect(s2.counts().reports).toBe(1);
    expect(s2.counts().cells).toBe(3);
    s2.close();
    const s3 = BatchStore.open(path, { parseVersion: 'p2', nlpVersion: 'n2', warn: () => {} });
    expect(s3.get(ident('a.txt', h), false)?.reports).toHaveLength(1);
    expect(s3.get(ident('a.txt', h), true)).toBeUndefined();
    expect(s3.knownHash('a.txt', 100, 1234.5)).toBe(h);
    expect(s3.knownHash('a.txt', 101, 1234.5)).toBeNull();
    s3.close();
  });

  it('moves a corrupt store aside, warns, and rebuilds it', () => {
    const path = join(dir, 'bad.sqlite');
    writeFileSync(path, Buffer.from('this is not a database at all, just bytes '.repeat(200)));
    const warnings: string[] = [];
    const store = BatchStore.open(path, { parseVersion: 'p1', warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/unusable.*moved to .*bad\.sqlite\.corrupt-/);
    expect(store.warnings).toEqual(warnings);
    expect(readdirSync(dir).some((f) => f.startsWith('bad.sqlite.corrupt-'))).toBe(true);
    store.put(ident('a.txt', 'cc'.repeat(32)), sampleResult('a.txt', 'cc'.repeat(32)));
    expect(store.counts().reports).toBe(2);
    store.close();
  });

  it('moves a store of the older layout (cells as a table) aside and rebuilds it with cells as a view', () => {
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '2');
      CREATE TABLE cells (report_id TEXT NOT NULL, table_name TEXT NOT NULL, row_key TEXT NOT NULL, col_key TEXT NOT NULL, value REAL, raw TEXT, status TEXT NOT NULL);`);
    old.close();
    const warnings: string[] = [];
    const store = BatchStore.open(path, { parseVersion: 'p1', warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/schema version 2, expected 3/);
    expect(readdirSync(dir).some((f) => f.startsWith('old.sqlite.corrupt-'))).toBe(true);
    const h = 'dd'.repeat(32);
    store.put(ident('a.txt', h), sampleResult('a.txt', h, 2));
    const db = store.connection;
    expect(db.prepare(`SELECT type FROM sqlite_master WHERE name = 'cells'`).get()).toEqual({ type: 'view' });
    // Every cell of every record, with the number, the printed text and the status of reports.jsonl.
    const rows = db.prepare(`SELECT report_id, table_name, row_key, col_key, value, raw, status FROM cells ORDER BY report_id, table_name, row_key, col_key`).all();
    expect(rows).toEqual(
      [`${h.slice(0, 12)}0`, `${h.slice(0, 12)}1`].flatMap((id) => [
        { report_id: id, table_name: 'applications', row_key: 'new_received', col_key: 'natural_person', value: null, raw: '/', status: 'blank' },
        { report_id: id, table_name: 'applications', row_key: 'new_received', col_key: 'total', value: 15, raw: '15', status: 'printed' },
        { report_id: id, table_name: 'review_litigation', row_key: 'review', col_key: 'total', value: 0, raw: '0', status: 'printed' },
      ]),
    );
    // Numbers are REAL, as in the table the view replaced: 15 / 2 is 7.5 in SQL, not 7.
    expect(db.prepare(`SELECT typeof(value) AS t, value / 2 AS half FROM cells WHERE col_key = 'total' AND table_name = 'applications' LIMIT 1`).get()).toEqual({ t: 'real', half: 7.5 });
    // A re-put replaces the record, and with it its cells.
    store.put(ident('a.txt', h), sampleResult('a.txt', h, 1));
    expect(store.counts().cells).toBe(3);
    store.close();
  });

  it('detects a store whose pages were damaged (quick_check) and rebuilds it', () => {
    const path = join(dir, 'damaged.sqlite');
    const store = BatchStore.open(path, { parseVersion: 'p1', warn: () => {} });
    for (let i = 0; i < 40; i++) {
      const h = i.toString(16).padStart(64, '0');
      store.put(ident(`f${i}.txt`, h), sampleResult(`f${i}.txt`, h, 3));
    }
    store.connection.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Overwrite b-tree pages in the middle of the file (keeping the header) with garbage.
    const db = new Database(path);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = openSync(path, 'r+');
    const junk = Buffer.alloc(pageSize * 3, 0x5a);
    writeSync(fd, junk, 0, junk.length, pageSize * 4);
    closeSync(fd);
    const warnings: string[] = [];
    const again = BatchStore.open(path, { parseVersion: 'p1', warn: (m) => warnings.push(m) });
    expect(warnings.join('\n')).toMatch(/unusable/);
    expect(again.counts().reports).toBe(0);
    again.close();
    expect(existsSync(path)).toBe(true);
  });

  it('bypasses a store whose damage shows only during a run, and checks and rebuilds it on the next open', () => {
    const path = join(dir, 'big.sqlite');
    const store = BatchStore.open(path, { parseVersion: 'p1', warn: () => {} });
    const ids: FileIdentity[] = [];
    for (let i = 0; i < 40; i++) {
      const h = i.toString(16).padStart(64, '0');
      ids.push(ident(`f${i}.txt`, h));
      store.put(ids[i], sampleResult(`f${i}.txt`, h, 3));
    }
    store.connection.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const fd = openSync(path, 'r+');
    const junk = Buffer.alloc(4096 * 40, 0x5a);
    writeSync(fd, junk, 0, junk.length, 4096 * 3);
    closeSync(fd);
    // As for a store too large to check on every open: no quick_check, the damage is met on reads.
    const warnings: string[] = [];
    const unchecked = BatchStore.open(path, { parseVersion: 'p1', verify: false, warn: (m) => warnings.push(m) });
    const got = ids.map((id) => unchecked.get(id));
    expect(got.every((r) => r === undefined)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/damaged .* not used for the rest of this run/);
    unchecked.close();
    expect(existsSync(`${path}.needs-check`)).toBe(true);
    const next: string[] = [];
    const rebuilt = BatchStore.open(path, { parseVersion: 'p1', warn: (m) => next.push(m) });
    expect(next.join('\n')).toMatch(/unusable/);
    expect(rebuilt.counts().reports).toBe(0);
    expect(existsSync(`${path}.needs-check`)).toBe(false);
    rebuilt.close();
  });

  it('survives two processes writing to the same store at once', async () => {
    const path = join(dir, 'shared.sqlite');
    const script = join(dir, 'writer.ts');
    const storeModule = new URL('../../src/batch/store.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { BatchStore } from ${JSON.stringify(storeModule)};
const [path, prefix] = process.argv.slice(2);
const store = BatchStore.open(path, { parseVersion: 'p1', warn: () => {} });
for (let i = 0; i < 60; i++) {
  const hash = prefix + i.toString(16).padStart(63, '0');
  const id = prefix + hash.slice(-15);
  store.put({ path: prefix + i + '.txt', hash, size: 1, mtimeMs: 1 }, {
    manifest: { path: prefix + i + '.txt', status: 'ok', reports: 1, message: '' },
    reports: [{ id, source: { path: prefix + i + '.txt', index: 0 }, title: null, agency: null, level: null, year: null, template: 'unknown',
      sections: { overview: null, proactive: null, applications: null, review_litigation: null, problems: null, other: null },
      tables: { proactive: null, applications: { new_received: { total: { value: i, raw: String(i), status: 'printed' } } }, review_litigation: null },
      findings: [] }],
  });
}
store.close();
`,
    );
    const tsx = new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url).pathname;
    const runOne = (prefix: string) =>
      new Promise<number>((resolve, reject) => {
        // No tsx disk cache: two cold processes compiling the same modules at once could read each
        // other's half-written cache file (seen once on a fresh clone).
        const child = spawn(process.execPath, [tsx, script, path, prefix], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, TSX_DISABLE_CACHE: '1' },
        });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`writer ${prefix} exited ${code}: ${err}`))));
      });
    await Promise.all([runOne('a'), runOne('b')]);
    const store = BatchStore.open(path, { parseVersion: 'p1', warn: () => {} });
    expect(store.warnings).toEqual([]);
    expect(store.counts()).toMatchObject({ files: 120, results: 120, reports: 120, cells: 120 });
    expect(store.connection.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});
