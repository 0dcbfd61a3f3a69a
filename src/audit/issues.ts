/**
 * Per-report issues of the audit. Arithmetic and prose-vs-table checks come from the parser's and
 * validator's findings (rule ids of SCHEMA.md); the audit adds what needs the year, section 五 or the
 * statements: template for the year, missing year, empty section 五, copied / vague / unanswered
 * statements, all-zero table 三 next to prose about requests.
 */
import { SECTION_KEYS, TABLE_NAMES, type Finding, type ReportRecord, type SectionKey, type Statement, type TableName } from '../model/types.js';
import { cellLabel, sectionLabel, templateLabel } from './config.js';
import { agencyKey } from './groups.js';
import { ISSUE_KINDS, type AuditIssue, type AuditWeights, type CopySource, type IssueCell, type IssueKind, type IssueStatement } from './types.js';

/** Finding rule → issue kind. Arithmetic rules of tables 二/三/四 are all "checks". */
export function kindOfRule(rule: string): IssueKind | null {
  switch (rule) {
    case 'text_table.mismatch':
      return 'text_table_mismatch';
    case 'carried.continuity':
      return 'carried_continuity';
    case 'table.ambiguous':
    case 'table.unparsed':
      return 'table_unreadable';
    case 'sections.missing':
      return 'section_missing';
    case 'template.mismatch':
      return 'template_mismatch';
    case 'year.mismatch':
      return 'year_mismatch';
  }
  if (/^(applications|review_litigation|proactive)\./.test(rule)) return 'check_failed';
  return null;
}

/** The printed value, raw text and status of a cell key, as the report gives it. */
export function resolveCell(r: ReportRecord, key: string): IssueCell {
  const [table, ...rest] = key.split('.');
  const col = rest.pop() ?? '';
  const row = rest.join('.');
  const t = (TABLE_NAMES as readonly string[]).includes(table) ? r.tables[table as TableName] : null;
  const cell = t?.[row]?.[col];
  return {
    key,
    label: cellLabel(key),
    value: cell ? cell.value : null,
    raw: cell ? cell.raw : null,
    status: cell ? cell.status : null,
  };
}

/** A whole section 五 copied from the same agency's earlier report (the NLP stage's SectionCopy). */
export interface SectionCopyRef {
  report_id: string;
  of: string;
  similarity: number;
}

export interface IssueContext {
  weights: AuditWeights;
  reportsById: Map<string, ReportRecord>;
  themeNames: Map<string, string>;
  /** Whole-section copies by the copying report's id. */
  sectionCopies?: Map<string, SectionCopyRef>;
}

function issue(
  ctx: IssueContext,
  kind: IssueKind,
  message: string,
  extra: Partial<Omit<AuditIssue, 'kind' | 'label' | 'message'>> = {},
): AuditIssue {
  const w = ctx.weights.kinds[kind];
  return {
    kind,
    severity: extra.severity ?? w.severity,
    label: w.label,
    message,
    rule: extra.rule ?? null,
    units: extra.units ?? 1,
    cells: extra.cells ?? [],
    quote: extra.quote ?? null,
    statements: extra.statements ?? [],
    source: extra.source ?? null,
    similarity: extra.similarity ?? null,
    theme: extra.theme ?? null,
  };
}

/** A finding's cells that are table cells ("applications.new_received.total"), not "sections.problems" or "year". */
function isTableCell(key: string): boolean {
  const parts = key.split('.');
  return parts.length >= 3 && (TABLE_NAMES as readonly string[]).includes(parts[0]) && !parts.includes('*');
}

function fromFinding(ctx: IssueContext, r: ReportRecord, f: Finding, kind: IssueKind): AuditIssue {
  // sections.missing names every missing section in one finding; each counts as a unit.
  const units = kind === 'section_missing' ? Math.max(1, f.cells.filter((c) => c.startsWith('sections.')).length) : 1;
  return issue(ctx, kind, f.message, {
    rule: f.rule,
    severity: f.severity,
    units,
    cells: f.cells.filter(isTableCell).map((key) => resolveCell(r, key)),
    quote: f.quote ?? null,
  });
}

/** Required sections: every one for the 2019/2021 templates; pre-2019 formats are free-form. */
function ownMissingSections(r: ReportRecord): SectionKey[] {
  if (r.template !== '2019' && r.template !== '2021') return [];
  return SECTION_KEYS.filter((k) => r.sections[k] === null || r.sections[k]?.trim() === '');
}

