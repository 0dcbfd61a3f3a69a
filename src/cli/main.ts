/**
 * The `ogi` command line (commander 14).
 *
 *   ogi parse  <inputs...> --out DIR   reports.jsonl, cells.csv, findings.csv, manifest.csv
 *   ogi themes <inputs...> --out DIR   + statements.jsonl, statements.csv, themes.csv
 *   ogi report <inputs...> --out DIR   + report.html, summary.md, charts/, tables/
 *   ogi audit  <inputs...> --out DIR   + audit.html, audit.xlsx, audit.csv
 *   ogi export --format parquet|csv|xlsx --store FILE --out DIR
 *   ogi synth  --n N --seed S --out DIR
 *   ogi rules  [--json]                 the checks and the template clauses they come from
 *
 * Exit codes: 0 the run finished (even with failed inputs), 1 usage error, 2 the run could not complete.
 * Commands other than parse are loaded on demand, so a missing or broken stage never breaks `ogi parse`.
 */
import { UsageError } from '../model/errors.js';
import { readFileSync, realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { abortPendingWrites } from '../io/atomic.js';
import type { AnalyzeOptions, NlpRunOptions, RunOptions } from '../pipeline/options.js';
// Pure Node (no stage code): the CLI checks --jobs against the pool's own limit.
import { maxJobs } from '../batch/pool.js';
import type { FileExecutor, ParseProgress, RunSummary } from '../pipeline/parse.js';
import { createProgress, type Progress } from './progress.js';
import type { Rule } from '../validate/catalogue.js';
import type { ExportSummary } from '../batch/export.js';
import type { SynthSummary } from '../synth/index.js';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_RUN_FAILED = 2;

/** A problem with how the command was called (exit code 1); stages throw it for bad option files. */
export { UsageError };

/** Where the CLI writes; tests substitute buffers. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bar). */
  isTTY: boolean;
}

const defaultIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

// ---------------------------------------------------------------------------------------------
// Option parsing
// ---------------------------------------------------------------------------------------------

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1.`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number greater than 0.`);
    return n;
  };
}

function year(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value.trim())) throw new InvalidArgumentError('a year is four digits, e.g. 2020.');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Options every input-reading command shares (RunOptions). */
function addRunOptions(cmd: Command): Command {
  return cmd
    .argument('<inputs...>', 'report files or folders (folders are searched recursively)')
    .requiredOption('-o, --out <dir>', 'output folder (created when missing)')
    .option('--json', 'print a JSON run summary to stdout')
    .option('-j, --jobs <n>', 'worker threads for parsing and NLP (default: number of cores)', positiveInt('--jobs'))
    .option('--no-cache', 'ignore the incremental store: parse every file again')
    .option('--store <file>', 'store file for the incremental cache (default: <out>/.ogi-cache.sqlite)')
    .option('--max-size <MB>', 'skip files larger than this many megabytes (default 50)', positiveNumber('--max-size'))
    .option('--timeout <s>', 'give up on a file after this many seconds (default 60)', positiveNumber('--timeout'))
    .option('-q, --quiet', 'no progress bar and no summary line');
}

function addNlpOptions(cmd: Command): Command {
  return cmd
    .option('--taxonomy <file>', 'theme taxonomy file replacing the shipped one')
    .option('--dict <file>', 'user dictionary for the segmenter (one word per line, optional frequency and tag)')
    .option('--word <word>', 'extra word for the segmenter (repeatable)', collect)
    .option('--stopwords-file <file>', 'stopword file, one per line')
    .option('--stopword <word>', 'extra stopword (repeatable)', collect)
    .option('--nlp-workers', 'segment and classify in the worker threads (each loads its own ~250 MB dictionary); default: the main thread');
}

function addAnalyzeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--by <dimension>', 'group results by').choices(['year', 'level', 'region', 'template']))
    .option('--since <year>', 'only reports of this year or later', year)
    .option('--until <year>', 'only reports of this year or earlier', year)
    .option('--filter <expr>', 'keep reports matching, e.g. level=county or region~浙江 (repeatable)', collect)
    .option('--groups <csv>', 'CSV mapping agency → group (audit)');
}

