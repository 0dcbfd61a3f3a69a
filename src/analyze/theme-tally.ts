/**
 * Per-theme counts of themes.csv, accumulated one statement at a time so a streaming run never holds
 * every statement: statements and reports naming each theme (any of a statement's themes), problems
 * and measures, and the best example statement.
 */
import type { Statement, Theme } from '../model/types.js';

export interface ThemeTallyRow {
  id: string;
  name: string;
  statements: number;
  reports: number;
  /** statements / all statements, 4 decimals. */
  share: number;
  problems: number;
  measures: number;
  example: string;
}

/** Higher is a better example of the theme: led by it, not too long, high score. */
function exampleRank(s: Pick<Statement, 'themes' | 'text'>, id: string): number {
  const score = s.themes.find((x) => x.id === id)?.score ?? 0;
  return (s.themes[0]?.id === id ? 2 : 0) + (s.text.length <= 80 ? 1 : 0) + score;
}

interface Entry {
  statements: number;
  reports: Set<string>;
  problems: number;
  measures: number;
  example: { text: string; rank: number } | null;
}

export class ThemeTally {
  private readonly byTheme = new Map<string, Entry>();
  private total = 0;

  add(s: Pick<Statement, 'report_id' | 'kind' | 'text' | 'themes'>): void {
    this.total++;
    const ids = new Set(s.themes.map((t) => t.id));
    for (const id of ids) {
      let e = this.byTheme.get(id);
      if (!e) this.byTheme.set(id, (e = { statements: 0, reports: new Set(), problems: 0, measures: 0, example: null }));
      e.statements++;
      e.reports.add(s.report_id);
      if (s.kind === 'problem') e.problems++;
      else if (s.kind === 'measure') e.measures++;
      // Best rank first, then the shorter text; on a tie the earlier statement stays.
      const rank = exampleRank(s, id);
      const cur = e.example;
      if (!cur || rank > cur.rank || (rank === cur.rank && s.text.length < cur.text.length)) e.example = { text: s.text, rank };
    }
  }

  /** All statements added. */
  get statements(): number {
    return this.total;
  }

  /** One row per taxonomy theme, in taxonomy order (themes without statements get zeros). */
  rows(taxonomy: readonly Pick<Theme, 'id' | 'name'>[]): ThemeTallyRow[] {
    return taxonomy.map((t) => {
      const e = this.byTheme.get(t.id);
      return {
        id: t.id,
        name: t.name,
        statements: e?.statements ?? 0,
        reports: e?.reports.size ?? 0,
        share: this.total && e ? Math.round((e.statements / this.total) * 10000) / 10000 : 0,
        problems: e?.problems ?? 0,
        measures: e?.measures ?? 0,
        example: e?.example?.text ?? '',
      };
    });
  }
}
