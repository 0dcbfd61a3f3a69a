/**
 * The CJK font for charts: Noto Sans SC (shipped as an npm dependency), subset to the characters a
 * chart uses before it reaches resvg or the HTML page. resvg parses the whole font for every render:
 * the full font costs seconds per chart, a subset tens of milliseconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

/** Family name inside the font file; charts ask for it by this name. */
export const CHART_FONT_FAMILY = 'Noto Sans SC';
/** CSS font-family list used in chart specs and the HTML page. */
export const CHART_FONT_STACK = `"${CHART_FONT_FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif`;

const FONT_MODULE_PATH = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

/** Absolute path of the shipped font; throws with the expected location when it is missing. */
export function chartFontPath(): string {
  const require = createRequire(import.meta.url);
  let p: string;
  try {
    p = require.resolve(FONT_MODULE_PATH);
  } catch {
    throw new Error(`CJK chart font not found: node_modules/${FONT_MODULE_PATH} (run npm install)`);
  }
  if (!existsSync(p)) throw new Error(`CJK chart font not found: ${p}`);
  return p;
}

let fullFont: Buffer | null = null;
function loadFullFont(): Buffer {
  return (fullFont ??= readFileSync(chartFontPath()));
}

/** Characters of the text plus ASCII (axis numbers, ellipsis), deduplicated and sorted. */
export function glyphSet(text: string): string {
  const chars = new Set<string>([...text]);
  for (let c = 0x20; c < 0x7f; c++) chars.add(String.fromCharCode(c));
  for (const c of '…–—−·%％，。：；（）“”、') chars.add(c);
  return [...chars].sort().join('');
}

const subsetCache = new Map<string, Promise<Buffer>>();

/** The font subset to the characters of `text` (TrueType, or woff2 for the web page). */
export function subsetChartFont(text: string, format: 'truetype' | 'woff2' = 'truetype'): Promise<Buffer> {
  const glyphs = glyphSet(text);
  const key = `${format}:${glyphs}`;
  let p = subsetCache.get(key);
  if (!p) {
    p = subsetFont(loadFullFont(), glyphs, { targetFormat: format });
    subsetCache.set(key, p);
    // Keep the cache small: a long batch renders many different charts.
    if (subsetCache.size > 32) subsetCache.delete(subsetCache.keys().next().value!);
  }
  return p;
}
