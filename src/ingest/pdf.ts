/**
 * PDF with a text layer → SourceDocument (pdfjs-dist, legacy build for Node).
 *
 * Text items come with positions; the page is rebuilt in reading order (top to bottom):
 * - tables drawn with ruling lines (how Word and WPS export them) are rebuilt from the lines: row and
 *   column edges from the horizontal and vertical rules, merged cells where an inner rule is missing,
 *   text assigned to cells by position (so wrapped cell text stays in its cell);
 * - tables without rules are rebuilt by clustering text into rows (by y) and columns (by x extents);
 * - the remaining text becomes lines, and a line that runs to the right margin is joined with the next
 *   unless that one is indented (a wrapped paragraph, not a new one).
 * A PDF without any text is a scan: failed "scanned PDF: no text layer".
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Grid, GridCell } from '../model/types.js';
import { textPlausibility } from './decode.js';
import { IngestError, makeDocument } from './document.js';
import { compactGrid, gridToPipeLines, plainGrid } from './grid.js';
import type { Reader } from './read.js';

type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PDFPageProxy = import('pdfjs-dist/legacy/build/pdf.mjs').PDFPageProxy;
let pdfjsPromise: Promise<PdfjsModule> | null = null;
function loadPdfjs(): Promise<PdfjsModule> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** CJK PDFs often use predefined CMaps (UniGB-UCS2-H…): without them their text cannot be read. */
const CMAP_URL = join(pdfjsRoot, 'cmaps') + '/';
const STANDARD_FONTS_URL = join(pdfjsRoot, 'standard_fonts') + '/';

/** A run of text on the page, in PDF user space (y grows upwards; y is the baseline). */
export interface PositionedText {
  str: string;
  x: number;
  y: number;
  w: number;
  /** Font size (height of the text). */
  h: number;
}

