/**
 * Chart rendering figures: per chart, Vega-Lite → SVG, font subsetting and PNG rasterising with the
 * subset font; then one chart rasterised with the full Noto Sans SC for comparison.
 * Run: npx tsx scripts/bench-charts.ts [corpus folder]   (default: a synthetic analysis, no parsing)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { analyzeCorpus } from '../src/analyze/index.js';
import { buildCharts, chartFontPath, renderCharts, CHART_FONT_FAMILY } from '../src/render/index.js';
import { syntheticCorpus } from '../test/render/fixture.js';

const out = mkdtempSync(join(tmpdir(), 'ogi-bench-charts-'));
try {
  const { reports, statements } = syntheticCorpus();
  const analysis = analyzeCorpus(reports, statements);
  const t0 = performance.now();
  const charts = await renderCharts(buildCharts(analysis), out);
  const total = performance.now() - t0;
  console.log('chart                               svg ms  subset ms  png ms');
  for (const c of charts) {
    const t = c.timings;
    console.log(`${c.name.padEnd(36)}${t.svgMs.toFixed(0).padStart(6)}${t.subsetMs.toFixed(0).padStart(11)}${t.pngMs.toFixed(0).padStart(8)}`);
  }
  console.log(`${charts.length} charts in ${total.toFixed(0)} ms (one font subset for the batch, listed on the first chart)`);

  const sample = charts.find((c) => c.name === 'theme_level_heatmap') ?? charts[0];
  const t1 = performance.now();
  new Resvg(sample.svg, {
    font: { loadSystemFonts: false, fontFiles: [chartFontPath()], defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
  })
    .render()
    .asPng();
  console.log(`${sample.name} PNG with the full font: ${(performance.now() - t1).toFixed(0)} ms (with the subset: ${sample.timings.pngMs.toFixed(0)} ms)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
