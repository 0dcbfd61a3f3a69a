/**
 * The audit for supervisors (issue 6): per-report issues, scores whose parts are shown, rankings of
 * agencies and groups, and the common weaknesses of the set. Pure functions over ReportRecord[] and
 * Statement[]; rendering lives in src/render/audit-*.ts and src/audit/csv.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ReportRecord, Statement, Theme } from '../model/types.js';
import { loadWeights } from './config.js';
import { groupOf, loadGroups, normaliseGroupMap, recordAgencyKey, UNGROUPED, zhCompare } from './groups.js';
import { duplicateOf, reportIssues, type IssueContext, type SectionCopyRef } from './issues.js';
import { aggregateScores, rank, scoreReport } from './score.js';
import type { AgencyAudit, Audit, AuditWeights, GroupAudit, GroupBy, IssueKind, ReportAudit } from './types.js';
import { ISSUE_KINDS } from './types.js';
import { commonWeaknesses } from './weaknesses.js';

export * from './types.js';
export { parseGroupsCsv, loadGroups, agencyKey, UNGROUPED, UNKNOWN_REGION } from './groups.js';
export { loadWeights, parseWeights, cellLabel, levelLabel, sectionLabel, templateLabel } from './config.js';
export { scoreReport, aggregateScores } from './score.js';
export { isEmptyProblems, requestSentence, type SectionCopyRef } from './issues.js';
export { auditViews, auditCsv, issueRows, describeCell, ISSUE_HEADER, COLUMN_NAMES_ZH, type View, type RowValue } from './rows.js';
// Renderers live with the other renderers; re-exported so the audit is one import for library users.
export { renderAuditHtml } from '../render/audit-html.js';
export { renderAuditXlsx, buildAuditWorkbook, writeAuditXlsx } from '../render/audit-xlsx.js';

export interface AuditOptions {
  /** agency → group, or the path of a CSV with agency,group lines. */
  groups?: Map<string, string> | string;
  /** Grouping of the group view; default 'group' when groups are given, else 'level'. */
  by?: GroupBy;
  /** Deduction weights (object or JSON file); default src/data/audit-weights.json. */
  weights?: AuditWeights | string;
  /** Theme names for display; default the shipped taxonomy when present, else theme ids. */
  taxonomy?: Theme[];
  /**
   * Every report of the run when `reports` is a filtered part of it: copied text is then traced to its
   * source even when the source report is filtered out.
   */
  context?: ReportRecord[];
  /** Whole-section copies found by the NLP stage (markBoilerplate's result). */
  sectionCopies?: SectionCopyRef[];
}

/** Theme id → Chinese name, from the given taxonomy or the shipped src/data/themes.json. */
function themeNameMap(taxonomy: Theme[] | undefined): Map<string, string> {
  const names = new Map<string, string>();
  let themes: { id?: unknown; name?: unknown }[] = taxonomy ?? [];
  if (!taxonomy) {
    const url = new URL('../data/themes.json', import.meta.url);
    if (existsSync(url)) {
      try {
        const data = JSON.parse(readFileSync(url, 'utf8')) as unknown;
        const list = Array.isArray(data) ? data : (data as { themes?: unknown }).themes;
        if (Array.isArray(list)) themes = list as typeof themes;
      } catch {
        // A broken taxonomy file is the NLP stage's error to report; the audit falls back to ids.
      }
    }
  }
  for (const t of themes) if (typeof t.id === 'string' && typeof t.name === 'string') names.set(t.id, t.name);
  if (!names.has('other')) names.set('other', '其他');
  return names;
}

/** The agency as a person reads it; a report whose agency could not be read is named by its file. */
function agencyName(r: ReportRecord): string {
  return r.agency ?? `机构未识别（${basename(r.source.path)}${r.source.index > 0 ? ` 第${r.source.index + 1}份` : ''}）`;
}

/** Items by key, keys in order of first appearance, each list in input order (Map.groupBy is Node 21+). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Reports sorted for display: agency, then year, then id (input order must not change the output). */
function byAgencyYear(a: ReportAudit, b: ReportAudit): number {
  return zhCompare(a.agency_key, b.agency_key) || (a.year ?? 0) - (b.year ?? 0) || a.report_id.localeCompare(b.report_id);
}

function issueCounts(reports: ReportAudit[], weights: AuditWeights) {
  return ISSUE_KINDS.map((kind: IssueKind) => ({
    kind,
    label: weights.kinds[kind].label,
    reports: reports.filter((r) => r.issues.some((i) => i.kind === kind)).length,
    issues: reports.reduce((a, r) => a + r.issues.filter((i) => i.kind === kind).length, 0),
  })).filter((c) => c.issues > 0);
}

