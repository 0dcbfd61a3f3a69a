/**
 * `ogi report <inputs...> --out DIR`: the files of `themes`, plus report.html, summary.md,
 * charts/*.vl.json|svg|png and tables/*.csv (SCHEMA.md).
 *
 * runReport = runThemes + analyzeCorpus over the reports kept by --since/--until/--filter + renderReport.
 * Filters are checked before any input is read, so a malformed --filter stops the run at once.
 * Empty input, one report, or years without reports still give a report that says so.
 */
import { join } from 'node:path';
import { analyzeCorpus, parseFilter, type AnalysisResult } from '../analyze/index.js';
import { renderReport, type RenderReportResult } from '../render/index.js';
import type { AnalyzeOptions } from './options.js';
import { tracePhase } from './trace.js';
import { nlpFromOptions, runThemes, type RunThemesOptions, type ThemesRun } from './themes.js';

export type RunReportOptions = RunThemesOptions & AnalyzeOptions;

export interface ReportRun extends ThemesRun {
  analysis: AnalysisResult;
  rendered: RenderReportResult;
}

/** The filters as the page states them. */
export function describeFilters(opts: AnalyzeOptions): string[] {
  const out: string[] = [];
  if (opts.since !== undefined) out.push(`${opts.since}年及以后`);
  if (opts.until !== undefined) out.push(`${opts.until}年及以前`);
  for (const f of opts.filter ?? []) if (f.trim()) out.push(f.trim());
  return out;
}

export async function runReport(inputs: string[], opts: RunReportOptions): Promise<ReportRun> {
  const started = Date.now();
  for (const expr of opts.filter ?? []) if (expr.trim()) parseFilter(expr);
  if (opts.since !== undefined && opts.until !== undefined && opts.since > opts.until) {
    throw new Error(`report: --since ${opts.since} is after --until ${opts.until}; no report could match`);
  }
  const nlp = opts.nlp ?? (await nlpFromOptions(opts));
  // The analysis needs the digests whatever the caller keeps; keepDigests false lets them go once analysed.
  const run = await runThemes(inputs, { ...opts, nlp, keepDigests: true });

  const themeNames = Object.fromEntries(nlp.taxonomy.map((t) => [t.id, t.name]));
  const analysis = analyzeCorpus(run.digests.reports, run.digests.statements, {
    since: opts.since,
    until: opts.until,
    filter: opts.filter,
    by: opts.by,
    themeIds: nlp.taxonomy.map((t) => t.id),
  });
  tracePhase('analysed');
  if (opts.keepDigests === false) {
    // Rendering reads aggregates only: at 100k reports the digests are ~230 MB the charts can reuse.
    run.digests = { reports: [], statements: [] };
    analysis.reports = [];
    analysis.statements = [];
  }
  const out = run.summary.out;
  const rendered = await renderReport(analysis, out, {
    generatedAt: new Date().toISOString(),
    inputs,
    manifest: run.manifest,
    filters: describeFilters(opts),
    themeNames,
  });
  tracePhase('rendered');
  run.summary.command = 'report';
  run.summary.outputs.push(...rendered.files.map((f) => join(out, f)));
  run.summary.elapsed_ms = Date.now() - started;
  return { ...run, analysis, rendered };
}
