import { describe, expect, it } from 'vitest';
import {
  analyzeCorpus,
  bootstrapDiffInterval,
  BOOTSTRAP_MAX_REPORTS,
  normalDiffInterval,
  buildTables,
  cellRows,
  computeReportMetrics,
  copiedShareByYear,
  correctionRatesByYear,
  failuresByRuleAndYear,
  filterReports,
  missingYears,
  outcomesByYear,
  parseFilter,
  reportMetrics,
  seededRandom,
  themePrevalence,
  themeVsMetric,
  topTermsByYear,
  UNKNOWN_GROUP,
} from '../../src/analyze/index.js';
import { apps, makeReport, makeStatement } from './make.js';

const review = (u: number | null, c: number | null, o: number | null, p = 0) => ({
  upheld: u,
  corrected: c,
  other: o,
  pending: p,
  total: u === null || c === null || o === null ? null : u + c + o + p,
});

describe('reportMetrics', () => {
  it('computes rates from table 三 and 四 as the brief defines them', () => {
    // The 灵川 seed figures: 6 granted + 5 partial of 15 handled, 4 not held.
    const r = makeReport({
      id: 'lc',
      applications: apps(6, 5, 0, 4),
      review: {
        review: review(3, 1, 0, 4),
        litigation_direct: review(1, 1, 0),
        litigation_after_review: review(0, 1, 1),
      },
    });
    const m = computeReportMetrics(r);
    expect(m.requests_received).toBe(15);
    expect(m.requests_handled).toBe(15);
    expect(m.disclosure_rate).toBeCloseTo(11 / 15, 10);
    expect(m.denial_rate).toBe(0);
    expect(m.not_held_rate).toBeCloseTo(4 / 15, 10);
    // 纠正 / (维持 + 纠正 + 其他); pending cases are not in the denominator.
    expect(m.review_correction_rate).toBeCloseTo(1 / 4, 10);
    // Litigation pools direct and after-review suits: corrected 2 of 4 concluded.
    expect(m.litigation_corrected).toBe(2);
    expect(m.litigation_correction_rate).toBeCloseTo(2 / 4, 10);
  });

  it('gives null, not 0, when a denominator is 0 or a part is missing', () => {
    const none = computeReportMetrics(
      makeReport({ id: 'z', applications: apps(0, 0, 0, 0), review: { review: review(0, 0, 0, 2), litigation_direct: review(null, null, null) } }),
    );
    expect(none.disclosure_rate).toBeNull();
    expect(none.review_correction_rate).toBeNull();
    expect(none.litigation_correction_rate).toBeNull();
    const noTables = computeReportMetrics(makeReport({ id: 'n' }));
    expect(noTables.requests_received).toBeNull();
    expect(noTables.disclosure_rate).toBeNull();
  });

  it('reads the new-documents column of each template', () => {
    const p19 = computeReportMetrics(
      makeReport({ id: 'a', template: '2019', proactive: { 'art20_1.regulations': { made: 2 }, 'art20_1.normative_documents': { made: 27 } } }),
    );
    const p21 = computeReportMetrics(
      makeReport({
        id: 'b',
        template: '2021',
        proactive: { 'art20_1.regulations': { issued: 1 }, 'art20_1.normative_documents': { issued: 5 }, 'art20_5.licensing': { decisions: 9 } },
      }),
    );
    expect(p19.proactive_documents_new).toBe(29);
    expect(p21.proactive_documents_new).toBe(6);
    expect(p21.licensing_decisions).toBe(9);
    expect(computeReportMetrics(makeReport({ id: 'c', template: 'pre2019' })).proactive_documents_new).toBeNull();
  });
});

