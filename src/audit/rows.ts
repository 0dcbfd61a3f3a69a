/**
 * The audit as flat rows (one list per view), shared by audit.csv and the sheets of audit.xlsx so both
 * say the same thing with the same column names.
 */
import { toCsv } from '../io/csv.js';
import { levelLabel, templateLabel } from './config.js';
import type { AgencyAudit, Audit, AuditIssue, IssueCell } from './types.js';

export type RowValue = string | number | null;
export interface View {
  /** Sheet name (≤ 31 characters, no []:*?/\). */
  name: string;
  header: string[];
  rows: RowValue[][];
}

/** "表三…·总计=15（印“15”）" — the cell, its value and the text printed when it differs. */
export function describeCell(c: IssueCell): string {
  const value = c.value === null ? '空' : String(c.value);
  const raw = c.raw !== null && c.raw.trim() !== value ? `（印“${c.raw.trim()}”）` : '';
  return `${c.label}=${value}${raw}`;
}

function issueCells(i: AuditIssue): string {
  return i.cells.map(describeCell).join('；');
}

function issueQuote(i: AuditIssue): string | null {
  if (i.statements.length === 0) return i.quote;
  return i.statements
    .map((s) =>
      s.source
        ? `${s.text}【见${s.source.agency ?? '机构未识别'}${s.source.year !== null ? ` ${s.source.year}年` : ''}报告，相似度${s.similarity?.toFixed(2) ?? '?'}】`
        : s.text,
    )
    .join('\n');
}

export const ISSUE_HEADER = [
  'report_id',
  'agency',
  'year',
  'level',
  'region',
  'group',
  'template',
  'score',
  'kind',
  'label',
  'severity',
  'rule',
  'units',
  'message',
  'cells',
  'quote',
  'source_report_id',
  'source_agency',
  'source_year',
  'similarity',
  'theme',
  'source_path',
  'duplicate_of',
];

/** One row per issue; a report without issues gets one row with an empty kind, so every report is listed. */
export function issueRows(audit: Audit): RowValue[][] {
  const rows: RowValue[][] = [];
  for (const r of audit.reports) {
    const head: RowValue[] = [
      r.report_id,
      r.agency_name,
      r.year,
      r.level ? levelLabel(r.level) : null,
      r.region,
      r.group,
      templateLabel(r.template),
      r.score.score,
    ];
    if (r.issues.length === 0) {
      rows.push([...head, '', '未发现问题', '', '', 0, '', '', '', '', '', '', '', '', r.source_path, r.duplicate_of]);
      continue;
    }
    for (const i of r.issues) {
      rows.push([
        ...head,
        i.kind,
        i.label,
        i.severity,
        i.rule,
        i.units,
        i.message,
        issueCells(i),
        issueQuote(i),
        i.source?.report_id ?? null,
        i.source?.agency ?? null,
        i.source?.year ?? null,
        i.similarity,
        i.theme ? `${i.theme.name}（${i.theme.id}）` : null,
        r.source_path,
        r.duplicate_of,
      ]);
    }
  }
  return rows;
}

function partsText(parts: { label: string; weight: number; points: number; units: number }[]): string {
  return parts.length ? parts.map((p) => `${p.label} −${p.points}（每${p.weight}分）`).join('；') : '无扣分';
}

/** "2019年 96；2021年 100" */
export function yearScores(a: AgencyAudit): string {
  return a.scores_by_year.map((y) => `${y.year !== null ? `${y.year}年` : '年度未识别'} ${y.score}`).join('；');
}