/** "2019 template for a 2021+ report, 2021 template before 2021" (国办公开办函〔2021〕30号 applies from the 2021 reports on). */
function ownTemplateMismatch(r: ReportRecord): string | null {
  if (r.year === null) return null;
  if (r.template === '2019' && r.year >= 2021) {
    return `报告年度为${r.year}年，应使用2021年版格式（国办公开办函〔2021〕30号），实际使用${templateLabel('2019')}（国办公开办函〔2019〕60号）`;
  }
  if (r.template === '2021' && r.year < 2021) {
    return `报告年度为${r.year}年，应使用2019年版格式（国办公开办函〔2019〕60号），实际使用${templateLabel('2021')}`;
  }
  return null;
}

// "五、存在的主要问题及改进情况" and its variants: a numbered heading naming 问题/不足, up to the word that ends it.
const PROBLEMS_HEADING =
  /^\s*[（(]?[一二三四五六七八九十\d]+[)）、.．]?\s*[^。\n]{0,30}?(问题|不足)(?:[^。\n]{0,12}?(?:情况|措施|举措|方向|计划|打算|思路))?/;

/** True when section 五 says nothing: empty, or only "无"/"暂无"/"本年度无" after its heading. */
export function isEmptyProblems(text: string): boolean {
  const body = text.replace(PROBLEMS_HEADING, '').replace(/[\s\p{P}\p{S}]/gu, '');
  if (body === '') return true;
  return body.length <= 6 && /^(本年度?|今年|我[局委办区县市])?(暂)?(无|没有)(问题|相关情况|其他)?$/.test(body);
}

/** Every non-null value of the table is 0 and at least one value is printed. */
function allZero(table: ReportRecord['tables']['applications']): boolean {
  if (!table) return false;
  let seen = 0;
  for (const row of Object.values(table)) {
    for (const cell of Object.values(row)) {
      if (cell.value === null) continue;
      if (cell.value !== 0) return false;
      seen++;
    }
  }
  return seen > 0;
}

/**
 * A sentence of the prose that reports a positive number of disclosure requests ("共收到申请15件").
 * Review/litigation sentences are left out (行政复议申请 is a different count), as are sentences that
 * negate ("未收到…申请").
 */
export function requestSentence(prose: string): string | null {
  for (const sentence of prose.split(/[。；;！!\n]/)) {
    if (!/申请/.test(sentence) || /复议|诉讼/.test(sentence)) continue;
    if (/(未|没有|无)(收到|受理|接到|发生)/.test(sentence)) continue;
    if (!/(收到|受理|接到|办理|办结|答复|新收)/.test(sentence)) continue;
    // The count must belong to the requests ("申请15件", "15件政府信息公开申请"), not to another figure of
    // the sentence ("发布信息2000条").
    const m =
      /申请[^，,。；]{0,20}?(\d+)\s*(?:件|宗|份|个|起|人次)/.exec(sentence) ??
      /(\d+)\s*(?:件|宗|份|个|起|人次)[^，,。；\d]{0,14}申请/.exec(sentence);
    if (m && Number(m[1]) > 0) return sentence.trim();
  }
  return null;
}

function themeName(ctx: IssueContext, id: string): string {
  return ctx.themeNames.get(id) ?? id;
}

function statementRef(s: Statement): IssueStatement {
  return { kind: s.kind, index: s.index, text: s.text };
}

/** Themes that count for a statement: its best theme, plus others at or above theme_min_score; never "other". */
function countedThemes(s: Statement, minScore: number): string[] {
  return s.themes
    .filter((t, i) => t.id !== 'other' && (i === 0 || t.score >= minScore))
    .map((t) => t.id);
}

function sourceOf(ctx: IssueContext, id: string): CopySource {
  const src = ctx.reportsById.get(id) ?? null;
  return { report_id: id, agency: src?.agency ?? null, year: src?.year ?? null, title: src?.title ?? null };
}

function sourceName(src: CopySource): string {
  return `${src.agency ?? '（机构未识别）'}${src.year != null ? ` ${src.year}年` : ''}报告`;
}

/**
 * Copied statements of section 五: one issue for copies of the agency's own earlier reports, one for
 * copies of other agencies' reports, each statement with its source and similarity. Statements shorter
 * than copy_min_chars ("加强培训。") are the common stock of every report and prove nothing.
 */
