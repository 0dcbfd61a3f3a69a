/**
 * report.html (one self-contained offline page in Chinese), summary.md and tables/*.csv.
 *
 * The page inlines each chart's SVG and a woff2 subset of the CJK font, and carries no script at all:
 * nothing from a report can run. Every string that comes from reports (agency names, terms, paths)
 * is escaped; chart SVGs come from vega's serializer (which escapes text) and are checked for script.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL_ORDER, countInOrder, type AnalysisResult } from '../analyze/index.js';
import type { ManifestRow } from '../model/types.js';
import { CsvWriter, type CsvValue } from '../io/index.js';
import { makeLabels } from './labels.js';
import { CHART_FONT_FAMILY, CHART_FONT_STACK, subsetChartFont } from './font.js';
import { fmtNum, pct, type RenderedChart, type TableColumn, type TableRow } from './charts.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * An SVG from vega's string renderer is markup we generate, but its text comes from reports: refuse
 * anything that could run (script elements, event attributes, javascript: links, foreignObject).
 */
export function assertInertSvg(svg: string, name: string): string {
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(svg)) {
    throw new Error(`chart ${name}: SVG contains active content; refusing to inline it`);
  }
  return svg;
}

export interface ReportMeta {
  /** ISO time of the run. */
  generatedAt: string;
  inputs: string[];
  manifest?: ManifestRow[];
  /** Human-readable filters applied (--since, --until, --filter). */
  filters: string[];
  /** Theme id → Chinese name from the taxonomy in use. */
  themeNames?: Record<string, string>;
}

/** Rows shown per table in the page; the CSV under tables/ has them all. */
export const HTML_TABLE_ROWS = 200;

function formatCell(v: TableRow[string], col: TableColumn): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (col.format === 'pct') return pct(v);
    if (col.format === 'int') return String(Math.round(v));
    return fmtNum(v, 2);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

