/**
 * runThemes streams: with keepReports/keepStatements off (as the CLI runs it) only digests stay in
 * memory, and every output file is the same, byte for byte, as a run that keeps everything.
 */
import { mkdirSync, readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCorpus, ThemeTally } from '../../src/analyze/index.js';
import type { Statement } from '../../src/model/types.js';
import { createNlp, type Nlp } from '../../src/nlp/index.js';
import { isLowFit, LowFitSample } from '../../src/nlp/discover.js';
import { runThemes, THEMES_OUTPUTS, type ThemesRun } from '../../src/pipeline/themes.js';
import { PARSE_OUTPUTS } from '../../src/pipeline/parse.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'corpus');
const SEEDS = join(import.meta.dirname, '..', '..', 'seeds');
const inputs = [join(FIX, 'reports'), join(FIX, 'html'), join(FIX, 'seed'), SEEDS];
const OUTPUTS = [...PARSE_OUTPUTS, ...THEMES_OUTPUTS];

let nlp: Nlp;
let dir: string;
let kept: ThemesRun;
let streamed: ThemesRun;

beforeAll(async () => {
  nlp = await createNlp();
  dir = mkdtempSync(join(tmpdir(), 'ogi-stream-'));
  // 134's agency a year later, section 五 copied word for word: cross-report findings on a real text.
  const text = readFileSync(join(FIX, 'reports', '134.txt'), 'utf8');
  mkdirSync(join(dir, 'in'));
  writeFileSync(join(dir, 'in', '134-2022.txt'), text.replaceAll('2021年度', '2022年度').replace('统计期限自2021年1月1日起至2021年12月31日止', '统计期限自2022年1月1日起至2022年12月31日止'));
  // seeds/ holds the fixture seed again: same bytes, so a duplicate the run lists but does not count.
  // A copy with one more byte is another file: its reports count (and are copies of the seed's).
  const seed = readdirSync(join(FIX, 'seed')).find((f) => f.endsWith('.txt'))!;
  writeFileSync(join(dir, 'in', 'seed-resaved.txt'), readFileSync(join(FIX, 'seed', seed), 'utf8') + '\n');
  inputs.push(join(dir, 'in'));
  kept = await runThemes(inputs, { out: join(dir, 'kept'), nlp, cache: false });
  streamed = await runThemes(inputs, { out: join(dir, 'streamed'), nlp, cache: false, keepReports: false, keepStatements: false });
}, 180_000);