interface RawRunFlags {
  out: string;
  json?: boolean;
  jobs?: number;
  cache?: boolean;
  store?: string;
  maxSize?: number;
  timeout?: number;
  quiet?: boolean;
  taxonomy?: string;
  dict?: string;
  word?: string[];
  stopwordsFile?: string;
  stopword?: string[];
  nlpWorkers?: boolean;
  by?: AnalyzeOptions['by'];
  since?: number;
  until?: number;
  filter?: string[];
  groups?: string;
  weights?: string;
}

/** Options as the pipeline functions take them, plus the progress hooks runParse understands. */
export type CommandOptions = RunOptions &
  NlpRunOptions &
  AnalyzeOptions & {
    /** Audit deduction weights file replacing src/data/audit-weights.json (ogi audit --weights). */
    weights?: string;
    onStart?: (paths: readonly string[]) => void;
    onProgress?: (p: ParseProgress) => void;
  };

export function toCommandOptions(flags: RawRunFlags, io: CliIO): CommandOptions {
  if (flags.since !== undefined && flags.until !== undefined && flags.since > flags.until) {
    throw new UsageError(`--since ${flags.since} is after --until ${flags.until}.`);
  }
  const opts: CommandOptions = {
    out: flags.out,
    json: Boolean(flags.json),
    progress: io.isTTY && !flags.quiet,
    cache: flags.cache !== false,
  };
  if (flags.jobs !== undefined) {
    if (flags.jobs > maxJobs()) {
      throw new UsageError(`--jobs ${flags.jobs} is more than 4 worker threads per core (${availableParallelism()} cores here: at most ${maxJobs()}); each worker holds its own parser (~100 MB).`);
    }
    opts.jobs = flags.jobs;
  }
  if (flags.store !== undefined) opts.store = flags.store;
  if (flags.maxSize !== undefined) opts.maxBytes = Math.round(flags.maxSize * 1024 * 1024);
  if (flags.timeout !== undefined) opts.timeoutMs = Math.round(flags.timeout * 1000);
  if (flags.taxonomy !== undefined) opts.taxonomy = flags.taxonomy;
  if (flags.dict !== undefined) opts.dict = flags.dict;
  if (flags.word) opts.words = flags.word;
  if (flags.stopwordsFile !== undefined) opts.stopwordsFile = flags.stopwordsFile;
  if (flags.stopword) opts.stopwords = flags.stopword;
  if (flags.nlpWorkers) opts.nlpInWorkers = true;
  if (flags.by !== undefined) opts.by = flags.by;
  if (flags.since !== undefined) opts.since = flags.since;
  if (flags.until !== undefined) opts.until = flags.until;
  if (flags.filter) opts.filter = flags.filter;
  if (flags.groups !== undefined) opts.groups = flags.groups;
  if (flags.weights !== undefined) opts.weights = flags.weights;
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Running commands
// ---------------------------------------------------------------------------------------------

type RunFn = (inputs: string[], opts: CommandOptions) => Promise<unknown>;

/** Loads a stage's run function on demand; a stage that is missing or broken fails only its own command. */
async function loadRun(modulePath: string, names: string[], command: string): Promise<RunFn> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`\`ogi ${command}\` is not available: ${modulePath} could not be loaded (${err instanceof Error ? err.message : String(err)})`);
  }
  for (const name of names) if (typeof mod[name] === 'function') return mod[name] as RunFn;
  throw new Error(`\`ogi ${command}\` is not available: ${modulePath} exports none of ${names.join(', ')}`);
}

function summaryOf(result: unknown): unknown {
  if (result && typeof result === 'object' && 'summary' in result) return (result as { summary: unknown }).summary;
  return result ?? {};
}