/** A horizontal or vertical rule: from (x1,y1) to (x2,y2) with x1≤x2, y1≤y2. */
export interface Rule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, t: Matrix): Matrix {
  // Result = t × m (t applied first, as PDF's cm concatenates onto the CTM).
  return [
    t[0] * m[0] + t[1] * m[2],
    t[0] * m[1] + t[1] * m[3],
    t[2] * m[0] + t[3] * m[2],
    t[2] * m[1] + t[3] * m[3],
    t[4] * m[0] + t[5] * m[2] + m[4],
    t[4] * m[1] + t[5] * m[3] + m[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** Thickness under which a filled rectangle is a rule (Word draws borders as thin filled boxes). */
const RULE_THICKNESS = 2.5;
/** Rules shorter than this are glyph parts or decorations. */
const MIN_RULE_LENGTH = 4;

function ruleFromBox(x1: number, y1: number, x2: number, y2: number): Rule | null {
  const [ax, bx] = x1 <= x2 ? [x1, x2] : [x2, x1];
  const [ay, by] = y1 <= y2 ? [y1, y2] : [y2, y1];
  const w = bx - ax;
  const h = by - ay;
  if (h <= RULE_THICKNESS && w >= MIN_RULE_LENGTH) return { x1: ax, y1: (ay + by) / 2, x2: bx, y2: (ay + by) / 2 };
  if (w <= RULE_THICKNESS && h >= MIN_RULE_LENGTH) return { x1: (ax + bx) / 2, y1: ay, x2: (ax + bx) / 2, y2: by };
  return null;
}

/**
 * Rules drawn on a page, from its operator list: stroked horizontal/vertical segments and thin filled
 * boxes, with the current transformation matrix applied.
 */
function extractRules(pdfjs: PdfjsModule, ops: { fnArray: number[]; argsArray: unknown[] }, base: Matrix): Rule[] {
  const { OPS } = pdfjs;
  const rules: Rule[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = base;
  const FILLS = new Set<number>([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const STROKES = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);

  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? base;
    else if (fn === OPS.transform && args) ctm = multiply(ctm, args.map(Number) as Matrix);
    else if (fn === OPS.paintFormXObjectBegin && args) {
      stack.push(ctm);
      const m = args[0] as number[] | null;
      if (m && m.length === 6) ctm = multiply(ctm, Array.from(m) as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? base;
    else if (fn === OPS.constructPath && args) {
      const paint = args[0] as number;
      const data = (args[1] as (Float32Array | null)[] | null)?.[0];
      if (!data || !(data instanceof Float32Array)) continue;
      const fill = FILLS.has(paint);
      const stroke = STROKES.has(paint);
      if (!fill && !stroke) continue; // clipping paths, invisible paths
      collectPathRules(data, ctm, fill, stroke, rules);
    }
  }
  return rules;
}

/** Walk one path (DrawOPS: 0 moveTo, 1 lineTo, 2 curveTo, 3 quadraticCurveTo, 4 closePath). */
function collectPathRules(data: Float32Array, ctm: Matrix, fill: boolean, stroke: boolean, out: Rule[]): void {
  let subpath: [number, number][] = [];
  const finish = (): void => {
    if (subpath.length === 0) return;
    if (fill) {
      const xs = subpath.map((p) => p[0]);
      const ys = subpath.map((p) => p[1]);
      const r = ruleFromBox(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
      if (r) out.push(r);
    }
    subpath = [];
  };
  let start: [number, number] | null = null;
  let last: [number, number] | null = null;
  const segment = (a: [number, number], b: [number, number]): void => {
    if (!stroke) return;
    if (Math.abs(a[1] - b[1]) < 0.5 || Math.abs(a[0] - b[0]) < 0.5) {
      const r = ruleFromBox(a[0], a[1], b[0], b[1]);
      if (r) out.push(r);
    }
  };
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      finish();
      const p = apply(ctm, data[i++], data[i++]);
      start = p;
      last = p;
      subpath.push(p);
    } else if (op === 1) {
      const p = apply(ctm, data[i++], data[i++]);
      if (last) segment(last, p);
      last = p;
      subpath.push(p);
    } else if (op === 2) {
      i += 4;
      const p = apply(ctm, data[i++], data[i++]);
      last = p;
      subpath.push(p);
    } else if (op === 3) {
      i += 2;
      const p = apply(ctm, data[i++], data[i++]);
      last = p;
      subpath.push(p);
    } else if (op === 4) {
      if (last && start) segment(last, start);
      last = start;
    } else break; // unknown opcode: stop reading this path rather than misread it
  }
  finish();
}

// ---------------------------------------------------------------------------------------------
// Tables from rules (lattice)
// ---------------------------------------------------------------------------------------------

/** Sorted distinct values, merging values closer than tol. */
function clusterValues(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let group: number[] = [];
  for (const v of sorted) {
    if (group.length > 0 && v - group[group.length - 1] > tol) {
      out.push(group.reduce((s, x) => s + x, 0) / group.length);
      group = [];
    }
    group.push(v);
  }
  if (group.length > 0) out.push(group.reduce((s, x) => s + x, 0) / group.length);
  return out;
}

const TOL = 2;

function isHorizontal(r: Rule): boolean {
  return r.y1 === r.y2;
}

function touches(h: Rule, v: Rule): boolean {
  return v.x1 >= h.x1 - TOL && v.x1 <= h.x2 + TOL && h.y1 >= v.y1 - TOL && h.y1 <= v.y2 + TOL;
}

interface RuledTable {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Row edges from top to bottom (descending y), column edges left to right. */
  ys: number[];
  xs: number[];
  h: Rule[];
  v: Rule[];
}

/** Groups of crossing rules that enclose at least a 1×2 or 2×1 arrangement of cells. */
function findRuledTables(rules: Rule[]): RuledTable[] {
  const hs = rules.filter(isHorizontal);
  const vs = rules.filter((r) => !isHorizontal(r));
  const all = [...hs, ...vs];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < vs.length; j++) {
      if (touches(hs[i], vs[j])) parent[find(i)] = find(hs.length + j);
    }
  }
  const groups = new Map<number, Rule[]>();
  all.forEach((r, i) => {
    const root = find(i);
    const list = groups.get(root) ?? [];
    list.push(r);
    groups.set(root, list);
  });
  const tables: RuledTable[] = [];
  for (const group of groups.values()) {
    const h = group.filter(isHorizontal);
    const v = group.filter((r) => !isHorizontal(r));
    const ys = clusterValues(h.map((r) => r.y1), TOL).reverse();
    const xs = clusterValues(v.map((r) => r.x1), TOL);
    if (ys.length < 2 || xs.length < 2 || ys.length * xs.length < 6) continue;
    tables.push({ top: ys[0], bottom: ys[ys.length - 1], left: xs[0], right: xs[xs.length - 1], ys, xs, h, v });
  }
  return tables;
}

function hasVerticalAt(t: RuledTable, x: number, yLow: number, yHigh: number): boolean {
  const mid = (yLow + yHigh) / 2;
  return t.v.some((r) => Math.abs(r.x1 - x) <= TOL && r.y1 <= mid + TOL && r.y2 >= mid - TOL);
}

function hasHorizontalAt(t: RuledTable, y: number, xLow: number, xHigh: number): boolean {
  const mid = (xLow + xHigh) / 2;
  return t.h.some((r) => Math.abs(r.y1 - y) <= TOL && r.x1 <= mid + TOL && r.x2 >= mid - TOL);
}

/** Vertical middle of a text run (y is the baseline; glyphs sit mostly above it). */
function midY(t: PositionedText): number {
  return t.y + t.h * 0.35;
}

function midX(t: PositionedText): number {
  return t.x + t.w / 2;
}

function insideTable(t: PositionedText, table: RuledTable): boolean {
  const x = midX(t);
  const y = midY(t);
  return x >= table.left && x <= table.right && y <= table.top && y >= table.bottom;
}

/** Build the grid of a ruled table: slots from rule edges, merged where an inner rule is missing. */
function ruledTableGrid(table: RuledTable, items: PositionedText[]): Grid {
  const rows = table.ys.length - 1;
  const cols = table.xs.length - 1;
  const slotText: PositionedText[][][] = Array.from({ length: rows }, () => Array.from({ length: cols }, () => []));
  for (const item of items) {
    const y = midY(item);
    const x = midX(item);
    const r = table.ys.findIndex((edge, i) => i < rows && y <= edge && y >= table.ys[i + 1]);
    const c = table.xs.findIndex((edge, i) => i < cols && x >= edge && x <= table.xs[i + 1]);
    if (r >= 0 && c >= 0) slotText[r][c].push(item);
  }

  // Union slots not separated by a rule.
  const id = (r: number, c: number): number => r * cols + c;
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols && !hasVerticalAt(table, table.xs[c + 1], table.ys[r + 1], table.ys[r])) parent[find(id(r, c + 1))] = find(id(r, c));
      if (r + 1 < rows && !hasHorizontalAt(table, table.ys[r + 1], table.xs[c], table.xs[c + 1])) parent[find(id(r + 1, c))] = find(id(r, c));
    }
  }
  const extent = new Map<number, { r0: number; c0: number; r1: number; c1: number; items: PositionedText[] }>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const root = find(id(r, c));
      const e = extent.get(root) ?? { r0: r, c0: c, r1: r, c1: c, items: [] };
      e.r0 = Math.min(e.r0, r);
      e.c0 = Math.min(e.c0, c);
      e.r1 = Math.max(e.r1, r);
      e.c1 = Math.max(e.c1, c);
      e.items.push(...slotText[r][c]);
      extent.set(root, e);
    }
  }
  const cells = new Map<number, GridCell>();
  for (const [root, e] of extent) {
    cells.set(root, { text: joinLines(groupLines(e.items)), rowspan: e.r1 - e.r0 + 1, colspan: e.c1 - e.c0 + 1, origin: [e.r0, e.c0] });
  }
  // Not compacted yet: a table continued on the next page is joined first, by its column edges.
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => cells.get(find(id(r, c)))!));
}

