/**
 * Server-side chart rendering: Vega-Lite spec → Vega (compile) → SVG (vega View, renderer 'none')
 * → PNG (resvg, with the CJK font subset to the chart's characters).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseVega, View, type LoggerInterface } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { installCjkTextMetrics } from './metrics-text.js';
import { CHART_FONT_FAMILY, subsetChartFont } from './font.js';

export type VegaLiteSpec = TopLevelSpec;

/**
 * Compile with vega-lite; throws with the chart name when the spec is invalid. Vega-Lite's warnings
 * (dropped channels, incompatible types) go to `warnings` instead of the console.
 */
export function compileSpec(spec: VegaLiteSpec, name = 'chart', warnings: string[] = []) {
  const record = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const logger = { level: () => 0, error: record, warn: record, info: () => logger, debug: () => logger } as unknown as LoggerInterface;
  try {
    return compile(spec, { logger }).spec;
  } catch (e) {
    throw new Error(`chart ${name}: Vega-Lite spec does not compile: ${(e as Error).message}`);
  }
}

export async function renderSvg(spec: VegaLiteSpec, name = 'chart', warnings: string[] = []): Promise<string> {
  installCjkTextMetrics();
  const vgSpec = compileSpec(spec, name, warnings);
  const view = new View(parseVega(vgSpec), { renderer: 'none', logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngResult {
  png: Buffer;
  width: number;
  height: number;
  /** Milliseconds spent subsetting the font (0 when cached) and rasterising. */
  subsetMs: number;
  rasterMs: number;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Buffer;
  png: Buffer;
  subsetMs: number;
  rasterMs: number;
}

/**
 * Rasterise an SVG with only the subset CJK font loaded (no system fonts: same output everywhere).
 * font: a subset already made for a batch of charts (default: subset to this SVG's characters).
 */
export async function rasterizeSvg(svg: string, scale = 2, font?: Buffer): Promise<Raster> {
  const t0 = performance.now();
  font ??= await subsetChartFont(svg);
  const t1 = performance.now();
  // resvg-js reads fonts from files only; the subset lives in a private temp folder for this call.
  const dir = mkdtempSync(join(tmpdir(), 'ogi-font-'));
  try {
    const fontFile = join(dir, 'chart-font.ttf');
    writeFileSync(fontFile, font);
    const resvg = new Resvg(svg, {
      font: {
        loadSystemFonts: false,
        fontFiles: [fontFile],
        defaultFontFamily: CHART_FONT_FAMILY,
        sansSerifFamily: CHART_FONT_FAMILY,
        serifFamily: CHART_FONT_FAMILY,
        monospaceFamily: CHART_FONT_FAMILY,
      },
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      logLevel: 'off',
    });
    const img = resvg.render();
    const png = img.asPng();
    return { width: img.width, height: img.height, pixels: img.pixels, png, subsetMs: t1 - t0, rasterMs: performance.now() - t1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function svgToPng(svg: string, scale = 2, font?: Buffer): Promise<PngResult> {
  const { png, width, height, subsetMs, rasterMs } = await rasterizeSvg(svg, scale, font);
  return { png, width, height, subsetMs, rasterMs };
}
