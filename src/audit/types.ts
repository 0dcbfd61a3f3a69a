/**
 * Shapes of the audit (issue 6): what a supervisor sees per report, per agency, per group and for the
 * whole set. Plain JSON so the audit can be written out as is (audit.json) or rendered.
 */
import type { CellStatus, Level, Severity, StatementKind, Template } from '../model/types.js';

export type IssueKind =
  | 'check_failed'
  | 'carried_continuity'
  | 'text_table_mismatch'
  | 'table_unreadable'
  | 'section_missing'
  | 'template_mismatch'
  | 'year_missing'
  | 'year_mismatch'
  | 'problems_empty'
  | 'copied_previous_year'
  | 'copied_other_agency'
  | 'vague_problem'
  | 'problem_unaddressed'
  | 'zero_tables_with_requests';

export const ISSUE_KINDS: readonly IssueKind[] = [
  'check_failed',
  'carried_continuity',
  'text_table_mismatch',
  'table_unreadable',
  'section_missing',
  'template_mismatch',
  'year_missing',
  'year_mismatch',
  'problems_empty',
  'copied_previous_year',
  'copied_other_agency',
  'vague_problem',
  'problem_unaddressed',
  'zero_tables_with_requests',
];

/** One cell behind a finding, as printed in the report. */
export interface IssueCell {
  /** "applications.new_received.total" */
  key: string;
  /** Chinese display name, e.g. "表三（依申请公开）·一、本年新收·总计". */
  label: string;
  value: number | null;
  raw: string | null;
  status: CellStatus | null;
}

/** A quoted statement of section 五 (copied, vague, or naming an unaddressed theme). */
export interface IssueStatement {
  kind: StatementKind;
  index: number;
  text: string;
  /** For a copied statement: the report it comes from and how similar it is. */
  source?: CopySource;
  similarity?: number;
}

/** The report a copied statement comes from. */
export interface CopySource {
  report_id: string;
  agency: string | null;
  year: number | null;
  title: string | null;
}

export interface AuditIssue {
  kind: IssueKind;
  severity: Severity;
  /** Chinese name of the kind (from audit-weights.json). */
  label: string;
  /** What a person should check, with the printed numbers where there are any. */
  message: string;
  /** Rule id of the parser/validator finding behind the issue, when there is one. */
  rule: string | null;
  /** How many deduction units the issue counts (statements copied, sections missing, …); usually 1. */
  units: number;
  cells: IssueCell[];
  /** The report's own words behind the issue. */
  quote: string | null;
  statements: IssueStatement[];
  /** For copied text: where it comes from and how similar it is (mean over the statements). */
  source: CopySource | null;
  similarity: number | null;
  /** For problem_unaddressed: the theme no measure covers. */
  theme: { id: string; name: string } | null;
}

/** One named deduction: kind, its weight per unit, how many units, the points taken (capped at max). */
export interface Deduction {
  kind: IssueKind;
  label: string;
  weight: number;
  max: number;
  units: number;
  points: number;
}

export interface ScoreBreakdown {
  base: number;
  deductions: Deduction[];
  /** base minus the sum of the deductions' points, never below 0. */
  score: number;
}

export interface ReportAudit {
  report_id: string;
  title: string | null;
  agency: string | null;
  /** The agency for display: its name, or 机构未识别（file） when it could not be read. */
  agency_name: string;
  /** Normalised agency name used to join reports of one agency (or a placeholder naming the file). */
  agency_key: string;
  year: number | null;
  level: Level | null;
  region: string | null;
  template: Template;
  group: string;
  source_path: string;
  /**
   * The report this one repeats (the same report given twice, e.g. as text and as a web page). A
   * duplicate is listed with its issues but left out of rankings, group and overall figures.
   */
  duplicate_of: string | null;
  issues: AuditIssue[];
  score: ScoreBreakdown;
}

/** Averaged scores of several reports: each part is the mean of the reports' points for that kind. */
export interface AggregateScore {
  base: number;
  reports: number;
  parts: { kind: IssueKind; label: string; weight: number; points: number; units: number }[];
  score: number;
}

export interface AgencyAudit {
  agency: string;
  agency_key: string;
  group: string;
  level: Level | null;
  region: string | null;
  years: number[];
  report_ids: string[];
  issues: number;
  score: AggregateScore;
  /** 1 = best; equal scores share a rank (1, 2, 2, 4). */
  rank: number;
  /** Rank among the agencies of the same group. */
  group_rank: number;
  /** Score of each report, by year (several reports of one year each listed). */
  scores_by_year: { year: number | null; report_id: string; score: number }[];
}

export interface GroupAudit {
  group: string;
  agencies: number;
  reports: number;
  issues: number;
  score: AggregateScore;
  rank: number;
  /** Issue kinds by how many reports of the group have them. */
  issue_counts: { kind: IssueKind; label: string; reports: number }[];
  /** Top themes of the group's problem statements. */
  themes: { id: string; name: string; reports: number }[];
}

export interface WeaknessExample {
  report_id: string;
  agency: string | null;
  year: number | null;
  text: string;
}

/** A theme of the set's problem statements: how often it comes up, who names it, how they put it. */
export interface Weakness {
  theme: string;
  name: string;
  statements: number;
  reports: number;
  /** reports naming the theme / reports with problem statements. */
  share: number;
  agencies: string[];
  examples: WeaknessExample[];
}

/** Group view of the audit: the user's CSV groups, or a field of the reports. */
export type GroupBy = 'level' | 'region' | 'group' | 'year' | 'template';
export const GROUP_BYS: readonly GroupBy[] = ['level', 'region', 'group', 'year', 'template'];

export interface Audit {
  by: GroupBy;
  weights: AuditWeights;
  reports: ReportAudit[];
  agencies: AgencyAudit[];
  groups: GroupAudit[];
  overall: {
    /** Reports counted (duplicates left out). */
    reports: number;
    /** Reports left out as duplicates of another input. */
    duplicates: number;
    agencies: number;
    issues: number;
    reports_with_problem_statements: number;
    score: AggregateScore;
    issue_counts: { kind: IssueKind; label: string; reports: number; issues: number }[];
  };
  weaknesses: Weakness[];
  /** Agencies of the set the user's group CSV does not name (they are grouped as 未分组). */
  ungrouped_agencies: string[];
}

export interface KindWeight {
  label: string;
  weight: number;
  max: number;
  severity: Severity;
  unit: string;
}

export interface AuditWeights {
  base: number;
  /** Themes below this score do not count for a statement (problem_unaddressed, weaknesses). */
  theme_min_score: number;
  /** Copied statements shorter than this (characters, punctuation not counted) are not called copies. */
  copy_min_chars: number;
  kinds: Record<IssueKind, KindWeight>;
}
