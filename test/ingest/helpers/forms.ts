/**
 * Test helper: the same report in the forms people collect — an HTML page with merged-cell tables
 * (laid out like the national template: 国办公开办函〔2019〕60号 / 〔2021〕30号), a DOCX, a PDF —
 * built from the parsed text version. Each form carries the text version's title, its prose sections
 * under the standard headings, and its three tables with the figures exactly as printed (`raw`).
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import {
  APPLICANT_COLUMNS,
  ORG_SUBTOTAL_COLUMN,
  PROACTIVE_2019,
  PROACTIVE_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  applicationRows,
} from '../../../src/model/keys.js';
import type { Grid, ReportRecord, TableCells } from '../../../src/model/types.js';
import { placeCells, type RawCell } from '../../../src/ingest/grid.js';
import { makePdf, type PdfBlock, type PdfOptions } from './make-pdf.js';

export type Block = { kind: 'heading'; text: string } | { kind: 'para'; text: string } | { kind: 'table'; rows: RawCell[][] };

const c = (text: string, colspan = 1, rowspan = 1): RawCell => ({ text, colspan, rowspan });

/** The printed figure of a cell: as printed when known, else its value, else blank. */
function figure(table: TableCells | null, row: string, col: string): RawCell {
  const cell = table?.[row]?.[col];
  if (!cell) return c('');
  return c(cell.raw ?? (cell.value === null ? '' : String(cell.value)));
}

const PROACTIVE_LABELS: Record<string, string> = {
  'art20_1.regulations': '规章',
  'art20_1.normative_documents': '规范性文件',
  'art20_5.licensing': '行政许可',
  'art20_5.other_services': '其他对外管理服务事项',
  'art20_6.penalty': '行政处罚',
  'art20_6.coercion': '行政强制',
  'art20_8.fees': '行政事业性收费',
  'art20_9.procurement': '政府集中采购',
};
const PROACTIVE_COLUMNS: Record<string, string> = {
  made: '本年新制作数量',
  published: '本年新公开数量',
  total_published: '对外公开总数量',
  prev_items: '上一年项目数量',
  change: '本年增/减',
  decisions: '处理决定数量',
  projects: '采购项目数量',
  amount_wan: '采购总金额',
  issued: '本年制发件数',
  repealed: '本年废止件数',
  in_force: '现行有效件数',
};
const ARTICLE: Record<string, string> = { art20_1: '（一）', art20_5: '（五）', art20_6: '（六）', art20_8: '（八）', art20_9: '（九）' };

/** Table 二: one block per article, a merged article row, then the column labels and rows. */
function proactiveRows(table: TableCells | null, template: string): RawCell[][] {
  const layout = template === '2021' ? PROACTIVE_2021 : PROACTIVE_2019;
  const rows: RawCell[][] = [];
  let article = '';
  for (const [rowKey, cols] of Object.entries(layout)) {
    const art = rowKey.split('.')[0];
    const colLabels = cols.map((col) =>
      template === '2021' && col === 'decisions' ? '本年处理决定数量' : template === '2021' && col === 'amount_wan' ? '本年收费金额（单位：万元）' : PROACTIVE_COLUMNS[col],
    );
    if (art !== article) {
      article = art;
      rows.push([c(`第二十条第${ARTICLE[art]}项`, 4)]);
      rows.push([c('信息内容'), ...colLabels.map((l) => c(l)), ...pad(3 - cols.length)]);
    }
    const label = template === '2021' && rowKey === 'art20_1.normative_documents' ? '行政规范性文件' : PROACTIVE_LABELS[rowKey];
    rows.push([c(label), ...cols.map((col) => figure(table, rowKey, col)), ...pad(3 - cols.length)]);
  }
  return rows;
}

function pad(n: number): RawCell[] {
  return Array.from({ length: Math.max(0, n) }, () => c(''));
}