export function buildAudit(reports: ReportRecord[], statements: Statement[], opts: AuditOptions = {}): Audit {
  const weights = loadWeights(opts.weights);
  const userGroups =
    opts.groups === undefined ? null : typeof opts.groups === 'string' ? loadGroups(opts.groups) : normaliseGroupMap(opts.groups);
  const by: GroupBy = opts.by ?? (userGroups ? 'group' : 'level');
  if (by === 'group' && !userGroups) throw new Error('audit: grouping by "group" needs a group CSV (--groups FILE)');

  // Audited reports, and every report known (copy sources may lie outside a filtered set).
  const auditedById = new Map(reports.map((r) => [r.id, r]));
  const reportsById = new Map([...(opts.context ?? []), ...reports].map((r) => [r.id, r]));
  const themeNames = themeNameMap(opts.taxonomy);
  const ctx: IssueContext = {
    weights,
    reportsById,
    themeNames,
    sectionCopies: new Map((opts.sectionCopies ?? []).map((c) => [c.report_id, c])),
  };
  // The same file given twice (two paths, same bytes) yields the same report id twice, and its
  // statements twice: keep one set per id, and list the second copy as a duplicate of the first.
  const statementsByReport = new Map<string, Statement[]>();
  const statementSeen = new Set<string>();
  for (const s of statements) {
    const key = `${s.report_id}\u0000${s.kind}\u0000${s.index}`;
    if (statementSeen.has(key)) continue;
    statementSeen.add(key);
    const list = statementsByReport.get(s.report_id) ?? [];
    list.push(s);
    statementsByReport.set(s.report_id, list);
  }
  const uniqueStatements = [...statementsByReport.values()].flat();
  const idSeen = new Set<string>();

  const reportAudits: ReportAudit[] = reports.map((r) => {
    const own = statementsByReport.get(r.id) ?? [];
    const sameBytesAsEarlier = idSeen.has(r.id);
    idSeen.add(r.id);
    const issues = reportIssues(ctx, r, own);
    return {
      report_id: r.id,
      title: r.title,
      agency: r.agency,
      agency_name: agencyName(r),
      agency_key: recordAgencyKey(r),
      year: r.year,
      level: r.level,
      region: r.region ?? null,
      template: r.template,
      group: groupOf(r, by, userGroups),
      source_path: r.source.path,
      duplicate_of: sameBytesAsEarlier ? r.id : duplicateOf(r, own, reportsById),
      issues,
      score: scoreReport(issues, weights),
    };
  });
  reportAudits.sort(byAgencyYear);
  // Rankings, groups, the overall figures and the weaknesses count each report once.
  const counted = reportAudits.filter((r) => r.duplicate_of === null);
  const countedIds = new Set(counted.map((r) => r.report_id));
  const countedById = new Map([...auditedById].filter(([id]) => countedIds.has(id)));

  // Agencies: reports joined by normalised agency name.
  const agencyMap = groupBy(counted, (ra) => ra.agency_key);
  const agencyRows = [...agencyMap].map(([key, list]) => {
    const latest = list[list.length - 1];
    return {
      agency: latest.agency_name,
      agency_key: key,
      group: latest.group,
      level: latest.level,
      region: latest.region,
      years: [...new Set(list.map((r) => r.year).filter((y): y is number => y !== null))].sort((a, b) => a - b),
      report_ids: list.map((r) => r.report_id),
      issues: list.reduce((a, r) => a + r.issues.length, 0),
      score: aggregateScores(list.map((r) => r.score), weights),
      scores_by_year: list.map((r) => ({ year: r.year, report_id: r.report_id, score: r.score.score })),
    };
  });
  const byAgencyKey = (a: { agency_key: string }, b: { agency_key: string }) => zhCompare(a.agency_key, b.agency_key);
  const ranked = rank(agencyRows, (a) => a.score.score, byAgencyKey);
  // Rank within each group: a supervisor compares the agencies under the same office.
  const groupRanks = new Map<string, number>();
  for (const inGroup of groupBy(ranked, (a) => a.group).values()) {
    for (const a of rank(inGroup, (x) => x.score.score, byAgencyKey)) groupRanks.set(a.agency_key, a.rank);
  }
  const agencies: AgencyAudit[] = ranked.map((a) => ({ ...a, group_rank: groupRanks.get(a.agency_key)! }));

  const { weaknesses, reportsWithProblems } = commonWeaknesses(uniqueStatements, countedById, themeNames, weights.theme_min_score);

  // Groups.
  const groupMap = groupBy(counted, (ra) => ra.group);
  // Each group's statements in one pass; statements of duplicate reports belong to no group.
  const groupOfReport = new Map(counted.map((ra) => [ra.report_id, ra.group]));
  const statementsByGroup = groupBy(
    uniqueStatements.filter((s) => groupOfReport.has(s.report_id)),
    (s) => groupOfReport.get(s.report_id)!,
  );
  const groupRows = [...groupMap].map(([group, list]) => {
    const groupStatements = statementsByGroup.get(group) ?? [];
    const themes = commonWeaknesses(groupStatements, countedById, themeNames, weights.theme_min_score)
      .weaknesses.filter((w) => w.theme !== 'other')
      .slice(0, 5)
      .map((w) => ({ id: w.theme, name: w.name, reports: w.reports }));
    return {
      group,
      agencies: new Set(list.map((r) => r.agency_key)).size,
      reports: list.length,
      issues: list.reduce((a, r) => a + r.issues.length, 0),
      score: aggregateScores(list.map((r) => r.score), weights),
      issue_counts: issueCounts(list, weights).map(({ kind, label, reports: n }) => ({ kind, label, reports: n })),
      themes,
    };
  });
  const groups: GroupAudit[] = rank(groupRows, (g) => g.score.score, (a, b) => zhCompare(a.group, b.group));

  const ungrouped =
    by === 'group'
      ? [...new Set(counted.filter((r) => r.group === UNGROUPED).map((r) => r.agency_name))].sort((a, b) =>
          zhCompare(a, b),
        )
      : [];

  return {
    by,
    weights,
    reports: reportAudits,
    agencies,
    groups,
    overall: {
      reports: counted.length,
      duplicates: reportAudits.length - counted.length,
      agencies: agencies.length,
      issues: counted.reduce((a, r) => a + r.issues.length, 0),
      reports_with_problem_statements: reportsWithProblems,
      score: aggregateScores(counted.map((r) => r.score), weights),
      issue_counts: issueCounts(counted, weights),
    },
    weaknesses,
    ungrouped_agencies: ungrouped,
  };
}
