/**
 * A stand-in renderer for one layout only ('pipe': one grid row per line "| a | b |", the form in
 * which the ingest stage renders HTML/DOCX/PDF tables), used when the parser helper's
 * src/synth/layouts.ts (renderTable for every layout) is not present. Labels as the templates print them.
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
  applicationRows,
} from '../model/keys.js';
import type { TableName } from '../model/types.js';
import type { TableTemplate, TableValues } from './tables.js';

const PROACTIVE_ROW_LABELS: Record<string, string> = {
  'art20_1.regulations': '规章',
  'art20_1.normative_documents': '规范性文件',
  'art20_5.licensing': '行政许可',
  'art20_5.other_services': '其他对外管理服务事项',
  'art20_6.penalty': '行政处罚',
  'art20_6.coercion': '行政强制',
  'art20_8.fees': '行政事业性收费',
  'art20_9.procurement': '政府集中采购',
};
const PROACTIVE_COL_LABELS: Record<string, string> = {
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
const ARTICLE_ITEM: Record<string, string> = { art20_1: '一', art20_5: '五', art20_6: '六', art20_8: '八', art20_9: '九' };

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
/** Group label printed before the first item of a group. */
const GROUP_BEFORE: Record<string, string> = {
  [DENIED_ITEMS[0]]: '（三）不予公开',
  [UNAVAILABLE_ITEMS[0]]: '（四）无法提供',
  [NOT_PROCESSED_ITEMS[0]]: '（五）不予处理',
  [OTHER_ITEMS_2021[0]]: '（六）其他处理',
};

function fmt(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '';
  return `${value}${unit}`;
}

const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

function proactive(template: TableTemplate, values: TableValues): string {
  const spec = template === '2019' ? PROACTIVE_2019 : PROACTIVE_2021;
  const out: string[] = [];
  let article = '';
  for (const [row, cols] of Object.entries(spec)) {
    const art = row.split('.')[0];
    if (art !== article) {
      article = art;
      out.push(line([`第二十条第（${ARTICLE_ITEM[art]}）项`]));
      const header = cols.map((c) =>
        template === '2021' && c === 'decisions' ? '本年处理决定数量' : template === '2021' && c === 'amount_wan' ? '本年收费金额（单位：万元）' : PROACTIVE_COL_LABELS[c],
      );
      out.push(line(['信息内容', ...header]));
    }
    out.push(line([PROACTIVE_ROW_LABELS[row], ...cols.map((c) => fmt(values[row]?.[c], template === '2019' && c === 'amount_wan' ? '万元' : ''))]));
  }
  return out.join('\n');
}

function applications(template: TableTemplate, values: TableValues): string {
  const rows = applicationRows(template);
  const out = [
    line(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况']),
    line(['', '自然人', '法人或其他组织', '', '', '', '', '总计']),
    line(['', '', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '']),
  ];
  for (const row of rows) {
    if (row === 'granted') out.push(line(['三、本年度办理结果']));
    const label = GROUP_BEFORE[row] ? `${GROUP_BEFORE[row]} ${APPLICATION_LABELS[row]}` : APPLICATION_LABELS[row];
    out.push(line([label, ...APPLICANT_COLUMNS.map((c) => fmt(values[row]?.[c]))]));
  }
  return out.join('\n');
}

function review(values: TableValues): string {
  const parts = REVIEW_COLUMNS.map((c) => ({ upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结', total: '总计' })[c]);
  return [
    line(['行政复议', '', '', '', '', '行政诉讼']),
    line(['', '', '', '', '', '未经复议直接起诉', '', '', '', '', '复议后起诉']),
    line([...parts, ...parts, ...parts]),
    line(REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => fmt(values[g]?.[c])))),
  ].join('\n');
}

/** Renders a table in the pipe layout (the only layout this stand-in knows). */
export function renderPipeTable(table: TableName, template: TableTemplate, values: TableValues): string {
  switch (table) {
    case 'proactive':
      return proactive(template, values);
    case 'applications':
      return applications(template, values);
    case 'review_litigation':
      return review(values);
  }
}
