/**
 * One synthetic annual report: text as a real report prints it, and the truth beside it.
 *
 * Templates 2019 (reports for 2019–2020) and 2021 (2021 on) carry the three tables, rendered in one of
 * the layouts the parser reads (renderTable from ./layouts.ts, passed in as GenerateOptions.renderTable); pre-2019
 * reports (2008–2018) are prose with their figures stated in sentences. Section 五 is composed from the
 * phrase bank (src/data/synth-phrases.json), so every statement carries a known theme. A share of the
 * reports gets one error injected on purpose, named in the truth with the rule that must flag it.
 */
import type { Level, TableName } from '../model/types.js';
import { Rng } from './rng.js';
import {
  applicationsTable,
  flattenTables,
  proactiveTable,
  reviewTable,
  type SynthTables,
  type TableTemplate,
  type TableValues,
} from './tables.js';
import { PHRASES, fill, type Place } from './phrases.js';

export const SYNTH_LAYOUTS = ['cell-per-line', 'pipe', 'spaces', 'collapsed', 'merged-org'] as const;
export type SynthLayout = (typeof SYNTH_LAYOUTS)[number];

/** Renders one table block (labels included) as it appears in a report of that layout. */
export type TableRenderer = (table: TableName, template: TableTemplate, values: TableValues, layout: SynthLayout) => string;

