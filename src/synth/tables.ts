/**
 * Figures of a synthetic report's three tables: drawn at random but consistent with the templates' own
 * equations (一+二=(七)+四 per column, (七) = sum of outcomes, 总计 = sum of applicant columns, each
 * review group's 总计 = its four parts), so a correct parse raises no arithmetic finding unless an error
 * was injected on purpose.
 */
import {
  APPLICANT_COLUMNS,
  DENIED_ITEMS,
  NOT_PROCESSED_ITEMS,
  OTHER_ITEMS_2021,
  PROACTIVE_2019,
  PROACTIVE_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  UNAVAILABLE_ITEMS,
} from '../model/keys.js';
import type { Level, TableName } from '../model/types.js';
import type { Rng } from './rng.js';

/** row → column → value (null = not given). */
export type TableValues = Record<string, Record<string, number | null>>;
export type SynthTables = Record<TableName, TableValues>;
export type TableTemplate = '2019' | '2021';

const PARTS = APPLICANT_COLUMNS.filter((c) => c !== 'total');

/** Outcome item rows in printed order with a relative frequency (granted most common). */
function outcomeItems(template: TableTemplate): { row: string; weight: number }[] {
  return [
    { row: 'granted', weight: 40 },
    { row: 'partially_granted', weight: 8 },
    ...DENIED_ITEMS.map((row, i) => ({ row, weight: i === 1 || i === 4 || i === 5 ? 1.5 : 0.4 })),
    ...UNAVAILABLE_ITEMS.map((row, i) => ({ row, weight: i === 0 ? 18 : 2 })),
    ...NOT_PROCESSED_ITEMS.map((row, i) => ({ row, weight: i === 0 || i === 1 ? 2 : 0.5 })),
    ...(template === '2021'
      ? OTHER_ITEMS_2021.map((row, i) => ({ row, weight: i === 2 ? 3 : 1 }))
      : [{ row: 'other', weight: 4 }]),
  ];
}

/** Requests a body of this level typically handles in a year. */
function volume(rng: Rng, level: Level): number {
  const scale: Record<Level, [number, number]> = {
    central: [50, 3000],
    province: [100, 3000],
    city: [20, 900],
    county: [5, 300],
    township: [0, 12],
    department: [0, 80],
  };
  const [lo, hi] = scale[level];
  if (rng.chance(0.08)) return 0;
  // Skewed towards the low end, as in real reports.
  return Math.round(lo + (hi - lo) * rng.float() ** 2.5);
}

export function applicationsTable(rng: Rng, template: TableTemplate, level: Level): TableValues {
  const items = outcomeItems(template);
  const t: TableValues = {};
  const rows = ['new_received', 'carried_over', ...items.map((i) => i.row), 'handled_total', 'carried_forward'];
  for (const row of rows) t[row] = {};
  const handledAll = volume(rng, level);
  // Natural persons file most requests; businesses some; other organisations rarely.
  const byColumn = rng.split(handledAll, [20, 4, 0.3, 0.3, 0.6, 0.8]);
  PARTS.forEach((col, c) => {
    const handled = byColumn[c];
    const split = rng.split(handled, items.map((i) => i.weight));
    items.forEach((item, i) => (t[item.row][col] = split[i]));
    t.handled_total[col] = handled;
    const forward = handled > 0 && rng.chance(0.3) ? rng.int(0, Math.max(1, Math.round(handled * 0.08))) : 0;
    const over = handled > 0 && rng.chance(0.3) ? rng.int(0, Math.min(handled + forward, Math.max(1, Math.round(handled * 0.08)))) : 0;
    t.carried_forward[col] = forward;
    t.carried_over[col] = over;
    t.new_received[col] = handled + forward - over;
  });
  for (const row of rows) t[row].total = PARTS.reduce((s, col) => s + (t[row][col] ?? 0), 0);
  addDerivedApplicationRows(t, template);
  return t;
}

/** denied / unavailable / not_processed (and 2021's other) as sums of their items, every column. */
export function addDerivedApplicationRows(t: TableValues, template: TableTemplate): void {
  const groups: [string, readonly string[]][] = [
    ['denied', DENIED_ITEMS],
    ['unavailable', UNAVAILABLE_ITEMS],
    ['not_processed', NOT_PROCESSED_ITEMS],
  ];
  if (template === '2021') groups.push(['other', OTHER_ITEMS_2021]);
  for (const [row, parts] of groups) {
    t[row] = {};
    for (const col of APPLICANT_COLUMNS) t[row][col] = parts.reduce((s, p) => s + (t[p][col] ?? 0), 0);
  }
}

export function reviewTable(rng: Rng, level: Level): TableValues {
  const t: TableValues = {};
  const busy = level === 'province' || level === 'city' || level === 'central' ? 6 : level === 'county' ? 2 : 0.4;
  for (const group of REVIEW_GROUPS) {
    t[group] = {};
    const n = rng.chance(0.5) ? 0 : Math.round(busy * rng.float() * (group === 'review' ? 3 : 1.5));
    const parts = rng.split(n, [6, 1, 1.5, 1]);
    REVIEW_COLUMNS.filter((c) => c !== 'total').forEach((col, i) => (t[group][col] = parts[i]));
    t[group].total = n;
  }
  return t;
}

/** Amounts in 万元 with two decimals. */
function wan(rng: Rng, max: number): number {
  return Math.round(rng.float() * max * 100) / 100;
}

export function proactiveTable(rng: Rng, template: TableTemplate): TableValues {
  const t: TableValues = {};
  const spec = template === '2019' ? PROACTIVE_2019 : PROACTIVE_2021;
  for (const [row, cols] of Object.entries(spec)) {
    t[row] = {};
    for (const col of cols) {
      let v: number;
      switch (col) {
        case 'made':
        case 'issued':
          v = row.endsWith('regulations') ? rng.int(0, 2) : rng.int(0, 40);
          break;
        case 'published':
          v = Math.min(t[row].made ?? 0, rng.int(0, 40));
          break;
        case 'repealed':
          v = rng.int(0, 5);
          break;
        case 'total_published':
        case 'in_force':
          v = (t[row].made ?? t[row].issued ?? 0) + rng.int(0, 200);
          break;
        case 'prev_items':
          v = rng.int(0, 600);
          break;
        case 'change':
          v = rng.int(-30, 30);
          break;
        case 'decisions':
          v = rng.int(0, 5000);
          break;
        case 'projects':
          v = rng.int(0, 300);
          break;
        case 'amount_wan':
          v = wan(rng, 60000);
          break;
        default:
          v = rng.int(0, 50);
      }
      t[row][col] = v;
    }
  }
  return t;
}

/** Every cell as "table.row.col" → value (the truth's cell map). */
export function flattenTables(tables: Partial<SynthTables>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [table, rows] of Object.entries(tables)) {
    if (!rows) continue;
    for (const [row, cols] of Object.entries(rows)) {
      for (const [col, value] of Object.entries(cols)) out[`${table}.${row}.${col}`] = value;
    }
  }
  return out;
}
