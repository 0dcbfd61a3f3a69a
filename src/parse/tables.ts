/**
 * Tables 二, 三 and 四 of the 2019 and 2021 templates, read from text. Row labels (src/data/
 * table-labels.json) are found in their printed order; the text between one label and the next holds
 * that row's values in whatever layout the page had. Where the layout lost cell positions the solver
 * (solve.ts) places values by the table's own equations; what stays uncertain is null + table.ambiguous.
 */
import {
  APPLICANT_COLUMNS,
  DENIED_ITEMS,
  NOT_PROCESSED_ITEMS,
  ORG_SUBTOTAL_COLUMN,
  OTHER_ITEMS_2021,
  PROACTIVE_2019,
  PROACTIVE_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  UNAVAILABLE_ITEMS,
  applicationRows,
  cellKey,
} from '../model/keys.js';
import type { Cell, Finding, ReportTables, Sections, TableCells, TableName, Template } from '../model/types.js';
import { tokenize, type Token } from './cells.js';
import { loadData } from './data.js';
import { withoutSpace } from './meta.js';
import { solveTable, type Equation, type RowSpec, type SolvedCell } from './solve.js';

interface LabelRow {
  key: string;
  prefix?: string;
  label: string;
  templates?: Template[];
}
interface TableLabels {
  templates: Record<'2019' | '2021', string[]>;
  proactive: { start: string; rows: LabelRow[]; noise: string[] };
  applications: { start: string; header: string[]; rows: LabelRow[]; noise: string[] };
  review_litigation: { header: string[] };
}
const LABELS = loadData<TableLabels>('table-labels.json');
const noiseRe = (list: string[]): RegExp => new RegExp(list.map((n) => `(?:${n})`).join('|'), 'g');
const PROACTIVE_NOISE = noiseRe(LABELS.proactive.noise);
const APPLICATION_NOISE = noiseRe(LABELS.applications.noise);
const REVIEW_HEADER = noiseRe(LABELS.review_litigation.header);
/** Prose after a table: a run of Chinese characters longer than any unit or sign word. */
const PROSE_RUN = /[\u4e00-\u9fa5“”]{4,}/;

export interface ParsedTables {
  tables: ReportTables;
  findings: Finding[];
  /** Template the table labels show; null when no template table was found. */
  template: Template | null;
}

/**
 * 2019 or 2021 from the table labels (本年新制作数量 … vs 本年制发件数 …), null when none are printed.
 * `flat`: withoutSpace(text), when the caller has it.
 */
export function tableTemplate(text: string, flat: string = withoutSpace(text)): '2019' | '2021' | null {
  const count = (words: string[]): number => words.filter((w) => flat.includes(w)).length;
  const a = count(LABELS.templates['2019']);
  const b = count(LABELS.templates['2021']);
  if (a === 0 && b === 0) return null;
  return b > a ? '2021' : '2019';
}

interface FoundRow {
  key: string;
  labelStart: number;
  labelEnd: number;
}

/** Find row labels in order; a label is searched from where the previous one ended. */
/** Compiled label patterns, one per label row (the rows are the loaded data: built once, reused). */
const LABEL_RES = new WeakMap<LabelRow, RegExp>();
function labelRe(row: LabelRow): RegExp {
  let re = LABEL_RES.get(row);
  if (!re) {
    // Text taken from PDFs breaks long labels over lines: allow spaces between Chinese characters.
    const label = row.label.replace(/([\u4e00-\u9fa5])(?=[\u4e00-\u9fa5])/g, '$1\\s*');
    re = new RegExp(`${row.prefix ? `(?:${row.prefix})?\\s*` : ''}(?:${label})`, 'g');
    LABEL_RES.set(row, re);
  }
  return re;
}

function locateRows(text: string, rows: LabelRow[], template: Template, from: number): FoundRow[] {
  const found: FoundRow[] = [];
  let cursor = from;
  for (const row of rows) {
    if (row.templates && !row.templates.includes(template)) continue;
    const re = labelRe(row);
    re.lastIndex = cursor;
    const m = re.exec(text);
    if (!m) continue;
    found.push({ key: row.key, labelStart: m.index, labelEnd: m.index + m[0].length });
    cursor = m.index + m[0].length;
  }
  return found;
}

interface RowValues {
  tokens: Token[];
  positional?: (Token | null)[];
}

