/**
 * The theme report's charts: Vega-Lite specs built from an AnalysisResult, each with its data table and
 * a short reading written from the data, rendered to charts/<name>.vl.json, .svg and .png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, MetricKey, PrevalenceRow } from '../analyze/index.js';
import { DEFAULT_COMPARED_METRICS, OUTCOMES, SMALL_N, UNKNOWN_GROUP } from '../analyze/index.js';
import { makeLabels, type Labels } from './labels.js';
import { CHART_FONT_STACK, subsetChartFont } from './font.js';
import { compileSpec, renderSvg, svgToPng, type VegaLiteSpec } from './svg.js';
import { writeFileAtomic } from '../io/index.js';

export interface TableColumn {
  key: string;
  /** Chinese column heading for the HTML table. */
  label: string;
  format?: 'pct' | 'int' | 'num';
}

export type TableRow = Record<string, string | number | boolean | null>;

export interface ChartDef {
  /** File stem: charts/<name>.vl.json, tables/<name>.csv. */
  name: string;
  title: string;
  spec: VegaLiteSpec;
  columns: TableColumn[];
  rows: TableRow[];
  /** One or two sentences in Chinese, written from the data. */
  reading: string;
}

export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

export function fmtNum(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

const BASE_CONFIG = {
  font: CHART_FONT_STACK,
  padding: 12,
  title: { fontSize: 15, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  view: { stroke: null },
} as const;

function baseSpec(title: string, values: TableRow[], extra: Record<string, unknown>): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    config: BASE_CONFIG,
    data: { values },
    ...extra,
  } as unknown as VegaLiteSpec;
}

/** Tooltip of a chart: the columns of its data table, with the same headings and formats. */
function tooltipOf(columns: TableColumn[]) {
  return columns.map((c) => ({ field: c.key, title: c.label, ...(c.format === 'pct' ? { format: '.1%' } : c.format === 'num' ? { format: ',.2f' } : {}) }));
}

interface HeatmapOptions {
  x: Record<string, unknown>;
  y: Record<string, unknown>;
  /** Field coloured (quantitative) and printed in each cell. */
  value: { field: string; title: string; scheme: string; format: string; domain?: [number, number] };
  /** Field printed in each cell instead of the value. */
  label?: string;
  columns: TableColumn[];
  xStep: number;
}

