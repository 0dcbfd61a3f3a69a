import type { Finding, ReportTables, Sections, Template } from '../model/types.js';
export interface ParsedTables {
  tables: ReportTables;
  findings: Finding[];
  template: Template | null;
}
export function parseTables(_text: string, _sections: Sections, _year: number | null): ParsedTables {
  return { tables: { proactive: null, applications: null, review_litigation: null }, findings: [], template: null };
}
