/**
 * `npm run bench [-- --sizes 1000,10000] [--full] [--jobs 2] [--seed 1] [--only parse,themes,report,raw,speedup,rerun]
 *   [--compare-nlp-workers] [--keep] [--source]`
 *
 * Benchmarks the batch pipeline on generated corpora (ogi synth) of 1k and 10k reports (and 100k with
 * --full): reports/s and MB/s for parse, themes and the whole report run; peak RSS of each run; the
 * speed-up from 1 to 2 workers; raw nodejieba cut(text, true) throughput on the same section 五 bytes
 * with the ratio pipeline / raw (per core; also with input bytes in place of section 五 bytes); the NLP
 * stage alone; a bound (read, render SCHEMA.md's outputs, cut: the least a pipeline can do); and
 * unchanged re-runs of parse and report (store on) vs their first runs.
 *
 * Every measured run is a child process (this script with --phase), so its peak RSS
 * (process.resourceUsage().maxRSS, worker threads included) is its own. Corpora are cached under
 * $TMPDIR/ogi-bench/ between invocations (same seed and size → same bytes).
 *
 * The runs use the compiled build (`npm run build` first, as an installed `ogi` runs): under tsx every
 * worker thread compiles the sources again and keeps tsx's loader, ~50 MB a thread. --source measures
 * the TypeScript sources through tsx instead.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface PhaseResult {
  phase: string;
  seconds: number;
  maxRssMB: number;
  files: number;
  reports: number;
  inputBytes: number;
  narrativeBytes: number;
  statements?: number;
  cached?: number;
  parsed?: number;
  /** The run found --out up to date and rewrote nothing. */
  upToDate?: boolean;
}

const argv = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const has = (name: string) => argv.includes(`--${name}`);

const self = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Child side: one measured phase
// ---------------------------------------------------------------------------------------------

