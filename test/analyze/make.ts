/** Builders of ReportRecord / Statement values for analysis and render tests. */
import type { Cell, Finding, Level, ReportRecord, Statement, TableCells, Template } from '../../src/model/types.js';

const printed = (v: number | null): Cell => ({ value: v, raw: v === null ? null : String(v), status: v === null ? 'blank' : 'printed' });

export interface ReportSpec {
  id: string;
  year?: number | null;
  level?: Level | null;
  region?: string | null;
  template?: Template;
  agency?: string | null;
  /** Column `total` of table 三, by row key. */
  applications?: Record<string, number | null>;
  /** review_litigation group → column → value. */
  review?: Record<string, Record<string, number | null>>;
  proactive?: Record<string, Record<string, number | null>>;
  problems?: string | null;
  findings?: Finding[];
}

function table(rows: Record<string, Record<string, number | null>> | undefined): TableCells | null {
  if (!rows) return null;
  const t: TableCells = {};
  for (const [row, cols] of Object.entries(rows)) {
    t[row] = {};
    for (const [col, v] of Object.entries(cols)) t[row][col] = printed(v);
  }
  return t;
}

export function makeReport(s: ReportSpec): ReportRecord {
  const apps = s.applications ? Object.fromEntries(Object.entries(s.applications).map(([k, v]) => [k, { total: v }])) : undefined;
  return {
    id: s.id,
    source: { path: `${s.id}.txt`, index: 0 },
    title: `${s.agency ?? '某机关'}${s.year ?? ''}年政府信息公开工作年度报告`,
    agency: s.agency ?? '某县人民政府',
    level: s.level === undefined ? 'county' : s.level,
    year: s.year === undefined ? 2020 : s.year,
    template: s.template ?? '2019',
    region: s.region ?? null,
    sections: { overview: '概述', proactive: null, applications: null, review_litigation: null, problems: s.problems === undefined ? '存在的问题' : s.problems, other: null },
    tables: { proactive: table(s.proactive), applications: table(apps), review_litigation: table(s.review) },
    findings: s.findings ?? [],
  };
}

export function makeStatement(report_id: string, index: number, themes: string[], tokens: string[] = [], copied = false): Statement {
  return {
    report_id,
    kind: index % 2 ? 'measure' : 'problem',
    index,
    text: tokens.join('') || `语句${index}`,
    tokens,
    themes: themes.map((id, i) => ({ id, score: 1 - i * 0.1 })),
    boilerplate: copied ? { of: 'earlier', similarity: 0.95 } : null,
  };
}

/** A complete table 三 whose outcomes add up to handled_total. */
export function apps(granted: number, partial: number, denied: number, notHeld: number, notProcessed = 0, other = 0, received?: number) {
  const handled = granted + partial + denied + notHeld + notProcessed + other;
  return {
    new_received: received ?? handled,
    carried_over: 0,
    granted,
    partially_granted: partial,
    denied,
    unavailable: notHeld,
    unavailable_not_held: notHeld,
    not_processed: notProcessed,
    other,
    handled_total: handled,
    carried_forward: 0,
  };
}
