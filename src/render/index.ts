/**
 * Render stage: AnalysisResult → charts (Vega-Lite specs, SVG, PNG), report.html, summary.md, tables/*.csv.
 */
import { join } from 'node:path';
import type { AnalysisResult } from '../analyze/index.js';
import { writeFileAtomic } from '../io/index.js';
import { buildCharts, renderCharts, type RenderedChart } from './charts.js';
import { renderReportHtml, renderSummaryMarkdown, writeTables, type ReportMeta } from './html.js';

export * from './charts.js';
export * from './html.js';
export { renderSvg, svgToPng, rasterizeSvg, compileSpec, type VegaLiteSpec, type PngResult, type Raster } from './svg.js';
export { chartFontPath, subsetChartFont, CHART_FONT_FAMILY, CHART_FONT_STACK } from './font.js';
export { installCjkTextMetrics, estimateTextWidth } from './metrics-text.js';
export { makeLabels, type Labels } from './labels.js';

export interface RenderReportResult {
  charts: RenderedChart[];
  /** Files written, relative to the output folder. */
  files: string[];
  /** Milliseconds per chart: SVG, font subset and PNG. */
  timings: { name: string; svgMs: number; subsetMs: number; pngMs: number }[];
}

/** Write the theme report of an analysis into outDir (which must exist and be writable). */
export async function renderReport(a: AnalysisResult, outDir: string, meta: ReportMeta): Promise<RenderReportResult> {
  const charts = await renderCharts(buildCharts(a, meta.themeNames), outDir);
  const tables = await writeTables(outDir, a, charts);
  await writeFileAtomic(join(outDir, 'report.html'), await renderReportHtml(a, charts, meta));
  await writeFileAtomic(join(outDir, 'summary.md'), renderSummaryMarkdown(a, charts, meta));
  return {
    charts,
    files: [
      'report.html',
      'summary.md',
      ...charts.flatMap((c) => [c.files.spec, c.files.svg, c.files.png]),
      ...tables,
    ],
    timings: charts.map((c) => ({ name: c.name, ...c.timings })),
  };
}
