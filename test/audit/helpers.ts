/** Builders of ReportRecord / Statement for the audit's unit tests (shapes of src/model/types.ts). */
import type { Cell, Finding, ReportRecord, Statement, TableCells } from '../../src/model/types.js';

export function cell(value: number | null, raw: string | null = value === null ? null : String(value)): Cell {
  return { value, raw, status: value === null ? 'blank' : 'printed' };
}

/** A table from "row.col" → value. */
export function table(values: Record<string, number | null>): TableCells {
  const t: TableCells = {};
  for (const [key, v] of Object.entries(values)) {
    const dot = key.lastIndexOf('.');
    const row = key.slice(0, dot);
    const col = key.slice(dot + 1);
    (t[row] ??= {})[col] = cell(v);
  }
  return t;
}

const FULL_SECTIONS = {
  overview: '一、总体情况 本年度持续推进政务公开。',
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  review_litigation: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况 一是政策解读形式单一。下一步，加强培训。',
  other: '六、其他需要报告的事项 无。',
};

export function report(over: Partial<ReportRecord> & { id: string }): ReportRecord {
  return {
    source: { path: `${over.id}.txt`, index: 0 },
    title: null,
    agency: '某县人民政府',
    level: 'county',
    year: 2020,
    template: '2019',
    sections: { ...FULL_SECTIONS },
    tables: { proactive: null, applications: null, review_litigation: null },
    findings: [],
    region: '广西壮族自治区',
    ...over,
  };
}

export function finding(rule: string, cells: string[], message = `${rule} 不符`): Finding {
  return { rule, severity: 'error', message, cells };
}

let counter = 0;
export function statement(
  report_id: string,
  kind: Statement['kind'],
  text: string,
  themes: [string, number][],
  extra: Partial<Statement> = {},
): Statement {
  return {
    report_id,
    kind,
    index: extra.index ?? counter++,
    text,
    tokens: [],
    themes: themes.map(([id, score]) => ({ id, score })),
    boilerplate: null,
    ...extra,
  };
}
