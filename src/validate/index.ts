/**
 * Validate stage: the template's own checks on parsed reports, as findings a person can act on.
 *
 *   validateReport(r)        → findings of one report (arithmetic, prose vs table, sections, year, template)
 *   validateCorpus(reports)  → findings across reports (carried.continuity), each with its report_id
 *   RULES                    → the rule catalogue (src/data/rules.json)
 */
import type { Finding, ReportRecord } from '../model/types.js';
import { checkArithmetic } from './arithmetic.js';
import { checkTextTable } from './prose.js';
import { checkSections, checkTablesPresent, checkTemplate, checkYear } from './structure.js';

export { RULES, LABELS, ruleById, cellLabel, type Rule } from './catalogue.js';
export { CorpusValidator, validateCorpus, agencyKey, type CorpusFinding } from './corpus.js';
export { checkBalance, checkOutcomeTotal, checkColumns, checkReviewLitigation, checkArithmetic } from './arithmetic.js';
export { checkSections, checkTemplate, checkYear, checkTablesPresent, statedPeriodYear } from './structure.js';
export { checkTextTable, proseText } from './prose.js';

const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.cells.join() === b.cells.join();

/**
 * The findings of one report that its parse did not already carry. Does not modify the record:
 * callers append them to r.findings (runParse does).
 */
export function validateReport(r: ReportRecord): Finding[] {
  const found = [...checkSections(r), ...checkTemplate(r), ...checkYear(r), ...checkTablesPresent(r), ...checkArithmetic(r), ...checkTextTable(r)];
  return found.filter((f) => !r.findings.some((g) => sameFinding(f, g)));
}