function copyIssues(ctx: IssueContext, r: ReportRecord, statements: Statement[]): AuditIssue[] {
  const ownKey = r.agency ? agencyKey(r.agency) : null;
  const byKind = new Map<IssueKind, { s: Statement; source: CopySource; similarity: number }[]>();
  for (const s of statements) {
    const of = s.boilerplate?.of;
    // A copy with no named source makes no claim we could show the supervisor.
    if (!of || of === r.id) continue;
    if ([...s.text.replace(/[\s\p{P}\p{S}]/gu, '')].length < ctx.weights.copy_min_chars) continue;
    const source = sourceOf(ctx, of);
    const sameAgency = ownKey !== null && source.agency !== null && agencyKey(source.agency) === ownKey;
    const sameYear = source.year !== null && r.year !== null && source.year >= r.year;
    // The same agency's report of the same year is a duplicate input (the HTML and the text of one
    // report), not a copy; so, likely, is a same-year source when either agency could not be read.
    if (sameYear && (sameAgency || ownKey === null || source.agency === null)) continue;
    const kind: IssueKind = sameAgency ? 'copied_previous_year' : 'copied_other_agency';
    const list = byKind.get(kind) ?? [];
    list.push({ s, source, similarity: s.boilerplate?.similarity ?? 0 });
    byKind.set(kind, list);
  }
  const out: AuditIssue[] = [];
  for (const [kind, copied] of byKind) {
    // The source most statements come from stands for the issue in flat views (CSV, workbook).
    const counts = new Map<string, number>();
    for (const c of copied) counts.set(c.source.report_id, (counts.get(c.source.report_id) ?? 0) + 1);
    const main = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    const mainSource = copied.find((c) => c.source.report_id === main)!.source;
    const similarity = copied.reduce((a, c) => a + c.similarity, 0) / copied.length;
    const share = statements.length ? copied.length / statements.length : 0;
    const whom = counts.size === 1 ? sourceName(mainSource) : `${counts.size}份报告（最多的是${sourceName(mainSource)}，${counts.get(main)}条）`;
    const message =
      `第五部分${statements.length}条表述中有${copied.length}条（${Math.round(share * 100)}%）与${whom}` +
      `相同或高度相似（平均相似度${similarity.toFixed(2)}）` +
      (share >= 0.8 ? '，基本整段照搬' : '');
    out.push(
      issue(ctx, kind, message, {
        units: copied.length,
        statements: copied.map((c) => ({ ...statementRef(c.s), source: c.source, similarity: c.similarity })),
        quote: copied[0].s.text,
        source: mainSource,
        similarity: Math.round(similarity * 1000) / 1000,
      }),
    );
  }
  return out.sort((a, b) => ISSUE_KINDS.indexOf(a.kind) - ISSUE_KINDS.indexOf(b.kind));
}

/**
 * Section 五 as a whole copied from the same agency's earlier report, when no single statement was
 * matched (the section's characters agree though its statements were reworded or split differently):
 * from the NLP stage's section copies, else from its problems.copied finding.
 */
function wholeSectionCopy(ctx: IssueContext, r: ReportRecord, statements: Statement[]): AuditIssue[] {
  const units = Math.max(1, statements.length);
  const copy = ctx.sectionCopies?.get(r.id);
  if (copy) {
    const src = ctx.reportsById.get(copy.of) ?? null;
    const sourceName = `${src?.agency ?? '本机关'}${src?.year != null ? ` ${src.year}年` : '往年'}报告`;
    return [
      issue(ctx, 'copied_previous_year', `第五部分整体与${sourceName}基本相同（相似度${copy.similarity.toFixed(2)}），问题和措施可能照抄上年`, {
        rule: 'problems.copied',
        units,
        quote: r.sections.problems?.trim().slice(0, 300) ?? null,
        source: { report_id: copy.of, agency: src?.agency ?? null, year: src?.year ?? null, title: src?.title ?? null },
        similarity: copy.similarity,
      }),
    ];
  }
  return r.findings
    .filter((f) => f.rule === 'problems.copied')
    .map((f) =>
      issue(ctx, 'copied_previous_year', f.message, {
        rule: f.rule,
        units,
        quote: f.quote ?? r.sections.problems?.trim().slice(0, 300) ?? null,
      }),
    );
}

/**
 * Problems no measure addresses: a problem statement is answered when any of its themes is a theme of
 * some measure; the ones left are grouped under their best theme. (Judging every theme of a problem
 * separately would call "渠道有限，新媒体宣传不足" unanswered by a measure on 政务新媒体 only because
 * the problem's first theme is 公众参与.)
 */
function themeGapIssues(ctx: IssueContext, statements: Statement[]): AuditIssue[] {
  const problems = statements.filter((s) => s.kind === 'problem');
  if (problems.length === 0) return [];
  const measureThemes = new Set<string>();
  for (const s of statements) if (s.kind === 'measure') for (const t of s.themes) measureThemes.add(t.id);
  const gaps = new Map<string, Statement[]>();
  for (const p of problems) {
    const themes = countedThemes(p, ctx.weights.theme_min_score);
    if (themes.length === 0 || themes.some((id) => measureThemes.has(id))) continue;
    const list = gaps.get(themes[0]) ?? [];
    list.push(p);
    gaps.set(themes[0], list);
  }
  const hasMeasures = statements.some((s) => s.kind === 'measure');
  return [...gaps].map(([id, ps]) =>
    issue(
      ctx,
      'problem_unaddressed',
      hasMeasures
        ? `问题涉及“${themeName(ctx, id)}”，改进措施中没有对应这一主题的措施`
        : `问题涉及“${themeName(ctx, id)}”，第五部分没有写改进措施`,
      { statements: ps.map(statementRef), quote: ps[0].text, theme: { id, name: themeName(ctx, id) } },
    ),
  );
}

