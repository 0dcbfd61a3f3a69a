/**
 * Common weaknesses of a set: how many reports' problem statements carry each theme, which agencies name
 * it, and a few example quotes from different agencies.
 */
import type { ReportRecord, Statement } from '../model/types.js';
import { zhCompare } from './groups.js';
import type { Weakness } from './types.js';

const MAX_EXAMPLES = 3;

export function commonWeaknesses(
  statements: Statement[],
  reportsById: Map<string, ReportRecord>,
  themeNames: Map<string, string>,
  minScore: number,
): { weaknesses: Weakness[]; reportsWithProblems: number } {
  const problems = statements.filter((s) => s.kind === 'problem' && reportsById.has(s.report_id));
  const reportsWithProblems = new Set(problems.map((s) => s.report_id)).size;
  const byTheme = new Map<string, Statement[]>();
  for (const s of problems) {
    const ids = new Set(s.themes.filter((t, i) => i === 0 || t.score >= minScore).map((t) => t.id));
    for (const id of ids) {
      const list = byTheme.get(id) ?? [];
      list.push(s);
      byTheme.set(id, list);
    }
  }
  const weaknesses: Weakness[] = [];
  for (const [theme, list] of byTheme) {
    const reportIds = new Set(list.map((s) => s.report_id));
    const agencies = [...new Set(list.map((s) => reportsById.get(s.report_id)?.agency ?? null).filter((a): a is string => !!a))].sort(
      (a, b) => zhCompare(a, b),
    );
    // Examples: the statements most confidently on the theme, one per agency, so the quotes show range.
    const ranked = [...list].sort(
      (a, b) =>
        (b.themes.find((t) => t.id === theme)?.score ?? 0) - (a.themes.find((t) => t.id === theme)?.score ?? 0) ||
        a.report_id.localeCompare(b.report_id) ||
        a.index - b.index,
    );
    const seenAgency = new Set<string>();
    const examples: Weakness['examples'] = [];
    for (const s of ranked) {
      const r = reportsById.get(s.report_id);
      const who = r?.agency ?? s.report_id;
      if (seenAgency.has(who)) continue;
      seenAgency.add(who);
      examples.push({ report_id: s.report_id, agency: r?.agency ?? null, year: r?.year ?? null, text: s.text });
      if (examples.length >= MAX_EXAMPLES) break;
    }
    weaknesses.push({
      theme,
      name: themeNames.get(theme) ?? theme,
      statements: list.length,
      reports: reportIds.size,
      share: reportsWithProblems ? Math.round((reportIds.size / reportsWithProblems) * 1000) / 1000 : 0,
      agencies,
      examples,
    });
  }
  // "other" is not a weakness anyone can act on; keep it, but last.
  weaknesses.sort(
    (a, b) =>
      Number(a.theme === 'other') - Number(b.theme === 'other') ||
      b.reports - a.reports ||
      b.statements - a.statements ||
      a.theme.localeCompare(b.theme),
  );
  return { weaknesses, reportsWithProblems };
}