/** Cells of a markdown pipe row: the row's line after its label, split at the pipes. */
function pipeCells(line: string): (Token | null)[] | null {
  const parts = line.split('|');
  if (parts.length < 3) return null;
  const cells: (Token | null)[] = [];
  for (const part of parts.slice(1, parts[parts.length - 1].trim() === '' ? -1 : undefined)) {
    const toks = tokenize(part, true);
    if (toks.length > 1) return null;
    if (toks.length === 0 && part.trim() !== '') return null;
    cells.push(toks[0] ?? null);
  }
  return cells;
}

/** The values printed for one row, in the layout they have. */
function rowValues(text: string, labelStart: number, labelEnd: number, nextStart: number, slots: number, noise: RegExp): RowValues {
  const lineStart = text.lastIndexOf('\n', labelStart) + 1;
  const isPipeRow = text.slice(lineStart, labelStart).trimStart().startsWith('|');
  if (isPipeRow) {
    const nl = text.indexOf('\n', labelEnd);
    const line = text.slice(labelEnd, Math.min(nl < 0 ? text.length : nl, nextStart));
    const cells = pipeCells(line);
    if (cells) {
      // A label cell spanning several columns leaves covered (empty) slots before the values; a
      // spanning header leaves them after.
      while (cells.length > slots && cells[0] === null) cells.shift();
      while (cells.length > slots && cells[cells.length - 1] === null) cells.pop();
      const tokens = cells.filter((c): c is Token => c !== null);
      if (cells.length === slots) return { tokens, positional: cells };
      return { tokens };
    }
  }
  let chunk = text.slice(labelEnd, nextStart).replace(noise, ' ');
  const prose = PROSE_RUN.exec(chunk);
  if (prose) chunk = chunk.slice(0, prose.index);
  return { tokens: tokenize(chunk, chunk.includes('|')) };
}

function emptyCell(status: Cell['status'] = 'blank'): Cell {
  return { value: null, raw: null, status };
}
function toCell(s: SolvedCell | undefined): Cell {
  return s ? { value: s.value, raw: s.raw, status: s.status } : emptyCell();
}

/** A derived sum (denied = Σ its items): null when an item is ambiguous or all items are blank. */
function derive(cells: TableCells, items: readonly string[], col: string): Cell {
  let sum = 0;
  let any = false;
  for (const item of items) {
    const c = cells[item]?.[col];
    if (!c) continue;
    if (c.status === 'ambiguous') return emptyCell('ambiguous');
    if (c.value !== null) {
      sum += c.value;
      any = true;
    }
  }
  return any ? { value: sum, raw: null, status: 'derived' } : emptyCell();
}

const TABLE_CN: Record<TableName, string> = { proactive: '表二（主动公开）', applications: '表三（依申请）', review_litigation: '表四（复议诉讼）' };

function ambiguousFinding(table: TableName, cells: TableCells, derived: Set<string>): Finding | null {
  const keys: string[] = [];
  // for…in over these plain records: the order of Object.entries, without its pair arrays.
  for (const row in cells) {
    if (derived.has(row)) continue;
    const cols = cells[row];
    for (const col in cols) if (cols[col].status === 'ambiguous') keys.push(cellKey(table, row, col));
  }
  if (keys.length === 0) return null;
  return {
    rule: 'table.ambiguous',
    severity: 'warning',
    message: `${TABLE_CN[table]}：排版丢失了单元格的位置，${keys.length}个单元格有不止一种符合表格结构和表内勾稽关系的读法，已置空；请对照原表核对这些单元格。`,
    cells: keys,
  };
}

function unparsedFinding(table: TableName, what: string, cells: string[] = []): Finding {
  return { rule: 'table.unparsed', severity: 'warning', message: `${TABLE_CN[table]}：${what}`, cells };
}

// ---------------------------------------------------------------------------------------------
// Table 二
// ---------------------------------------------------------------------------------------------

