/**
 * End to end: `runAudit` on test/fixtures/corpus (the corpus, its HTML pages and the seed) — the issue's
 * "done when": the seed's 灵川县 report is flagged (table 四 does not add up; the prose says there was no
 * litigation) and 133/134 and the seed's other reports are flagged as truth.json says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runAudit, type AuditRun } from '../../src/pipeline/audit.js';
import type { ReportRecord } from '../../src/model/types.js';
import type { ReportAudit } from '../../src/audit/index.js';
import { checkPageInBrowser } from '../browser/check.js';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus');

interface TruthEntry {
  file?: string;
  match?: string;
  must_flag?: string[];
  must_not_flag?: string[];
}
const truth = JSON.parse(readFileSync(join(CORPUS, 'truth.json'), 'utf8')) as {
  reports: TruthEntry[];
  seed: { reports: TruthEntry[] };
};

function reportText(r: ReportRecord): string {
  return [r.title ?? '', ...Object.values(r.sections).map((s) => s ?? '')].join('\n');
}

describe('ogi audit on the fixture corpus + seed', () => {
  let out: string;
  let run: AuditRun;
  const auditOf = (r: ReportRecord): ReportAudit => run.audit.reports.find((a) => a.report_id === r.id)!;
  const rulesOf = (r: ReportRecord): string[] => auditOf(r).issues.map((i) => i.rule ?? i.kind);

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'ogi-audit-corpus-'));
    run = await runAudit([CORPUS], { out, cache: false, jobs: 1 });
  }, 180_000);

  it('writes the files of themes plus audit.html, audit.xlsx, audit.csv; every report is audited', () => {
    for (const f of ['reports.jsonl', 'findings.csv', 'manifest.csv', 'statements.jsonl', 'themes.csv', 'audit.html', 'audit.xlsx', 'audit.csv']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(run.audit.reports.length).toBe(run.reports.length);
    expect(run.audit.reports.length).toBeGreaterThan(30);
    expect(run.summary.command).toBe('audit');
  });

  it('flags the seed 灵川县 report: table 四 does not add up, and the prose says there was no litigation', () => {
    const lingchuan = run.reports.filter((r) => r.source.path.includes('seed') && reportText(r).includes('灵川'));
    expect(lingchuan).toHaveLength(1);
    const a = auditOf(lingchuan[0]);
    const sum = a.issues.find((i) => i.rule === 'review_litigation.sum');
    expect(sum?.kind).toBe('check_failed');
    // The cells behind it, with the printed numbers: 复议后起诉 总计 4 against four zeros.
    expect(sum?.cells.find((c) => c.key === 'review_litigation.litigation_after_review.total')?.value).toBe(4);
    const prose = a.issues.find((i) => i.rule === 'text_table.mismatch');
    expect(prose?.kind).toBe('text_table_mismatch');
    expect(prose?.quote ?? prose?.message).toMatch(/诉讼/);
    expect(a.score.score).toBeLessThan(100);
    expect(a.score.deductions.map((d) => d.kind)).toEqual(expect.arrayContaining(['check_failed', 'text_table_mismatch']));
  });

  it('counts the same report given twice (133/134 as text and as web page) once', () => {
    const dups = run.audit.reports.filter((r) => r.duplicate_of !== null);
    const name = (id: string) => run.reports.find((r) => r.id === id)!.source.path.replace(/.*corpus\//, '');
    const pairs = dups.map((d) => [d.source_path.replace(/.*corpus\//, ''), name(d.duplicate_of!)].sort().join(' = ')).sort();
    expect(pairs).toEqual(['html/133.html = reports/133.txt', 'html/134.html = reports/134.txt']);
    expect(run.audit.overall.duplicates).toBe(2);
    expect(run.audit.overall.reports).toBe(run.reports.length - 2);
    const ranked = run.audit.agencies.flatMap((a) => a.report_ids);
    for (const d of dups) expect(ranked).not.toContain(d.report_id);
  });

  it('flags 133.txt and 134.txt as truth.json says', () => {
    for (const t of truth.reports) {
      const rs = run.reports.filter((r) => r.source.path.endsWith(`reports/${t.file}`));
      expect(rs, t.file).toHaveLength(1);
      const rules = rulesOf(rs[0]);
      for (const rule of t.must_not_flag ?? []) expect(rules, `${t.file} must not flag ${rule}`).not.toContain(rule);
      for (const rule of t.must_flag ?? []) expect(rules, `${t.file} must flag ${rule}`).toContain(rule);
    }
  });

  it('flags the seed reports as truth.json says', () => {
    const seed = run.reports.filter((r) => r.source.path.includes('seed'));
    for (const t of truth.seed.reports) {
      const rs = seed.filter((r) => reportText(r).includes(t.match!));
      expect(rs.length, t.match).toBeGreaterThanOrEqual(1);
      const rules = rulesOf(rs[0]);
      for (const rule of t.must_not_flag ?? []) expect(rules, `${t.match} must not flag ${rule}`).not.toContain(rule);
      for (const rule of t.must_flag ?? []) expect(rules, `${t.match} must flag ${rule}`).toContain(rule);
    }
  });

  it('audit.xlsx lists the 灵川 check failure; audit.csv and audit.html carry it with its cells', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'audit.xlsx'));
    const sheet = wb.getWorksheet('问题清单')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const ruleCol = header.indexOf('规则') + 1;
    const cellsCol = header.indexOf('涉及单元格') + 1;
    const rows: string[] = [];
    sheet.eachRow((row) => {
      if (row.getCell(ruleCol).value === 'review_litigation.sum') rows.push(String(row.getCell(cellsCol).value));
    });
    expect(rows.some((c) => c.includes('复议后起诉·总计=4'))).toBe(true);
    const csv = readFileSync(join(out, 'audit.csv'), 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('review_litigation.sum');
    const html = readFileSync(join(out, 'audit.html'), 'utf8');
    expect(html).toContain('review_litigation.litigation_after_review.total');
  });

  it('audit.html passes the browser check: its chart renders, no console error, nothing fetched', async () => {
    const check = await checkPageInBrowser(join(out, 'audit.html'));
    expect(check.title).toBe('政府信息公开工作年度报告审核结果');
    expect(check.chartsFound).toBeGreaterThan(0);
    expect(check.chartsRendered).toBe(check.chartsFound);
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);
  }, 60_000);
});