const APPLICATION_LABELS: Record<string, string> = {
  new_received: '一、本年新收政府信息公开申请数量',
  carried_over: '二、上年结转政府信息公开申请数量',
  granted: '（一）予以公开',
  partially_granted: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  denied_state_secret: '1.属于国家秘密',
  denied_law_prohibited: '2.其他法律行政法规禁止公开',
  denied_three_safety: '3.危及“三安全一稳定”',
  denied_third_party: '4.保护第三方合法权益',
  denied_internal_affairs: '5.属于三类内部事务信息',
  denied_process_info: '6.属于四类过程性信息',
  denied_enforcement_file: '7.属于行政执法案卷',
  denied_inquiry: '8.属于行政查询事项',
  unavailable_not_held: '1.本机关不掌握相关政府信息',
  unavailable_needs_creation: '2.没有现成信息需要另行制作',
  unavailable_unclear: '3.补正后申请内容仍不明确',
  not_processed_petition: '1.信访举报投诉类申请',
  not_processed_duplicate: '2.重复申请',
  not_processed_publication: '3.要求提供公开出版物',
  not_processed_excessive: '4.无正当理由大量反复申请',
  not_processed_confirmation: '5.要求行政机关确认或重新出具已获取信息',
  other: '（六）其他处理',
  other_no_correction: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  other_no_fee: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  other_misc: '3.其他',
  handled_total: '（七）总计',
  carried_forward: '四、结转下年度继续办理',
};
const GROUPS: [string, string][] = [
  ['denied_', '（三）不予公开'],
  ['unavailable_', '（四）无法提供'],
  ['not_processed_', '（五）不予处理'],
  ['other_', '（六）其他处理'],
];

/** Table 三 with the template's merged header and the rowspans of its outcome groups. */
function applicationRowsGrid(table: TableCells | null, template: string): RawCell[][] {
  const keys = applicationRows(template === '2021' ? '2021' : '2019');
  // A report that prints one merged 法人或其他组织 figure has it span the five organisation columns.
  const orgSubtotal = Object.values(table ?? {}).some((cols) => ORG_SUBTOTAL_COLUMN in cols);
  const figures = (row: string): RawCell[] =>
    orgSubtotal
      ? [figure(table, row, 'natural_person'), { ...figure(table, row, ORG_SUBTOTAL_COLUMN), colspan: 5 }, figure(table, row, 'total')]
      : APPLICANT_COLUMNS.map((col) => figure(table, row, col));
  const rows: RawCell[][] = [
    [c('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3), c('申请人情况', 7)],
    [c('自然人', 1, 2), c('法人或其他组织', 5), c('总计', 1, 2)],
    [c('商业企业'), c('科研机构'), c('社会公益组织'), c('法律服务机构'), c('其他')],
  ];
  const outcomeKeys = keys.filter((k) => !['new_received', 'carried_over', 'carried_forward'].includes(k));
  let outcomeStarted = false;
  for (const key of keys) {
    if (key === 'new_received' || key === 'carried_over' || key === 'carried_forward') {
      rows.push([c(APPLICATION_LABELS[key], 3), ...figures(key)]);
      continue;
    }
    const lead: RawCell[] = [];
    if (!outcomeStarted) {
      lead.push(c('三、本年度办理结果', 1, outcomeKeys.length));
      outcomeStarted = true;
    }
    const group = GROUPS.find(([prefix]) => key.startsWith(prefix));
    if (group) {
      const members = keys.filter((k) => k.startsWith(group[0]));
      if (members[0] === key) lead.push(c(group[1], 1, members.length));
      rows.push([...lead, c(APPLICATION_LABELS[key]), ...figures(key)]);
    } else {
      rows.push([...lead, c(APPLICATION_LABELS[key], 2), ...figures(key)]);
    }
  }
  return rows;
}

/** Table 四: 行政复议 (5 columns) and 行政诉讼 (two groups of 5) over one row of figures. */
function reviewRows(table: TableCells | null): RawCell[][] {
  const results = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  return [
    [c('行政复议', 5), c('行政诉讼', 10)],
    [...results.map((r) => c(r, 1, 2)), c('未经复议直接起诉', 5), c('复议后起诉', 5)],
    [...results.map((r) => c(r)), ...results.map((r) => c(r))],
    REVIEW_GROUPS.flatMap((group) => REVIEW_COLUMNS.map((col) => figure(table, group, col))),
  ];
}

const HEADINGS = {
  overview: '一、总体情况',
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  review_litigation: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
};

function paragraphs(text: string | null): Block[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('|'))
    .map((l) => ({ kind: 'para' as const, text: l }));
}

/**
 * The report as blocks: title, the prose sections, and the three tables in the template layout.
 * Sections 二–四 of the text version are the (flattened) tables themselves, so the tables stand in for them.
 */
export function reportBlocks(record: ReportRecord): Block[] {
  const blocks: Block[] = [];
  if (record.title) blocks.push({ kind: 'heading', text: record.title });
  blocks.push({ kind: 'heading', text: HEADINGS.overview }, ...paragraphs(record.sections.overview));
  blocks.push({ kind: 'heading', text: HEADINGS.proactive });
  if (record.tables.proactive) blocks.push({ kind: 'table', rows: proactiveRows(record.tables.proactive, record.template) });
  blocks.push({ kind: 'heading', text: HEADINGS.applications });
  if (record.tables.applications) blocks.push({ kind: 'table', rows: applicationRowsGrid(record.tables.applications, record.template) });
  blocks.push({ kind: 'heading', text: HEADINGS.review_litigation });
  if (record.tables.review_litigation) blocks.push({ kind: 'table', rows: reviewRows(record.tables.review_litigation) });
  blocks.push({ kind: 'heading', text: HEADINGS.problems }, ...paragraphs(record.sections.problems));
  blocks.push({ kind: 'heading', text: HEADINGS.other }, ...paragraphs(record.sections.other));
  return blocks;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Word-export style table markup: inline styles, <p> inside cells, spans as attributes. */
export function tableHtml(rows: RawCell[][]): string {
  const trs = rows.map(
    (row) =>
      '<tr>' +
      row
        .map((cell) => {
          const span = `${cell.colspan > 1 ? ` colspan="${cell.colspan}"` : ''}${cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : ''}`;
          return `<td${span} style="border:1pt solid windowtext;padding:0pt 5.4pt"><p class="MsoNormal" align="center"><span style="font-family:仿宋_GB2312">${escapeHtml(cell.text)}</span></p></td>`;
        })
        .join('') +
      '</tr>',
  );
  return `<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">\n<tbody>\n${trs.join('\n')}\n</tbody>\n</table>`;
}

/** The report's body as HTML (headings, paragraphs, tables), without any page around it. */
export function bodyHtml(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'heading') return `<p class="MsoNormal" style="text-indent:32pt"><b><span style="font-family:黑体">${escapeHtml(b.text)}</span></b></p>`;
      if (b.kind === 'para') return `<p class="MsoNormal" style="text-indent:32pt"><span style="font-family:仿宋_GB2312">${escapeHtml(b.text)}</span></p>`;
      return tableHtml(b.rows);
    })
    .join('\n');
}

