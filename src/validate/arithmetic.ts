/**
 * The template's own arithmetic (勾稽关系) on tables 三 and 四. A check runs only when every cell it
 * needs has a value: a null cell (blank, lost, ambiguous) cannot be checked, so it never yields a claim.
 */
import {
  APPLICANT_COLUMNS,
  DENIED_ITEMS,
  NOT_PROCESSED_ITEMS,
  ORG_COLUMNS,
  ORG_SUBTOTAL_COLUMN,
  OTHER_ITEMS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  UNAVAILABLE_ITEMS,
  applicationRows,
  cellKey,
} from '../model/keys.js';
import type { Finding, ReportRecord, TableCells } from '../model/types.js';
import { LABELS, finding, fmt } from './catalogue.js';

// Integers in practice; the tolerance only absorbs float noise in 万元 amounts.
const EPS = 1e-6;

function val(t: TableCells, row: string, col: string): number | null {
  const v = t[row]?.[col]?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const COLUMN_ORDER = [...APPLICANT_COLUMNS.slice(0, -1), ORG_SUBTOTAL_COLUMN, 'total'];

/** Columns the table actually has (a merged 法人或其他组织 column included when present). */
function applicationColumns(t: TableCells): string[] {
  const cols = new Set<string>();
  for (const row of Object.values(t)) for (const col of Object.keys(row)) cols.add(col);
  return COLUMN_ORDER.filter((c) => cols.has(c));
}

const colName = (col: string) => LABELS.applications_columns[col] ?? col;

/** 一 + 二 = (七) + 四 per column. `columns`: applicationColumns(t), when the caller has them. */
export function checkBalance(t: TableCells, columns: readonly string[] = applicationColumns(t)): Finding[] {
  const out: Finding[] = [];
  for (const col of columns) {
    const a = val(t, 'new_received', col);
    const b = val(t, 'carried_over', col);
    const c = val(t, 'handled_total', col);
    const d = val(t, 'carried_forward', col);
    if (a === null || b === null || c === null || d === null) continue;
    const left = a + b;
    const right = c + d;
    if (Math.abs(left - right) <= EPS) continue;
    out.push(
      finding(
        'applications.balance',
        `表三「${colName(col)}」列：一+二=${fmt(a)}+${fmt(b)}=${fmt(left)}，(七)+四=${fmt(c)}+${fmt(d)}=${fmt(right)}，相差${fmt(Math.abs(left - right))}。` +
          `请核对本年新收、上年结转、（七）总计、结转下年度继续办理这四格。`,
        ['new_received', 'carried_over', 'handled_total', 'carried_forward'].map((r) => cellKey('applications', r, col)),
      ),
    );
  }
  return out;
}

/**
 * Value of an outcome group in one column: the sum of its items when all are known, else the group
 * cell as printed or placed. Also names the rows that the value rests on (their cells go into a
 * finding; most columns add up, so the keys are only made for a finding).
 */
function groupValue(t: TableCells, group: string, items: readonly string[], col: string): { value: number | null; rows: readonly string[] } {
  let sum = 0;
  let all = items.length > 0;
  for (const row of items) {
    const v = val(t, row, col);
    if (v === null) {
      all = false;
      break;
    }
    sum += v;
  }
  // Left to right from 0, as the sum of the items always was.
  if (all) return { value: sum, rows: items };
  const cell = t[group]?.[col];
  if (cell && cell.value !== null && (cell.status === 'printed' || cell.status === 'inferred')) {
    return { value: cell.value, rows: [group] };
  }
  return { value: null, rows: [] };
}

/** (七)总计 = (一) + (二) + (三) + (四) + (五) + (六) per column. `columns`: as checkBalance. */
export function checkOutcomeTotal(t: TableCells, template: string, columns: readonly string[] = applicationColumns(t)): Finding[] {
  const out: Finding[] = [];
  const groups: [string, readonly string[]][] = [
    ['granted', []],
    ['partially_granted', []],
    ['denied', DENIED_ITEMS],
    ['unavailable', UNAVAILABLE_ITEMS],
    ['not_processed', NOT_PROCESSED_ITEMS],
    ['other', template === '2021' ? OTHER_ITEMS_2021 : []],
  ];
  for (const col of columns) {
    const total = val(t, 'handled_total', col);
    if (total === null) continue;
    const parts = groups.map(([g, items]) => (items.length ? groupValue(t, g, items, col) : { value: val(t, g, col), rows: [g] }));
    if (parts.some((p) => p.value === null)) continue;
    const sum = parts.reduce((s, p) => s + (p.value as number), 0);
    if (Math.abs(sum - total) <= EPS) continue;
    const shown = parts.map((p) => fmt(p.value as number)).join('+');
    out.push(
      finding(
        'applications.total',
        `表三「${colName(col)}」列：（一）至（六）之和=${shown}=${fmt(sum)}，（七）总计为${fmt(total)}，相差${fmt(Math.abs(sum - total))}。请核对各处理结果行与总计行。`,
        [cellKey('applications', 'handled_total', col), ...parts.flatMap((p) => p.rows.map((row) => cellKey('applications', row, col)))],
      ),
    );
  }
  return out;
}

/** 总计 = 自然人 + the organisation columns (or the merged 法人或其他组织 figure), per printed row. */
export function checkColumns(t: TableCells, template: string): Finding[] {
  const out: Finding[] = [];
  for (const row of applicationRows(template === '2021' ? '2021' : '2019')) {
    const total = val(t, row, 'total');
    const person = val(t, row, 'natural_person');
    const orgs = ORG_COLUMNS.map((c) => val(t, row, c));
    const merged = val(t, row, ORG_SUBTOTAL_COLUMN);
    // A report that prints both the merged 法人或其他组织 figure and its five columns: they must agree.
    if (merged !== null && orgs.every((v) => v !== null)) {
      const orgSum = orgs.reduce<number>((s, v) => s + (v as number), 0);
      if (Math.abs(orgSum - merged) > EPS) {
        out.push(
          finding(
            'applications.columns',
            `表三「${LABELS.applications_rows[row] ?? row}」行：商业企业+科研机构+社会公益组织+法律服务机构+其他=${orgs.map((v) => fmt(v as number)).join('+')}=${fmt(orgSum)}，` +
              `“法人或其他组织”为${fmt(merged)}，相差${fmt(Math.abs(orgSum - merged))}。请核对该行法人或其他组织各列。`,
            [cellKey('applications', row, ORG_SUBTOTAL_COLUMN), ...ORG_COLUMNS.map((c) => cellKey('applications', row, c))],
          ),
        );
      }
    }
    if (total === null || person === null) continue;
    let parts: { col: string; value: number }[];
    if (orgs.every((v) => v !== null)) {
      parts = [{ col: 'natural_person', value: person }, ...ORG_COLUMNS.map((c, i) => ({ col: c, value: orgs[i] as number }))];
    } else if (merged !== null) {
      parts = [
        { col: 'natural_person', value: person },
        { col: ORG_SUBTOTAL_COLUMN, value: merged },
      ];
    } else {
      continue;
    }
    const sum = parts.reduce((s, p) => s + p.value, 0);
    if (Math.abs(sum - total) <= EPS) continue;
    out.push(
      finding(
        'applications.columns',
        `表三「${LABELS.applications_rows[row] ?? row}」行：${parts.map((p) => colName(p.col)).join('+')}=${parts.map((p) => fmt(p.value)).join('+')}=${fmt(sum)}，` +
          `总计列为${fmt(total)}，相差${fmt(Math.abs(sum - total))}。请核对该行各申请人列与总计。`,
        [cellKey('applications', row, 'total'), ...parts.map((p) => cellKey('applications', row, p.col))],
      ),
    );
  }
  return out;
}

/** 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 for each group of table 四. */
export function checkReviewLitigation(t: TableCells): Finding[] {
  const out: Finding[] = [];
  const parts = REVIEW_COLUMNS.filter((c) => c !== 'total');
  for (const group of REVIEW_GROUPS) {
    const total = val(t, group, 'total');
    const values = parts.map((c) => val(t, group, c));
    if (total === null || values.some((v) => v === null)) continue;
    const sum = values.reduce<number>((s, v) => s + (v as number), 0);
    if (Math.abs(sum - total) <= EPS) continue;
    const name = LABELS.review_rows[group] ?? group;
    out.push(
      finding(
        'review_litigation.sum',
        `表四「${name}」：结果维持+结果纠正+其他结果+尚未审结=${values.map((v) => fmt(v as number)).join('+')}=${fmt(sum)}，总计为${fmt(total)}，相差${fmt(Math.abs(sum - total))}。` +
          `请核对该组四项结果与总计。`,
        [cellKey('review_litigation', group, 'total'), ...parts.map((c) => cellKey('review_litigation', group, c))],
      ),
    );
  }
  return out;
}

/** All arithmetic checks of one report. */
export function checkArithmetic(r: ReportRecord): Finding[] {
  const out: Finding[] = [];
  const apps = r.tables.applications;
  if (apps) {
    const columns = applicationColumns(apps);
    out.push(...checkBalance(apps, columns), ...checkOutcomeTotal(apps, r.template, columns), ...checkColumns(apps, r.template));
  }
  if (r.tables.review_litigation) out.push(...checkReviewLitigation(r.tables.review_litigation));
  return out;
}