// ---------------------------------------------------------------------------------------------
// Lines and segments
// ---------------------------------------------------------------------------------------------

interface TextLine {
  items: PositionedText[];
  y: number;
  x0: number;
  x1: number;
  h: number;
}

/** Cluster runs into lines by vertical overlap, each line's runs sorted left to right. */
function groupLines(items: PositionedText[]): TextLine[] {
  const sorted = [...items].sort((a, b) => midY(b) - midY(a) || a.x - b.x);
  const lines: TextLine[] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(midY(item) - line.y) <= Math.max(line.h, item.h) * 0.5) {
      line.items.push(item);
      line.x0 = Math.min(line.x0, item.x);
      line.x1 = Math.max(line.x1, item.x + item.w);
      line.h = Math.max(line.h, item.h);
    } else {
      lines.push({ items: [item], y: midY(item), x0: item.x, x1: item.x + item.w, h: item.h });
    }
  }
  for (const line of lines) line.items.sort((a, b) => a.x - b.x);
  return lines;
}

const CJK_CHAR = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/** Join runs of one line: no space between CJK characters, a space where a visible gap separates Latin/digits. */
function joinRuns(items: PositionedText[]): string {
  let out = '';
  let prev: PositionedText | null = null;
  for (const item of items) {
    if (prev) {
      const gap = item.x - (prev.x + prev.w);
      const a = out.slice(-1);
      const b = item.str.charAt(0);
      if (gap > Math.max(prev.h, item.h) * 0.25 && !(CJK_CHAR.test(a) && CJK_CHAR.test(b)) && a !== ' ' && b !== ' ') out += ' ';
    }
    out += item.str;
    prev = item;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Cell or paragraph text from lines: wrapped CJK lines join without a space. */
function joinLines(lines: TextLine[]): string {
  let out = '';
  for (const line of lines) {
    const text = joinRuns(line.items);
    if (!text) continue;
    if (out && !(CJK_CHAR.test(out.slice(-1)) || CJK_CHAR.test(text.charAt(0)))) out += ' ';
    out += text;
  }
  return out;
}

/** Split a line into segments at gaps wider than about one character (column gaps of unruled tables). */
function segments(line: TextLine): PositionedText[][] {
  const out: PositionedText[][] = [];
  let current: PositionedText[] = [];
  let prev: PositionedText | null = null;
  for (const item of line.items) {
    if (prev && item.x - (prev.x + prev.w) > Math.max(prev.h, item.h) * 0.6) {
      out.push(current);
      current = [];
    }
    current.push(item);
    prev = item;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Append cell text: wrapped CJK text joins without a space. */
function appendText(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return CJK_CHAR.test(a.slice(-1)) || CJK_CHAR.test(b.charAt(0)) ? a + b : `${a} ${b}`;
}

function segmentExtent(seg: PositionedText[]): [number, number] {
  return [seg[0].x, Math.max(...seg.map((i) => i.x + i.w))];
}

/**
 * Rebuild an unruled table from lines of segments. Rows: every line with two or more segments is a
 * row; a line with one segment (a wrapped label, text centred beside a taller cell) joins the row it
 * sits clearly closest to, or else is a row of its own. Columns: the x extents of the fullest rows.
 */
function streamTableGrid(lines: TextLine[]): Grid {
  const segs = lines.map(segments);
  const anchors = lines.map((_, i) => i).filter((i) => segs[i].length >= 2);
  const rowKey = lines.map((line, i) => {
    if (segs[i].length >= 2) return i;
    const near = anchors.map((a) => ({ a, d: Math.abs(lines[a].y - line.y) })).sort((x, y) => x.d - y.d);
    // Within about one line of an anchor, and clearly closer to it than to the next one.
    if (near.length === 0 || near[0].d > 1.5 * line.h) return i;
    if (near.length === 1 || near[0].d < 0.6 * near[1].d) return near[0].a;
    return i;
  });
  const rowKeys = [...new Set(rowKey)].sort((x, y) => lines[y].y - lines[x].y);

  const most = Math.max(...segs.map((r) => r.length));
  const spans = anchors
    .filter((i) => segs[i].length >= Math.max(2, most - 1))
    .flatMap((i) => segs[i].map(segmentExtent))
    .sort((a, b) => a[0] - b[0]);
  const columns: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = columns[columns.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else columns.push([a, b]);
  }
  const columnsOf = (seg: PositionedText[]): number[] => {
    const [a, b] = segmentExtent(seg);
    const hit = columns.map((col, i) => (Math.min(b, col[1]) - Math.max(a, col[0]) > 0 ? i : -1)).filter((i) => i >= 0);
    if (hit.length > 0) return hit;
    const mid = (a + b) / 2;
    let best = 0;
    columns.forEach((col, i) => {
      if (Math.abs((col[0] + col[1]) / 2 - mid) < Math.abs((columns[best][0] + columns[best][1]) / 2 - mid)) best = i;
    });
    return [best];
  };

  const grid: Grid = rowKeys.map((key, r) => {
    const row: (GridCell | undefined)[] = new Array(columns.length).fill(undefined);
    const members = lines.map((_, i) => i).filter((i) => rowKey[i] === key);
    for (const i of members) {
      for (const seg of segs[i]) {
        const hit = columnsOf(seg);
        const existing = row[hit[0]];
        if (existing) {
          existing.text = appendText(existing.text, joinRuns(seg));
          continue;
        }
        const cell: GridCell = { text: joinRuns(seg), rowspan: 1, colspan: 1, origin: [r, hit[0]] };
        for (const c of hit) {
          if (row[c]) break;
          row[c] = cell;
          cell.colspan = c - hit[0] + 1;
        }
      }
    }
    return row.map((cell, c) => cell ?? { text: '', rowspan: 1, colspan: 1, origin: [r, c] as [number, number] });
  });
  return compactGrid(grid);
}

// ---------------------------------------------------------------------------------------------
// Page layout
// ---------------------------------------------------------------------------------------------

type Block =
  | { kind: 'lines'; top: number; lines: TextLine[] }
  /** parts: the rules and text of a ruled table on each page it covers, kept to join a split table. */
  | { kind: 'table'; top: number; grid: Grid; parts: { table: RuledTable; items: PositionedText[] }[] | null };

function pageBlocks(items: PositionedText[], rules: Rule[]): Block[] {
  const tables = findRuledTables(rules);
  const blocks: Block[] = [];
  const free: PositionedText[] = [];
  const byTable = tables.map(() => [] as PositionedText[]);
  for (const item of items) {
    const t = tables.findIndex((table) => insideTable(item, table));
    if (t >= 0) byTable[t].push(item);
    else free.push(item);
  }
  tables.forEach((table, i) => {
    const grid = ruledTableGrid(table, byTable[i]);
    if (grid.length > 0 && grid.some((row) => row.some((c) => c.text))) blocks.push({ kind: 'table', top: table.top, grid, parts: [{ table, items: byTable[i] }] });
  });

  // Unruled tables: a run of closely spaced lines with at least two lines of two or more segments.
  // Short one-segment lines inside the run belong to it (wrapped labels); at its edges they are text
  // (a heading just above a table stays a heading).
  const lines = groupLines(free);
  const textWidth = lines.reduce((m, l) => Math.max(m, l.x1), -Infinity) - lines.reduce((m, l) => Math.min(m, l.x0), Infinity);
  const multi = lines.map((line) => segments(line).length >= 2);
  let i = 0;
  while (i < lines.length) {
    if (!multi[i]) {
      blocks.push({ kind: 'lines', top: lines[i].y, lines: [lines[i]] });
      i++;
      continue;
    }
    let end = i + 1;
    let lastMulti = i;
    while (end < lines.length) {
      const gap = lines[end - 1].y - lines[end].y;
      if (gap > 3 * Math.max(lines[end].h, lines[end - 1].h)) break;
      if (!multi[end] && lines[end].x1 - lines[end].x0 > 0.6 * textWidth) break;
      if (multi[end]) lastMulti = end;
      end++;
    }
    const run = lines.slice(i, lastMulti + 1);
    if (run.filter((_, k) => multi[i + k]).length >= 2) blocks.push({ kind: 'table', top: run[0].y, grid: streamTableGrid(run), parts: null });
    else for (const line of run) blocks.push({ kind: 'lines', top: line.y, lines: [line] });
    i = lastMulti + 1;
  }
  return blocks.sort((a, b) => b.top - a.top);
}

/** A line that opens a heading or an enumerated item ("二、", "（三）", "1.") starts a new paragraph. */
const ITEM_START = /^(第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d))/;

/**
 * Join wrapped paragraph lines: a line that reaches the right margin continues on the next line
 * unless that one is indented or starts a heading-like item.
 */
function paragraphs(lines: TextLine[], left: number, right: number): string[] {
  const out: string[] = [];
  let prevFull = false;
  for (const line of lines) {
    const text = joinRuns(line.items);
    if (!text) continue;
    const indented = line.x0 > left + line.h * 0.8;
    if (prevFull && !indented && !ITEM_START.test(text) && out.length > 0) out[out.length - 1] += text;
    else out.push(text);
    prevFull = line.x1 >= right - line.h * 1.5;
  }
  return out;
}

/** Text runs and rules of one page, in display space with y up. */
async function readPage(pdfjs: PdfjsModule, page: PDFPageProxy): Promise<{ items: PositionedText[]; rules: Rule[] }> {
  // Work in the page as displayed, y up: a landscape table on a /Rotate 90 page reads left to right.
  const viewport = page.getViewport({ scale: 1 });
  const display = multiply([1, 0, 0, -1, 0, viewport.height], viewport.transform as Matrix);
  const content = await page.getTextContent();
  const items: PositionedText[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const [a, b, c, d, e, f] = multiply(display, item.transform as Matrix);
    const h = Math.hypot(c, d) || Math.hypot(a, b) || item.height;
    // Rotated text (watermarks, stamps) is not part of the report's reading order.
    if (Math.abs(b) > 0.01 * Math.abs(a) + 0.01) continue;
    items.push({ str: item.str, x: e, y: f, w: item.width, h });
  }
  const ops = await page.getOperatorList();
  const rules = extractRules(pdfjs, ops as unknown as { fnArray: number[]; argsArray: unknown[] }, display);
  page.cleanup();
  return { items, rules };
}

export interface PdfText {
  text: string;
  tables: Grid[];
  pages: number;
  /** Characters in the text layer (0 for scans). */
  chars: number;
  /** Pages (1-based) whose content could not be read; the rest of the document still is. */
  brokenPages: number[];
}

/** Read a PDF's text layer into text (tables as pipe tables) and grids. */
export async function pdfToText(bytes: Uint8Array, signal?: AbortSignal): Promise<PdfText> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // pdfjs may detach the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONTS_URL,
    disableFontFace: true,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  });
  const onAbort = (): void => void task.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const detail = err instanceof Error ? err.message : String(err);
      if (name === 'PasswordException') throw new IngestError('encrypted PDF: a password is required');
      throw new IngestError(`damaged PDF: ${detail}`);
    }
    const blocks: Block[] = [];
    const brokenPages: number[] = [];
    let chars = 0;
    for (let p = 1; p <= doc.numPages; p++) {
      if (signal?.aborted) throw new IngestError('cancelled');
      let items: PositionedText[];
      let rules: Rule[];
      try {
        ({ items, rules } = await readPage(pdfjs, await doc.getPage(p)));
      } catch {
        if (signal?.aborted) throw new IngestError('cancelled');
        brokenPages.push(p);
        continue;
      }
      chars += items.reduce((n, item) => n + item.str.trim().length, 0);

      const pageBlocksList = pageBlocks(items, rules);
      // A ruled table that ends one page and opens the next at the same width is one table: both parts
      // are cut along all column edges of either part (a part may lack inner edges of merged labels).
      const last = blocks[blocks.length - 1];
      const first = pageBlocksList[0];
      if (last?.kind === 'table' && first?.kind === 'table' && last.parts && first.parts && sameWidth(last.parts[0].table, first.parts[0].table)) {
        last.parts.push(...first.parts);
        const xs = clusterValues(last.parts.flatMap((part) => part.table.xs), TOL);
        last.grid = [];
        for (const part of last.parts) {
          const grid = ruledTableGrid({ ...part.table, xs }, part.items);
          last.grid.push(...shiftRows(grid, last.grid.length));
        }
        pageBlocksList.shift();
      }
      blocks.push(...pageBlocksList);
    }
    const textLines = blocks.flatMap((bl) => (bl.kind === 'lines' ? bl.lines : []));
    // reduce, not spread: a long document has more lines than a call may take arguments.
    const left = textLines.reduce((m, l) => Math.min(m, l.x0), Infinity);
    const right = textLines.reduce((m, l) => Math.max(m, l.x1), -Infinity);
    const lines: string[] = [];
    const tables: Grid[] = [];
    let lineRun: TextLine[] = [];
    const flushLines = (): void => {
      if (lineRun.length > 0) lines.push(...paragraphs(lineRun, left, right));
      lineRun = [];
    };
    for (const block of blocks) {
      if (block.kind === 'lines') {
        lineRun.push(...block.lines);
        continue;
      }
      flushLines();
      const grid = plainGrid(compactGrid(block.grid));
      tables.push(grid);
      lines.push(...gridToPipeLines(grid));
    }
    flushLines();
    return { text: lines.join('\n'), tables, pages: doc.numPages, chars, brokenPages };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Destroying the loading task frees the document and its worker, on success and on failure.
    await task.destroy().catch(() => undefined);
  }
}

