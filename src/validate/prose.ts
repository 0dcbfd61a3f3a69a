/**
 * text_table.mismatch: figures the report states in words ("共受理政府信息公开申请15件",
 * "没有因政府信息公开提起行政诉讼") against its own tables.
 */
import { extractProseFigures, type ProseFigure } from '../parse/prose.js';
import type { Finding, ReportRecord, SectionKey } from '../model/types.js';
import { cellLabel, finding, fmt } from './catalogue.js';

const PROSE_SECTIONS: readonly SectionKey[] = ['overview', 'problems', 'other'];
const TABLE_SECTIONS: readonly SectionKey[] = ['proactive', 'applications', 'review_litigation'];

/**
 * The prose of a report: whole sections that never hold a table, and from table sections only lines
 * that read as sentences (no cell separators), so table labels and digits are not taken for prose.
 */
export function proseText(r: ReportRecord): string {
  const parts: string[] = [];
  for (const key of PROSE_SECTIONS) if (r.sections[key]) parts.push(...topicalSentences(r.sections[key]!));
  for (const key of TABLE_SECTIONS) {
    const text = r.sections[key];
    if (!text) continue;
    for (const line of text.split('\n')) {
      if (!line.includes('|') && /[，。,；;]/.test(line) && line.replace(/[\d\s]/g, '').length >= 10) parts.push(...topicalSentences(line));
    }
  }
  return parts.join('\n');
}

// Every checkable prose figure is about requests, reviews or lawsuits; other sentences (most of
// section 五) cannot contradict the tables, and skipping them keeps the check cheap on long reports.
const TOPIC = /申请|复议|诉讼|起诉/;

/** Sentence ends (。！？!? and a line end): after one of these (not at the very end) a new piece starts. */
const isSentenceEnd = (c: number): boolean => c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0x21 || c === 0x3f || c === 0x0a;

/**
 * The sentences of `text` on the topic, as text.split(/(?<=[。！？!?\n])/) cuts them, by one scan and
 * without the look-behind. Exported for tests.
 */
export function topicalSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const keep = (piece: string) => {
    if (TOPIC.test(piece)) out.push(piece);
  };
  for (let i = 0; i + 1 < text.length; i++) {
    if (!isSentenceEnd(text.charCodeAt(i))) continue;
    keep(text.slice(start, i + 1));
    start = i + 1;
  }
  keep(text.slice(start));
  return out;
}

function cellValue(r: ReportRecord, key: string): number | null {
  const [table, ...rest] = key.split('.');
  const col = rest.pop() ?? '';
  const row = rest.join('.');
  const t = r.tables[table as keyof ReportRecord['tables']];
  const v = t?.[row]?.[col]?.value;
  return typeof v === 'number' ? v : null;
}

/** Prose that reasonably counts the same thing another way is not a contradiction. */
function explained(r: ReportRecord, fig: ProseFigure, tableValue: number): boolean {
  // "共受理申请N件" often includes the requests carried over from last year.
  if (fig.key === 'applications.new_received.total') {
    const carried = cellValue(r, 'applications.carried_over.total');
    if (carried !== null && fig.value === tableValue + carried) return true;
  }
  // "办结N件" sometimes counts what was handled plus what is still pending.
  if (fig.key === 'applications.handled_total.total') {
    const forward = cellValue(r, 'applications.carried_forward.total');
    if (forward !== null && fig.value === tableValue + forward) return true;
  }
  return false;
}

export function checkTextTable(r: ReportRecord): Finding[] {
  // Pre-2019 tables are read from the prose itself: there is no independent table to contradict.
  if (r.template === 'pre2019') return [];
  const text = proseText(r);
  if (!text) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const fig of extractProseFigures(text)) {
    const tableValue = cellValue(r, fig.key);
    if (tableValue === null || tableValue === fig.value) continue;
    if (explained(r, fig, tableValue)) continue;
    const id = `${fig.key}=${fig.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(
      finding(
        'text_table.mismatch',
        `正文“${fig.quote}”对应${cellLabel(fig.key)}为${fmt(fig.value)}，而统计表中为${fmt(tableValue)}。请核对正文与表格哪一处有误。`,
        [fig.key],
        undefined,
        { quote: fig.quote },
      ),
    );
  }
  return out;
}