/** "parse: 36 files (ok 30, partial 4, failed 2, skipped 0), 40 reports, 120 findings → out/" */
export function summaryLine(s: RunSummary): string {
  const st = s.status;
  return (
    `${s.command}: ${s.files} file${s.files === 1 ? '' : 's'} (ok ${st.ok}, partial ${st.partial}, failed ${st.failed}, skipped ${st.skipped}), ` +
    `${s.reports} report${s.reports === 1 ? '' : 's'}, ${s.findings.total} finding${s.findings.total === 1 ? '' : 's'} ` +
    `(${s.findings.by_severity.error} errors) → ${s.out}${s.up_to_date ? ' (outputs up to date: inputs unchanged, nothing rewritten)' : ''} ` +
    `in ${(s.elapsed_ms / 1000).toFixed(1)} s\n`
  );
}

const counts = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** "export: 5 tables as parquet (files 2001, reports 2000, …) → out/ in 1.2 s" */
export function exportLine(s: ExportSummary): string {
  const n = Object.keys(s.tables).length;
  return `export: ${n} table${n === 1 ? '' : 's'} as ${s.format} (${counts(s.tables)} rows) from ${s.store} → ${s.out} in ${(s.elapsed_ms / 1000).toFixed(1)} s\n`;
}

/** "synth: 1000 reports, seed 1, 4.4 MB (templates …; injected …) → out/ (truth.jsonl beside them) in 2.0 s" */
export function synthLine(s: SynthSummary): string {
  const injected = Object.keys(s.injected).length ? `; errors injected: ${counts(s.injected)}` : '';
  return (
    `synth: ${s.n} report${s.n === 1 ? '' : 's'}, seed ${s.seed}, ${(s.bytes / 1e6).toFixed(1)} MB (templates: ${counts(s.templates)}${injected}) ` +
    `→ ${s.out} (truth.jsonl beside them) in ${(s.elapsed_ms / 1000).toFixed(1)} s\n`
  );
}

function isRunSummary(x: unknown): x is RunSummary {
  return !!x && typeof x === 'object' && 'status' in x && 'findings' in x && 'files' in x;
}

/**
 * A --store that is not an ogi store (a typo such as `--store manifest.csv`, another program's database)
 * is the user's file: refused and left as it is, where a damaged store would be moved aside and rebuilt.
 */
async function assertStoreFile(path: string): Promise<void> {
  let notAStore: (path: string) => string | null;
  try {
    ({ notAStore } = await import('../batch/store.js'));
  } catch {
    return; // no store module: the run goes on without a store (batchHooksFor warns)
  }
  const reason = notAStore(path);
  if (reason) throw new UsageError(`--store ${path} ${reason}; it is left as it is. Give a new path or an existing store.`);
}

async function runInputCommand(command: string, run: () => Promise<RunFn>, inputs: string[], flags: RawRunFlags, io: CliIO, state: CliState): Promise<void> {
  const opts = toCommandOptions(flags, io);
  if (opts.store !== undefined) await assertStoreFile(opts.store);
  const fn = await run();
  const warn = (message: string) => {
    if (!flags.quiet) io.stderr(`ogi: warning: ${message}\n`);
  };
  const batch = await batchHooksFor(command, opts, warn);
  Object.assign(opts, batch.hooks);
  let bar: Progress | null = null;
  if (opts.progress) {
    bar = createProgress(command);
    state.progress = bar;
    opts.onStart = (paths) => bar!.start(paths.length);
    opts.onProgress = (p) => bar!.update(p.done, p.path);
  }
  try {
    const result = await fn(inputs, opts);
    bar?.stop();
    const summary = summaryOf(result);
    const stats = batch.hooks.executor?.stats;
    if (stats && summary && typeof summary === 'object') {
      Object.assign(summary, { batch: { jobs: stats.workers, cached: stats.cached, parsed: stats.parsed, failed: stats.failed, warnings: stats.warnings } });
    }
    if (isRunSummary(summary) && summary.files === 0) warn(`no input files found in ${inputs.join(', ')}`);
    if (opts.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
    else if (!flags.quiet && isRunSummary(summary)) io.stdout(summaryLine(summary));
  } finally {
    bar?.stop();
    state.progress = null;
  }
}

/** The catalogue as a Markdown table (README "Checks"). */
function rulesMarkdown(rules: readonly Rule[], lang: 'zh' | 'en' = 'zh'): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| rule | severity | description | clause |', '| --- | --- | --- | --- |'];
  for (const r of rules) lines.push(`| \`${r.id}\` | ${r.severity} | ${cell(lang === 'zh' ? r.description_zh : r.description_en)} | ${cell(r.clause)} |`);
  return lines.join('\n') + '\n';
}