function parseProactive(section: string, template: '2019' | '2021', findings: Finding[]): TableCells | null {
  const start = section.indexOf(LABELS.proactive.start);
  if (start < 0) return null;
  const layout = template === '2021' ? PROACTIVE_2021 : PROACTIVE_2019;
  const found = locateRows(section, LABELS.proactive.rows, template, start);
  const cells: TableCells = {};
  for (const [row, cols] of Object.entries(layout)) cells[row] = Object.fromEntries(cols.map((c) => [c, emptyCell()]));
  if (found.length === 0) {
    findings.push(unparsedFinding('proactive', '找到了第二十条的表头，但没有认出任何一行（规章、规范性文件、行政许可…），请检查原表。'));
    return cells;
  }
  const specs: RowSpec[] = [];
  found.forEach((f, i) => {
    const cols = layout[f.key];
    if (!cols) return;
    const next = i + 1 < found.length ? found[i + 1].labelStart : section.length;
    const v = rowValues(section, f.labelStart, f.labelEnd, next, cols.length, PROACTIVE_NOISE);
    specs.push({ key: f.key, slots: cols.length, ...v });
  });
  const solved = solveTable(specs, []);
  const tooMany: string[] = [];
  for (const spec of specs) {
    const cols = layout[spec.key];
    const row = solved.get(spec.key)!;
    cols.forEach((c, j) => (cells[spec.key][c] = toCell(row[j])));
    if (spec.tokens.length > spec.slots && !spec.positional) tooMany.push(...cols.map((c) => cellKey('proactive', spec.key, c)));
  }
  if (tooMany.length > 0) findings.push(unparsedFinding('proactive', '有的行印出的数值多于列数，无法对应到列，请核对。', tooMany));
  const amb = ambiguousFinding('proactive', cells, new Set());
  if (amb) findings.push(amb);
  return cells;
}

// ---------------------------------------------------------------------------------------------
// Table 三
// ---------------------------------------------------------------------------------------------

const OUTCOME_LEAVES_2019 = ['granted', 'partially_granted', ...DENIED_ITEMS, ...UNAVAILABLE_ITEMS, ...NOT_PROCESSED_ITEMS, 'other'];
const OUTCOME_LEAVES_2021 = ['granted', 'partially_granted', ...DENIED_ITEMS, ...UNAVAILABLE_ITEMS, ...NOT_PROCESSED_ITEMS, ...OTHER_ITEMS_2021];

function parseApplications(section: string, template: '2019' | '2021', findings: Finding[], mergedOrgGrid = false): TableCells | null {
  const start = section.search(new RegExp(LABELS.applications.start));
  if (start < 0) return null;
  const found = locateRows(section, LABELS.applications.rows, template, Math.max(0, start - 4));
  const header = section.slice(0, found.length > 0 ? found[0].labelStart : start);
  const hasSubColumns = /商业\s*企业/.test(header);

  const readRows = (slots: number): RowSpec[] =>
    found.map((f, i) => {
      const next = i + 1 < found.length ? found[i + 1].labelStart : section.length;
      return { key: f.key, slots, ...rowValues(section, f.labelStart, f.labelEnd, next, slots, APPLICATION_NOISE) };
    });
  let specs = readRows(APPLICANT_COLUMNS.length);
  // One merged 法人或其他组织 figure: every row prints at most three whole values (自然人, 法人或其他
  // 组织, 总计), and the header has no organisation columns or at least one row prints all three.
  const counts = specs.map((s) => s.tokens.length);
  const fitsThree = counts.every((n) => n <= 3) && Math.max(0, ...counts) > 0;
  const merged =
    (!hasSubColumns && fitsThree && specs.every((s) => !s.positional || s.slots <= 3)) ||
    (fitsThree && specs.every((s) => !s.positional && s.tokens.every((t) => !t.run)) && Math.max(...counts) === 3);
  if (mergedOrgGrid && !merged) {
    // The source grid shows one 法人或其他组织 cell spanning the five organisation columns: a pipe row
    // prints it at the first of them with four covered (empty) slots after it.
    const folded = specs.map((s) =>
      s.positional && s.positional.length === 7 && s.positional.slice(2, 6).every((c) => c === null)
        ? { ...s, slots: 3, positional: [s.positional[0], s.positional[1], s.positional[6]] }
        : null,
    );
    if (folded.every((f) => f !== null)) specs = folded as RowSpec[];
  }
  const mergedModel = merged || (specs.length > 0 && specs.every((s) => s.slots === 3));
  if (merged) specs = readRows(3);
  const columns: string[] = mergedModel ? ['natural_person', ORG_SUBTOTAL_COLUMN, 'total'] : [...APPLICANT_COLUMNS];
  const last = columns.length - 1;
  for (const s of specs) {
    s.check = (v) => {
      // Left to right from 0, as a reduce would add them.
      let parts = 0;
      for (let k = 0; k < last; k++) parts += v[k];
      return Math.abs(v[last] - parts) < 1e-6;
    };
    s.groupWidth = columns.length;
  }
  const present = new Set(specs.map((s) => s.key));
  const leaves = (template === '2021' ? OUTCOME_LEAVES_2021 : OUTCOME_LEAVES_2019).filter((r) => present.has(r));
  const equations: Equation[] = [];
  const allLeaves = leaves.length === (template === '2021' ? OUTCOME_LEAVES_2021 : OUTCOME_LEAVES_2019).length;
  for (let c = 0; c < columns.length; c++) {
    if (present.has('handled_total') && allLeaves) {
      equations.push({ terms: [{ row: 'handled_total', slot: c, coef: 1 }, ...leaves.map((r) => ({ row: r, slot: c, coef: -1 }))] });
    }
    if (['new_received', 'carried_over', 'handled_total', 'carried_forward'].every((r) => present.has(r))) {
      equations.push({
        terms: [
          { row: 'new_received', slot: c, coef: 1 },
          { row: 'carried_over', slot: c, coef: 1 },
          { row: 'handled_total', slot: c, coef: -1 },
          { row: 'carried_forward', slot: c, coef: -1 },
        ],
      });
    }
  }
  const solved = solveTable(specs, equations);

  const cells: TableCells = {};
  const outColumns = mergedModel ? [...APPLICANT_COLUMNS.slice(0, -1), ORG_SUBTOTAL_COLUMN, 'total'] : [...APPLICANT_COLUMNS];
  for (const row of applicationRows(template)) {
    const solvedRow = solved.get(row);
    cells[row] = {};
    for (const col of outColumns) {
      const j = columns.indexOf(col);
      cells[row][col] = j >= 0 && solvedRow ? toCell(solvedRow[j]) : emptyCell();
    }
  }
  const derivedRows = new Set<string>(['denied', 'unavailable', 'not_processed']);
  const groups: [string, readonly string[]][] = [
    ['denied', DENIED_ITEMS],
    ['unavailable', UNAVAILABLE_ITEMS],
    ['not_processed', NOT_PROCESSED_ITEMS],
  ];
  if (template === '2021') {
    groups.push(['other', OTHER_ITEMS_2021]);
    derivedRows.add('other');
  }
  for (const [row, items] of groups) {
    cells[row] = Object.fromEntries(outColumns.map((col) => [col, derive(cells, items, col)]));
  }
  const tooMany = specs.filter((s) => s.tokens.length > s.slots && !s.positional).flatMap((s) => columns.map((c) => cellKey('applications', s.key, c)));
  if (tooMany.length > 0) findings.push(unparsedFinding('applications', '有的行印出的数值多于列数，无法对应到列，请核对。', tooMany));
  if (found.length === 0) findings.push(unparsedFinding('applications', '找到了表三，但没有认出任何一行，请检查原表。'));
  const amb = ambiguousFinding('applications', cells, derivedRows);
  if (amb) findings.push(amb);
  return cells;
}