export const ERROR_KINDS = [
  'balance',
  'outcome_sum',
  'column_sum',
  'review_sum',
  'missing_section',
  'wrong_year',
  'template_mismatch',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Rule that must flag each injected error (rules of SCHEMA.md / src/data/rules.json). */
export const ERROR_RULES: Record<ErrorKind, string> = {
  balance: 'applications.balance',
  outcome_sum: 'applications.total',
  column_sum: 'applications.columns',
  review_sum: 'review_litigation.sum',
  missing_section: 'sections.missing',
  wrong_year: 'year.mismatch',
  template_mismatch: 'template.mismatch',
};

export interface SynthStatement {
  /** Verbatim text of the statement in the report (enumeration marker and final 。 included). */
  text: string;
  theme: string;
}

export interface SynthTruth {
  /** File name inside the corpus folder. */
  file: string;
  seed: number;
  index: number;
  title: string;
  agency: string;
  level: Level;
  region: string;
  year: number;
  template: '2019' | '2021' | 'pre2019';
  layout: SynthLayout | 'prose';
  /**
   * "table.row.col" → the value as printed (after any injected error). Templated reports list every
   * cell of their template; pre-2019 reports only the figures their prose states.
   */
  cells: Record<string, number | null>;
  section5_heading: string | null;
  problems: SynthStatement[];
  measures: SynthStatement[];
  /** Errors injected on purpose (empty for a clean report). */
  injected: { kind: ErrorKind; detail: string }[];
  /** Rules a correct parse + check must raise. */
  must_flag: string[];
  /** Arithmetic rules a correct parse must NOT raise (all of them, for a clean templated report). */
  must_not_flag: string[];
}

export interface SynthReport {
  text: string;
  truth: SynthTruth;
}

export interface GenerateOptions {
  seed: number;
  /** Share of reports with one injected error (default 0.2). */
  errorRate?: number;
  /** Share of pre-2019 prose reports (default 0.2). */
  proseShare?: number;
  /** Layouts to draw from (default: all). */
  layouts?: readonly SynthLayout[];
  renderTable: TableRenderer;
}

const ARITHMETIC_RULES = ['applications.balance', 'applications.total', 'applications.columns', 'review_litigation.sum'];
const CN_ITEM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Enumeration styles of section 五 items ("一是…", "1.…", "（一）…", plain sentences). */
type ItemStyle = 'yishi' | 'arabic_dot' | 'arabic_dun' | 'paren' | 'sentences';

function marker(style: ItemStyle, i: number): string {
  switch (style) {
    case 'yishi':
      return `${CN_ITEM[i]}是`;
    case 'arabic_dot':
      return `${i + 1}.`;
    case 'arabic_dun':
      return `${i + 1}、`;
    case 'paren':
      return `（${CN_ITEM[i]}）`;
    case 'sentences':
      return '';
  }
}

function agencyFor(rng: Rng, level: Level): { agency: string; place: Place; short: string } {
  const province = rng.pick(PHRASES.provinces);
  const city = rng.pick(province.cities);
  const county = rng.pick(city.counties);
  const place: Place = { province: province.name, city: city.name, county };
  switch (level) {
    case 'province':
      return { agency: `${province.name}人民政府`, place: { province: province.name }, short: '我省' };
    case 'city':
      return { agency: `${city.name}人民政府`, place: { province: province.name, city: city.name }, short: '我市' };
    case 'county':
      return { agency: `${county}人民政府`, place, short: county.endsWith('区') ? '我区' : '我县' };
    case 'township': {
      const town = rng.pick(PHRASES.towns);
      return { agency: `${county}${town}人民政府`, place, short: town.endsWith('街道') ? '我街道' : town.endsWith('乡') ? '我乡' : '我镇' };
    }
    case 'department':
    case 'central': {
      const dept = rng.pick(PHRASES.departments);
      const seat = rng.chance(0.5) ? city.name : county;
      return { agency: `${seat}${dept}`, place, short: dept.endsWith('委员会') ? '我委' : '我局' };
    }
  }
}

function paragraphs(rng: Rng, bank: readonly string[], k: number, vars: Record<string, string | number>): string {
  return rng
    .sample(bank, k)
    .map((p) => fill(p, { ...vars, k: rng.int(2, 8), k2: rng.int(1, 6), k3: rng.int(20, 300), n: rng.int(100, 20000), n2: rng.int(50, 3000), n3: rng.int(10, 2000) }))
    .join('\n');
}

/** Section 五: problems then measures, in one of the usual arrangements; returns text and statements. */
function section5(rng: Rng, year: number): { body: string; problems: SynthStatement[]; measures: SynthStatement[] } {
  const themes = Object.keys(PHRASES.problems);
  const problemThemes = rng.sample(themes, rng.int(2, 4));
  // Measures answer the problems, sometimes with an extra theme.
  const measureThemes = rng.chance(0.7) ? problemThemes.slice() : rng.sample(themes, rng.int(2, 4));
  const style: ItemStyle = rng.pick(['yishi', 'yishi', 'arabic_dot', 'arabic_dun', 'paren', 'sentences'] as const);
  const subsections = style !== 'paren' && rng.chance(0.6);
  const make = (list: string[], bank: Record<string, readonly string[]>): SynthStatement[] =>
    list.map((theme, i) => ({ theme, text: `${marker(style, i)}${rng.pick(bank[theme])}。` }));
  const problems = make(problemThemes, PHRASES.problems);
  const measures = make(measureThemes, PHRASES.measures);
  const sep = style === 'yishi' || style === 'sentences' ? (rng.chance(0.5) ? '' : '\n') : '\n';
  const pLead = rng.pick(PHRASES.problem_leadins);
  const mLead = fill(rng.pick(PHRASES.measure_leadins), { next: year + 1 });
  let body: string;
  if (subsections) {
    body = `（一）存在的主要问题\n${pLead}\n${problems.map((s) => s.text).join(sep)}\n（二）改进措施\n${mLead}\n${measures.map((s) => s.text).join(sep)}`;
  } else {
    body = `${pLead}\n${problems.map((s) => s.text).join(sep)}\n${mLead}\n${measures.map((s) => s.text).join(sep)}`;
  }
  return { body, problems, measures };
}

function preamble(short: string): string {
  return (
    `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由${short}编制。` +
    `如对本报告有任何疑问，请与政府信息公开工作机构联系。`
  );
}

/** The statistics period, first sentence of the overview (where the year check reads it). */
function period(statYear: number): string {
  return `本报告所列数据的统计期限自${statYear}年1月1日起至${statYear}年12月31日止。`;
}

/** A sentence giving the report's figures in prose, as pre-2019 reports do. */
function prosePart(rng: Rng, year: number, level: Level): { applications: string; review: string; cells: Record<string, number | null> } {
  const cells: Record<string, number | null> = {};
  const received = rng.chance(0.15) ? 0 : Math.round(rng.float() ** 2 * (level === 'township' ? 8 : 120));
  let applications: string;
  if (received === 0) {
    applications = `${year}年，未收到政府信息公开申请。`;
    cells['applications.new_received.total'] = 0;
  } else {
    const handled = rng.chance(0.7) ? received : rng.int(Math.max(0, received - 3), received);
    applications =
      handled === received
        ? `${year}年，共受理政府信息公开申请${received}件，已全部按期答复，答复率100%。`
        : `${year}年，共受理政府信息公开申请${received}件，共答复政府信息公开申请${handled}件，其余${received - handled}件正在办理中。`;
    cells['applications.new_received.total'] = received;
    // "已全部按期答复" states no number for (七)总计: only a figure printed as a number is truth.
    if (handled !== received) cells['applications.handled_total.total'] = handled;
  }
  let review: string;
  const r = rng.chance(0.75) ? 0 : rng.int(1, 3);
  if (r === 0) {
    review = `${year}年，没有因政府信息公开申请行政复议、提起行政诉讼的情况。`;
    cells['review_litigation.review.total'] = 0;
  } else {
    review = `${year}年，因政府信息公开申请行政复议数量${r}件，没有因政府信息公开提起行政诉讼。`;
    cells['review_litigation.review.total'] = r;
  }
  cells['review_litigation.litigation_direct.total'] = 0;
  cells['review_litigation.litigation_after_review.total'] = 0;
  return { applications, review, cells };
}

const LEVELS: Level[] = ['province', 'city', 'county', 'township', 'department'];
const LEVEL_WEIGHTS = [1, 3, 6, 5, 8];

/** Applies one injected error to the tables; returns a description. */
function injectTableError(rng: Rng, kind: ErrorKind, tables: SynthTables): string {
  const a = tables.applications;
  const d = rng.int(1, 5);
  switch (kind) {
    case 'balance':
      // 一 grows in one column (and in 总计, so the column sum still holds): 一+二 ≠ (七)+四.
      a.new_received.natural_person = (a.new_received.natural_person ?? 0) + d;
      a.new_received.total = (a.new_received.total ?? 0) + d;
      return `new_received natural_person and total +${d}`;
    case 'outcome_sum':
      // An outcome grows in one column and its 总计: (七) ≠ sum of outcomes.
      a.granted.natural_person = (a.granted.natural_person ?? 0) + d;
      a.granted.total = (a.granted.total ?? 0) + d;
      return `granted natural_person and total +${d}`;
    case 'column_sum':
      // One row's 总计 is off: 总计 ≠ 自然人 + organisations (and (七) ≠ outcomes in the 总计 column).
      a.partially_granted.total = (a.partially_granted.total ?? 0) + d;
      return `partially_granted total +${d}`;
    case 'review_sum':
      tables.review_litigation.review.total = (tables.review_litigation.review.total ?? 0) + d;
      return `review total +${d}`;
    default:
      return '';
  }
}

/**
 * Generates report `index` of the corpus with this seed. Deterministic: same (seed, index, options) →
 * same text and truth.
 */
export function generateReport(index: number, opts: GenerateOptions): SynthReport {
  const rng = new Rng(opts.seed, index);
  const level = rng.weighted(LEVELS, LEVEL_WEIGHTS);
  const { agency, place, short } = agencyFor(rng, level);
  const prose = rng.chance(opts.proseShare ?? 0.2);
  let year = prose ? rng.int(2008, 2018) : rng.int(2019, 2024);
  let template: '2019' | '2021' | 'pre2019' = prose ? 'pre2019' : year <= 2020 ? '2019' : '2021';
  const injected: SynthTruth['injected'] = [];
  const layouts = opts.layouts ?? SYNTH_LAYOUTS;
  const layout: SynthLayout | 'prose' = prose ? 'prose' : rng.pick(layouts);

  let kind: ErrorKind | null = null;
  if (rng.chance(opts.errorRate ?? 0.2)) {
    const possible: ErrorKind[] = prose
      ? ['missing_section', 'wrong_year']
      : layout === 'collapsed' || layout === 'merged-org'
        ? // Collapsed digits are split with the table's own equations, so they cannot carry a broken one.
          ['missing_section', 'wrong_year', 'template_mismatch']
        : [...ERROR_KINDS];
    kind = rng.pick(possible);
  }
  if (kind === 'template_mismatch') {
    // A 2021–2024 report printed on the 2019 template.
    year = rng.int(2021, 2024);
    template = '2019';
    injected.push({ kind, detail: `${year} report on the 2019 template` });
  }
  const statYear = kind === 'wrong_year' ? year - 1 : year;
  if (kind === 'wrong_year') injected.push({ kind, detail: `title says ${year}, statistics period ${statYear}` });

  const title = `${agency}${year}年${rng.chance(0.5) ? '度' : ''}政府信息公开工作年度报告`;
  const vars = { year, short };
  const s5 = section5(rng, year);
  const dropProblems = kind === 'missing_section';
  if (dropProblems) injected.push({ kind: 'missing_section', detail: 'section 五 left out' });
  const parts: string[] = [title, preamble(short)];
  let cells: Record<string, number | null> = {};
  let heading: string | null;

  if (template === 'pre2019') {
    const p = prosePart(rng, year, level);
    cells = p.cells;
    heading = rng.pick(['存在的主要问题和改进措施', '存在的问题及改进措施', '存在问题及工作打算']);
    parts.push(
      '一、概述',
      period(statYear) + paragraphs(rng, PHRASES.overview, 2, vars),
      '二、主动公开政府信息情况',
      paragraphs(rng, PHRASES.proactive, 2, vars),
      '三、依申请公开政府信息情况',
      p.applications,
      '四、政府信息公开的收费及减免情况',
      `${year}年，未收取任何费用。`,
      '五、因政府信息公开申请行政复议、提起行政诉讼的情况',
      p.review,
    );
    if (!dropProblems) parts.push(`六、${heading}`, s5.body);
    parts.push(`${dropProblems ? '六' : '七'}、其他需要报告的事项`, paragraphs(rng, PHRASES.other, 1, vars));
    heading = dropProblems ? null : `六、${heading}`;
  } else {
    const tt: TableTemplate = template;
    const tables: SynthTables = {
      proactive: proactiveTable(rng, tt),
      applications: applicationsTable(rng, tt, level),
      review_litigation: reviewTable(rng, level),
    };
    if (kind && kind !== 'missing_section' && kind !== 'wrong_year' && kind !== 'template_mismatch') {
      injected.push({ kind, detail: injectTableError(rng, kind, tables) });
    }
    const render = (t: TableName) => opts.renderTable(t, tt, tables[t], layout as SynthLayout);
    heading = '五、存在的主要问题及改进情况';
    parts.push(
      '一、总体情况',
      period(statYear) + paragraphs(rng, PHRASES.overview, rng.int(2, 4), vars),
      '二、主动公开政府信息情况',
      render('proactive'),
      '三、收到和处理政府信息公开申请情况',
      render('applications'),
      '四、政府信息公开行政复议、行政诉讼情况',
      render('review_litigation'),
    );
    if (!dropProblems) parts.push(heading, s5.body);
    parts.push(`${dropProblems ? '五' : '六'}、其他需要报告的事项`, paragraphs(rng, PHRASES.other, 1, vars));
    if (dropProblems) heading = null;
    cells = flattenTables(tables);
    if (layout === 'merged-org') {
      // One merged 法人或其他组织 figure is printed: its parts are unknown, org_subtotal is their sum.
      for (const row of Object.keys(tables.applications)) {
        const r = tables.applications[row];
        const orgs = ['business', 'research', 'social_org', 'legal_service', 'other_org'];
        cells[`applications.${row}.org_subtotal`] = orgs.reduce((s, c) => s + (r[c] ?? 0), 0);
        for (const c of orgs) cells[`applications.${row}.${c}`] = null;
      }
    }
  }

  const mustFlag = injected.map((e) => ERROR_RULES[e.kind]);
  if (injected.some((e) => e.kind === 'column_sum')) mustFlag.push('applications.total');
  const mustNotFlag = template === 'pre2019' ? [] : ARITHMETIC_RULES.filter((r) => !mustFlag.includes(r));

  const truth: SynthTruth = {
    file: '',
    seed: opts.seed,
    index,
    title,
    agency,
    level,
    region: [place.province, place.city].filter(Boolean).join(''),
    year,
    template,
    layout,
    cells,
    section5_heading: heading,
    problems: dropProblems ? [] : s5.problems,
    measures: dropProblems ? [] : s5.measures,
    injected,
    must_flag: [...new Set(mustFlag)],
    must_not_flag: mustNotFlag,
  };
  return { text: `${parts.join('\n')}\n`, truth };
}