interface BatchHookResult {
  executor?: FileExecutor & { stats?: { cached: number; parsed: number; failed: number; warnings: string[]; workers: number } };
  nlp?: unknown;
}

/**
 * The worker pool and incremental store (src/batch) as runParse's `executor` (and, for NLP commands,
 * an `nlp` fed by the workers). When src/batch cannot be loaded the run still goes on, in one thread.
 */
async function batchHooksFor(command: string, opts: CommandOptions, warn: (m: string) => void): Promise<{ hooks: BatchHookResult }> {
  try {
    const mod = (await import('../batch/executor.js')) as {
      batchHooks: (command: 'parse' | 'themes' | 'report' | 'audit', o: CommandOptions, warn?: (m: string) => void) => Promise<BatchHookResult>;
    };
    return { hooks: await mod.batchHooks(command as 'parse', opts, warn) };
  } catch (err) {
    warn(`worker pool and cache unavailable (${err instanceof Error ? err.message : String(err)}); files are parsed one at a time in this thread`);
    return { hooks: {} };
  }
}

interface CliState {
  progress: Progress | null;
}

/** The version in package.json (two folders up from src/cli and from dist/cli alike). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The commander program; actions run the pipeline. */
export function buildProgram(io: CliIO = defaultIO, state: CliState = { progress: null }): Command {
  const program = new Command('ogi')
    .description('Turn Chinese government information disclosure annual reports (政府信息公开工作年度报告) into data, findings and theme reports.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 the run finished (failed inputs are listed in manifest.csv), 1 usage error, 2 the run could not complete.\n' +
        'Example: ogi parse reports/ --out out/ --json',
    );

  const parse = addRunOptions(program.command('parse').description('parse reports into reports.jsonl, cells.csv, findings.csv, manifest.csv'));
  parse.action(async (inputs: string[], flags: RawRunFlags) => {
    const { runParse } = await import('../pipeline/parse.js');
    // The CLI needs only the summary: records stream to disk and are not kept (bounded memory).
    const run: RunFn = (ins, opts) => runParse(ins, { ...opts, keepReports: false });
    await runInputCommand('parse', async () => run, inputs, flags, io, state);
  });

  const stages: [string, string, string, string[], boolean][] = [
    ['themes', 'parse, then split section 五 into statements and tag their themes', '../pipeline/themes.js', ['runThemes'], false],
    ['report', 'themes, then the theme report (report.html, summary.md, charts, tables)', '../pipeline/report.js', ['runReport'], true],
    ['audit', 'themes, then the audit of findings and copied text (audit.html, audit.xlsx, audit.csv)', '../pipeline/audit.js', ['runAudit'], true],
  ];
  for (const [name, description, modulePath, exportNames, analyze] of stages) {
    let cmd = addNlpOptions(addRunOptions(program.command(name).description(description)));
    if (analyze) cmd = addAnalyzeOptions(cmd);
    if (name === 'audit') cmd = cmd.option('--weights <file>', 'score deductions (JSON, same keys as src/data/audit-weights.json) replacing the shipped ones');
    cmd.action(async (inputs: string[], flags: RawRunFlags) => {
      const load = async (): Promise<RunFn> => {
        const fn = await loadRun(modulePath, exportNames, name);
        // themes and report need only their digests: records and statements stream to disk (bounded
        // memory). audit quotes statements and reads tables, so it keeps them.
        // After the parse the main thread holds what the last passes need: V8 keeps its heap small.
        // themes analyses nothing; report drops its digests once analysed (before rendering).
        const keep =
          name === 'audit' ? { shrinkHeapAfterParse: true } : { keepReports: false, keepStatements: false, keepDigests: false, shrinkHeapAfterParse: true };
        const { commandFingerprint } = await import('../pipeline/fingerprint.js');
        // The CLI keeps nothing but the summary, so an unchanged re-run can leave --out as it is.
        return async (ins, opts) => {
          const fingerprint = commandFingerprint(name as 'themes' | 'report' | 'audit', ins, opts);
          const skipped = await fingerprint.upToDate();
          if (skipped) return { summary: skipped };
          const result = (await fn(ins, { ...opts, ...keep } as CommandOptions)) as Parameters<typeof fingerprint.record>[0];
          await fingerprint.record(result);
          return result;
        };
      };
      await runInputCommand(name, load, inputs, flags, io, state);
    });
  }

  program
    .command('rules')
    .description('list the checks (rule catalogue src/data/rules.json): id, severity, description, template clause')
    .option('--json', 'print the catalogue as JSON')
    .option('--lang <lang>', 'description language: zh or en', 'zh')
    .action(async (flags: { json?: boolean; lang: string }) => {
      const { RULES } = await import('../validate/catalogue.js');
      if (flags.lang !== 'zh' && flags.lang !== 'en') throw new UsageError('--lang is zh or en.');
      io.stdout(flags.json ? JSON.stringify(RULES, null, 2) + '\n' : rulesMarkdown(RULES, flags.lang));
    });

  program
    .command('export')
    .description('write the tables of the incremental store as parquet, csv or xlsx')
    .addOption(new Option('--format <format>', 'output format').choices(['parquet', 'csv', 'xlsx']).makeOptionMandatory())
    .requiredOption('--store <file>', 'store file (the .ogi-cache.sqlite of an earlier run)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--json', 'print a JSON summary to stdout')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async ({ quiet, ...flags }: { format: string; store: string; out: string; json?: boolean; quiet?: boolean }) => {
      const fn = (await loadRun('../batch/export.js', ['runExport', 'exportStore'], 'export')) as unknown as (o: typeof flags) => Promise<{ summary: ExportSummary }>;
      const { summary } = await fn(flags);
      if (flags.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
      else if (!quiet) io.stdout(exportLine(summary));
    });

  program
    .command('synth')
    .description('generate a synthetic corpus of reports, with their truth, for tests and benchmarks')
    .requiredOption('--n <count>', 'number of reports', positiveInt('--n'))
    .option('--seed <seed>', 'random seed (same seed, same corpus)', (v: string) => {
      if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError('--seed must be a whole number.');
      return Number(v);
    })
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--json', 'print a JSON summary to stdout')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async ({ quiet, ...flags }: { n: number; seed?: number; out: string; json?: boolean; quiet?: boolean }) => {
      const fn = (await loadRun('../synth/index.js', ['runSynth', 'synthCorpus', 'generateCorpus'], 'synth')) as unknown as (
        o: typeof flags,
      ) => Promise<{ summary: SynthSummary }>;
      const { summary } = await fn({ ...flags, seed: flags.seed ?? 1 });
      if (flags.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
      else if (!quiet) io.stdout(synthLine(summary));
    });

  return program;
}

/**
 * Runs the CLI and resolves to the exit code (never calls process.exit itself, so tests can call it).
 * argv as process.argv (node, script, ...args).
 */
export async function main(argv: string[] = process.argv, io: CliIO = defaultIO): Promise<number> {
  const state: CliState = { progress: null };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (err) {
    state.progress?.stop();
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr(`ogi: ${err.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`ogi: the run could not complete: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.OGI_DEBUG && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return EXIT_RUN_FAILED;
  }
}

/** Entry point for bin/ogi.js and `tsx src/cli/main.ts`: exit code, temp files removed on Ctrl-C. */
export async function run(argv: string[] = process.argv): Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    const removed = abortPendingWrites();
    process.stderr.write(`\nogi: interrupted (${signal}); ${removed} unfinished output file(s) removed, earlier outputs left as they were\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await main(argv);
  // Let stdout drain (a piped --json summary) before exiting; exit explicitly so a stage that left a
  // handle open (a worker, a timer) cannot keep the process alive.
  process.stdout.write('', () => process.exit(code));
}

function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) void run();