function htmlTable(columns: TableColumn[], rows: TableRow[]): string {
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join('');
  const body = rows
    .slice(0, HTML_TABLE_ROWS)
    .map((r) => `<tr>${columns.map((c) => `<td${typeof r[c.key] === 'number' ? ' class="num"' : ''}>${escapeHtml(formatCell(r[c.key], c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function markdownTable(columns: TableColumn[], rows: TableRow[], max = 30): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [`| ${columns.map((c) => esc(c.label)).join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`];
  for (const r of rows.slice(0, max)) lines.push(`| ${columns.map((c) => esc(formatCell(r[c.key], c))).join(' | ')} |`);
  if (rows.length > max) lines.push(`\n（共${rows.length}行，此处列出前${max}行。）`);
  return lines.join('\n');
}

function sortedByLevel<T extends { level: string | null }>(xs: T[]): T[] {
  const rank = (l: string | null) => (l === null ? 99 : LEVEL_ORDER.indexOf(l));
  return [...xs].sort((a, b) => rank(a.level) - rank(b.level));
}

/** Sum of `amount` per key, keys in first-seen order. */
function sumBy<T>(xs: readonly T[], key: (x: T) => string, amount: (x: T) => number): [string, number][] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + amount(x));
  return [...m.entries()];
}

/** "2010—2014年、2016年" from sorted years: runs of consecutive years collapse into a range. */
export function yearRanges(years: number[]): string {
  const runs: [number, number][] = [];
  for (const y of years) {
    const last = runs[runs.length - 1];
    if (last && y === last[1] + 1) last[1] = y;
    else runs.push([y, y]);
  }
  return runs.map(([a, b]) => (a === b ? `${a}年` : `${a}—${b}年`)).join('、');
}

/** Overview facts, as sentences (shared by the page and summary.md). */
export function overviewLines(a: AnalysisResult, meta: ReportMeta): string[] {
  const L = makeLabels(meta.themeNames);
  const lines: string[] = [];
  const n = a.overview.reports;
  if (meta.manifest) {
    const order = ['ok', 'partial', 'failed', 'skipped'];
    const st = countInOrder(meta.manifest, (m) => m.status).sort((x, y) => order.indexOf(x[0]) - order.indexOf(y[0]));
    const names: Record<string, string> = { ok: '成功', partial: '部分解析', failed: '失败', skipped: '跳过' };
    lines.push(`输入文件${meta.manifest.length}个：${st.map(([s, c]) => `${names[s] ?? s}${c}个`).join('，') || '无'}。`);
  }
  if (a.totalReports === 0) {
    lines.push('没有找到可分析的报告：以下各图没有数据。请检查输入路径与 manifest.csv 中的说明。');
    return lines;
  }
  lines.push(
    n === a.totalReports
      ? `共分析报告${n}份。`
      : `共解析报告${a.totalReports}份，按筛选条件保留${n}份。`,
  );
  if (meta.filters.length) lines.push(`筛选条件：${meta.filters.join('；')}。`);
  if (n === 0) {
    lines.push('筛选后没有报告：以下各图没有数据。');
    return lines;
  }
  if (n === 1) lines.push('只有1份报告：各图只能描述这一份报告，无法比较趋势或分组。');
  const o = a.overview;
  if (o.years.length) {
    const yc = [...o.years].sort((x, y) => x[0] - y[0]);
    lines.push(`报告年度：${yc.map(([y, c]) => `${y}年${c}份`).join('，')}。`);
  }
  if (o.noYear) lines.push(`${o.noYear}份报告未能识别年度，不计入按年度的图表。`);
  if (a.missingYears.length) lines.push(`以下年度没有报告：${yearRanges(a.missingYears)}（图中不显示这些年度）。`);
  const lv = sumBy(sortedByLevel(o.levels.map(([level, c]) => ({ level, c }))), (x) => (x.level ? L.level(x.level) : '未知'), (x) => x.c);
  lines.push(`层级：${lv.map(([k, c]) => `${k}${c}份`).join('，')}。`);
  const tp = sumBy(o.templates, ([t]) => L.template(t), ([, c]) => c);
  lines.push(`模板：${tp.map(([k, c]) => `${k}${c}份`).join('，')}。`);
  lines.push(`第五部分（存在的主要问题及改进情况）拆出语句${o.statements}条，来自${o.reportsWithStatements}份报告。`);
  return lines;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: ${CHART_FONT_STACK}; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1d1d1f; line-height: 1.6; }
h1 { font-size: 26px; margin-bottom: 4px; }
h2 { font-size: 20px; margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #666; font-size: 13px; }
figure.chart { margin: 12px 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
p.reading { background: #f5f8fc; border-left: 4px solid #3d7ab8; padding: 8px 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: #245; }
nav ol { columns: 2; }
`;

/** The page without the embedded font (see renderReportHtml). */
function pageBody(a: AnalysisResult, charts: RenderedChart[], meta: ReportMeta): string {
  const overview = overviewLines(a, meta)
    .map((l) => `<li>${escapeHtml(l)}</li>`)
    .join('\n');
  const nav = charts.map((c) => `<li><a href="#${escapeHtml(c.name)}">${escapeHtml(c.title)}</a></li>`).join('\n');
  const sections = charts
    .map(
      (c) => `<section id="${escapeHtml(c.name)}">
<h2>${escapeHtml(c.title)}</h2>
<figure class="chart" data-chart="${escapeHtml(c.name)}">
${assertInertSvg(c.svg, c.name)}
</figure>
<p class="reading"><strong>解读：</strong>${escapeHtml(c.reading)}</p>
<details><summary>数据表（${c.rows.length}行${c.rows.length > HTML_TABLE_ROWS ? `，显示前${HTML_TABLE_ROWS}行` : ''}；完整数据见 tables/${escapeHtml(c.name)}.csv）</summary>
${c.rows.length ? htmlTable(c.columns, c.rows) : '<p>无数据。</p>'}
</details>
</section>`,
    )
    .join('\n');
  return `<header>
<h1>政府信息公开工作年度报告 主题与趋势分析</h1>
<p class="meta">生成时间：${escapeHtml(meta.generatedAt)}；输入：${escapeHtml(meta.inputs.join('、') || '（无）')}</p>
</header>
<section id="overview">
<h2>概况</h2>
<ul>
${overview}
</ul>
<p class="meta">比例的分母见各表；纠正率=纠正/(维持+纠正+其他)；公开率=(予以公开+部分公开)/办理结果总计。缺失或无法确定的数值不计入，不按0处理。</p>
</section>
<nav><h2>目录</h2><ol>
${nav}
</ol></nav>
${sections}
<footer class="meta"><p>由 ogi-lens 生成。图表规格见 charts/*.vl.json，数据表见 tables/*.csv。</p></footer>`;
}

/**
 * The full page. The font is subset to the characters of the page (woff2, base64 in the CSS), so the
 * Chinese text shows the same offline on machines without a CJK font.
 */
export async function renderReportHtml(a: AnalysisResult, charts: RenderedChart[], meta: ReportMeta): Promise<string> {
  const body = pageBody(a, charts, meta);
  const woff2 = await subsetChartFont(body + CSS, 'woff2');
  const fontFace = `@font-face { font-family: "${CHART_FONT_FAMILY}"; src: url(data:font/woff2;base64,${woff2.toString('base64')}) format("woff2"); font-display: block; }`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:">
<title>政府信息公开工作年度报告 主题与趋势分析</title>
<style>
${fontFace}
${CSS}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function renderSummaryMarkdown(a: AnalysisResult, charts: RenderedChart[], meta: ReportMeta): string {
  const parts = [
    '# 政府信息公开工作年度报告 主题与趋势分析',
    '',
    `生成时间：${meta.generatedAt}`,
    '',
    '## 概况',
    '',
    ...overviewLines(a, meta).map((l) => `- ${l}`),
    '',
  ];
  for (const c of charts) {
    parts.push(`## ${c.title}`, '', `![${c.title}](${c.files.png})`, '', `**解读：** ${c.reading}`, '', c.rows.length ? markdownTable(c.columns, c.rows) : '无数据。', '', `完整数据：tables/${c.name}.csv`, '');
  }
  return parts.join('\n');
}

/**
 * tables/<name>.csv for every chart plus the per-report metrics; returns the files written. Rows are
 * streamed (report_metrics has one row per report: built as one string at 100k reports it was the
 * run's peak memory) into temp files renamed into place.
 */
export async function writeTables(outDir: string, a: AnalysisResult, charts: RenderedChart[]): Promise<string[]> {
  const dir = join(outDir, 'tables');
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = async <T>(name: string, header: string[], rows: readonly T[], values: (row: T) => CsvValue[]) => {
    const csv = await CsvWriter.open(join(dir, `${name}.csv`), header);
    try {
      for (const row of rows) await csv.write(values(row));
      await csv.close();
    } catch (err) {
      await csv.abort();
      throw err;
    }
    written.push(`tables/${name}.csv`);
  };
  const byKeys = (keys: string[]) => (row: object) => keys.map((k) => (row as Record<string, CsvValue>)[k]);
  // The analysis's own tables, by file name. They take a name once: theme_prevalence_by_<by> is
  // theme_prevalence_by_level itself with --by level, and the year chart's name by default, where the
  // analysis table (every theme and year, zeros included) is the fuller one and is written instead.
  const analysisTables = new Map<string, readonly object[]>([
    [`theme_prevalence_by_${a.by}`, a.prevalence],
    ['theme_prevalence_by_level', a.prevalenceByLevel],
    ['theme_vs_metric', a.themeVsMetric],
    ['check_failures', a.failures],
  ]);
  for (const c of charts) {
    if (analysisTables.has(c.name)) continue;
    const keys = c.rows.length ? Object.keys(c.rows[0]) : c.columns.map((col) => col.key);
    await write(c.name, keys, c.rows, byKeys(keys));
  }
  const mKeys = a.metrics.length ? Object.keys(a.metrics[0]) : ['report_id'];
  await write('report_metrics', mKeys, a.metrics, byKeys(mKeys));
  for (const [name, rows] of analysisTables) {
    const keys = rows.length ? Object.keys(rows[0]) : ['none'];
    await write(name, keys, rows, byKeys(keys));
  }
  return written;
}