async function inputBytes(dir: string): Promise<{ files: number; bytes: number }> {
  const truth = join(dir, 'truth.jsonl');
  let files = 0;
  let bytes = 0;
  const lines = createInterface({ input: createReadStream(truth, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const file = (JSON.parse(line) as { file: string }).file;
    files++;
    bytes += statSync(join(dir, file)).size;
  }
  return { files, bytes };
}

type NarrativeSource = import('../src/model/types.js').NarrativeSource;
type ReportRecord = import('../src/model/types.js').ReportRecord;
type TableCells = import('../src/model/types.js').TableCells;

/** A report's reports.jsonl line with only the keys SCHEMA.md names, each cell as its bare value. */
function schemaLine(r: ReportRecord): string {
  const tables: Record<string, Record<string, Record<string, number | null>>> = {};
  for (const [name, rows] of Object.entries(r.tables) as [string, TableCells | null][]) {
    if (!rows) continue;
    const out: Record<string, Record<string, number | null>> = {};
    for (const [row, cols] of Object.entries(rows)) {
      const values: Record<string, number | null> = {};
      for (const col in cols) values[col] = cols[col].value;
      out[row] = values;
    }
    tables[name] = out;
  }
  const { id, title, agency, level, year, template, sections, findings } = r;
  return JSON.stringify({ id, source: { path: r.source.path, index: r.source.index }, title, agency, level, year, template, sections, tables, findings });
}

/** What the NLP stage reads of each report in reports.jsonl (id, agency, year, section 五), streamed. */
async function* narrativeSources(out: string): AsyncGenerator<NarrativeSource> {
  for await (const r of records(out)) yield { id: r.id, year: r.year, agency: r.agency, sections: { problems: r.sections.problems } };
}

/** The records of a parse run's reports.jsonl, streamed. */
async function* records(out: string): AsyncGenerator<ReportRecord> {
  const lines = createInterface({ input: createReadStream(join(out, 'reports.jsonl'), 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as ReportRecord;
}

/** nodejieba with its default dictionary loaded: what "raw cut" means. */
function rawJieba(): { cut(s: string, hmm?: boolean): string[] } {
  const jieba = createRequire(import.meta.url)('nodejieba') as { load(): void; cut(s: string, hmm?: boolean): string[] };
  jieba.load();
  return jieba;
}

/** Section 五 texts as parsed: the bytes the NLP stage reads. */
async function narratives(out: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const s of narrativeSources(out)) if (s.sections.problems) texts.push(s.sections.problems);
  return texts;
}

/** Their UTF-8 bytes, streamed (nothing kept). */
async function narrativeByteCount(out: string): Promise<number> {
  let bytes = 0;
  for await (const s of narrativeSources(out)) if (s.sections.problems) bytes += Buffer.byteLength(s.sections.problems);
  return bytes;
}

/** The corpus's report folders (000/, 001/, …): truth.jsonl beside them is not an input. */
function shardDirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => /^\d{3}$/.test(d))
    .sort()
    .map((d) => join(dir, d));
}

async function runPhase(phase: string): Promise<void> {
  const dir = flag('dir')!;
  const inputs = shardDirs(dir);
  const out = flag('out')!;
  const jobs = Number(flag('jobs') ?? 2);
  const cache = has('cache');
  const { files, bytes } = await inputBytes(dir);
  // Load (and from source, compile) the code before the clock starts: the figures are about the work.
  const code = has('source') ? '../src' : '../dist';
  const { batchHooks } = (await import(`${code}/batch/executor.js`)) as typeof import('../src/batch/executor.js');
  const { runParse } = (await import(`${code}/pipeline/parse.js`)) as typeof import('../src/pipeline/parse.js');
  const { runThemes } = (await import(`${code}/pipeline/themes.js`)) as typeof import('../src/pipeline/themes.js');
  const { runReport } = (await import(`${code}/pipeline/report.js`)) as typeof import('../src/pipeline/report.js');
  const { commandFingerprint } = (await import(`${code}/pipeline/fingerprint.js`)) as typeof import('../src/pipeline/fingerprint.js');
  const t0 = performance.now();
  let result: Omit<PhaseResult, 'seconds' | 'maxRssMB' | 'phase' | 'files' | 'inputBytes'>;
  if (phase === 'raw-cut') {
    const texts = await narratives(flag('from')!);
    const jieba = rawJieba();
    const start = performance.now();
    let tokens = 0;
    for (const t of texts) tokens += jieba.cut(t, true).length;
    const seconds = (performance.now() - start) / 1000;
    const narrativeBytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
    process.stdout.write(
      JSON.stringify({ phase, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, files, reports: texts.length, inputBytes: bytes, narrativeBytes, statements: tokens }) + '\n',
    );
    return;
  }
  if (phase === 'nlp-stage') {
    // The NLP stage alone (split, segment, classify: nlp.statements) on parsed records, one thread, on
    // the same section 五 bytes as raw-cut: what the stage adds on top of the cut itself.
    const { createNlp } = (await import(`${code}/nlp/index.js`)) as typeof import('../src/nlp/index.js');
    const nlp = await createNlp();
    // What the stage reads of each report (as a worker's narrative brings it), collected first: parsing
    // the records' JSON inside the timed loop would charge its garbage collection to the stage.
    const sources: NarrativeSource[] = [];
    let narrativeBytes = 0;
    for await (const s of narrativeSources(flag('from')!)) {
      if (s.sections.problems) narrativeBytes += Buffer.byteLength(s.sections.problems);
      sources.push(s);
    }
    const t = performance.now();
    let statements = 0;
    for (const r of sources) statements += nlp.statements(r).length;
    const seconds = (performance.now() - t) / 1000;
    process.stdout.write(
      JSON.stringify({ phase, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, files, reports: sources.length, inputBytes: bytes, narrativeBytes, statements }) + '\n',
    );
    return;
  }
  if (phase === 'bound') {
    // The least any pipeline writing SCHEMA.md's outputs must do per report, one thread: read and
    // decode the input, render its reports.jsonl line with only the keys SCHEMA.md names (cells as
    // bare values) and its cells.csv rows, and cut its section 五. No parsing, checking, classifying,
    // findings or disk writes: a lower bound on the cost, so an upper bound on the ratio to raw cut.
    const { decodeBytes } = (await import(`${code}/ingest/decode.js`)) as typeof import('../src/ingest/decode.js');
    const { renderCellRows } = (await import(`${code}/pipeline/parse.js`)) as typeof import('../src/pipeline/parse.js');
    const parsed: ReportRecord[] = [];
    for await (const r of records(flag('from')!)) parsed.push(r);
    const jieba = rawJieba();
    const start = performance.now();
    let chars = 0;
    let rendered = 0;
    let tokens = 0;
    for (const r of parsed) {
      if (r.source.index === 0) chars += decodeBytes(readFileSync(r.source.path)).text.length; // each file once
      rendered += schemaLine(r).length + renderCellRows(r).length;
      if (r.sections.problems) tokens += jieba.cut(r.sections.problems, true).length;
    }
    const seconds = (performance.now() - start) / 1000;
    let narrativeBytes = 0;
    for (const r of parsed) if (r.sections.problems) narrativeBytes += Buffer.byteLength(r.sections.problems);
    process.stderr.write(`  bound: ${parsed.length} reports, ${chars} input chars decoded, ${rendered} output chars rendered, ${tokens} tokens\n`);
    process.stdout.write(
      JSON.stringify({ phase, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, files, reports: parsed.length, inputBytes: bytes, narrativeBytes, statements: tokens }) + '\n',
    );
    return;
  }
  const command = phase as 'parse' | 'themes' | 'report';
  const hooks = await batchHooks(command, { out, jobs, cache, store: cache ? join(out, 'bench-store.sqlite') : undefined, nlpInWorkers: has('nlp-workers') }, (m) =>
    process.stderr.write(`warning: ${m}\n`),
  );
  const common = { out, jobs, cache, executor: hooks.executor, progress: false };
  if (command === 'parse') {
    const run = await runParse(inputs, { ...common, keepReports: false });
    result = { reports: run.summary.reports, narrativeBytes: 0, upToDate: run.summary.up_to_date === true };
  } else {
    // As the CLI runs them: records and statements stream to disk, only digests stay in memory (and
    // report lets them go once analysed); with the store, an unchanged re-run rewrites nothing.
    const fingerprint = commandFingerprint(command, inputs, common);
    const skipped = await fingerprint.upToDate();
    if (skipped) {
      result = { reports: skipped.reports, narrativeBytes: 0, upToDate: true };
    } else {
      const keep = { keepReports: false, keepStatements: false, keepDigests: false, shrinkHeapAfterParse: true };
      if (command === 'themes') {
        const run = await runThemes(inputs, { ...common, nlp: hooks.nlp, ...keep });
        await fingerprint.record(run);
        result = { reports: run.summary.reports, narrativeBytes: 0 };
      } else {
        const run = await runReport(inputs, { ...common, nlp: hooks.nlp, ...keep });
        await fingerprint.record(run);
        result = { reports: run.summary.reports, narrativeBytes: 0, statements: run.analysis.overview.statements };
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  // The run's peak, taken before the section 五 bytes are counted (reading them back is not the run's).
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const narrativeBytes = await narrativeByteCount(out);
  process.stdout.write(
    JSON.stringify({
      ...result,
      narrativeBytes,
      phase,
      seconds,
      maxRssMB,
      files,
      inputBytes: bytes,
      cached: hooks.executor.stats.cached,
      parsed: hooks.executor.stats.parsed,
    }) + '\n',
  );
}

// ---------------------------------------------------------------------------------------------
// Parent side: corpora, runs, table
// ---------------------------------------------------------------------------------------------

/**
 * Runs this script's --phase in a child. tsx is registered in the child's main thread only (not with
 * --import, whose preload would run again in every worker thread): workers of the compiled build then
 * run plain JavaScript, as an installed `ogi` does.
 */
function child(phase: string, args: string[]): PhaseResult {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); process.argv.splice(1, 0, ${JSON.stringify(self)}); return import(${JSON.stringify(pathToFileURL(self).href)}); });`;
  const res = spawnSync(process.execPath, ['-e', boot, '--', '--phase', phase, ...(has('source') ? ['--source'] : []), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (res.status !== 0) {
    throw new Error(`phase ${phase} failed (exit ${res.status}):\n${res.stderr.slice(-4000)}`);
  }
  const line = res.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`phase ${phase} printed no result:\n${res.stdout.slice(-2000)}\n${res.stderr.slice(-2000)}`);
  return JSON.parse(line) as PhaseResult;
}

async function corpus(n: number, seed: number): Promise<string> {
  const dir = join(tmpdir(), 'ogi-bench', `seed${seed}-n${n}`);
  if (existsSync(join(dir, 'truth.jsonl'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const { runSynth } = await import('../src/synth/index.js');
  const t0 = performance.now();
  const { summary } = await runSynth({ n, seed, out: dir });
  process.stderr.write(
    `generated ${n} reports (${(summary.bytes / 1e6).toFixed(1)} MB, renderer: ${summary.renderer}) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${dir}\n`,
  );
  return dir;
}

const MB = 1e6;
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

interface Row {
  size: number;
  what: string;
  jobs: number;
  r: PhaseResult;
}

function table(rows: Row[], rawByCorpus: Map<number, PhaseResult>): string {
  const head = ['reports', 'run', 'jobs', 'seconds', 'reports/s', 'input MB/s', '五 MB/s/core', 'vs raw cut', 'input/core vs raw', 'peak RSS MB'];
  const lines = [head];
  for (const { size, what, jobs, r } of rows) {
    const raw = rawByCorpus.get(size);
    const perCore = r.narrativeBytes / MB / r.seconds / jobs;
    const rawRate = raw ? raw.narrativeBytes / MB / raw.seconds : NaN;
    lines.push([
      String(size),
      what,
      String(jobs),
      fmt(r.seconds, 2),
      fmt(r.reports / r.seconds, 0),
      fmt(r.inputBytes / MB / r.seconds, 2),
      // A run that found its outputs up to date processed no section 五 bytes: no rate to show.
      what.startsWith('raw') ? fmt(rawRate, 2) : r.narrativeBytes && !r.upToDate ? fmt(perCore, 3) : '',
      what.startsWith('raw') || !r.narrativeBytes || r.upToDate || what.startsWith('parse') ? '' : `${fmt((perCore / rawRate) * 100, 1)}%`,
      // The same ratio with the run's input bytes in place of its section 五 bytes (another reading of
      // "pipeline MB/s / raw MB/s"); not for raw cut or the NLP stage, which read no input file.
      what.startsWith('raw') || what.startsWith('NLP') || r.upToDate ? '' : `${fmt((r.inputBytes / MB / r.seconds / jobs / rawRate) * 100, 1)}%`,
      fmt(r.maxRssMB, 0),
    ]);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const phase = flag('phase');
  if (phase) return runPhase(phase);
  if (!has('source')) {
    process.stderr.write('building dist/ (npm run build) …\n');
    const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: join(self, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
  }

  const seed = Number(flag('seed') ?? 1);
  const jobs = Number(flag('jobs') ?? Math.min(2, availableParallelism()));
  const sizes = (flag('sizes') ?? (has('full') ? '1000,10000,100000' : '1000,10000')).split(',').map(Number);
  const steps = new Set((flag('only') ?? 'parse,themes,report,raw,speedup,rerun').split(','));
  // Pin the store version for this bench: helpers editing the tree mid-run must not turn the
  // "unchanged re-run" into a cold one (the code fingerprint would change between the two runs).
  const { parseVersion } = await import('../src/batch/version.js');
  process.env.OGI_CACHE_VERSION ??= `bench-${parseVersion()}`;
  const work = join(tmpdir(), 'ogi-bench', `out-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const rows: Row[] = [];
  const raws = new Map<number, PhaseResult>();
  const notes: string[] = [];
  try {
    for (const size of sizes) {
      const dir = await corpus(size, seed);
      const out = (name: string) => join(work, `${size}-${name}`);
      const run = (p: string, name: string, j: number, extra: string[] = []) => {
        process.stderr.write(`  ${size}: ${name} (jobs ${j}) …\n`);
        const r = child(p, ['--dir', dir, '--out', out(name), '--jobs', String(j), ...extra]);
        rows.push({ size, what: name, jobs: j, r });
        return r;
      };
      const parse = steps.has('parse') || steps.has('speedup') || steps.has('raw') ? run('parse', 'parse', jobs) : null;
      if (parse && steps.has('speedup') && size <= 10_000) {
        const one = run('parse', 'parse', 1);
        notes.push(`${size} reports: parse speed-up 1 → ${jobs} workers: ${fmt(one.seconds / parse.seconds, 2)}×`);
      }
      if (steps.has('raw')) {
        process.stderr.write(`  ${size}: raw nodejieba cut …\n`);
        const raw = child('raw-cut', ['--dir', dir, '--out', out('raw'), '--from', out('parse')]);
        raws.set(size, raw);
        rows.push({ size, what: 'raw cut(text, true)', jobs: 1, r: raw });
        process.stderr.write(`  ${size}: NLP stage alone …\n`);
        const stage = child('nlp-stage', ['--dir', dir, '--out', out('nlp'), '--from', out('parse')]);
        rows.push({ size, what: 'NLP stage (statements)', jobs: 1, r: stage });
        process.stderr.write(`  ${size}: bound (read + SCHEMA outputs + cut) …\n`);
        const bound = child('bound', ['--dir', dir, '--out', out('bound'), '--from', out('parse')]);
        rows.push({ size, what: 'bound: read+outputs+cut', jobs: 1, r: bound });
      }
      if (steps.has('themes')) {
        const themes = run('themes', 'themes', jobs);
        if (steps.has('speedup') && size <= 1_000) {
          const one = run('themes', 'themes', 1);
          notes.push(`${size} reports: themes speed-up 1 → ${jobs} workers: ${fmt(one.seconds / themes.seconds, 2)}×`);
        }
        if (has('compare-nlp-workers') && size <= 10_000) run('themes', 'themes (NLP in workers)', jobs, ['--nlp-workers']);
      }
      if (steps.has('report')) run('report', 'report', jobs);
      if (steps.has('rerun')) {
        // parse and the whole report run, each as `ogi` runs it (store on), then again on the same inputs.
        for (const command of ['parse', 'report'] as const) {
          const first = run(command, `${command}+store (first)`, jobs, ['--cache']);
          const again = child(command, ['--dir', dir, '--out', out(`${command}+store (first)`), '--jobs', String(jobs), '--cache']);
          rows.push({ size, what: `${command}+store (unchanged)`, jobs, r: again });
          notes.push(
            `${size} reports: ${command} unchanged re-run ${fmt(again.seconds, 2)} s vs first run ${fmt(first.seconds, 2)} s = ${fmt((again.seconds / first.seconds) * 100, 1)}% (${again.upToDate ? 'outputs up to date, nothing rewritten' : `${again.cached} of ${again.files} files from the store`})`,
          );
          if (command !== 'report') continue;
          // Without the run fingerprint every file comes from the store and every output is written
          // again: what a re-run over a grown or edited corpus pays beyond its new files.
          rmSync(join(out(`${command}+store (first)`), '.ogi-run.json'), { force: true });
          const hits = child(command, ['--dir', dir, '--out', out(`${command}+store (first)`), '--jobs', String(jobs), '--cache']);
          rows.push({ size, what: `${command}+store (all from store)`, jobs, r: hits });
          notes.push(`${size} reports: ${command} with every file from the store ${fmt(hits.seconds, 2)} s = ${fmt((hits.seconds / first.seconds) * 100, 1)}% of the first run (${hits.cached} of ${hits.files} files from the store)`);
        }
      }
    }
  } finally {
    if (!has('keep')) rmSync(work, { recursive: true, force: true });
  }
  const cores = availableParallelism();
  const code = has('source') ? 'TypeScript sources through tsx' : 'compiled dist/';
  process.stdout.write(`\nogi bench — seed ${seed}, ${cores} cores, node ${process.version}, ${code}\n\n`);
  process.stdout.write(table(rows, raws) + '\n\n');
  for (const n of notes) process.stdout.write(`${n}\n`);
  process.stdout.write(
    '\n五 MB/s/core = section 五 bytes processed per second per worker; "vs raw cut" = that rate / raw nodejieba cut(text, true) MB/s on the same bytes (one thread).\n' +
      '"input/core vs raw" = input MB/s per worker / raw cut MB/s: the ratio read with the input files\' bytes in place of the section 五 bytes.\n' +
      '"NLP stage" = nlp.statements() alone (split into statements, segment, classify) on the parsed records, one thread: the NLP work without reading, parsing, checking and writing.\n' +
      '"bound" = per report, one thread: read and decode the input, render its reports.jsonl line (only SCHEMA.md\'s keys, cells as bare values) and cells.csv rows, and cut its section 五; no parsing, checking, classifying, findings or disk writes. Its "vs raw cut" is more than any pipeline writing SCHEMA.md\'s outputs can reach.\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
