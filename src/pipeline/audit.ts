/**
 * `ogi audit <inputs...> --out DIR`: the files of `themes`, plus audit.html, audit.xlsx and audit.csv.
 *
 * runAudit = runThemes (parse, checks, statements, copied text) + buildAudit over the reports kept by
 * --since/--until/--filter + the three audit files. Option files (--groups, filters) are checked before
 * any input is read, so a malformed group CSV stops the run at once with its line number.
 */
import { join } from 'node:path';
import { filterReports, parseFilter } from '../analyze/filter.js';
import { buildAudit, loadGroups, loadWeights, type Audit, type AuditWeights, type GroupBy } from '../audit/index.js';
import { auditCsv } from '../audit/rows.js';
import { writeAtomicallyWith, writeFileAtomic } from '../io/atomic.js';
import { ensureWritableDir } from '../io/outdir.js';
import { UsageError } from '../model/errors.js';
import { tracePhase } from './trace.js';
import { renderAuditHtml } from '../render/audit-html.js';
import { writeAuditXlsx } from '../render/audit-xlsx.js';
import type { AnalyzeOptions } from './options.js';
import { nlpFromOptions, runThemes, type RunThemesOptions, type ThemesRun } from './themes.js';

export const AUDIT_FILES = ['audit.html', 'audit.xlsx', 'audit.csv'] as const;

/** Writes audit.html, audit.xlsx and audit.csv into `out` (created when missing); returns their paths. */
export async function writeAuditOutputs(audit: Audit, out: string): Promise<string[]> {
  const dir = await ensureWritableDir(out);
  const paths = AUDIT_FILES.map((f) => join(dir, f));
  const [html, xlsx, csv] = paths;
  await writeFileAtomic(html, await renderAuditHtml(audit));
  tracePhase('audit.html written');
  await writeAtomicallyWith(xlsx, (temp) => writeAuditXlsx(audit, temp));
  tracePhase('audit.xlsx written');
  await writeFileAtomic(csv, auditCsv(audit));
  tracePhase('audit.csv written');
  return paths;
}

/** The options of runThemes but what to keep: the audit reads every record and statement. */
export type RunAuditOptions = Omit<RunThemesOptions, 'keepReports' | 'keepStatements'> &
  AnalyzeOptions & {
    /** Deduction weights replacing src/data/audit-weights.json (object or JSON file). */
    weights?: AuditWeights | string;
  };

export interface AuditRun extends ThemesRun {
  audit: Audit;
}

/** The group view: the user's CSV when given, else --by (year, level, region, template), else level. */
function groupView(opts: RunAuditOptions): GroupBy {
  if (opts.groups !== undefined) {
    if (opts.by !== undefined) {
      throw new UsageError(`audit: --groups and --by both choose how agencies are grouped; give one of them`);
    }
    return 'group';
  }
  return opts.by ?? 'level';
}

export async function runAudit(inputs: string[], opts: RunAuditOptions): Promise<AuditRun> {
  const started = Date.now();
  // Everything the user gave beside the inputs is checked before the (long) parse.
  const by = groupView(opts);
  const groups = opts.groups !== undefined ? loadGroups(opts.groups) : undefined;
  const weights = loadWeights(opts.weights);
  for (const expr of opts.filter ?? []) if (expr.trim()) parseFilter(expr);
  const nlp = opts.nlp ?? (await nlpFromOptions(opts));

  // Kept whatever a (JavaScript) caller passed: the audit needs them all.
  const run = await runThemes(inputs, { ...opts, nlp, keepReports: true, keepStatements: true });
  const audited = filterReports(run.reports, { since: opts.since, until: opts.until, filter: opts.filter });
  const audit = buildAudit(audited, run.statements, {
    groups,
    by,
    weights,
    taxonomy: nlp.taxonomy,
    context: run.reports,
    sectionCopies: run.sectionCopies,
  });
  tracePhase('audit built');
  const written = await writeAuditOutputs(audit, run.summary.out);
  run.summary.command = 'audit';
  run.summary.outputs.push(...written);
  run.summary.elapsed_ms = Date.now() - started;
  return { ...run, audit };
}