// ---------------------------------------------------------------------------------------------
// Table 四
// ---------------------------------------------------------------------------------------------

function parseReview(section: string, findings: Finding[]): TableCells | null {
  if (!/结\s*果\s*维\s*持|尚\s*未\s*审\s*结/.test(section)) return null;
  // The header is a block of header words with nothing but spaces and pipes between them; the table's
  // block is the first one naming 结果维持 or 尚未审结 (header words in prose around it are not it).
  let lastHeaderEnd = 0;
  let blockEnd = -1;
  let blockIsTable = false;
  REVIEW_HEADER.lastIndex = 0;
  for (let m = REVIEW_HEADER.exec(section); m; m = REVIEW_HEADER.exec(section)) {
    const joined = blockEnd >= 0 && /^[\s|:：]*$/.test(section.slice(blockEnd, m.index));
    if (!joined) {
      if (blockIsTable) break;
      blockIsTable = false;
    }
    if (/维|审/.test(m[0])) blockIsTable = true;
    blockEnd = m.index + m[0].length;
    if (blockIsTable) lastHeaderEnd = blockEnd;
  }
  let chunk = section.slice(lastHeaderEnd);
  const prose = PROSE_RUN.exec(chunk);
  if (prose) chunk = chunk.slice(0, prose.index);
  const slots = REVIEW_GROUPS.length * REVIEW_COLUMNS.length;
  let spec: RowSpec | null = null;
  for (const line of chunk.split('\n')) {
    if (!line.trim().startsWith('|')) continue;
    const cells = pipeCells(line);
    if (cells && cells.length === slots) spec = { key: 'all', slots, tokens: cells.filter((c): c is Token => c !== null), positional: cells };
  }
  spec ??= { key: 'all', slots, tokens: tokenize(chunk, chunk.includes('|')) };
  const width = REVIEW_COLUMNS.length;
  spec.groupWidth = width;
  spec.check = (v) => {
    for (let g = 0; g < REVIEW_GROUPS.length; g++) {
      let part = 0;
      for (let k = g * width; k < g * width + width - 1; k++) part += v[k];
      if (Math.abs(part - v[g * width + width - 1]) > 1e-6) return false;
    }
    return true;
  };
  const cells: TableCells = {};
  if (spec.tokens.length === 0) {
    findings.push(unparsedFinding('review_litigation', '找到了表四的表头，但没有读到数值，请检查原表。'));
  }
  const solved = spec.tokens.length > 0 ? solveTable([spec], []).get('all')! : null;
  REVIEW_GROUPS.forEach((g, gi) => {
    cells[g] = Object.fromEntries(REVIEW_COLUMNS.map((c, ci) => [c, solved ? toCell(solved[gi * width + ci]) : emptyCell()]));
  });
  if (spec.tokens.length > slots && !spec.positional) {
    findings.push(unparsedFinding('review_litigation', `印出的数值（${spec.tokens.length}个）多于表四的15格，无法对应，请核对。`, REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => cellKey('review_litigation', g, c)))));
  }
  const amb = ambiguousFinding('review_litigation', cells, new Set());
  if (amb) findings.push(amb);
  return cells;
}