/** All views of the audit, in the order the workbook shows them. */
export function auditViews(audit: Audit): View[] {
  const kinds = audit.weights.kinds;
  const ranking: View = {
    name: '机构排名',
    header: ['rank', 'agency', 'group', 'group_rank', 'level', 'region', 'years', 'reports', 'issues', 'score', 'scores_by_year', 'deductions'],
    rows: audit.agencies.map((a) => [
      a.rank,
      a.agency,
      a.group,
      a.group_rank,
      a.level ? levelLabel(a.level) : null,
      a.region,
      a.years.join('、'),
      a.report_ids.length,
      a.issues,
      a.score.score,
      yearScores(a),
      partsText(a.score.parts),
    ]),
  };
  const groups: View = {
    name: '分组',
    header: ['rank', 'group', 'agencies', 'reports', 'issues', 'score', 'deductions', 'top_issues', 'top_themes'],
    rows: audit.groups.map((g) => [
      g.rank,
      g.group,
      g.agencies,
      g.reports,
      g.issues,
      g.score.score,
      partsText(g.score.parts),
      g.issue_counts.map((c) => `${c.label}（${c.reports}份）`).join('；'),
      g.themes.map((t) => `${t.name}（${t.reports}份）`).join('；'),
    ]),
  };
  const reports: View = {
    name: '报告得分',
    header: ['report_id', 'agency', 'year', 'title', 'group', 'template', 'issues', 'score', 'deductions', 'source_path', 'duplicate_of'],
    rows: audit.reports.map((r) => [
      r.report_id,
      r.agency_name,
      r.year,
      r.title,
      r.group,
      templateLabel(r.template),
      r.issues.length,
      r.score.score,
      partsText(r.score.deductions),
      r.source_path,
      r.duplicate_of,
    ]),
  };
  const deductions: View = {
    name: '扣分明细',
    header: ['report_id', 'agency', 'year', 'kind', 'label', 'weight', 'units', 'max', 'points'],
    rows: audit.reports.flatMap((r) =>
      r.score.deductions.map((d) => [r.report_id, r.agency_name, r.year, d.kind, d.label, d.weight, d.units, d.max, d.points]),
    ),
  };
  const issues: View = { name: '问题清单', header: ISSUE_HEADER, rows: issueRows(audit) };
  const weaknesses: View = {
    name: '共性问题',
    header: ['theme', 'name', 'reports', 'share', 'statements', 'agency_names', 'examples'],
    rows: audit.weaknesses.map((w) => [
      w.theme,
      w.name,
      w.reports,
      w.share,
      w.statements,
      w.agencies.join('、'),
      w.examples.map((e) => `${e.agency ?? '机构未识别'}${e.year ? ` ${e.year}年` : ''}：${e.text}`).join('\n'),
    ]),
  };
  const weights: View = {
    name: '扣分标准',
    header: ['kind', 'label', 'severity', 'weight', 'unit', 'max'],
    rows: Object.entries(kinds).map(([kind, w]) => [kind, w.label, w.severity, w.weight, w.unit, w.max]),
  };
  const o = audit.overall;
  const overview: View = {
    name: '概况',
    header: ['item', 'value'],
    rows: [
      ['报告数（不含重复输入）', o.reports],
      ['重复输入的报告（未计入）', o.duplicates],
      ['机构数', o.agencies],
      ['问题数', o.issues],
      ['平均得分', o.score.score],
      ...o.score.parts.map((p): RowValue[] => [`平均扣分：${p.label}`, -p.points]),
      ...o.issue_counts.flatMap((c): RowValue[][] => [
        [`涉及“${c.label}”的报告数`, c.reports],
        [`“${c.label}”问题数`, c.issues],
      ]),
    ],
  };
  return [overview, ranking, groups, reports, issues, deductions, weaknesses, weights];
}

/** Chinese column names for the workbook (audit.csv keeps the English keys, stable for scripts). */
export const COLUMN_NAMES_ZH: Record<string, string> = {
  rank: '名次',
  agency: '机构',
  group: '分组',
  level: '级别',
  region: '地区',
  years: '年度',
  reports: '报告数',
  issues: '问题数',
  score: '得分',
  deductions: '扣分构成',
  agencies: '机构数',
  top_issues: '主要问题',
  top_themes: '主要薄弱主题',
  report_id: '报告ID',
  year: '年度',
  title: '标题',
  template: '格式',
  source_path: '来源文件',
  kind: '问题类型',
  label: '问题',
  weight: '每项扣分',
  units: '数量',
  max: '上限',
  points: '扣分',
  severity: '严重程度',
  rule: '规则',
  message: '说明',
  cells: '涉及单元格',
  quote: '原文',
  source_report_id: '雷同来源报告ID',
  source_agency: '雷同来源机构',
  source_year: '雷同来源年度',
  similarity: '相似度',
  theme: '主题',
  name: '主题名称',
  share: '占比',
  statements: '表述数',
  examples: '示例',
  unit: '计量',
  agency_names: '提到的机构',
  duplicate_of: '重复于报告ID',
  group_rank: '组内名次',
  scores_by_year: '各年得分',
  item: '项目',
  value: '数值',
};

/** audit.csv: the issue list, UTF-8 with BOM, formula-looking text made safe (src/io). */
export function auditCsv(audit: Audit): string {
  return toCsv(ISSUE_HEADER, issueRows(audit));
}