describe('filters', () => {
  const rs = [
    makeReport({ id: 'a', year: 2019, level: 'county', region: '浙江省杭州市' }),
    makeReport({ id: 'b', year: 2021, level: 'city', region: '四川省广元市' }),
    makeReport({ id: 'c', year: null, level: null }),
  ];
  it('applies since/until (a report without a year is out) and field expressions', () => {
    expect(filterReports(rs, { since: 2020 }).map((r) => r.id)).toEqual(['b']);
    expect(filterReports(rs, { until: 2020 }).map((r) => r.id)).toEqual(['a']);
    expect(filterReports(rs, { filter: ['level=county'] }).map((r) => r.id)).toEqual(['a']);
    expect(filterReports(rs, { filter: ['region~四川'] }).map((r) => r.id)).toEqual(['b']);
    expect(filterReports(rs, { filter: ['level!=county'] }).map((r) => r.id)).toEqual(['b', 'c']);
    expect(filterReports(rs, { filter: ['year>=2020', 'level=city'] }).map((r) => r.id)).toEqual(['b']);
  });
  it('rejects malformed expressions with a message naming them', () => {
    expect(() => parseFilter('levelcounty')).toThrow(/levelcounty/);
    expect(() => parseFilter('colour=red')).toThrow(/unknown field "colour"/);
    // A value a fixed field never takes would silently keep nothing.
    expect(() => parseFilter('level=galaxy')).toThrow(/level is one of central, province, city, county, township, department/);
    expect(() => parseFilter('template!=2020')).toThrow(/template is one of 2019, 2021, pre2019, unknown/);
    expect(parseFilter('level~count')).toEqual({ field: 'level', op: '~', value: 'count' });
    expect(parseFilter('template=pre2019')).toEqual({ field: 'template', op: '=', value: 'pre2019' });
    expect(() => parseFilter('level>city')).toThrow(/year only/);
  });
});

describe('themePrevalence', () => {
  const rs = [
    makeReport({ id: 'a', year: 2020, level: 'county' }),
    makeReport({ id: 'b', year: 2020, level: 'county' }),
    makeReport({ id: 'c', year: 2020, level: 'city', problems: null }), // no section 五
    makeReport({ id: 'd', year: null, level: 'city' }),
  ];
  const st = [makeStatement('a', 0, ['staffing', 'platform']), makeStatement('a', 1, ['staffing']), makeStatement('b', 0, ['platform']), makeStatement('d', 0, ['staffing'])];

  it('counts reports (not statements) over the reports that have a section 五', () => {
    const rows = themePrevalence(rs, st, 'year');
    const staffing2020 = rows.find((r) => r.group === '2020' && r.theme === 'staffing')!;
    expect(staffing2020).toMatchObject({ reports: 3, reports_with_section5: 2, reports_with_theme: 1, share: 0.5 });
    const platform2020 = rows.find((r) => r.group === '2020' && r.theme === 'platform')!;
    expect(platform2020.share).toBe(1);
    // The report without a year forms its own group, listed last.
    expect(rows[rows.length - 1].group).toBe(UNKNOWN_GROUP);
  });

  it('groups by level in administrative order', () => {
    const rows = themePrevalence(rs, st, 'level', ['staffing']);
    expect(rows.map((r) => r.group)).toEqual(['city', 'county']);
    expect(rows.find((r) => r.group === 'city')).toMatchObject({ reports: 2, reports_with_section5: 1, reports_with_theme: 1 });
  });
});

