/** The rule catalogue (src/data/rules.json) and the Chinese names used in finding messages. */
import data from '../data/rules.json' with { type: 'json' };
import type { Finding, Severity } from '../model/types.js';

export interface Rule {
  id: string;
  severity: Severity;
  description_zh: string;
  description_en: string;
  /** The template clause or regulation the rule comes from. */
  clause: string;
  severity_note?: string;
}

interface Labels {
  tables: Record<string, string>;
  applications_rows: Record<string, string>;
  applications_columns: Record<string, string>;
  review_rows: Record<string, string>;
  review_columns: Record<string, string>;
  sections: Record<string, string>;
  /** Short names that do not depend on a template's numbering (manifest messages). */
  sections_short: Record<string, string>;
}

const catalogue = data as unknown as { rules: Rule[]; labels: Labels };

/** Every rule the validator and parser may emit, in catalogue order. */
export const RULES: readonly Rule[] = Object.freeze(catalogue.rules.map((r) => Object.freeze({ ...r })));
export const LABELS: Readonly<Labels> = catalogue.labels;

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/** A finding of a catalogued rule; severity from the catalogue unless given. */
export function finding(rule: string, message: string, cells: string[], severity?: Severity, extra: Partial<Finding> = {}): Finding {
  const known = byId.get(rule);
  if (!known) throw new Error(`rule ${rule} is not in src/data/rules.json`);
  return { rule, severity: severity ?? known.severity, message, cells, ...extra };
}

/** "表三 （七）总计·自然人" for "applications.handled_total.natural_person". */
export function cellLabel(key: string): string {
  const [table, ...rest] = key.split('.');
  const col = rest.pop() ?? '';
  const row = rest.join('.');
  const tableName = LABELS.tables[table] ?? table;
  if (table === 'applications') {
    return `${tableName}${LABELS.applications_rows[row] ?? row}·${LABELS.applications_columns[col] ?? col}`;
  }
  if (table === 'review_litigation') {
    return `${tableName}${LABELS.review_rows[row] ?? row}·${LABELS.review_columns[col] ?? col}`;
  }
  return `${tableName} ${row}·${col}`;
}

/** Numbers as a person reads them: integers plain, amounts without float noise. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e4) / 1e4);
}
