/** Checks on a report's shape: sections present, template against year, year against its own text, tables read. */
import type { Finding, ReportRecord, SectionKey, TableName } from '../model/types.js';
import { LABELS, finding } from './catalogue.js';

// Parts the 2019 条例 (第五十条) and the 2019/2021 templates require, in order.
const TEMPLATE_SECTIONS: readonly SectionKey[] = ['overview', 'proactive', 'applications', 'review_litigation', 'problems', 'other'];
// The 2008 条例 (第三十二条) had no 总体情况; its 收费 part is folded into the others by the parser.
const PRE2019_SECTIONS: readonly SectionKey[] = ['proactive', 'applications', 'review_litigation', 'problems', 'other'];
// Without these the report is incomplete (its figures or its section 五 are gone), hence an error.
const CORE_SECTIONS: ReadonlySet<SectionKey> = new Set(['proactive', 'applications', 'review_litigation', 'problems']);

/** Non-blank, without copying a long section as trim() would. */
const hasText = (s: string | null | undefined): boolean => !!s && /\S/.test(s);

export function checkSections(r: ReportRecord): Finding[] {
  const required = r.template === 'pre2019' ? PRE2019_SECTIONS : TEMPLATE_SECTIONS;
  const missing = required.filter((k) => !hasText(r.sections[k]));
  if (missing.length === 0) return [];
  const core = missing.some((k) => CORE_SECTIONS.has(k));
  const names = missing.map((k) => LABELS.sections[k] ?? k).join('；');
  const advice = core ? '报告不完整（可能被截断或章节标题无法识别），请对照原文核对。' : '请核对原文是否确实没有该部分。';
  return [finding('sections.missing', `缺少：${names}。${advice}`, missing.map((k) => `sections.${k}`), core ? 'error' : 'warning')];
}

/** The first four-digit year 2000-2099 in a text ("广元市2020年…" → 2020). */
function yearIn(text: string | null): number | null {
  const m = text?.match(/(20\d\d)\s*年/);
  return m ? Number(m[1]) : null;
}

// "本报告统计时间为2020年1月1日至2020年12月31日", "统计期限自 2010 年 1 月 1 日起至 12 月 31 日止",
// "期限自2024年1月1日起,至2024年12月31日止".
const PERIOD_RANGE = String.raw`(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*起?\s*[,，]?\s*(?:至|到|—|－|-|~)\s*(?:(20\d\d)\s*年\s*)?12\s*月\s*31\s*日`;
const PERIOD_RE = new RegExp(String.raw`(?:统计|报告)[^。\n]{0,24}?(?:时间|期限|期间|数据|范围|时限)[^。\n\d]{0,12}` + PERIOD_RANGE);
// "本报告内容涵盖揭东区公路局2015年1月1日至12月31日期间的…": the period word follows the dates.
const PERIOD_AFTER_RE = new RegExp(String.raw`(?:统计|报告)[^。\n\d]{0,24}?` + PERIOD_RANGE + String.raw`\s*(?:期间|止)`);

/**
 * The reporting period a report states for itself, with a quote. Most reports state it in the lead-in
 * before part 一 (134.txt: "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止"), others in
 * 总体情况 or beside a table.
 */
export function statedPeriodYear(r: ReportRecord): { year: number; quote: string } | null {
  const texts = [r.preamble, ...TEMPLATE_SECTIONS.map((k) => r.sections[k])];
  for (const text of texts) {
    const m = text?.match(PERIOD_RE) ?? text?.match(PERIOD_AFTER_RE);
    if (!m) continue;
    const start = Number(m[1]);
    // A period that spans two calendar years is not one reporting year: no claim.
    if (m[2] && Number(m[2]) !== start) continue;
    return { year: start, quote: m[0] };
  }
  return null;
}

export function checkYear(r: ReportRecord, now = new Date()): Finding[] {
  if (r.year === null) return [];
  const out: Finding[] = [];
  const thisYear = now.getUTCFullYear();
  if (r.year < 2008 || r.year > thisYear) {
    out.push(
      finding(
        'year.mismatch',
        `报告年度为${r.year}年，不在${2008}年（条例施行）至${thisYear}年之间，请核对标题或统计期间。`,
        ['year'],
      ),
    );
  }
  const titleYear = yearIn(r.title);
  if (titleYear !== null && titleYear !== r.year) {
    out.push(finding('year.mismatch', `标题“${r.title}”写的是${titleYear}年，报告年度却为${r.year}年，请核对。`, ['year', 'title']));
  }
  const period = statedPeriodYear(r);
  if (period && period.year !== r.year) {
    out.push(
      finding('year.mismatch', `正文所述统计期间“${period.quote}”为${period.year}年，报告年度为${r.year}年，请核对标题与统计期间。`, ['year'], undefined, {
        quote: period.quote,
      }),
    );
  }
  return out;
}

export function checkTemplate(r: ReportRecord): Finding[] {
  const y = r.year;
  if (y === null || r.template === 'unknown') return [];
  let message: string | null = null;
  if (r.template === '2019' && y >= 2021) {
    message = `${y}年度报告使用了2019年格式（国办公开办函〔2019〕60号）；2021年度起应使用国办公开办函〔2021〕30号格式，请核对表格项目与年度。`;
  } else if (r.template === '2021' && y < 2021) {
    message = `${y}年度报告使用了2021年格式（国办公开办函〔2021〕30号），该格式自2021年度报告起施行，请核对报告年度。`;
  } else if (r.template === '2019' && y < 2019) {
    message = `${y}年度报告使用了2019年格式，该格式自2019年度报告起施行，请核对报告年度。`;
  } else if (r.template === 'pre2019' && y >= 2019) {
    message = `${y}年度报告未使用统一格式（2019年度起应按国办公开办函〔2019〕60号或〔2021〕30号格式编制），仍为旧条例的自由格式。`;
  }
  return message ? [finding('template.mismatch', message, ['template', 'year'])] : [];
}

const TABLE_SECTIONS: Record<TableName, SectionKey> = {
  proactive: 'proactive',
  applications: 'applications',
  review_litigation: 'review_litigation',
};

/**
 * A templated report whose section is there but whose table is not: the figures were lost. The parser
 * reports the tables it saw and could not read; this catches the ones it found no trace of.
 */
export function checkTablesPresent(r: ReportRecord): Finding[] {
  if (r.template === 'pre2019') return [];
  const out: Finding[] = [];
  for (const [table, section] of Object.entries(TABLE_SECTIONS) as [TableName, SectionKey][]) {
    if (r.tables[table] !== null || !hasText(r.sections[section])) continue;
    const name = LABELS.tables[table];
    // The parser already said what it saw of this table (its findings name the table's cells or label).
    const told = r.findings.some((f) => f.rule === 'table.unparsed' && (f.cells.some((c) => c.startsWith(`${table}.`)) || f.message.startsWith(name)));
    if (told) continue;
    out.push(
      finding(
        'table.unparsed',
        `“${LABELS.sections[section]}”一节中未找到可识别的${name}，其中的数字均未取得；请查看原文该表是否缺失或为图片。`,
        [`${table}.*`],
      ),
    );
  }
  return out;
}
