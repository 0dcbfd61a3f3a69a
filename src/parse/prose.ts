/**
 * Figures a report states in prose ("共受理政府信息公开申请15件", "没有因政府信息公开提起行政诉讼"),
 * by the patterns of src/data/parse-prose.json. Used for pre-2019 reports, which have no template
 * tables, and by validate to check the prose against the tables (text_table.mismatch).
 */
import type { TableCells } from '../model/types.js';
import { loadData } from './data.js';
import { foldText } from './normalize.js';

export interface ProseFigure {
  /** Full cell key, e.g. 'applications.new_received.total'. */
  key: string;
  value: number;
  /** The clause that states it, as printed. */
  quote: string;
  /** Offset of the statement in the text. */
  offset: number;
}

interface ProseData {
  patterns: { keys: string[]; re: string; value?: number }[];
  exclude_before: string[];
}
const DATA = loadData<ProseData>('parse-prose.json');
const PATTERNS = DATA.patterns.map((p) => ({ ...p, regex: new RegExp(p.re, 'g') }));

/** The clause around a match: from the previous clause break to the next one. */
function clauseAround(text: string, start: number, end: number): { quote: string; from: number } {
  let from = start;
  while (from > 0 && start - from < 60 && !/[。;；！？\n]/.test(text[from - 1])) from--;
  let to = end;
  while (to < text.length && to - end < 40 && !/[。;；,，！？\n]/.test(text[to])) to++;
  return { quote: text.slice(from, to).trim(), from };
}

export function extractProseFigures(text: string): ProseFigure[] {
  const folded = foldText(text);
  const out: ProseFigure[] = [];
  const seen = new Set<string>();
  for (const p of PATTERNS) {
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(folded); m; m = p.regex.exec(folded)) {
      const { quote, from } = clauseAround(text, m.index, m.index + m[0].length);
      // A part of a breakdown (其中…) or a running total over years is not the year's figure.
      const lead = folded.slice(from, m.index);
      if (DATA.exclude_before.some((w) => lead.includes(w) || m![0].includes(w))) continue;
      const value = p.value ?? Number(m.groups?.n);
      if (!Number.isFinite(value)) continue;
      for (const key of p.keys) {
        const id = `${key}@${m.index}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ key, value, quote, offset: m.index });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset || a.key.localeCompare(b.key));
}

/**
 * Figures stated with certainty: keys whose statements all agree. A key stated with two different
 * values stays out (the reader cannot tell which one the report means).
 */
export function certainProseFigures(text: string): Map<string, ProseFigure> {
  const byKey = new Map<string, ProseFigure[]>();
  for (const f of extractProseFigures(text)) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  const out = new Map<string, ProseFigure>();
  for (const [key, list] of byKey) if (new Set(list.map((f) => f.value)).size === 1) out.set(key, list[0]);
  return out;
}

/**
 * Tables of a pre-2019 report from what its prose states with certainty: the template's keys, every
 * cell null (not given) except the stated figures. A table with no stated figure is null.
 */
export function proseTables(text: string, columnsFor: (table: 'applications' | 'review_litigation') => Record<string, readonly string[]>): {
  applications: TableCells | null;
  review_litigation: TableCells | null;
} {
  const figures = certainProseFigures(text);
  const build = (table: 'applications' | 'review_litigation'): TableCells | null => {
    const stated = [...figures.values()].filter((f) => f.key.startsWith(`${table}.`));
    if (stated.length === 0) return null;
    const cells: TableCells = {};
    for (const [row, cols] of Object.entries(columnsFor(table))) {
      cells[row] = Object.fromEntries(cols.map((c) => [c, { value: null, raw: null, status: 'blank' as const }]));
    }
    for (const f of stated) {
      const [, row, col] = f.key.split('.');
      if (cells[row]?.[col]) cells[row][col] = { value: f.value, raw: f.quote, status: 'printed' };
    }
    return cells;
  };
  return { applications: build('applications'), review_litigation: build('review_litigation') };
}
