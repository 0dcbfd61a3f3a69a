/**
 * Test helper: lay a report out as a PDF with a real text layer, the way Word exports one: wrapped
 * paragraphs with an indented first line, tables with ruled borders, merged cells drawn as one box,
 * cell text wrapped inside its cell and vertically centred. The CJK font is subset to the characters
 * used (harfbuzz via subset-font) and embedded with pdf-lib + fontkit.
 */
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import subsetFont from 'subset-font';
import type { Grid } from '../../../src/model/types.js';

export type PdfBlock = { kind: 'para'; text: string } | { kind: 'table'; grid: Grid };

const FONT_PATH = 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
let fontBytes: Buffer | null = null;

const PAGE_W = 595;
const PAGE_H = 842;
const MARGIN = 56;
const TEXT_SIZE = 10.5;
const TABLE_SIZE = 7;
const PAD = 3;

function wrap(font: PDFFont, text: string, size: number, width: number, indent = 0): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = indent;
  for (const ch of text) {
    const w = font.widthOfTextAtSize(ch, size);
    if (line && lineWidth + w > width) {
      lines.push(line);
      line = '';
      lineWidth = 0;
    }
    line += ch;
    lineWidth += w;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

export interface PdfOptions {
  /** Draw cell borders (default true); without them the reader must cluster text into columns. */
  ruled?: boolean;
}

class Layout {
  page: PDFPage;
  y = PAGE_H - MARGIN;
  constructor(readonly doc: PDFDocument, readonly font: PDFFont, readonly ruled: boolean) {
    this.page = doc.addPage([PAGE_W, PAGE_H]);
  }
  newPage(): void {
    this.page = this.doc.addPage([PAGE_W, PAGE_H]);
    this.y = PAGE_H - MARGIN;
  }
  ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }
  para(text: string): void {
    const width = PAGE_W - 2 * MARGIN;
    const indent = TEXT_SIZE * 2;
    const lines = wrap(this.font, text, TEXT_SIZE, width, indent);
    lines.forEach((line, i) => {
      this.ensure(TEXT_SIZE * 1.6);
      this.y -= TEXT_SIZE * 1.6;
      this.page.drawText(line, { x: MARGIN + (i === 0 ? indent : 0), y: this.y, size: TEXT_SIZE, font: this.font });
    });
  }
  table(grid: Grid): void {
    const rows = grid.length;
    const cols = grid[0]?.length ?? 0;
    if (rows === 0 || cols === 0) return;
    const avail = PAGE_W - 2 * MARGIN;
    // Natural column widths from single-column cells, capped so long labels wrap; then fit the page.
    const natural = Array.from({ length: cols }, (_, c) => {
      let w = 14;
      for (let r = 0; r < rows; r++) {
        const cell = grid[r][c];
        if (cell.colspan === 1 && cell.origin[0] === r) w = Math.max(w, Math.min(this.font.widthOfTextAtSize(cell.text, TABLE_SIZE), 110) + 2 * PAD + 1);
      }
      return w;
    });
    const scale = Math.min(1, avail / natural.reduce((s, w) => s + w, 0));
    const widths = natural.map((w) => w * scale);
    const xs = [MARGIN];
    for (const w of widths) xs.push(xs[xs.length - 1] + w);
    const lineH = TABLE_SIZE * 1.35;
    const cellLines = (r: number, c: number): string[] => {
      const cell = grid[r][c];
      const width = xs[c + cell.colspan] - xs[c] - 2 * PAD;
      return cell.text ? wrap(this.font, cell.text, TABLE_SIZE, width) : [];
    };
    const heights = Array.from({ length: rows }, () => lineH + 2 * PAD);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cell = grid[r][c];
        if (cell.origin[0] !== r || cell.origin[1] !== c) continue;
        const need = cellLines(r, c).length * lineH + 2 * PAD;
        const have = heights.slice(r, r + cell.rowspan).reduce((s, h) => s + h, 0);
        if (need > have) heights[r + cell.rowspan - 1] += need - have;
      }
    }
    let r = 0;
    while (r < rows) {
      // Rows bound together by a rowspan go on one page.
      let end = r + 1;
      for (let k = r; k < end; k++) for (const cell of grid[k]) end = Math.max(end, cell.origin[0] + cell.rowspan);
      const blockH = heights.slice(r, end).reduce((s, h) => s + h, 0);
      this.ensure(blockH);
      const top = this.y;
      const ys = [top];
      for (let k = r; k < end; k++) ys.push(ys[ys.length - 1] - heights[k]);
      for (let k = r; k < end; k++) {
        for (let c = 0; c < cols; c++) {
          const cell = grid[k][c];
          if (cell.origin[0] !== k || cell.origin[1] !== c) continue;
          const x0 = xs[c];
          const x1 = xs[c + cell.colspan];
          const y0 = ys[k - r];
          const y1 = ys[k - r + cell.rowspan];
          const line = (a: [number, number], b: [number, number]): void => {
            this.page.drawLine({ start: { x: a[0], y: a[1] }, end: { x: b[0], y: b[1] }, thickness: 0.5, color: rgb(0, 0, 0) });
          };
          if (this.ruled) {
            line([x0, y0], [x1, y0]);
            line([x0, y1], [x1, y1]);
            line([x0, y0], [x0, y1]);
            line([x1, y0], [x1, y1]);
          }
          const lines = cellLines(k, c);
          const textH = lines.length * lineH;
          let ty = (y0 + y1) / 2 + textH / 2 - TABLE_SIZE;
          const numeric = /^[-\d.,]+$/.test(cell.text);
          for (const t of lines) {
            const tw = this.font.widthOfTextAtSize(t, TABLE_SIZE);
            const tx = numeric ? (x0 + x1) / 2 - tw / 2 : x0 + PAD;
            this.page.drawText(t, { x: tx, y: ty, size: TABLE_SIZE, font: this.font });
            ty -= lineH;
          }
        }
      }
      this.y = ys[ys.length - 1];
      r = end;
    }
    this.y -= TEXT_SIZE;
  }
}

/** A PDF of the blocks, with the CJK font subset to the characters used. */
export async function makePdf(blocks: PdfBlock[], opts: PdfOptions = {}): Promise<Uint8Array> {
  fontBytes ??= await readFile(FONT_PATH);
  const used = new Set<string>(' 0123456789');
  for (const b of blocks) {
    const texts = b.kind === 'para' ? [b.text] : b.grid.flat().map((c) => c.text);
    for (const t of texts) for (const ch of t) used.add(ch);
  }
  const subset = await subsetFont(fontBytes, [...used].join(''), { targetFormat: 'sfnt' });
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(subset, { subset: false });
  const layout = new Layout(doc, font, opts.ruled ?? true);
  for (const b of blocks) {
    if (b.kind === 'para') layout.para(b.text);
    else layout.table(b.grid);
  }
  return doc.save();
}