/** All issues of one report, in a fixed order of kinds. */
export function reportIssues(ctx: IssueContext, r: ReportRecord, statements: Statement[]): AuditIssue[] {
  const out: AuditIssue[] = [];
  const byKind = new Map<IssueKind, Finding[]>();
  for (const f of r.findings) {
    const kind = kindOfRule(f.rule);
    if (!kind) continue;
    const list = byKind.get(kind) ?? [];
    list.push(f);
    byKind.set(kind, list);
  }
  const findingIssues = (kind: IssueKind) => (byKind.get(kind) ?? []).map((f) => fromFinding(ctx, r, f, kind));

  out.push(...findingIssues('check_failed'));
  out.push(...findingIssues('carried_continuity'));
  out.push(...findingIssues('text_table_mismatch'));

  // Missing sections: the validator's findings when it gave any, else the audit's own reading.
  const missingFindings = findingIssues('section_missing');
  if (missingFindings.length) out.push(...missingFindings);
  else {
    for (const key of ownMissingSections(r)) {
      out.push(issue(ctx, 'section_missing', `缺少“${sectionLabel(key)}”部分`, { rule: 'sections.missing' }));
    }
  }

  const templateFindings = findingIssues('template_mismatch');
  if (templateFindings.length) out.push(...templateFindings);
  else {
    const msg = ownTemplateMismatch(r);
    if (msg) out.push(issue(ctx, 'template_mismatch', msg, { rule: 'template.mismatch' }));
  }

  if (r.year === null) {
    out.push(issue(ctx, 'year_missing', '未能从标题或正文读出报告所属年度，请核对标题和统计期限'));
  }
  out.push(...findingIssues('year_mismatch'));
  // Template and year issues rest on the title as printed: show it when the finding quotes nothing.
  for (const i of out) {
    if ((i.kind === 'template_mismatch' || i.kind.startsWith('year_')) && i.quote === null && r.title) i.quote = r.title;
  }

  const problemsText = r.sections.problems;
  if (problemsText !== null && isEmptyProblems(problemsText)) {
    out.push(
      issue(ctx, 'problems_empty', '第五部分没有写出存在的问题和改进情况', {
        quote: problemsText.trim().slice(0, 200) || null,
      }),
    );
  }

  const ordered = [...statements].sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'problem' ? -1 : 1));
  const copies = copyIssues(ctx, r, ordered);
  out.push(...copies);
  if (!copies.some((c) => c.kind === 'copied_previous_year')) out.push(...wholeSectionCopy(ctx, r, ordered));

  for (const s of ordered) {
    if (s.kind === 'problem' && s.vague) {
      out.push(
        issue(ctx, 'vague_problem', '问题表述笼统，没有指出具体哪项工作、哪些单位存在什么不足', {
          quote: s.text,
          statements: [statementRef(s)],
        }),
      );
    }
  }
  out.push(...themeGapIssues(ctx, ordered));

  if (allZero(r.tables.applications)) {
    const prose = [r.sections.overview, r.sections.applications, r.sections.other].filter(Boolean).join('\n');
    const sentence = requestSentence(prose);
    if (sentence) {
      const keys = ['applications.new_received.total', 'applications.handled_total.total'];
      out.push(
        issue(ctx, 'zero_tables_with_requests', '表三各项均为0，但正文写有收到或办理政府信息公开申请的数量，请核对统计表', {
          quote: sentence,
          cells: keys.map((k) => resolveCell(r, k)),
        }),
      );
    }
  }

  out.push(...findingIssues('table_unreadable'));
  return out;
}

/**
 * The earlier report this one repeats, when the same report came in twice (its text and its HTML page,
 * two crawls): same year, same agency or an agency unread on either side, and at least 80% of its
 * section 五 statements found in that one report at similarity 0.95 or more. Null otherwise.
 */
export function duplicateOf(r: ReportRecord, statements: Statement[], reportsById: Map<string, ReportRecord>): string | null {
  if (statements.length === 0 || r.year === null) return null;
  const counts = new Map<string, number>();
  for (const s of statements) {
    const of = s.boilerplate?.of;
    if (of && of !== r.id && s.boilerplate!.similarity >= 0.95) counts.set(of, (counts.get(of) ?? 0) + 1);
  }
  for (const [of, n] of counts) {
    const src = reportsById.get(of);
    if (!src || src.year !== r.year || n < 0.8 * statements.length) continue;
    if (r.agency && src.agency && agencyKey(r.agency) !== agencyKey(src.agency)) continue;
    return of;
  }
  return null;
}