describe('themeVsMetric', () => {
  // 12 reports naming on_request receive 100+i requests, 12 others receive 10+i.
  const rs = Array.from({ length: 24 }, (_, i) => makeReport({ id: `r${i}`, applications: apps(i < 12 ? 100 + i : 10 + i, 0, 0, 0) }));
  const st = rs.map((r, i) => makeStatement(r.id, 0, [i < 12 ? 'on_request' : 'staffing']));
  const metrics = reportMetrics(rs);

  it('gives the difference of means, n per side and a bootstrap interval around it', () => {
    const [row] = themeVsMetric(rs, st, metrics, 'requests_received', { themeIds: ['on_request'], resamples: 1000 });
    const meanWith = (100 + 111) / 2;
    const meanWithout = (22 + 33) / 2;
    expect(row.n_with).toBe(12);
    expect(row.n_without).toBe(12);
    expect(row.difference).toBeCloseTo(meanWith - meanWithout, 10);
    expect(row.ci_low!).toBeLessThan(row.difference!);
    expect(row.ci_high!).toBeGreaterThan(row.difference!);
    expect(row.ci_low!).toBeGreaterThan(0);
    expect(row.small_n).toBe(false);
  });

  it('is reproducible with a fixed seed', () => {
    const a = themeVsMetric(rs, st, metrics, 'requests_received', { resamples: 500, seed: 7 });
    const b = themeVsMetric(rs, st, metrics, 'requests_received', { resamples: 500, seed: 7 });
    expect(a).toEqual(b);
  });

  it('flags a small n instead of hiding it, and gives no interval for a single report', () => {
    const few = rs.slice(10, 24); // 2 naming on_request, 12 not
    const [row] = themeVsMetric(few, st, reportMetrics(few), 'requests_received', { themeIds: ['on_request'], resamples: 200 });
    expect(row.n_with).toBe(2);
    expect(row.small_n).toBe(true);
    expect(row.note).toMatch(/样本量小/);
    const one = rs.slice(11, 24);
    const [single] = themeVsMetric(one, st, reportMetrics(one), 'requests_received', { themeIds: ['on_request'], resamples: 200 });
    expect(single.n_with).toBe(1);
    expect(single.difference).not.toBeNull();
    expect(single.ci_low).toBeNull();
  });

  it('above BOOTSTRAP_MAX_REPORTS uses the normal interval, which agrees with the bootstrap there', () => {
    // Skewed data (request counts are): 1200 reports a side, seeded.
    const rnd = seededRandom(11);
    const a = Array.from({ length: 1200 }, () => Math.floor(-Math.log(1 - rnd()) * 40));
    const b = Array.from({ length: 1200 }, () => Math.floor(-Math.log(1 - rnd()) * 30));
    const boot = bootstrapDiffInterval(a, b, 4000, seededRandom(3))!;
    const normal = normalDiffInterval(a, b)!;
    const width = boot[1] - boot[0];
    expect(width).toBeGreaterThan(0);
    expect(Math.abs(normal[0] - boot[0])).toBeLessThan(0.05 * width);
    expect(Math.abs(normal[1] - boot[1])).toBeLessThan(0.05 * width);
    expect(normalDiffInterval([1], [2, 3])).toBeNull();

    const big = Array.from({ length: BOOTSTRAP_MAX_REPORTS + 2 }, (_, i) => makeReport({ id: `b${i}`, applications: apps(i % 2 ? a[i % 1200] : b[i % 1200], 0, 0, 0) }));
    const bst = big.map((r, i) => makeStatement(r.id, 0, [i % 2 ? 'on_request' : 'staffing']));
    const [row] = themeVsMetric(big, bst, reportMetrics(big), 'requests_received', { themeIds: ['on_request'] });
    expect(row.interval).toBe('normal');
    expect(row.note).toMatch(/正态近似/);
    expect(row.ci_low!).toBeLessThan(row.difference!);
    const [small] = themeVsMetric(rs, st, metrics, 'requests_received', { themeIds: ['on_request'], resamples: 200 });
    expect(small.interval).toBe('bootstrap');
  });

  it('bootstrap interval of two constant samples is the point difference', () => {
    const ci = bootstrapDiffInterval([5, 5, 5], [2, 2], 100, seededRandom(1));
    expect(ci).toEqual([3, 3]);
  });
});

