/**
 * Themes of section 五 joined with reports: prevalence by group, and theme against a metric.
 */
import type { ReportRecord } from '../model/types.js';
import { hasProblemsSection, type AnalysisReport, type StatementDigest } from './digest.js';
import type { MetricKey, ReportMetrics } from './metrics.js';

export type GroupBy = 'year' | 'level' | 'region' | 'template';
export const GROUP_BYS: readonly GroupBy[] = ['year', 'level', 'region', 'template'];
/** Group label for a report whose year/level/region is unknown. */
export const UNKNOWN_GROUP = '未知';

/** Theme ids named by each report's statements (problems and measures). */
export function themesByReport(statements: readonly StatementDigest[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of statements) {
    let set = out.get(s.report_id);
    if (!set) out.set(s.report_id, (set = new Set()));
    for (const t of s.themes) set.add(t.id);
  }
  return out;
}

/** A report "has section 五" when the parser found the section or the NLP stage found statements in it. */
export function hasSection5(r: AnalysisReport, reportThemes: Map<string, Set<string>>): boolean {
  return hasProblemsSection(r) || reportThemes.has(r.id);
}

export function groupKey(r: Pick<ReportRecord, 'year' | 'level' | 'template'> & { region?: string | null }, by: GroupBy): string {
  const v = by === 'year' ? r.year : by === 'level' ? r.level : by === 'region' ? r.region : r.template;
  return v === null || v === undefined || v === '' ? UNKNOWN_GROUP : String(v);
}

export interface PrevalenceRow {
  /** Name of the grouping (year, level, region, template). */
  by: GroupBy;
  group: string;
  theme: string;
  /** Reports in the group. */
  reports: number;
  /** Reports in the group with a section 五 (the denominator of share). */
  reports_with_section5: number;
  /** Reports whose section 五 names the theme. */
  reports_with_theme: number;
  /** reports_with_theme / reports_with_section5; null when no report of the group has a section 五. */
  share: number | null;
}

/**
 * Share of reports whose section 五 carries each theme, per group. The denominator is the reports of
 * the group that have a section 五, so templates without one (many pre-2019 reports) do not read as
 * "never names the theme"; both counts are in the row.
 */
export function themePrevalence(
  reports: readonly AnalysisReport[],
  statements: readonly StatementDigest[],
  by: GroupBy = 'year',
  themeIds?: string[],
  /** themesByReport(statements), when the caller has it already (it is rebuilt otherwise). */
  reportThemes?: Map<string, Set<string>>,
): PrevalenceRow[] {
  const rt = reportThemes ?? themesByReport(statements);
  const themes = themeIds ?? [...new Set(statements.flatMap((s) => s.themes.map((t) => t.id)))].sort();
  const groups = new Map<string, { reports: number; s5: number; counts: Map<string, number> }>();
  for (const r of reports) {
    const key = groupKey(r, by);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { reports: 0, s5: 0, counts: new Map() }));
    g.reports++;
    if (!hasSection5(r, rt)) continue;
    g.s5++;
    for (const t of rt.get(r.id) ?? []) g.counts.set(t, (g.counts.get(t) ?? 0) + 1);
  }
  const rows: PrevalenceRow[] = [];
  for (const key of sortGroups([...groups.keys()], by)) {
    const g = groups.get(key)!;
    for (const theme of themes) {
      const n = g.counts.get(theme) ?? 0;
      rows.push({
        by,
        group: key,
        theme,
        reports: g.reports,
        reports_with_section5: g.s5,
        reports_with_theme: n,
        share: g.s5 > 0 ? n / g.s5 : null,
      });
    }
  }
  return rows;
}

/** Administrative levels top-down, the order groups and tables list them in. */
export const LEVEL_ORDER: readonly string[] = ['central', 'province', 'city', 'county', 'township', 'department'];

/** Years ascending, levels top-down, the rest alphabetically; the unknown group last. */
export function sortGroups(keys: string[], by: GroupBy): string[] {
  const rank = (k: string): number => (by === 'level' ? LEVEL_ORDER.indexOf(k) : -1);
  return [...keys].sort((a, b) => {
    if (a === UNKNOWN_GROUP) return 1;
    if (b === UNKNOWN_GROUP) return -1;
    if (by === 'year') return Number(a) - Number(b);
    if (by === 'level') return rank(a) - rank(b);
    return a.localeCompare(b, 'zh');
  });
}

// ---------------------------------------------------------------------------------------------
// Theme against metric
// ---------------------------------------------------------------------------------------------

/** Below this many reports on either side a comparison is flagged as small (shown, not hidden). */
export const SMALL_N = 10;

export interface ThemeMetricRow {
  theme: string;
  metric: MetricKey;
  /** Reports naming the theme (with a value for the metric). */
  n_with: number;
  /** Reports with a section 五 that do not name the theme (with a value for the metric). */
  n_without: number;
  mean_with: number | null;
  mean_without: number | null;
  /** mean_with − mean_without; null when a side is empty. */
  difference: number | null;
  /** 95% interval of the difference (see `interval`); null when a side has fewer than 2 reports. */
  ci_low: number | null;
  ci_high: number | null;
  /**
   * How the interval was found: a seeded bootstrap (percentile) up to BOOTSTRAP_MAX_REPORTS reports,
   * the normal approximation above (where the two agree and the bootstrap would cost
   * resamples × reports draws per theme); null when there is no interval.
   */
  interval: 'bootstrap' | 'normal' | null;
  /** True when either side has fewer than SMALL_N reports: read the difference with care. */
  small_n: boolean;
  /** Plain-language note on n (Chinese). */
  note: string;
}

