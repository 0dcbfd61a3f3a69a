/**
 * Cell grids: placing merged cells (rowspan/colspan) into slots, tidying grids, and printing them as
 * the pipe tables the text parser maps ("| a | b | c |", a merged cell printed once at its origin).
 */
import type { Grid, GridCell } from '../model/types.js';

export interface RawCell {
  text: string;
  rowspan: number;
  colspan: number;
}

/** Largest span honoured; beyond it the attribute is treated as a typo (Word sometimes writes 999). */
const MAX_SPAN = 200;

function span(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), MAX_SPAN) : 1;
}

/**
 * Place rows of cells (as printed, spans from the markup) into a rectangular grid. A rowspan that runs
 * past the last row is cut at the table's end; short rows are padded with empty cells.
 */
export function placeCells(rows: RawCell[][]): Grid {
  const slots: (GridCell | undefined)[][] = rows.map(() => []);
  rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (slots[r][c]) c++;
      const rowspan = Math.min(span(cell.rowspan), rows.length - r);
      const colspan = span(cell.colspan);
      const placed: GridCell = { text: cell.text, rowspan, colspan, origin: [r, c] };
      for (let dr = 0; dr < rowspan; dr++) {
        for (let dc = 0; dc < colspan; dc++) {
          // A slot already claimed by an earlier rowspan keeps its owner (overlapping spans in bad markup).
          if (!slots[r + dr][c + dc]) slots[r + dr][c + dc] = placed;
        }
      }
      c += colspan;
    }
  });
  const width = Math.max(0, ...slots.map((row) => row.length));
  const grid: Grid = slots.map((row, r) => {
    const out: GridCell[] = [];
    for (let c = 0; c < width; c++) out.push(row[c] ?? { text: '', rowspan: 1, colspan: 1, origin: [r, c] });
    return out;
  });
  return compactGrid(grid);
}

/**
 * Tidy a placed grid so its slots line up with the printed table:
 * - rows and columns in which every slot is empty go (Word exports carry spacer columns, blank rows);
 * - a column (row) in which every slot belongs to a cell that also spans a neighbouring column (row)
 *   goes too: Word splits its grid wherever any column edge differs, so a data cell spread over two
 *   grid columns would otherwise print as a figure followed by a false blank. No cell is lost, since
 *   each cell in such a column also covers another one.
 */
export function compactGrid(grid: Grid): Grid {
  if (grid.length === 0 || grid[0].length === 0) return grid;
  const width = grid[0].length;
  let out = removeSlots(
    grid,
    grid.map((row) => row.some((cell) => cell.text.trim() !== '')),
    Array.from({ length: width }, (_, c) => grid.some((row) => row[c].text.trim() !== '')),
  );
  for (;;) {
    const rows = out.length;
    const cols = out[0]?.length ?? 0;
    const col = Array.from({ length: cols }, (_, c) => c).find((c) => cols > 1 && out.every((row) => row[c].colspan > 1));
    if (col !== undefined) {
      out = removeSlots(out, out.map(() => true), Array.from({ length: cols }, (_, c) => c !== col));
      continue;
    }
    const row = Array.from({ length: rows }, (_, r) => r).find((r) => rows > 1 && out[r].every((cell) => cell.rowspan > 1));
    if (row !== undefined) {
      out = removeSlots(out, Array.from({ length: rows }, (_, r) => r !== row), out[0].map(() => true));
      continue;
    }
    return out;
  }
}

/** Keep the marked rows and columns; recompute every cell's origin and spans over what is kept. */
function removeSlots(grid: Grid, keepRows: boolean[], keepCols: boolean[]): Grid {
  if (keepRows.every(Boolean) && keepCols.every(Boolean)) return grid;
  const rowMap: number[] = [];
  const colMap: number[] = [];
  let n = 0;
  keepRows.forEach((k, i) => (rowMap[i] = k ? n++ : -1));
  n = 0;
  keepCols.forEach((k, i) => (colMap[i] = k ? n++ : -1));

  // One new cell object per old merged cell, so slots of one merged cell stay the same object.
  const remapped = new Map<GridCell, GridCell>();
  const out: Grid = [];
  grid.forEach((row, r) => {
    if (rowMap[r] < 0) return;
    const newRow: GridCell[] = [];
    row.forEach((cell, c) => {
      if (colMap[c] < 0) return;
      let copy = remapped.get(cell);
      if (!copy) {
        const [or, oc] = cell.origin;
        const rows = range(or, or + cell.rowspan).filter((i) => rowMap[i] >= 0);
        const cols = range(oc, oc + cell.colspan).filter((i) => colMap[i] >= 0);
        copy = {
          text: cell.text,
          rowspan: Math.max(1, rows.length),
          colspan: Math.max(1, cols.length),
          origin: [rowMap[rows[0] ?? r], colMap[cols[0] ?? c]],
        };
        remapped.set(cell, copy);
      }
      newRow.push(copy);
    });
    out.push(newRow);
  });
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** Cell text fit for one pipe-table slot: one line, no pipe characters. */
function slotText(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '｜').trim();
}

/** The grid as pipe-table lines: one grid row per line, a merged cell's text at its origin slot only. */
export function gridToPipeLines(grid: Grid): string[] {
  return grid.map((row, r) => {
    const cells = row.map((cell, c) => (cell.origin[0] === r && cell.origin[1] === c ? slotText(cell.text) : ''));
    return `| ${cells.join(' | ')} |`;
  });
}

/** Plain copies of the grid's cells (merged cells become separate objects): JSON- and worker-safe. */
export function plainGrid(grid: Grid): Grid {
  return grid.map((row) => row.map((cell) => ({ ...cell, origin: [cell.origin[0], cell.origin[1]] as [number, number] })));
}