/** Where two long texts first differ (with a little context), null when equal: keeps failures readable. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 60))}`;
}

const read = (run: string, f: string) => readFileSync(join(dir, run, f), 'utf8');
const statementsOf = (run: string) =>
  read(run, 'statements.jsonl')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Statement);

describe('runThemes streaming', () => {
  it('writes the same files, byte for byte, whether or not it keeps records and statements', () => {
    expect(streamed.reports).toHaveLength(0);
    expect(streamed.statements).toHaveLength(0);
    expect(kept.reports.length).toBeGreaterThan(20);
    for (const f of OUTPUTS) expect(read('streamed', f), f).toBe(read('kept', f));
  });

  it('leaves only its outputs in --out (the statement spool is removed)', () => {
    expect(readdirSync(join(dir, 'streamed')).sort()).toEqual([...OUTPUTS].sort());
  });

  it('keeps one digest per report and per statement, with the copy marks of statements.jsonl', () => {
    const written = statementsOf('streamed');
    expect(streamed.digests.reports).toHaveLength(kept.reports.length);
    expect(streamed.digests.statements).toHaveLength(written.length);
    expect(written.some((s) => s.boilerplate !== null)).toBe(true);
    written.forEach((s, i) => {
      const d = streamed.digests.statements[i];
      expect([d.report_id, d.kind, d.index]).toEqual([s.report_id, s.kind, s.index]);
      expect(d.boilerplate).toEqual(s.boilerplate);
      expect(d).not.toHaveProperty('text');
    });
  });

  it('report digests carry every finding of reports.jsonl, cross-report ones included', () => {
    const records = read('streamed', 'reports.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; findings: { rule: string; severity: string }[] });
    const cross = records.flatMap((r) => r.findings).filter((f) => f.rule === 'carried.continuity' || f.rule === 'problems.copied');
    expect(cross.length).toBeGreaterThan(0);
    records.forEach((r, i) => {
      expect(streamed.digests.reports[i].id).toBe(r.id);
      expect(streamed.digests.reports[i].findings).toEqual(r.findings.map((f) => ({ rule: f.rule, severity: f.severity })));
    });
  });

  it('analysis of the digests equals the analysis of the full records and statements', () => {
    const full = analyzeCorpus(kept.reports, kept.statements, { themeIds: nlp.taxonomy.map((t) => t.id) });
    const digested = analyzeCorpus(streamed.digests.reports, streamed.digests.statements, { themeIds: nlp.taxonomy.map((t) => t.id) });
    const { reports: r1, statements: s1, ...rest1 } = full;
    const { reports: r2, statements: s2, ...rest2 } = digested;
    expect(rest2).toEqual(rest1);
    expect(r2).toEqual(r1);
    expect(s2.map((s) => [s.report_id, s.kind, s.index, s.boilerplate])).toEqual(s1.map((s) => [s.report_id, s.kind, s.index, s.boilerplate]));
    expect(rest1.themeVsMetric.length).toBeGreaterThan(0);
  });
});

describe('ThemeTally', () => {
  it('gives the counts and the example a sort over all statements gives', () => {
    const all = statementsOf('kept');
    const tally = new ThemeTally();
    for (const s of all) tally.add(s);
    const rows = tally.rows(nlp.taxonomy);
    expect(rows).toHaveLength(nlp.taxonomy.length);
    for (const row of rows) {
      const withTheme = all.filter((s) => s.themes.some((t) => t.id === row.id));
      expect(row.statements).toBe(withTheme.length);
      expect(row.reports).toBe(new Set(withTheme.map((s) => s.report_id)).size);
      expect(row.problems + row.measures).toBe(withTheme.length);
      if (withTheme.length === 0) expect(row.example).toBe('');
      else expect(withTheme.map((s) => s.text)).toContain(row.example);
    }
    expect(rows.filter((r) => r.statements > 0).length).toBeGreaterThan(8);
  });
});

describe('LowFitSample', () => {
  const all = () => statementsOf('kept');

  it('keeps every low-fit statement, in input order, below its limit', () => {
    const sample = new LowFitSample(100_000);
    for (const s of all()) sample.add(s);
    const expected = all().filter((s) => isLowFit(s));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(sample.statements().map((s) => s.text)).toEqual(expected.map((s) => s.text));
    expect(sample.counts).toEqual({ lowFit: expected.length, sampled: expected.length });
  });

  it('above its limit keeps the same statements whatever the input order', () => {
    const limit = 2;
    const forward = new LowFitSample(limit);
    const backward = new LowFitSample(limit);
    const statements = all();
    for (const s of statements) forward.add(s);
    for (const s of [...statements].reverse()) backward.add(s);
    const key = (s: Statement) => `${s.report_id}/${s.kind}/${s.index}`;
    expect(forward.statements()).toHaveLength(limit);
    expect(forward.statements().map(key).sort()).toEqual(backward.statements().map(key).sort());
    expect(forward.counts.sampled).toBe(limit);
    expect(forward.counts.lowFit).toBeGreaterThan(limit);
  });
});

describe('runThemes without digests (as `ogi themes` runs it)', () => {
  it('keeps no digests and writes the same files', async () => {
    const bare = await runThemes(inputs, { out: join(dir, 'bare'), nlp, cache: false, keepReports: false, keepStatements: false, keepDigests: false });
    expect(bare.digests).toEqual({ reports: [], statements: [] });
    expect(bare.summary.reports).toBe(kept.reports.length);
    for (const f of OUTPUTS) expect(read('bare', f), f).toBe(read('kept', f));
  }, 120_000);
});

describe('runReport letting its digests go before rendering (as `ogi report` runs it)', () => {
  it('writes the same report, tables and summary as a run that keeps them', async () => {
    const { runReport } = await import('../../src/pipeline/report.js');
    const keep = await runReport(inputs, { out: join(dir, 'report-kept'), nlp, cache: false });
    const lean = await runReport(inputs, { out: join(dir, 'report-lean'), nlp, cache: false, keepReports: false, keepStatements: false, keepDigests: false });
    expect(keep.analysis.reports.length).toBeGreaterThan(5);
    expect(lean.digests).toEqual({ reports: [], statements: [] });
    expect(lean.analysis.reports).toEqual([]);
    expect(lean.analysis.overview).toEqual(keep.analysis.overview);
    expect(lean.analysis.overview).toMatchObject({ reports: keep.analysis.reports.length, statements: keep.analysis.statements.length });
    const files = ['summary.md', 'tables/report_metrics.csv', 'tables/theme_prevalence_by_year.csv', 'tables/theme_vs_metric.csv'];
    // The page and summary state when they were made, and vega numbers gradients per process.
    const dated = (run: string, f: string) => read(run, f).replace(/生成时间[^\n<]*/g, '').replace(/gradient_\d+/g, 'gradient');
    for (const f of [...files, 'report.html']) expect(firstDifference(dated('report-lean', f), dated('report-kept', f)), f).toBeNull();
    expect(read('report-lean', 'summary.md')).toContain(`拆出语句${keep.analysis.statements.length}条`);
  }, 180_000);
});
