/**
 * Checks across reports of one run: carried.continuity compares an agency's 上年结转 with its own
 * previous year's 结转下年度继续办理. Streaming-friendly: add() keeps only a few numbers per report,
 * so a run over 100k reports does not hold the records.
 */
import type { Finding, ReportRecord } from '../model/types.js';
import { finding, fmt } from './catalogue.js';

/** A finding that belongs to one report of the run. */
export interface CorpusFinding extends Finding {
  report_id: string;
}

/**
 * The few figures add() keeps of a report. Computed where the record is (corpusEntry; e.g. in a batch
 * worker) and handed to addEntry, so the thread running the checks need not hold the record.
 */
export interface CorpusEntry {
  id: string;
  /** agencyKey of the agency. */
  agency: string;
  /** The agency as printed. */
  shownAgency: string;
  year: number;
  carriedOver: number | null;
  carriedForward: number | null;
}

interface Entry extends CorpusEntry {
  /** Input order, so findings come out in a stable order. */
  seq: number;
}

/**
 * The same issuing body across years: parenthesised notes ("（管委会办公室编制）", "（全市汇总）") and
 * spacing vary between years and are not part of the name.
 */
export function agencyKey(agency: string): string {
  return agency
    .replace(/[（(][^（）()]*[）)]/g, '')
    .replace(/\s+/g, '')
    .trim();
}

function total(r: ReportRecord, row: string): number | null {
  const v = r.tables.applications?.[row]?.total?.value;
  return typeof v === 'number' ? v : null;
}

/** What the cross-report checks keep of a report; null when it takes no part (no agency, year or 表三). */
export function corpusEntry(r: ReportRecord): CorpusEntry | null {
  if (!r.agency || r.year === null || !r.tables.applications) return null;
  const key = agencyKey(r.agency);
  if (!key) return null;
  return {
    id: r.id,
    agency: key,
    shownAgency: r.agency,
    year: r.year,
    carriedOver: total(r, 'carried_over'),
    carriedForward: total(r, 'carried_forward'),
  };
}

export class CorpusValidator {
  private entries: Entry[] = [];

  add(r: ReportRecord): void {
    this.addEntry(corpusEntry(r));
  }

  /** add() for a report already reduced by corpusEntry (null: nothing to keep). */
  addEntry(e: CorpusEntry | null): void {
    if (e) this.entries.push({ ...e, seq: this.entries.length });
  }

  findings(): CorpusFinding[] {
    const byAgencyYear = new Map<string, Entry[]>();
    for (const e of this.entries) {
      const k = `${e.agency}\u0000${e.year}`;
      const list = byAgencyYear.get(k);
      if (list) list.push(e);
      else byAgencyYear.set(k, [e]);
    }
    const out: CorpusFinding[] = [];
    for (const cur of this.entries) {
      if (cur.carriedOver === null) continue;
      const prevs = byAgencyYear.get(`${cur.agency}\u0000${cur.year - 1}`) ?? [];
      const forwards = new Set(prevs.map((p) => p.carriedForward).filter((v): v is number => v !== null));
      // Two copies of last year's report that disagree with each other: no single figure to compare.
      if (forwards.size !== 1) continue;
      const prev = prevs.find((p) => p.carriedForward !== null)!;
      if (prev.carriedForward === cur.carriedOver) continue;
      out.push({
        ...finding(
          'carried.continuity',
          `${cur.shownAgency}${cur.year}年度表三“二、上年结转”总计为${fmt(cur.carriedOver)}件，而其${prev.year}年度报告（${prev.id}）“四、结转下年度继续办理”总计为${fmt(prev.carriedForward!)}件，` +
            `相差${fmt(Math.abs(cur.carriedOver - prev.carriedForward!))}。请核对两年报告中的结转数。`,
          ['applications.carried_over.total', `${prev.id}:applications.carried_forward.total`],
        ),
        report_id: cur.id,
      });
    }
    return out;
  }
}

/** Cross-report findings of a set of reports (see CorpusValidator for streams). */
export function validateCorpus(reports: Iterable<ReportRecord>): CorpusFinding[] {
  const v = new CorpusValidator();
  for (const r of reports) v.add(r);
  return v.findings();
}