describe('yearly trends', () => {
  const rs = [
    makeReport({ id: 'a', year: 2020, applications: apps(8, 2, 0, 0), review: { review: review(3, 1, 0) }, findings: [{ rule: 'applications.balance', severity: 'error', message: 'x', cells: [] }] }),
    makeReport({ id: 'b', year: 2020, applications: apps(4, 0, 4, 2), review: { review: review(1, 1, 0) } }),
    makeReport({ id: 'c', year: 2023, applications: { new_received: 5, handled_total: 5 }, findings: [{ rule: 'table.ambiguous', severity: 'warning', message: 'y', cells: [] }, { rule: 'x.info', severity: 'info', message: 'z', cells: [] }] }),
  ];
  const m = reportMetrics(rs);

  it('sums outcomes over reports that give them all', () => {
    const o = outcomesByYear(m);
    const granted2020 = o.find((r) => r.year === 2020 && r.outcome === 'granted')!;
    expect(granted2020).toMatchObject({ count: 12, reports: 2 });
    expect(granted2020.share).toBeCloseTo(12 / 20, 10);
    // 2023's report lacks the outcome rows: counted nowhere, and the row says 0 reports.
    expect(o.find((r) => r.year === 2023 && r.outcome === 'granted')!.reports).toBe(0);
  });

  it('pools correction rates by year', () => {
    const c = correctionRatesByYear(m).find((r) => r.year === 2020 && r.kind === 'review')!;
    expect(c).toMatchObject({ corrected: 2, concluded: 6, reports: 2 });
    expect(c.rate).toBeCloseTo(1 / 3, 10);
  });

  it('counts check failures (errors and warnings only) by rule and year; names missing years', () => {
    expect(failuresByRuleAndYear(rs)).toEqual([
      { year: '2020', rule: 'applications.balance', severity: 'error', findings: 1, reports: 1 },
      { year: '2023', rule: 'table.ambiguous', severity: 'warning', findings: 1, reports: 1 },
    ]);
    expect(missingYears(rs)).toEqual([2021, 2022]);
  });

  it('computes copied share and top terms (no single characters or numbers)', () => {
    const st = [
      makeStatement('a', 0, ['staffing'], ['人员', '不足', '的', '2020'], false),
      makeStatement('a', 1, ['staffing'], ['人员', '培训'], true),
      makeStatement('c', 0, ['platform'], ['网站', '人员'], true),
    ];
    expect(copiedShareByYear(rs, st)).toEqual([
      { year: 2020, statements: 2, copied: 1, share: 0.5, reports: 1 },
      { year: 2023, statements: 1, copied: 1, share: 1, reports: 1 },
    ]);
    const terms = topTermsByYear(rs, st, 2).filter((t) => t.year === 2020);
    expect(terms[0]).toMatchObject({ term: '人员', statements: 2, share: 1, rank: 1 });
    expect(terms.map((t) => t.term)).not.toContain('的');
    expect(terms.map((t) => t.term)).not.toContain('2020');
  });
});

describe('buildTables and analyzeCorpus', () => {
  it('builds arquero tables whose sizes match the records', () => {
    const rs = [makeReport({ id: 'a', applications: apps(1, 1, 0, 0) }), makeReport({ id: 'b' })];
    const st = [makeStatement('a', 0, ['staffing', 'platform']), makeStatement('b', 0, ['other'])];
    const t = buildTables(rs, st);
    expect(t.reports.numRows()).toBe(2);
    expect(t.cells.numRows()).toBe(cellRows(rs).length);
    expect(t.cells.numRows()).toBe(11);
    expect(t.statement_themes.numRows()).toBe(3);
    expect(t.reports.filter((d: { id: string }) => d.id === 'a').get('disclosure_rate', 0)).toBe(1);
    const empty = buildTables([], []);
    expect(empty.reports.numRows()).toBe(0);
    expect(empty.cells.columnNames()).toContain('value');
  });

  it('filters before analysing and keeps the theme order given', () => {
    const rs = [makeReport({ id: 'a', year: 2019 }), makeReport({ id: 'b', year: 2021 })];
    const st = [makeStatement('a', 0, ['staffing']), makeStatement('b', 0, ['zz_custom'])];
    const a = analyzeCorpus(rs, st, { since: 2020, themeIds: ['platform', 'staffing'], bootstrapResamples: 50 });
    expect(a.reports.map((r) => r.id)).toEqual(['b']);
    expect(a.statements).toHaveLength(1);
    expect(a.totalReports).toBe(2);
    expect(a.themeIds).toEqual(['platform', 'staffing', 'zz_custom']);
    const empty = analyzeCorpus([], []);
    expect(empty.prevalence).toEqual([]);
    expect(empty.missingYears).toEqual([]);
  });

  it('counts a report given twice (same bytes at two paths, same id) once', () => {
    const rs = [makeReport({ id: 'a', year: 2020 }), makeReport({ id: 'a', year: 2020 }), makeReport({ id: 'b', year: 2020 })];
    const st = [makeStatement('a', 0, ['staffing']), makeStatement('a', 0, ['staffing']), makeStatement('b', 0, ['other'])];
    const a = analyzeCorpus(rs, st, { bootstrapResamples: 50 });
    expect(a.reports.map((r) => r.id)).toEqual(['a', 'b']);
    expect(a.statements).toHaveLength(2);
    const staffing = a.prevalenceByYear.find((p) => p.theme === 'staffing');
    expect(staffing).toMatchObject({ reports: 2, reports_with_theme: 1 });
  });
});
