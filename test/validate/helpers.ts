/** Hand-built records for validator tests: every table key of SCHEMA.md, values chosen per test. */
import {
  APPLICANT_COLUMNS,
  DENIED_ITEMS,
  NOT_PROCESSED_ITEMS,
  OTHER_ITEMS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  UNAVAILABLE_ITEMS,
  applicationRows,
} from '../../src/model/keys.js';
import type { Cell, ReportRecord, TableCells, Template } from '../../src/model/types.js';

export const printed = (value: number | null): Cell => ({ value, raw: value === null ? null : String(value), status: value === null ? 'blank' : 'printed' });

/**
 * A balanced table 三: per column, outcomes sum to (七), 一+二 = (七)+四, columns sum to 总计.
 * natural_person and business carry the figures; other organisation columns are 0.
 */
export function balancedApplications(template: Template = '2019'): TableCells {
  const t: TableCells = {};
  const person: Record<string, number> = {};
  for (const row of applicationRows(template)) person[row] = 0;
  Object.assign(person, { new_received: 10, carried_over: 2, granted: 5, partially_granted: 2, denied_third_party: 1, unavailable_not_held: 2, handled_total: 10, carried_forward: 2 });
  const business: Record<string, number> = {};
  for (const row of applicationRows(template)) business[row] = 0;
  Object.assign(business, { new_received: 3, granted: 3, handled_total: 3 });
  if (template === '2021') {
    person.other_misc = 0;
  }
  for (const row of applicationRows(template)) {
    t[row] = {};
    for (const col of APPLICANT_COLUMNS) {
      const v = col === 'natural_person' ? person[row] : col === 'business' ? business[row] : col === 'total' ? person[row] + business[row] : 0;
      t[row][col] = printed(v);
    }
  }
  const derive = (group: string, items: readonly string[]) => {
    t[group] = {};
    for (const col of APPLICANT_COLUMNS) {
      const sum = items.reduce((s, item) => s + (t[item][col].value ?? 0), 0);
      t[group][col] = { value: sum, raw: null, status: 'derived' };
    }
  };
  derive('denied', DENIED_ITEMS);
  derive('unavailable', UNAVAILABLE_ITEMS);
  derive('not_processed', NOT_PROCESSED_ITEMS);
  if (template === '2021') derive('other', OTHER_ITEMS_2021);
  return t;
}

export function reviewTable(values: Record<string, number[]>): TableCells {
  const t: TableCells = {};
  for (const group of REVIEW_GROUPS) {
    t[group] = {};
    REVIEW_COLUMNS.forEach((col, i) => (t[group][col] = printed(values[group]?.[i] ?? 0)));
  }
  return t;
}

const ALL_SECTIONS = {
  overview: '本报告统计时间为2020年1月1日至2020年12月31日。',
  proactive: '主动公开情况。',
  applications: '收到和处理申请情况。',
  review_litigation: '复议诉讼情况。',
  problems: '一是解读不够。二是加强培训。',
  other: '无其他需要报告的事项。',
};

export function makeReport(over: Partial<ReportRecord> = {}): ReportRecord {
  return {
    id: over.id ?? 'r1',
    source: { path: 'x.txt', index: 0 },
    title: '某县人民政府2020年政府信息公开工作年度报告',
    agency: '某县人民政府',
    level: 'county',
    year: 2020,
    template: '2019',
    sections: { ...ALL_SECTIONS },
    tables: { proactive: {}, applications: balancedApplications(over.template ?? '2019'), review_litigation: reviewTable({}) },
    findings: [],
    ...over,
  };
}
