/**
 * Scores with their parts shown: a report starts at the base and loses weight × units per issue kind
 * (capped at the kind's max); an agency, group or the whole set gets the mean of its reports, and each
 * part is the mean of the reports' points for that kind, so the parts always add up to the score.
 */
import { ISSUE_KINDS, type AggregateScore, type AuditIssue, type AuditWeights, type Deduction, type ScoreBreakdown } from './types.js';

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function scoreReport(issues: AuditIssue[], weights: AuditWeights): ScoreBreakdown {
  const deductions: Deduction[] = [];
  for (const kind of ISSUE_KINDS) {
    const units = issues.filter((i) => i.kind === kind).reduce((a, i) => a + i.units, 0);
    const w = weights.kinds[kind];
    // A kind weighted 0 is listed with the issues but is no part of the score.
    if (units === 0 || w.weight === 0) continue;
    deductions.push({
      kind,
      label: w.label,
      weight: w.weight,
      max: w.max,
      units,
      points: Math.min(w.max, w.weight * units),
    });
  }
  const lost = deductions.reduce((a, d) => a + d.points, 0);
  return { base: weights.base, deductions, score: Math.max(0, round2(weights.base - lost)) };
}

export function aggregateScores(scores: ScoreBreakdown[], weights: AuditWeights): AggregateScore {
  const n = scores.length;
  const parts: AggregateScore['parts'] = [];
  for (const kind of ISSUE_KINDS) {
    let points = 0;
    let units = 0;
    for (const s of scores) {
      const d = s.deductions.find((x) => x.kind === kind);
      if (d) {
        points += d.points;
        units += d.units;
      }
    }
    if (units === 0) continue;
    const w = weights.kinds[kind];
    parts.push({ kind, label: w.label, weight: w.weight, points: n ? round2(points / n) : 0, units });
  }
  // Mean of the reports' scores (not base minus rounded parts) so a floor at 0 stays exact.
  const score = n ? round2(scores.reduce((a, s) => a + s.score, 0) / n) : weights.base;
  return { base: weights.base, reports: n, parts, score };
}

/**
 * Competition ranking (1, 2, 2, 4) by score, best first; `tieBreak` only orders equal scores for display.
 */
export function rank<T>(items: T[], score: (t: T) => number, tieBreak: (a: T, b: T) => number): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => score(b) - score(a) || tieBreak(a, b));
  let lastScore = Number.NaN;
  let lastRank = 0;
  return sorted.map((item, i) => {
    const s = score(item);
    if (s !== lastScore) {
      lastRank = i + 1;
      lastScore = s;
    }
    return { ...item, rank: lastRank };
  });
}
