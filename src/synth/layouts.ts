/**
 * Table renderers for every text layout the parser reads, printing a table block as real reports show
 * it (labels included):
 *   cell-per-line  one cell per line ending in " |", empty cells gathered into a bare "|||" line (the seed)
 *   pipe           one grid row per line "| a | b |", a merged cell printed once at its origin (ingest's form)
 *   spaces         one row per line, cells separated by spaces, empty cells dropped
 *   collapsed      the whole table on one line, cells run together ("230000023", 133.txt)
 *   merged-org     table 三 with one merged 法人或其他组织 figure per row (the seed's 广元市), else cell-per-line
 * Labels come from src/data/table-labels.json ("printed").
 */
import { createRequire } from 'node:module';
import { APPLICANT_COLUMNS, ORG_COLUMNS, PROACTIVE_2019, PROACTIVE_2021, REVIEW_COLUMNS, REVIEW_GROUPS, applicationRows } from '../model/keys.js';
import type { TableName } from '../model/types.js';

export type Layout = 'cell-per-line' | 'pipe' | 'spaces' | 'collapsed' | 'merged-org';
export const LAYOUTS: readonly Layout[] = ['cell-per-line', 'pipe', 'spaces', 'collapsed', 'merged-org'];
export type RenderTemplate = '2019' | '2021';
/** Row key → column key → value (null: the cell is printed empty). */
export type TableValues = Record<string, Record<string, number | null | undefined>>;

type PerTemplate = string | Record<RenderTemplate, string>;
interface Printed {
  proactive_rows: Record<string, PerTemplate>;
  proactive_columns: Record<string, PerTemplate>;
  articles: Record<string, string>;
  applications_note: string;
  applications_columns: Record<string, string>;
  applications_rows: Record<string, string>;
  applications_groups: Record<string, string>;
  review_groups: Record<string, string>;
  review_columns: Record<string, string>;
}
const PRINTED = (createRequire(import.meta.url)('../data/table-labels.json') as { printed: Printed }).printed;

const pick = (label: PerTemplate, template: RenderTemplate): string => (typeof label === 'string' ? label : label[template]);

/** A table as printed: grid rows of cell texts ('' = empty slot). */
type Grid = string[][];

function fmt(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '';
  return `${value}${unit}`;
}

function proactiveGrid(template: RenderTemplate, values: TableValues): Grid {
  const spec = template === '2019' ? PROACTIVE_2019 : PROACTIVE_2021;
  const width = 1 + Math.max(...Object.values(spec).map((c) => c.length));
  const pad = (cells: string[]): string[] => [...cells, ...Array.from({ length: width - cells.length }, () => '')];
  const grid: Grid = [];
  let article = '';
  for (const [row, cols] of Object.entries(spec)) {
    const art = row.split('.')[0];
    if (art !== article) {
      article = art;
      grid.push(pad([PRINTED.articles[art]]));
      grid.push(pad(['信息内容', ...cols.map((c) => pick(PRINTED.proactive_columns[c], template))]));
    }
    const unit = (c: string): string => (template === '2019' && c === 'amount_wan' ? '万元' : '');
    grid.push(pad([pick(PRINTED.proactive_rows[row], template), ...cols.map((c) => fmt(values[row]?.[c], unit(c)))]));
  }
  return grid;
}

/** Table 三 with three label columns (group, outcome, item) as the templates draw it. */
function applicationsGrid(template: RenderTemplate, values: TableValues, mergedOrg: boolean): Grid {
  const C = PRINTED.applications_columns;
  const valueCols: string[] = mergedOrg ? ['natural_person', 'org', 'total'] : [...APPLICANT_COLUMNS];
  const grid: Grid = [
    [PRINTED.applications_note, '', '', C.applicant, ...valueCols.slice(1).map(() => '')],
    mergedOrg ? ['', '', '', C.natural_person, C.org, C.total] : ['', '', '', C.natural_person, C.org, '', '', '', '', C.total],
  ];
  if (!mergedOrg) grid.push(['', '', '', '', C.business, C.research, C.social_org, C.legal_service, C.other_org, '']);
  const outcome = new Set(['granted', 'partially_granted', 'other', 'handled_total']);
  for (const row of applicationRows(template)) {
    const label = PRINTED.applications_rows[row];
    let labels: string[];
    if (row === 'new_received' || row === 'carried_over' || row === 'carried_forward') labels = [label, '', ''];
    else if (outcome.has(row)) labels = [PRINTED.applications_groups[row] ?? '', label, ''];
    else labels = ['', PRINTED.applications_groups[row] ?? '', label];
    const cells = valueCols.map((c) => {
      if (c !== 'org') return fmt(values[row]?.[c]);
      const parts = ORG_COLUMNS.map((o) => values[row]?.[o]);
      return parts.every((v) => v === null || v === undefined) ? '' : fmt(parts.reduce<number>((a, b) => a + (b ?? 0), 0));
    });
    grid.push([...labels, ...cells]);
  }
  return grid;
}

function reviewGrid(values: TableValues): Grid {
  const G = PRINTED.review_groups;
  const parts = REVIEW_COLUMNS.map((c) => PRINTED.review_columns[c]);
  const blank = (n: number): string[] => Array.from({ length: n }, () => '');
  return [
    [G.review, ...blank(4), G.litigation, ...blank(9)],
    [...parts, G.litigation_direct, ...blank(4), G.litigation_after_review, ...blank(4)],
    [...blank(5), ...parts, ...parts],
    REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => fmt(values[g]?.[c]))),
  ];
}

function asPipe(grid: Grid): string {
  return grid.map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** The seed's layout: each printed cell on its own line ending " |", a row's empty cells as one bar line. */
function asCellPerLine(grid: Grid): string {
  const out: string[] = [];
  for (const row of grid) {
    for (const cell of row) if (cell !== '') out.push(`${cell} |`);
    const empty = row.filter((c) => c === '').length;
    if (empty > 0) out.push('|'.repeat(empty));
  }
  return out.join('\n');
}

function asSpaces(grid: Grid): string {
  return grid.map((row) => row.filter((c) => c !== '').join(' ')).join('\n');
}

/** Everything on one line; cells run together with no separator, as pages flattened without cell borders. */
function asCollapsed(grid: Grid): string {
  return grid.map((row) => row.filter((c) => c !== '').join('')).join('');
}

/**
 * Render one table block (labels included) in a layout. `values` holds the table's cells by row and
 * column key (derived rows are ignored; the 2021 (六) group prints its three items).
 */
export function renderTable(table: TableName, template: RenderTemplate, values: TableValues, layout: Layout): string {
  const grid =
    table === 'proactive'
      ? proactiveGrid(template, values)
      : table === 'applications'
        ? applicationsGrid(template, values, layout === 'merged-org')
        : reviewGrid(values);
  switch (layout) {
    case 'pipe':
      return asPipe(grid);
    case 'spaces':
      return asSpaces(grid);
    case 'collapsed':
      return asCollapsed(grid);
    case 'cell-per-line':
    case 'merged-org':
      return asCellPerLine(grid);
  }
}

/** Section headings a rendered table goes under, for building a whole report around tables. */
export const TABLE_HEADINGS: Record<TableName, string> = {
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  review_litigation: '四、政府信息公开行政复议、行政诉讼情况',
};