/** A rect heatmap with the value printed in each cell (white on dark cells). */
function heatmapSpec(title: string, rows: TableRow[], o: HeatmapOptions): VegaLiteSpec {
  const v = o.value;
  const max = o.value.domain?.[1] ?? Math.max(0, ...rows.map((r) => Number(r[v.field]) || 0));
  return baseSpec(title, rows, {
    width: { step: o.xStep },
    height: { step: 22 },
    encoding: { x: { type: 'ordinal', axis: { labelAngle: 0 }, ...o.x }, y: { type: 'nominal', ...o.y } },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: v.field,
            type: 'quantitative',
            title: v.title,
            scale: { scheme: v.scheme, ...(v.domain ? { domain: v.domain } : {}) },
            legend: { format: v.format },
          },
          tooltip: tooltipOf(o.columns),
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: o.label ? { field: o.label, type: 'nominal' } : { field: v.field, type: 'quantitative', format: v.format },
          color: { condition: { test: `datum[${JSON.stringify(v.field)}] > ${max * 0.6}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  });
}

/**
 * Top of a value axis that starts at 0: the largest value, but at least `floor`. An axis over values
 * that are all 0 would otherwise collapse to [0, 0] and set the 0 line in the middle of the plot.
 */
function upperBound(values: (number | null)[], floor: number): number {
  return Math.max(floor, ...values.map((v) => v ?? 0));
}

const NO_DATA = '当前数据不足以绘制此图。';

function yearLabel(y: number | string): string {
  return y === UNKNOWN_GROUP ? UNKNOWN_GROUP : `${y}年`;
}

// ---------------------------------------------------------------------------------------------

/** Below this many reports with a section 五 a year's shares are too coarse to compare. */
const READING_MIN_N = 3;

/**
 * Describes the latest year and, when it rests on fewer than READING_MIN_N reports, also the
 * best-covered year (most reports, the later one on a tie), so a reading never hangs on one report.
 */
function describeLatestAndBest<T>(items: T[], yearOf: (t: T) => string, reportsOf: (t: T) => number, describe: (t: T) => string): string {
  const last = items[items.length - 1];
  const best = [...items].sort((x, y) => reportsOf(y) - reportsOf(x) || Number(yearOf(y)) - Number(yearOf(x)))[0];
  return describe(last) + (best !== last && reportsOf(last) < READING_MIN_N ? describe(best) : '');
}

function themePrevalenceChart(a: AnalysisResult, L: Labels): ChartDef {
  const seen = new Set(a.prevalenceByYear.filter((r) => r.reports_with_theme > 0).map((r) => r.theme));
  const rows = a.prevalenceByYear
    .filter((r) => r.share !== null && r.group !== UNKNOWN_GROUP && seen.has(r.theme))
    .map((r) => ({
      year: r.group,
      // The axis shows each year's n, so a 100% from one report reads as what it is.
      year_label: `${r.group}（${r.reports_with_section5}份）`,
      theme: r.theme,
      theme_name: L.theme(r.theme),
      reports_with_theme: r.reports_with_theme,
      reports_with_section5: r.reports_with_section5,
      share: r.share,
    }));
  const years = [...new Set(rows.map((r) => r.year))];
  const nOf = (y: string) => rows.find((r) => r.year === y)?.reports_with_section5 ?? 0;
  let reading: string;
  if (rows.length === 0) reading = `没有带年度且含第五部分（存在的主要问题及改进情况）的报告。${NO_DATA}`;
  else {
    // Read from the years with enough reports; fall back to all years and say that they are thin.
    const solid = years.filter((y) => nOf(y) >= READING_MIN_N);
    const span = solid.length ? solid : years;
    const last = span[span.length - 1];
    const top = rows.filter((r) => r.year === last).sort((x, y) => (y.share ?? 0) - (x.share ?? 0))[0];
    reading = `${yearLabel(last)}提及最多的主题是“${top.theme_name}”，${top.reports_with_section5}份含第五部分的报告中有${top.reports_with_theme}份提及（${pct(top.share)}）。`;
    if (span.length >= 2) {
      const first = span[0];
      const change = [...seen]
        .map((t) => {
          const f = rows.find((r) => r.year === first && r.theme === t)?.share ?? 0;
          const l = rows.find((r) => r.year === last && r.theme === t)?.share ?? 0;
          return { t, d: l - f };
        })
        .sort((x, y) => Math.abs(y.d) - Math.abs(x.d))[0];
      if (change && change.d !== 0)
        reading += `与${yearLabel(first)}（${nOf(first)}份）相比，变化最大的是“${L.theme(change.t)}”（${change.d > 0 ? '上升' : '下降'}${(Math.abs(change.d) * 100).toFixed(1)}个百分点）。`;
    } else reading += '可比较的年度不足两个，无法观察趋势。';
    const thin = years.filter((y) => nOf(y) < READING_MIN_N);
    if (thin.length) reading += `${thin.map(yearLabel).join('、')}含第五部分的报告少于${READING_MIN_N}份，比例只反映个别报告。`;
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'theme_name', label: '主题' },
    { key: 'reports_with_theme', label: '提及报告数', format: 'int' },
    { key: 'reports_with_section5', label: '含第五部分报告数', format: 'int' },
    { key: 'share', label: '占比', format: 'pct' },
  ];
  return {
    name: 'theme_prevalence_by_year',
    title: '各年度报告提及各主题的比例',
    spec: heatmapSpec('各年度报告提及各主题的比例', rows, {
      x: { field: 'year_label', title: '年度（含第五部分的报告数）', sort: years.map((y) => `${y}（${nOf(y)}份）`) },
      y: { field: 'theme_name', title: '主题', sort: a.themeIds.map((t) => L.theme(t)) },
      value: { field: 'share', title: '占比', scheme: 'greens', format: '.0%', domain: [0, 1] },
      columns,
      xStep: 74,
    }),
    columns,
    rows,
    reading,
  };
}

const GROUP_NAMES: Record<'level' | 'region' | 'template', string> = { level: '行政层级', region: '地区', template: '模板' };

/** Theme × group heatmap (level always; region or template when --by asks for it). */
function themeGroupHeatmap(a: AnalysisResult, L: Labels, by: 'level' | 'region' | 'template', prevalence: PrevalenceRow[]): ChartDef {
  const seen = new Set(prevalence.filter((r) => r.reports_with_theme > 0).map((r) => r.theme));
  const rows = prevalence
    .filter((r) => r.share !== null && seen.has(r.theme))
    .map((r) => ({
      group: r.group,
      group_name: L.group(by, r.group),
      theme: r.theme,
      theme_name: L.theme(r.theme),
      reports_with_theme: r.reports_with_theme,
      reports_with_section5: r.reports_with_section5,
      share: r.share,
    }));
  const groupOrder = [...new Set(rows.map((r) => r.group_name))];
  const longest = Math.max(0, ...groupOrder.map((g) => [...g].length));
  const groupName = GROUP_NAMES[by];
  let reading: string;
  if (rows.length === 0) reading = `没有含第五部分的报告可按${groupName}比较。${NO_DATA}`;
  else {
    const top = [...rows].sort((x, y) => (y.share ?? 0) - (x.share ?? 0) || y.reports_with_section5 - x.reports_with_section5)[0];
    reading = `占比最高的组合是${top.group_name}报告中的“${top.theme_name}”（${top.reports_with_section5}份中${top.reports_with_theme}份，${pct(top.share)}）。`;
    const small = [...new Set(rows.filter((r) => r.reports_with_section5 < 5).map((r) => r.group_name))];
    if (small.length) reading += `${small.join('、')}的报告不足5份，比例波动大。`;
  }
  const columns: TableColumn[] = [
    { key: 'group_name', label: groupName },
    { key: 'theme_name', label: '主题' },
    { key: 'reports_with_theme', label: '提及报告数', format: 'int' },
    { key: 'reports_with_section5', label: '含第五部分报告数', format: 'int' },
    { key: 'share', label: '占比', format: 'pct' },
  ];
  const title = `主题 × ${groupName}：提及该主题的报告占比`;
  return {
    name: by === 'level' ? 'theme_level_heatmap' : `theme_${by}_heatmap`,
    title,
    spec: heatmapSpec(title, rows, {
      // Long names (regions) are set at an angle rather than overlapping their neighbours.
      x: { field: 'group_name', type: 'nominal', title: groupName, sort: groupOrder, axis: { labelAngle: longest > 5 ? -40 : 0 } },
      y: { field: 'theme_name', title: '主题', sort: a.themeIds.map((t) => L.theme(t)) },
      value: { field: 'share', title: '占比', scheme: 'blues', format: '.0%', domain: [0, 1] },
      columns,
      xStep: 70,
    }),
    columns,
    rows,
    reading,
  };
}

function outcomesChart(a: AnalysisResult, L: Labels): ChartDef {
  const rows = a.outcomes
    .filter((r) => r.reports > 0)
    .map((r) => ({
      year: String(r.year),
      outcome: r.outcome,
      outcome_name: L.outcome(r.outcome),
      order: OUTCOMES.indexOf(r.outcome),
      count: r.count,
      share: r.share,
      reports: r.reports,
    }));
  const years = [...new Set(rows.map((r) => r.year))];
  let reading: string;
  if (rows.length === 0) reading = `没有报告完整给出办理结果各项与总计。${NO_DATA}`;
  else {
    const describe = (year: string) => {
      const yr = rows.filter((r) => r.year === year);
      const disclosed = yr.filter((r) => r.outcome === 'granted' || r.outcome === 'partially_granted').reduce((s, r) => s + (r.share ?? 0), 0);
      const top = [...yr].sort((x, y) => y.count - x.count)[0];
      return `${yearLabel(year)}（${yr[0].reports}份报告，合计办结${yr.reduce((s, r) => s + r.count, 0)}件）予以公开和部分公开合计占${pct(disclosed)}，最多的办理结果是“${top.outcome_name}”（${pct(top.share)}）。`;
    };
    const reportsOf = (y: string) => rows.find((r) => r.year === y)?.reports ?? 0;
    reading = describeLatestAndBest(years, (y) => y, reportsOf, describe);
    reading += '各年按件数加总，申请量大的机关权重大。';
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'outcome_name', label: '办理结果' },
    { key: 'count', label: '件数', format: 'int' },
    { key: 'share', label: '占比', format: 'pct' },
    { key: 'reports', label: '报告数', format: 'int' },
  ];
  return {
    name: 'request_outcomes_by_year',
    title: '依申请公开办理结果构成（按年度）',
    spec: baseSpec('依申请公开办理结果构成（按年度）', rows, {
      width: { step: 48 },
      height: 280,
      mark: 'bar',
      encoding: {
        x: { field: 'year', type: 'ordinal', title: '年度', axis: { labelAngle: 0 } },
        y: { field: 'count', type: 'quantitative', stack: 'normalize', title: '占办理结果总计的比例', axis: { format: '.0%' } },
        color: { field: 'outcome_name', type: 'nominal', title: '办理结果', sort: OUTCOMES.map((o) => L.outcome(o)) },
        order: { field: 'order', type: 'quantitative' },
        tooltip: tooltipOf(columns),
      },
    }),
    columns,
    rows,
    reading,
  };
}

function correctionChart(a: AnalysisResult, L: Labels): ChartDef {
  const rows = a.corrections
    .filter((r) => r.rate !== null)
    .map((r) => ({
      year: String(r.year),
      kind: r.kind,
      kind_name: L.correctionKind(r.kind),
      corrected: r.corrected,
      concluded: r.concluded,
      rate: r.rate,
      reports: r.reports,
    }));
  let reading: string;
  if (rows.length === 0) reading = `没有报告给出已审结的行政复议或行政诉讼案件（维持、纠正、其他结果）。${NO_DATA}`;
  else {
    reading = (['review', 'litigation'] as const)
      .map((k) => {
        const kr = rows.filter((r) => r.kind === k);
        if (kr.length === 0) return `${L.correctionKind(k)}：无已审结案件。`;
        const describe = (r: (typeof kr)[number]) =>
          `${yearLabel(r.year)}${L.correctionKind(k)}为${pct(r.rate)}（已审结${r.concluded}件中纠正${r.corrected}件，${r.reports}份报告）。`;
        return describeLatestAndBest(kr, (r) => r.year, (r) => r.reports, describe);
      })
      .join('');
    reading += '纠正率=纠正/(维持+纠正+其他)，各报告件数加总后计算。';
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'kind_name', label: '类别' },
    { key: 'corrected', label: '纠正件数', format: 'int' },
    { key: 'concluded', label: '审结件数（维持+纠正+其他）', format: 'int' },
    { key: 'rate', label: '纠正率', format: 'pct' },
    { key: 'reports', label: '报告数', format: 'int' },
  ];
  return {
    name: 'correction_rates_by_year',
    title: '行政复议与行政诉讼纠正率（按年度）',
    spec: baseSpec('行政复议与行政诉讼纠正率（按年度）', rows, {
      width: { step: 36 },
      height: 260,
      encoding: {
        x: { field: 'year', type: 'ordinal', title: '年度', axis: { labelAngle: 0 } },
        xOffset: { field: 'kind_name', type: 'nominal' },
        y: { field: 'rate', type: 'quantitative', title: '纠正率', axis: { format: '.0%' }, scale: { domain: [0, upperBound(rows.map((r) => r.rate), 0.1)], nice: true } },
      },
      layer: [
        { mark: 'bar', encoding: { color: { field: 'kind_name', type: 'nominal', title: '类别' }, tooltip: tooltipOf(columns) } },
        // The rate over each bar: a 0% bar has no height and would otherwise look like missing data.
        { mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { text: { field: 'rate', type: 'quantitative', format: '.0%' } } },
      ],
    }),
    columns,
    rows,
    reading,
  };
}

const SAMPLE_OK = '样本量足够';
const SAMPLE_SMALL = `样本量小（任一侧少于${SMALL_N}份）`;

function themeVsMetricChart(a: AnalysisResult, L: Labels, metric: MetricKey): ChartDef {
  const isRate = metric.endsWith('_rate');
  const rows = a.themeVsMetric
    .filter((r) => r.metric === metric && r.difference !== null)
    .map((r) => ({
      theme: r.theme,
      theme_name: L.theme(r.theme),
      n_with: r.n_with,
      n_without: r.n_without,
      mean_with: r.mean_with,
      mean_without: r.mean_without,
      difference: r.difference,
      ci_low: r.ci_low,
      ci_high: r.ci_high,
      small_n: r.small_n,
      sample: r.small_n ? SAMPLE_SMALL : SAMPLE_OK,
      note: r.note,
    }));
  const mName = L.metric(metric);
  const fmt = (x: number | null) => (isRate ? pct(x) : fmtNum(x, 1));
  let reading: string;
  if (rows.length === 0) reading = `没有可比较的报告（需要同时有第五部分和“${mName}”的数值，且提及与未提及两侧都有报告）。${NO_DATA}`;
  else {
    const clear = rows.filter((r) => r.ci_low !== null && r.ci_high !== null && (r.ci_low > 0 || r.ci_high < 0) && !r.small_n);
    const top = [...rows].sort((x, y) => Math.abs(y.difference ?? 0) - Math.abs(x.difference ?? 0))[0];
    reading = `差值最大的是“${top.theme_name}”：提及该主题的报告平均${mName}为${fmt(top.mean_with)}，未提及的为${fmt(top.mean_without)}（提及${top.n_with}份，未提及${top.n_without}份）。`;
    reading += clear.length
      ? `95%区间不含0且两侧样本均不少于10份的主题：${clear.map((r) => `“${r.theme_name}”`).join('、')}。`
      : '没有主题在样本量足够时其95%区间排除0，差异可能出于偶然。';
    // The question the report is often read for: do reports naming request handling differ?
    const onRequest = metric === 'requests_received' ? rows.find((r) => r.theme === 'on_request') : undefined;
    if (onRequest && onRequest !== top) {
      const ci = onRequest.ci_low !== null && onRequest.ci_high !== null ? `，95%区间${fmt(onRequest.ci_low)}至${fmt(onRequest.ci_high)}` : '';
      reading += `提及“${onRequest.theme_name}”的报告平均新收${fmt(onRequest.mean_with)}件，未提及的${fmt(onRequest.mean_without)}件（差值${fmt(onRequest.difference)}${ci}；提及${onRequest.n_with}份，未提及${onRequest.n_without}份）。`;
    }
    const small = rows.filter((r) => r.small_n).length;
    if (small) reading += `${small}个主题的样本量小，图中以空心点标出。`;
  }
  const title = `提及各主题的报告与未提及报告的${mName}差值`;
  // On the two data layers only: the zero rule spans the whole plot.
  const themeAxis = { field: 'theme_name', type: 'nominal', title: '主题', sort: { field: 'difference', order: 'descending' } };
  const columns: TableColumn[] = [
    { key: 'theme_name', label: '主题' },
    { key: 'n_with', label: '提及报告数', format: 'int' },
    { key: 'n_without', label: '未提及报告数', format: 'int' },
    { key: 'mean_with', label: '提及组均值', format: isRate ? 'pct' : 'num' },
    { key: 'mean_without', label: '未提及组均值', format: isRate ? 'pct' : 'num' },
    { key: 'difference', label: '差值', format: isRate ? 'pct' : 'num' },
    { key: 'ci_low', label: '95%区间下限', format: isRate ? 'pct' : 'num' },
    { key: 'ci_high', label: '95%区间上限', format: isRate ? 'pct' : 'num' },
    { key: 'note', label: '说明' },
  ];
  return {
    name: `theme_vs_${metric}`,
    title,
    spec: baseSpec(title, rows, {
      width: 440,
      height: { step: 22 },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y: themeAxis,
            x: { field: 'ci_low', type: 'quantitative', title: `差值（提及 − 未提及），线段为95%区间（自助法，大样本为正态近似）`, ...(isRate ? { axis: { format: '.1~%' } } : {}) },
            x2: { field: 'ci_high' },
            color: { value: '#888' },
          },
        },
        {
          mark: { type: 'point', size: 70, strokeWidth: 2, filled: true },
          encoding: {
            y: themeAxis,
            x: { field: 'difference', type: 'quantitative' },
            // Small samples are drawn hollow: shown, not hidden, but visibly less certain.
            fill: {
              field: 'sample',
              type: 'nominal',
              title: '样本量',
              scale: { domain: [SAMPLE_OK, SAMPLE_SMALL], range: ['#1f5fa8', 'white'] },
              legend: { symbolStrokeColor: '#1f5fa8', symbolStrokeWidth: 2 },
            },
            stroke: { value: '#1f5fa8' },
            tooltip: tooltipOf(columns),
          },
        },
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#c00' }, encoding: { x: { datum: 0 } } },
      ],
    }),
    columns,
    rows,
    reading,
  };
}

function topTermsChart(a: AnalysisResult): ChartDef {
  const rows = a.terms.map((t) => ({ year: String(t.year), term: t.term, statements: t.statements, share: t.share, rank: t.rank }));
  const years = [...new Set(rows.map((r) => r.year))];
  let reading: string;
  if (rows.length === 0) reading = `没有带年度的第五部分语句。${NO_DATA}`;
  else {
    const inAll = [...new Set(rows.map((r) => r.term))].filter((t) => years.every((y) => rows.some((r) => r.year === y && r.term === t)));
    const last = years[years.length - 1];
    const lastTop = rows.filter((r) => r.year === last).slice(0, 3).map((r) => `“${r.term}”`);
    reading = `${yearLabel(last)}出现在最多语句中的词是${lastTop.join('、')}。`;
    if (years.length > 1) reading += inAll.length ? `各年都进入前列的词：${inAll.slice(0, 6).map((t) => `“${t}”`).join('、')}。` : '没有一个词在各年都进入前列。';
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'rank', label: '排名', format: 'int' },
    { key: 'term', label: '词语' },
    { key: 'statements', label: '含该词的语句数', format: 'int' },
    { key: 'share', label: '语句占比', format: 'pct' },
  ];
  return {
    name: 'top_terms_by_year',
    title: '第五部分高频词（按年度排名，颜色为含该词的语句占比）',
    spec: heatmapSpec('第五部分高频词（按年度排名，颜色为含该词的语句占比）', rows, {
      x: { field: 'year', title: '年度' },
      y: { field: 'rank', type: 'ordinal', title: '排名' },
      value: { field: 'share', title: '含该词的语句占比', scheme: 'oranges', format: '.0%' },
      label: 'term',
      columns,
      xStep: 84,
    }),
    columns,
    rows,
    reading,
  };
}

function copiedChart(a: AnalysisResult): ChartDef {
  const rows = a.copied.map((c) => ({ year: String(c.year), statements: c.statements, copied: c.copied, share: c.share, reports: c.reports }));
  let reading: string;
  if (rows.length === 0) reading = `没有带年度的第五部分语句。${NO_DATA}`;
  else {
    const tot = rows.reduce((s, r) => s + r.statements, 0);
    const cop = rows.reduce((s, r) => s + r.copied, 0);
    const top = [...rows].sort((x, y) => (y.share ?? 0) - (x.share ?? 0))[0];
    reading = `全部${tot}条语句中有${cop}条（${pct(tot ? cop / tot : null)}）与更早报告的语句高度相似；比例最高的是${yearLabel(top.year)}（${top.statements}条中${top.copied}条，${pct(top.share)}）。`;
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'statements', label: '语句数', format: 'int' },
    { key: 'copied', label: '雷同语句数', format: 'int' },
    { key: 'share', label: '占比', format: 'pct' },
    { key: 'reports', label: '报告数', format: 'int' },
  ];
  return {
    name: 'copied_text_share_by_year',
    title: '与更早报告雷同的问题与措施语句占比（按年度）',
    spec: baseSpec('与更早报告雷同的问题与措施语句占比（按年度）', rows, {
      width: { step: 48 },
      height: 240,
      layer: [
        {
          mark: { type: 'bar', color: '#b65f2a' },
          encoding: {
            x: { field: 'year', type: 'ordinal', title: '年度', axis: { labelAngle: 0 } },
            y: { field: 'share', type: 'quantitative', title: '雷同语句占比', axis: { format: '.0%' }, scale: { domain: [0, upperBound(rows.map((r) => r.share), 0.1)], nice: true } },
            tooltip: tooltipOf(columns),
          },
        },
        {
          mark: { type: 'text', dy: -6, fontSize: 10 },
          encoding: {
            x: { field: 'year', type: 'ordinal' },
            y: { field: 'share', type: 'quantitative' },
            text: { field: 'share', type: 'quantitative', format: '.0%' },
          },
        },
      ],
    }),
    columns,
    rows,
    reading,
  };
}

function failuresChart(a: AnalysisResult, L: Labels): ChartDef {
  // One cell per rule × year: severities summed (the table keeps them apart).
  const cell = new Map<string, { year: string; rule: string; findings: number; errors: number }>();
  for (const f of a.failures) {
    const k = `${f.year}\u0000${f.rule}`;
    const e = cell.get(k) ?? { year: f.year, rule: f.rule, findings: 0, errors: 0 };
    e.findings += f.findings;
    if (f.severity === 'error') e.errors += f.findings;
    cell.set(k, e);
  }
  const rows = [...cell.values()].map((c) => ({ ...c, rule_name: L.rule(c.rule) }));
  let reading: string;
  if (rows.length === 0) reading = '所有报告均未触发错误或警告级别的检查规则。';
  else {
    const byRule = new Map<string, number>();
    for (const r of rows) byRule.set(r.rule_name, (byRule.get(r.rule_name) ?? 0) + r.findings);
    const [topRule, topN] = [...byRule.entries()].sort((x, y) => y[1] - x[1])[0];
    const total = rows.reduce((s, r) => s + r.findings, 0);
    reading = `共${total}条错误或警告，最常见的是${topRule}，${topN}条。检查结果指出需要人工核对的表格与正文，并不都意味着报告本身有误。`;
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'rule_name', label: '规则' },
    { key: 'rule', label: '规则编号' },
    { key: 'findings', label: '条数', format: 'int' },
    { key: 'errors', label: '其中错误', format: 'int' },
  ];
  return {
    name: 'check_failures_by_rule_and_year',
    title: '校验未通过（错误与警告）按规则与年度',
    spec: heatmapSpec('校验未通过（错误与警告）按规则与年度', rows, {
      x: { field: 'year', title: '年度' },
      y: { field: 'rule_name', title: '规则' },
      value: { field: 'findings', title: '条数', scheme: 'reds', format: 'd' },
      columns,
      xStep: 56,
    }),
    columns,
    rows,
    reading,
  };
}

function requestsChart(a: AnalysisResult): ChartDef {
  const rows = a.requests.map((r) => ({
    year: String(r.year),
    reports: r.reports,
    reports_with_value: r.reports_with_value,
    total_received: r.total_received,
    median_received: r.median_received,
  }));
  const usable = rows.filter((r) => r.reports_with_value > 0);
  let reading: string;
  if (usable.length === 0) reading = `没有报告给出本年新收申请数。${NO_DATA}`;
  else {
    const last = usable[usable.length - 1];
    reading = `${yearLabel(last.year)}有${last.reports_with_value}份报告给出本年新收申请数，合计${last.total_received}件，中位数${fmtNum(last.median_received, 1)}件。`;
    const missing = rows.reduce((s, r) => s + r.reports - r.reports_with_value, 0);
    if (missing) reading += `另有${missing}份报告未给出该数（未计入）。`;
  }
  const columns: TableColumn[] = [
    { key: 'year', label: '年度' },
    { key: 'reports', label: '报告数', format: 'int' },
    { key: 'reports_with_value', label: '给出新收数的报告', format: 'int' },
    { key: 'total_received', label: '新收合计', format: 'int' },
    { key: 'median_received', label: '中位数', format: 'num' },
  ];
  return {
    name: 'requests_received_by_year',
    title: '本年新收政府信息公开申请（按年度）',
    spec: baseSpec('本年新收政府信息公开申请（按年度）', usable, {
      width: { step: 48 },
      height: 240,
      mark: { type: 'bar', color: '#3d7ab8' },
      encoding: {
        x: { field: 'year', type: 'ordinal', title: '年度', axis: { labelAngle: 0 } },
        y: { field: 'total_received', type: 'quantitative', title: '新收申请合计（件）', scale: { domain: [0, upperBound(usable.map((r) => r.total_received), 10)], nice: true } },
        tooltip: tooltipOf(columns),
      },
    }),
    columns,
    rows,
    reading,
  };
}

/** All charts of the theme report, in page order. */
export function buildCharts(a: AnalysisResult, themeNames: Record<string, string> = {}, comparedMetrics: MetricKey[] = DEFAULT_COMPARED_METRICS): ChartDef[] {
  const L = makeLabels(themeNames);
  const metrics = [...new Set(a.themeVsMetric.map((r) => r.metric))];
  const charts = [
    themePrevalenceChart(a, L),
    themeGroupHeatmap(a, L, 'level', a.prevalenceByLevel),
    // --by region|template adds that view; year and level are always there.
    ...(a.by === 'region' || a.by === 'template' ? [themeGroupHeatmap(a, L, a.by, a.prevalence)] : []),
    requestsChart(a),
    outcomesChart(a, L),
    correctionChart(a, L),
    ...(metrics.length ? metrics : comparedMetrics).map((m) => themeVsMetricChart(a, L, m)),
    topTermsChart(a),
    copiedChart(a),
    failuresChart(a, L),
  ];
  return charts.map((c) => (chartValues(c.spec).length ? c : { ...c, spec: noDataSpec(c.title) }));
}

function chartValues(spec: VegaLiteSpec): unknown[] {
  const data = (spec as { data?: { values?: unknown[] } }).data;
  return data?.values ?? [];
}

/** An empty chart draws axes and legends on top of each other; say "no data" in its place instead. */
function noDataSpec(title: string): VegaLiteSpec {
  return baseSpec(title, [{ text: '无数据' }], {
    width: 360,
    height: 80,
    mark: { type: 'text', fontSize: 16, color: '#888' },
    encoding: { text: { field: 'text', type: 'nominal' } },
  });
}

export interface RenderedChart extends ChartDef {
  svg: string;
  /** Files written, relative to the output folder. */
  files: { spec: string; svg: string; png: string };
  timings: { svgMs: number; subsetMs: number; pngMs: number };
}

/**
 * Write charts/<name>.vl.json, .svg and .png for each chart. Each spec is compiled first, so an
 * invalid spec fails with the chart's name.
 */
export async function renderCharts(charts: ChartDef[], outDir: string): Promise<RenderedChart[]> {
  const dir = join(outDir, 'charts');
  mkdirSync(dir, { recursive: true });
  const svgs: { svg: string; svgMs: number }[] = [];
  for (const c of charts) {
    compileSpec(c.spec, c.name);
    await writeFileAtomic(join(outDir, 'charts', `${c.name}.vl.json`), JSON.stringify(c.spec, null, 2) + '\n');
    const t0 = performance.now();
    const svg = await renderSvg(c.spec, c.name);
    svgs.push({ svg, svgMs: performance.now() - t0 });
    await writeFileAtomic(join(outDir, 'charts', `${c.name}.svg`), svg);
  }
  // One font subset for the whole batch: its characters are the union of every chart's text.
  const t0 = performance.now();
  const font = await subsetChartFont(svgs.map((s) => s.svg).join(''));
  const subsetMs = performance.now() - t0;
  const out: RenderedChart[] = [];
  for (const [i, c] of charts.entries()) {
    const files = { spec: `charts/${c.name}.vl.json`, svg: `charts/${c.name}.svg`, png: `charts/${c.name}.png` };
    const png = await svgToPng(svgs[i].svg, 2, font);
    await writeFileAtomic(join(outDir, files.png), png.png);
    out.push({ ...c, svg: svgs[i].svg, files, timings: { svgMs: svgs[i].svgMs, subsetMs: i === 0 ? subsetMs : 0, pngMs: png.rasterMs } });
  }
  return out;
}