/** A plain saved page of the report. */
export function reportHtml(blocks: Block[]): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>report</title></head><body>\n<div class="TRS_Editor">\n${bodyHtml(blocks)}\n</div>\n</body></html>\n`;
}

/** The report as a DOCX (docx package): merged cells as Word's gridSpan/vMerge. */
export async function reportDocx(blocks: Block[]): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') children.push(new Paragraph({ children: [new TextRun({ text: b.text, bold: true })] }));
    else if (b.kind === 'para') children.push(new Paragraph({ children: [new TextRun(b.text)] }));
    else {
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: b.rows.map(
            (row) =>
              new TableRow({
                children: row.map(
                  (cell) =>
                    new TableCell({
                      columnSpan: cell.colspan > 1 ? cell.colspan : undefined,
                      rowSpan: cell.rowspan > 1 ? cell.rowspan : undefined,
                      children: [new Paragraph(cell.text)],
                    }),
                ),
              }),
          ),
        }),
      );
      children.push(new Paragraph(''));
    }
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** The report as a PDF with a text layer and ruled tables. */
export function reportPdf(blocks: Block[], opts: PdfOptions = {}): Promise<Uint8Array> {
  const pdfBlocks: PdfBlock[] = blocks.map((b) =>
    b.kind === 'table' ? { kind: 'table', grid: placeCells(b.rows) as Grid } : { kind: 'para', text: b.text },
  );
  return makePdf(pdfBlocks, opts);
}

/** Every table figure of a record as "table.row.col" → value, for exact comparison. */
export function tableValues(record: ReportRecord): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, table] of Object.entries(record.tables)) {
    if (!table) continue;
    for (const [row, cols] of Object.entries(table as TableCells)) {
      for (const [col, cell] of Object.entries(cols)) out[`${name}.${row}.${col}`] = cell.value;
    }
  }
  return out;
}

/**
 * True when the report prints one merged 法人或其他组织 figure (org_subtotal). Known parser gap, not
 * ingest: the pipe text shows that cell at the 商业企业 slot and the parser, which does not read the
 * grid's colspan yet, maps it there. Tests expect such cases to fail until the parser handles it.
 */
export function hasOrgSubtotal(record: ReportRecord): boolean {
  return Object.values(record.tables.applications ?? {}).some((cols) => ORG_SUBTOTAL_COLUMN in cols);
}
