/**
 * Per-report metrics computed from the standard tables (SCHEMA.md keys).
 *
 * Every metric is null when one of its inputs is null or its denominator is 0: a rate over a blank or
 * zero base is not a 0% rate, and a wrong number is worse than a null.
 */
import type { Level, ReportRecord, TableCells, Template } from '../model/types.js';
import { REVIEW_COLUMNS } from '../model/keys.js';

export interface ReportMetrics {
  report_id: string;
  year: number | null;
  level: Level | null;
  region: string | null;
  template: Template;
  agency: string | null;
  /** 一、本年新收 总计 */
  requests_received: number | null;
  /** 二、上年结转 总计 */
  requests_carried_over: number | null;
  /** (七)总计 */
  requests_handled: number | null;
  granted: number | null;
  partially_granted: number | null;
  denied: number | null;
  unavailable: number | null;
  not_held: number | null;
  not_processed: number | null;
  other_outcome: number | null;
  /** (予以公开 + 部分公开) / (七)总计 */
  disclosure_rate: number | null;
  /** 不予公开 / (七)总计 */
  denial_rate: number | null;
  /** 无法提供·本机关不掌握 / (七)总计 */
  not_held_rate: number | null;
  review_upheld: number | null;
  review_corrected: number | null;
  review_other: number | null;
  review_total: number | null;
  /** 复议 纠正 / (维持 + 纠正 + 其他) */
  review_correction_rate: number | null;
  litigation_upheld: number | null;
  litigation_corrected: number | null;
  litigation_other: number | null;
  litigation_total: number | null;
  /** 诉讼 (direct and after review) 纠正 / (维持 + 纠正 + 其他) */
  litigation_correction_rate: number | null;
  /** New regulations + normative documents (2019: 本年新制作; 2021: 本年制发). */
  proactive_documents_new: number | null;
  /** 行政许可 处理决定数量 */
  licensing_decisions: number | null;
  /** 行政处罚 处理决定数量 */
  penalty_decisions: number | null;
  /** 行政强制 处理决定数量 */
  coercion_decisions: number | null;
}

/** Metric columns that are numbers (usable in themeVsMetric and charts). */
export const METRIC_KEYS = [
  'requests_received',
  'requests_carried_over',
  'requests_handled',
  'granted',
  'partially_granted',
  'denied',
  'unavailable',
  'not_held',
  'not_processed',
  'other_outcome',
  'disclosure_rate',
  'denial_rate',
  'not_held_rate',
  'review_upheld',
  'review_corrected',
  'review_other',
  'review_total',
  'review_correction_rate',
  'litigation_upheld',
  'litigation_corrected',
  'litigation_other',
  'litigation_total',
  'litigation_correction_rate',
  'proactive_documents_new',
  'licensing_decisions',
  'penalty_decisions',
  'coercion_decisions',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export function isMetricKey(name: string): name is MetricKey {
  return (METRIC_KEYS as readonly string[]).includes(name);
}

/** Value of one cell, or null when the table, row, column or value is absent. */
export function cellValue(table: TableCells | null | undefined, row: string, col: string): number | null {
  const v = table?.[row]?.[col]?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Sum that is null as soon as one part is null (a partial sum would understate). */
export function strictSum(values: (number | null)[]): number | null {
  let s = 0;
  for (const v of values) {
    if (v === null) return null;
    s += v;
  }
  return s;
}

/** numerator / denominator, null when either is null or the denominator is not positive. */
export function ratio(num: number | null, den: number | null): number | null {
  if (num === null || den === null || den <= 0) return null;
  return num / den;
}

function reviewGroup(t: TableCells | null, group: string) {
  const get = (c: (typeof REVIEW_COLUMNS)[number]) => cellValue(t, group, c);
  return { upheld: get('upheld'), corrected: get('corrected'), other: get('other'), total: get('total') };
}

export function computeReportMetrics(r: ReportRecord): ReportMetrics {
  const a = r.tables.applications;
  const rl = r.tables.review_litigation;
  const p = r.tables.proactive;
  const app = (row: string) => cellValue(a, row, 'total');

  const handled = app('handled_total');
  const granted = app('granted');
  const partial = app('partially_granted');
  const denied = app('denied');
  const notHeld = app('unavailable_not_held');

  const review = reviewGroup(rl, 'review');
  const direct = reviewGroup(rl, 'litigation_direct');
  const after = reviewGroup(rl, 'litigation_after_review');
  const reviewConcluded = strictSum([review.upheld, review.corrected, review.other]);
  const litUpheld = strictSum([direct.upheld, after.upheld]);
  const litCorrected = strictSum([direct.corrected, after.corrected]);
  const litOther = strictSum([direct.other, after.other]);
  const litConcluded = strictSum([litUpheld, litCorrected, litOther]);

  // The two templates name the "new documents" columns differently; take the one the template has.
  const newDocCol = r.template === '2021' ? 'issued' : 'made';
  const proactiveDocs =
    r.template === '2019' || r.template === '2021'
      ? strictSum([
          cellValue(p, 'art20_1.regulations', newDocCol),
          cellValue(p, 'art20_1.normative_documents', newDocCol),
        ])
      : null;

  return {
    report_id: r.id,
    year: r.year,
    level: r.level,
    region: r.region ?? null,
    template: r.template,
    agency: r.agency,
    requests_received: app('new_received'),
    requests_carried_over: app('carried_over'),
    requests_handled: handled,
    granted,
    partially_granted: partial,
    denied,
    unavailable: app('unavailable'),
    not_held: notHeld,
    not_processed: app('not_processed'),
    other_outcome: app('other'),
    disclosure_rate: ratio(strictSum([granted, partial]), handled),
    denial_rate: ratio(denied, handled),
    not_held_rate: ratio(notHeld, handled),
    review_upheld: review.upheld,
    review_corrected: review.corrected,
    review_other: review.other,
    review_total: review.total,
    review_correction_rate: ratio(review.corrected, reviewConcluded),
    litigation_upheld: litUpheld,
    litigation_corrected: litCorrected,
    litigation_other: litOther,
    litigation_total: strictSum([direct.total, after.total]),
    litigation_correction_rate: ratio(litCorrected, litConcluded),
    proactive_documents_new: proactiveDocs,
    licensing_decisions: cellValue(p, 'art20_5.licensing', 'decisions'),
    penalty_decisions: cellValue(p, 'art20_6.penalty', 'decisions'),
    coercion_decisions: cellValue(p, 'art20_6.coercion', 'decisions'),
  };
}
