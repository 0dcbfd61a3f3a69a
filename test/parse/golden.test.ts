/**
 * Golden tests: every figure that test/fixtures/corpus/truth.json gives for the seed's four complete
 * reports and for 133.txt / 134.txt, compared key by key with the parsed tables.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, parseText } from '../../src/parse/index.js';
import type { ReportRecord, TableName } from '../../src/model/types.js';
import { SEED_PATH, readFixture, readTruth, type TruthReport } from './helpers.js';

const truth = readTruth();
const seed = parseText(readFileSync(SEED_PATH, 'utf8'), SEED_PATH).reports;
const TABLES: TableName[] = ['proactive', 'applications', 'review_litigation'];

function value(report: ReportRecord, table: TableName, key: string): number | null | undefined {
  const cells = report.tables[table];
  if (!cells) return undefined;
  const [row, col] = key.split(/\.(?=[^.]+$)/);
  return cells[row]?.[col]?.value;
}

function compare(report: ReportRecord, t: TruthReport): string[] {
  const wrong: string[] = [];
  for (const table of TABLES) {
    for (const [key, expected] of Object.entries(t[table] ?? {})) {
      const got = value(report, table, key);
      if (got !== expected) wrong.push(`${table}.${key}: expected ${expected}, got ${got}`);
    }
  }
  return wrong;
}

function findSeed(match: string): ReportRecord {
  const hits = seed.filter((r) => (r.title ?? '').includes(match) || (r.sections.overview ?? '').includes(match));
  expect(hits.length, match).toBeGreaterThanOrEqual(1);
  return hits[0];
}

describe('seed reports match truth.json', () => {
  it.each(truth.seed.reports.map((t) => [t.match!, t] as const))('%s', (match, t) => {
    const r = findSeed(match);
    expect(r.year).toBe(t.year);
    expect(r.template).toBe(t.template);
    expect(compare(r, t)).toEqual([]);
    // No parse finding contradicts a certain figure of the truth: the parser never guesses.
    for (const f of r.findings) expect(f.rule).toMatch(/^table\.(ambiguous|unparsed)$/);
  });

  it('keeps the 广元 table 四 totals (6, 5, 1) while its parts are ambiguous', () => {
    const r = findSeed('广元市2020年政府信息公开');
    const amb = r.findings.find((f) => f.rule === 'table.ambiguous' && f.cells.some((c) => c.startsWith('review_litigation.')));
    expect(amb).toBeDefined();
    expect(amb!.cells).toContain('review_litigation.review.upheld');
    expect(amb!.cells).not.toContain('review_litigation.review.total');
    expect(r.tables.review_litigation!.review.upheld).toEqual({ value: null, raw: null, status: 'ambiguous' });
    // The finding points at the table's part of the file.
    expect(amb!.quote).toBe('四、行政复议与行政诉讼情况');
    expect(amb!.position?.line).toBe(506);
  });

  it('reads the 灵川 table 四 exactly as printed (review 0,0,0,4,4; after-review total 4)', () => {
    const r = findSeed('灵川');
    const rl = r.tables.review_litigation!;
    expect(['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => rl.review[c].value)).toEqual([0, 0, 0, 4, 4]);
    expect(rl.litigation_after_review.total.value).toBe(4);
    expect(rl.litigation_after_review.pending.value).toBe(0);
    expect(rl.review.total.status).toBe('printed');
  });

  it('reads units and words in cells (150件, 减少5项, 55014.55万元)', () => {
    const q = findSeed('衢州');
    expect(q.tables.proactive!['art20_8.fees'].change).toEqual({ value: -5, raw: '减少5项', status: 'printed' });
    expect(q.tables.proactive!['art20_1.normative_documents'].made.raw).toBe('150件');
  });

  it('fills the pre-2019 fragments with their year and template', () => {
    for (const p of truth.seed.partial_reports) {
      const r = findSeed(p.match!);
      expect(r.year).toBe(p.year);
      expect(r.template).toBe(p.template);
    }
  });
});

describe('collapsed one-line pages match truth.json', () => {
  it.each(truth.reports.map((t) => [t.file!, t] as const))('%s', (file, t) => {
    const reports = parseText(readFixture('reports', file), file).reports;
    expect(reports).toHaveLength(1);
    const r = reports[0];
    expect(r.year).toBe(t.year);
    expect(r.template).toBe(t.template);
    expect(r.level).toBe(t.level);
    expect(compare(r, t)).toEqual([]);
  });
});

describe('the same pages as pipe tables (the form ingest renders HTML tables in) match truth.json', () => {
  // test/parse/fixtures/13x.pipe.txt: the text ingest made of test/fixtures/corpus/html/13x.html.
  it.each(truth.reports.map((t) => [t.file!, t] as const))('%s', (file, t) => {
    const text = readFileSync(new URL(`./fixtures/${file.replace('.txt', '.pipe.txt')}`, import.meta.url), 'utf8');
    const reports = parseText(text, file).reports;
    expect(reports).toHaveLength(1);
    const r = reports[0];
    expect(r.year).toBe(t.year);
    expect(r.template).toBe(t.template);
    expect(compare(r, t)).toEqual([]);
    // Pipe rows keep every cell's position: nothing is ambiguous, table 二 included.
    expect(r.findings.filter((f) => f.rule === 'table.ambiguous')).toEqual([]);
    expect(r.problems_heading).toBe(t.section5_heading);
  });
});

describe('a merged 法人或其他组织 figure in a structured source', () => {
  it('is read as org_subtotal when the grid shows it spanning the five organisation columns', () => {
    const text = [
      '某市2020年政府信息公开工作年度报告',
      '三、收到和处理政府信息公开申请情况',
      '| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |  |  | 申请人情况 |  |  |  |  |  |  |',
      '|  |  |  | 自然人 | 法人或其他组织 |  |  |  |  | 总计 |',
      '|  |  |  |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |',
      '| 一、本年新收政府信息公开申请数量 |  |  | 78 | 10 |  |  |  |  | 88 |',
      '| 二、上年结转政府信息公开申请数量 |  |  | 0 | 0 |  |  |  |  | 0 |',
    ].join('\n');
    const span = { text: '10', rowspan: 1, colspan: 5, origin: [5, 4] as [number, number] };
    const doc = { path: 'merged.html', index: 0, format: 'html' as const, text, tables: [[[span]]], hash: 'h' };
    const a = parseDocument(doc).reports[0].tables.applications!;
    expect(a.new_received.org_subtotal).toEqual({ value: 10, raw: '10', status: 'printed' });
    expect(a.new_received.business.value).toBeNull();
    expect(a.new_received.total.value).toBe(88);
    // Without the grid the same text is a 商业企业 figure.
    expect(parseDocument({ ...doc, tables: [] }).reports[0].tables.applications!.new_received.business.value).toBe(10);
  });
});