/** Tables of one report. `sections` narrow the search; the whole text is the fallback. */
export interface TableHints {
  /** The source's cell grid prints one 法人或其他组织 figure spanning the five organisation columns. */
  mergedOrg?: boolean;
  /** withoutSpace(text), when the caller has it (the report's text is long: saves a pass over it). */
  flat?: string;
}

export function parseTables(text: string, sections: Pick<Sections, TableName>, fallbackTemplate: Template, hints: TableHints = {}): ParsedTables {
  const findings: Finding[] = [];
  const template = tableTemplate(text, hints.flat);
  const tplForRows: '2019' | '2021' = template ?? (fallbackTemplate === '2021' ? '2021' : '2019');
  // A table is read inside its section; when the section was not found or does not hold the table
  // (a heading printed differently), the table's own labels are looked for in the whole report.
  const where = (section: string | null, marker: RegExp, fallback: () => string): string =>
    section !== null && marker.test(section) ? section : fallback();
  const appStart = text.search(/本年新收/);
  const reviewStart = text.search(/行\s*政\s*复\s*议[\s|]*行\s*政\s*诉\s*讼|结\s*果\s*维\s*持/);
  // Each table is read with the labels it prints itself: some reports mix a 2019 table 二 with a 2021
  // table 三 (or the reverse).
  const proactiveText = where(sections.proactive, /第二十条/, () => text.slice(0, appStart >= 0 ? appStart : text.length));
  const applicationsText = where(sections.applications, /本年新收/, () => (appStart >= 0 ? text.slice(0, reviewStart > appStart ? reviewStart : text.length) : ''));
  const proactive = parseProactive(proactiveText, tableTemplate(proactiveText) ?? tplForRows, findings);
  const applicationsTemplate = /逾期不补正|逾期未按收费通知/.test(applicationsText) ? '2021' : /其他处理[\s|]*\d/.test(applicationsText) ? '2019' : tplForRows;
  const applications = parseApplications(applicationsText, applicationsTemplate, findings, hints.mergedOrg);
  const review = parseReview(where(sections.review_litigation, /结\s*果\s*维\s*持|尚\s*未\s*审\s*结/, () => (reviewStart >= 0 ? text.slice(reviewStart, reviewStart + 2000) : '')), findings);
  const any = proactive !== null || applications !== null || review !== null;
  // A template report whose part 二, 三 or 四 is there and holds figures, but no table was recognised.
  if (any || fallbackTemplate === '2019' || fallbackTemplate === '2021') {
    const missed: [TableName, string | null, TableCells | null][] = [
      ['proactive', sections.proactive, proactive],
      ['applications', sections.applications, applications],
      ['review_litigation', sections.review_litigation, review],
    ];
    for (const [name, section, table] of missed) {
      if (table === null && section !== null && (section.match(/\d/g) ?? []).length >= 5) {
        findings.push(unparsedFinding(name, '这一部分有数字，但没有认出模板表格的行列标签（可能是图片、附件或非标准表格），表中数据未读取，请查看原文。'));
      }
    }
  }
  return {
    tables: { proactive, applications, review_litigation: review },
    findings,
    template: any ? template ?? (fallbackTemplate === '2019' || fallbackTemplate === '2021' ? fallbackTemplate : null) : null,
  };
}