export interface ThemeVsMetricOptions {
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling PRNG (default 20190515), so the same data give the same interval. */
  seed?: number;
  themeIds?: string[];
  /** themesByReport(statements), when the caller has it already (it is rebuilt otherwise). */
  reportThemes?: Map<string, Set<string>>;
}

/** mulberry32: a small, fast, seedable PRNG; enough for bootstrap resampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mean(xs: number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Percentile (linear interpolation) of an ascending-sorted array. */
export function quantileSorted(sorted: number[], p: number): number {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Bootstrap percentile interval of mean(a) − mean(b), resampling each side independently. */
export function bootstrapDiffInterval(
  a: number[],
  b: number[],
  resamples: number,
  random: () => number,
  level = 0.95,
): [number, number] | null {
  if (a.length < 2 || b.length < 2) return null;
  const diffs = new Float64Array(resamples);
  const resampleMean = (xs: number[]) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(random() * xs.length)];
    return s / xs.length;
  };
  for (let k = 0; k < resamples; k++) diffs[k] = resampleMean(a) - resampleMean(b);
  const sorted = Array.from(diffs).sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}

/**
 * Above this many reports in a comparison (both sides) the interval is the normal approximation: with
 * thousands of reports a side the bootstrap percentile interval and mean ± 1.96·SE agree to well under
 * a percent of the difference, and 2000 resamples of 100k reports per theme and metric take minutes.
 */
export const BOOTSTRAP_MAX_REPORTS = 2000;

/** Sample variance (n − 1); null below two values. */
function sampleVariance(xs: number[]): number | null {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

/** Normal-approximation interval of mean(a) − mean(b) (unequal variances). */
export function normalDiffInterval(a: number[], b: number[], level = 0.95): [number, number] | null {
  const va = sampleVariance(a);
  const vb = sampleVariance(b);
  if (va === null || vb === null) return null;
  // Two-sided z quantile; 0.95 → 1.96 (the only level the report uses, others by a rational approximation).
  const z = level === 0.95 ? 1.959963984540054 : normalQuantile(1 - (1 - level) / 2);
  const d = mean(a)! - mean(b)!;
  const se = Math.sqrt(va / a.length + vb / b.length);
  return [d - z * se, d + z * se];
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * For each theme: does the metric differ between reports naming the theme and reports (with a
 * section 五) that do not? Reports without a value for the metric are left out of both sides.
 */
export function themeVsMetric(
  reports: readonly AnalysisReport[],
  statements: readonly StatementDigest[],
  metrics: ReportMetrics[],
  metric: MetricKey,
  opts: ThemeVsMetricOptions = {},
): ThemeMetricRow[] {
  const resamples = opts.resamples ?? 2000;
  const rt = opts.reportThemes ?? themesByReport(statements);
  const byId = new Map(metrics.map((m) => [m.report_id, m]));
  const themes = opts.themeIds ?? [...new Set(statements.flatMap((s) => s.themes.map((t) => t.id)))].sort();
  const eligible = reports.filter((r) => hasSection5(r, rt));
  const rows: ThemeMetricRow[] = [];
  themes.forEach((theme, i) => {
    const withT: number[] = [];
    const without: number[] = [];
    for (const r of eligible) {
      const v = byId.get(r.id)?.[metric];
      if (typeof v !== 'number') continue;
      (rt.get(r.id)?.has(theme) ? withT : without).push(v);
    }
    // One PRNG stream per theme, seeded from the base seed and the theme's position, so adding a
    // metric or reordering output does not change another theme's interval.
    const random = seededRandom((opts.seed ?? 20190515) + i * 7919);
    const normal = withT.length + without.length > BOOTSTRAP_MAX_REPORTS;
    const ci = normal ? normalDiffInterval(withT, without) : bootstrapDiffInterval(withT, without, resamples, random);
    const mw = mean(withT);
    const mo = mean(without);
    const small = withT.length < SMALL_N || without.length < SMALL_N;
    let note: string;
    if (withT.length === 0 || without.length === 0) note = `无法比较：一侧没有报告（提及 ${withT.length} 份，未提及 ${without.length} 份）`;
    else if (ci === null) note = `样本过少，无法估计区间（提及 ${withT.length} 份，未提及 ${without.length} 份）`;
    else if (small) note = `样本量小（提及 ${withT.length} 份，未提及 ${without.length} 份），结论仅供参考`;
    else note = `提及 ${withT.length} 份，未提及 ${without.length} 份`;
    if (ci !== null && normal) note += '；区间为正态近似（样本大）';
    rows.push({
      theme,
      metric,
      n_with: withT.length,
      n_without: without.length,
      mean_with: mw,
      mean_without: mo,
      difference: mw !== null && mo !== null ? mw - mo : null,
      ci_low: ci ? ci[0] : null,
      ci_high: ci ? ci[1] : null,
      interval: ci ? (normal ? 'normal' : 'bootstrap') : null,
      small_n: small,
      note,
    });
  });
  return rows;
}
