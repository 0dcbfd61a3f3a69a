/**
 * Text width for Vega without node-canvas. Vega's fallback estimate is 0.8 em per character, too
 * narrow for CJK (a Han character is a full 1 em), so titles and labels were clipped. This estimator
 * uses per-class advance widths close to Noto Sans SC's.
 */
import * as vega from 'vega';

/** vega re-exports vega-scenegraph's textMetrics at run time, but its typings omit it. */
type WidthFn = (item: TextItem, text: unknown) => number;
const textMetrics = (vega as unknown as { textMetrics: { width: WidthFn } }).textMetrics;

/** True for characters set on a full em square: CJK ideographs, kana, hangul, full-width forms. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Advance width in em of one character (approximate, for Noto Sans SC Regular). */
export function charWidthEm(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (isWide(cp)) return 1;
  if (ch === ' ') return 0.224;
  if (/[0-9]/.test(ch)) return 0.555;
  if (/[iIjl|.,:;'!`]/.test(ch)) return 0.26;
  if (/[ftr()[\]{}\-"/\\]/.test(ch)) return 0.34;
  if (/[mwMW]/.test(ch)) return 0.84;
  if (/[A-Z]/.test(ch)) return 0.64;
  if (/[a-z]/.test(ch)) return 0.53;
  if (ch === '…' || ch === '—') return 1;
  return 0.58;
}

export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charWidthEm(ch);
  return em * fontSize * (bold ? 1.05 : 1);
}

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

let installed = false;

/**
 * Replace vega's text width function (process-wide, once). Measures the raw text: vega's own
 * textValue() would call back into this function to truncate, so truncation is modelled here by
 * capping at the item's limit.
 */
export function installCjkTextMetrics(): void {
  if (installed) return;
  installed = true;
  textMetrics.width = (item: TextItem, text: unknown) => {
    const s = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const w = estimateTextWidth(s, size, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
}