/** The rows of a grid moved down by offset (a table's continuation on the next page). */
function shiftRows(grid: Grid, offset: number): Grid {
  const moved = new Map<GridCell, GridCell>();
  return grid.map((row) =>
    row.map((cell) => {
      let copy = moved.get(cell);
      if (!copy) {
        copy = { ...cell, origin: [cell.origin[0] + offset, cell.origin[1]] };
        moved.set(cell, copy);
      }
      return copy;
    }),
  );
}

function sameWidth(a: RuledTable, b: RuledTable): boolean {
  return Math.abs(a.left - b.left) <= TOL && Math.abs(a.right - b.right) <= TOL;
}

/**
 * The first `limit` characters of text without table pipes and white space, stripping only as much of
 * text as that takes: each character is kept or dropped on its own, so a stripped prefix is a prefix
 * of the stripped whole. The prefix doubles until it yields enough, so the work stays a small multiple
 * of the prefix needed rather than the whole text.
 */
export function strippedHead(text: string, limit: number): string {
  for (let n = Math.max(limit, 1); ; n *= 2) {
    const head = text.slice(0, n).replace(/[|\s]/g, '');
    if (head.length >= limit || n >= text.length) return head.slice(0, limit);
  }
}

export const readPdf: Reader = async (bytes, ctx) => {
  const pdf = await pdfToText(bytes, ctx.signal);
  if (pdf.brokenPages.length === pdf.pages && pdf.pages > 0) throw new IngestError('damaged PDF: no page could be read');
  if (pdf.chars === 0) throw new IngestError('scanned PDF: no text layer');
  // Fonts embedded without a Unicode mapping give a text layer of control and private-use characters.
  if (textPlausibility(strippedHead(pdf.text, 20_000)) < 0.5) {
    throw new IngestError('PDF text layer is unreadable (fonts without a Unicode mapping): treat it as a scan');
  }
  const doc = makeDocument({ path: ctx.path, format: 'pdf', hash: ctx.hash }, pdf.text + '\n', pdf.tables);
  const broken = pdf.brokenPages.length > 0 ? `damaged PDF: page${pdf.brokenPages.length > 1 ? 's' : ''} ${pdf.brokenPages.join(', ')} of ${pdf.pages} could not be read` : '';
  return { documents: [doc], message: broken, partial: pdf.brokenPages.length > 0 };
};
