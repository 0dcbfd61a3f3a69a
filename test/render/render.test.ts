import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { analyzeCorpus } from '../../src/analyze/index.js';
import {
  buildCharts,
  chartFontPath,
  compileSpec,
  estimateTextWidth,
  escapeHtml,
  overviewLines,
  rasterizeSvg,
  renderReport,
  renderSvg,
  subsetChartFont,
  yearRanges,
  type RenderReportResult,
  type VegaLiteSpec,
} from '../../src/render/index.js';
import { makeReport } from '../analyze/make.js';
import { syntheticCorpus } from './fixture.js';

// A private folder per run: another test run in the same tree must not delete our files mid-test.
const TMP = mkdtempSync(join(tmpdir(), 'ogi-render-test-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** The charts the brief asks for, by file stem. */
const REQUIRED_CHARTS = [
  'theme_prevalence_by_year',
  'theme_level_heatmap',
  'request_outcomes_by_year',
  'correction_rates_by_year',
  'theme_vs_requests_received',
  'top_terms_by_year',
  'copied_text_share_by_year',
  'check_failures_by_rule_and_year',
];

const meta = (filters: string[] = []) => ({ generatedAt: '2026-01-01T00:00:00Z', inputs: ['synthetic'], filters });

describe('chart specs', () => {
  const { reports, statements } = syntheticCorpus();
  const analysis = analyzeCorpus(reports, statements, { bootstrapResamples: 200 });
  const charts = buildCharts(analysis);

  it('has every required chart, each compiling with vega-lite without warnings', () => {
    expect(charts.map((c) => c.name)).toEqual(expect.arrayContaining(REQUIRED_CHARTS));
    for (const c of charts) {
      const warnings: string[] = [];
      const vg = compileSpec(c.spec, c.name, warnings);
      expect(vg.marks?.length ?? 0, c.name).toBeGreaterThan(0);
      expect(warnings, c.name).toEqual([]);
      // The plain vega-lite compile (what a user of charts/*.vl.json runs) accepts the file as written.
      expect(() => compile(JSON.parse(JSON.stringify(c.spec)))).not.toThrow();
    }
  });

  it('writes readings from the data', () => {
    const outcomes = charts.find((c) => c.name === 'request_outcomes_by_year')!;
    const y2023 = analysis.outcomes.filter((o) => o.year === 2023);
    const disclosed = y2023.filter((o) => o.outcome === 'granted' || o.outcome === 'partially_granted').reduce((s, o) => s + (o.share ?? 0), 0);
    expect(outcomes.reading).toContain('2023年');
    expect(outcomes.reading).toContain(`${(disclosed * 100).toFixed(1)}%`);
    for (const c of charts) expect(c.reading.length, c.name).toBeGreaterThan(10);
  });

  it('adds the --by view for region or template', () => {
    const byRegion = buildCharts(analyzeCorpus(reports.map((r, i) => ({ ...r, region: i % 2 ? '浙江省' : '四川省' })), statements, { by: 'region', bootstrapResamples: 50 }));
    const region = byRegion.find((c) => c.name === 'theme_region_heatmap')!;
    expect(region.rows.map((r) => r.group_name)).toEqual(expect.arrayContaining(['浙江省', '四川省']));
    expect(charts.find((c) => c.name === 'theme_region_heatmap')).toBeUndefined();
  });

  it('says so when there is nothing to draw', () => {
    const empty = buildCharts(analyzeCorpus([], []));
    expect(empty.map((c) => c.name)).toEqual(expect.arrayContaining(REQUIRED_CHARTS));
    for (const c of empty) {
      expect(c.rows).toEqual([]);
      expect(c.reading, c.name).toMatch(/没有|不足|未触发/);
      // In place of empty axes the chart says 无数据.
      expect(JSON.stringify(c.spec), c.name).toContain('无数据');
    }
  });
});

describe('text metrics and fonts', () => {
  it('measures CJK at 1 em and Latin narrower', () => {
    expect(estimateTextWidth('政策解读', 10)).toBe(40);
    expect(estimateTextWidth('2020', 10)).toBeCloseTo(22.2, 5);
    expect(estimateTextWidth('政策', 10)).toBeGreaterThan(estimateTextWidth('ab', 10));
  });

  it('sizes the chart to a long Chinese title (vega would clip it with its 0.8 em estimate)', async () => {
    const title = '各年度依申请公开办理结果构成与行政复议纠正率的长标题用于检查宽度';
    const spec = {
      title: { text: title, fontSize: 20 },
      width: 40,
      height: 40,
      data: { values: [{ a: 1 }] },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' } },
    } as unknown as VegaLiteSpec;
    const svg = await renderSvg(spec);
    const width = Number(/<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    expect(width).toBeGreaterThanOrEqual(title.length * 20);
  });

  it('subsets the shipped Noto Sans SC to a small file', async () => {
    const full = statSync(chartFontPath()).size;
    const sub = await subsetChartFont('政府信息公开工作年度报告');
    expect(sub.length).toBeLessThan(full / 50);
    expect(sub.subarray(0, 4).toString('hex')).toBe('00010000'); // TrueType
  });

  it('rasterises Chinese text as glyphs (ink where the characters are)', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-size="28" font-family="Noto Sans SC">政府信息</text></svg>';
    const img = await rasterizeSvg(svg, 1);
    let dark = 0;
    for (let i = 0; i < img.pixels.length; i += 4) if (img.pixels[i] < 128) dark++;
    // Four 28px glyphs cover a few hundred dark pixels; a missing font renders nothing at all.
    expect(dark).toBeGreaterThan(300);
    const blank = await rasterizeSvg('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>', 1);
    expect(blank.pixels.every((v) => v === 255)).toBe(true);
  });
});

describe('renderReport', () => {
  let out: string;
  let res: RenderReportResult;
  beforeAll(async () => {
    out = join(TMP, 'full');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const { reports, statements } = syntheticCorpus();
    res = await renderReport(analyzeCorpus(reports, statements, { bootstrapResamples: 200 }), out, meta());
  });

  it('writes spec, SVG and PNG per chart, report.html, summary.md and BOM CSVs', () => {
    for (const c of res.charts) {
      for (const f of [c.files.spec, c.files.svg, c.files.png]) expect(existsSync(join(out, f)), f).toBe(true);
      expect(readFileSync(join(out, c.files.png)).subarray(1, 4).toString()).toBe('PNG');
      expect(readFileSync(join(out, c.files.svg), 'utf8')).toMatch(/^<svg[^>]*class="marks"/);
      const csv = readFileSync(join(out, 'tables', `${c.name}.csv`), 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
    }
    expect(readFileSync(join(out, 'tables', 'report_metrics.csv'), 'utf8').split('\r\n')[0]).toContain('disclosure_rate');
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('## 依申请公开办理结果构成（按年度）');
    expect(md).toContain('以下年度没有报告：2022年');
  });

  it('lists each file it writes once, every one of them on disk', () => {
    expect(new Set(res.files).size).toBe(res.files.length);
    for (const f of res.files) expect(existsSync(join(out, f)), f).toBe(true);
    // The year chart's name is the analysis table's (every theme and year, zeros included), written once.
    const header = readFileSync(join(out, 'tables', 'theme_prevalence_by_year.csv'), 'utf8').split('\r\n')[0];
    expect(header).toBe('\ufeffby,group,theme,reports,reports_with_section5,reports_with_theme,share');
  });

  it('with --by level writes theme_prevalence_by_level once', async () => {
    const byLevel = join(TMP, 'by-level');
    mkdirSync(byLevel, { recursive: true });
    const { reports, statements } = syntheticCorpus();
    const r = await renderReport(analyzeCorpus(reports, statements, { bootstrapResamples: 50, by: 'level' }), byLevel, meta());
    expect(r.files.filter((f) => f === 'tables/theme_prevalence_by_level.csv')).toHaveLength(1);
    expect(new Set(r.files).size).toBe(r.files.length);
  });

  it('makes a self-contained page that runs nothing from the reports', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('@font-face');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(res.charts.length);
    expect(html.match(/<p class="reading">/g)).toHaveLength(res.charts.length);
    expect(html).toContain('lang="zh-CN"');
  });

  it('still writes a report that says so for empty input and for one report', async () => {
    const emptyOut = join(TMP, 'empty');
    rmSync(emptyOut, { recursive: true, force: true });
    mkdirSync(emptyOut, { recursive: true });
    const r = await renderReport(analyzeCorpus([], []), emptyOut, { ...meta(), manifest: [] });
    expect(r.charts.length).toBeGreaterThanOrEqual(REQUIRED_CHARTS.length);
    expect(readFileSync(join(emptyOut, 'report.html'), 'utf8')).toContain('没有找到可分析的报告');
    for (const c of r.charts) expect(existsSync(join(emptyOut, c.files.png))).toBe(true);

    // One report: the charts build (rendering is covered above) and the overview says what it can't show.
    const one = analyzeCorpus([makeReport({ id: 'x' })], []);
    expect(buildCharts(one).length).toBeGreaterThanOrEqual(REQUIRED_CHARTS.length);
    expect(overviewLines(one, meta()).join('')).toContain('只有1份报告');
  });
});

describe('helpers', () => {
  it('escapes markup and collapses year runs', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(yearRanges([2010, 2011, 2012, 2015, 2017, 2018])).toBe('2010—2012年、2015年、2017—2018年');
  });
});
