/**
 * The bridge from the pipeline commands to the batch machinery: a FileExecutor (the `executor` option
 * of runParse in src/pipeline/parse.ts) that runs processFile in the worker pool and answers unchanged
 * files from the store.
 *
 *   const executor = createBatchExecutor({ jobs: opts.jobs, cache: opts.cache, store: opts.store, out: opts.out });
 *   await runParse(inputs, { ...opts, executor });
 *   executor.stats  // files, cached, parsed, failed, seconds, warnings
 */
import type { FileExecutor, FileResult, ProcessOptions } from '../pipeline/parse.js';
import type { Statement } from '../model/types.js';
import { BatchRun, type BatchRunOptions, type BatchStats } from './run.js';
import { reportsFrom } from './prepared.js';
import { defaultJobs } from './pool.js';
import { nlpOptionsOf } from '../pipeline/options.js';

export interface BatchExecutor extends FileExecutor {
  /** Figures of the last run through this executor. */
  readonly stats: BatchStats;
}

export interface BatchExecutorOptions extends Omit<BatchRunOptions, 'maxBytes' | 'timeoutMs'> {
  /**
   * Receives the statements of each file's reports when `nlp` is set (computed in the workers, or
   * from the store), right before the file's FileResult is yielded.
   */
  onStatements?: (statements: Statement[], file: FileResult) => void | Promise<void>;
}

/** A FileExecutor backed by the worker pool and the incremental store. */
export function createBatchExecutor(options: BatchExecutorOptions): BatchExecutor {
  const stats: BatchStats = { files: 0, cached: 0, parsed: 0, failed: 0, seconds: 0, warnings: [], workers: 0 };
  const executor = async function* (paths: readonly string[], opts: ProcessOptions): AsyncGenerator<FileResult> {
    // No more workers than files: each costs a thread, a parser and its start-up.
    const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), paths.length));
    const run = BatchRun.open({ ...options, jobs, maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs });
    try {
      for await (const item of run.results(paths)) {
        const { manifest, prepared, preparedBytes, statements, source } = item.result;
        // `reports` is read through, not copied: a worker's records are parsed only if someone reads them.
        const file: FileResult = reportsFrom({ manifest, ...(prepared ? { prepared, preparedBytes } : {}) }, item.result);
        // The worker or the store already hashed the file: hand its identity on (runParse's run fingerprint).
        // The worker's is what was parsed; the store's stands for a cache hit.
        const known = source ?? item.identity;
        if (known) file.source = { size: known.size, mtimeMs: known.mtimeMs, hash: known.hash };
        if (statements && options.onStatements) await options.onStatements(statements, file);
        yield file;
      }
    } finally {
      await run.close();
      Object.assign(stats, run.stats);
    }
  };
  return Object.assign(executor, { stats });
}

/** The NLP stage as runThemes / runReport / runAudit take it (their `nlp` option). */
type Nlp = import('../nlp/index.js').Nlp;

/**
 * Options to spread into a pipeline command's options so it runs on the pool and the store:
 * `executor` for runParse and, for the NLP commands, an `nlp` whose statements() hands back the
 * statements computed as each file passed through the executor (main thread by default, workers with
 * nlpInWorkers) or kept in the store, so unchanged files skip the NLP stage too. `nlp` falls back to
 * the main-thread models for a report the executor did not cover.
 */
export async function batchHooks(
  command: 'parse' | 'themes' | 'report' | 'audit',
  opts: {
    out: string;
    jobs?: number;
    cache?: boolean;
    store?: string;
    taxonomy?: string;
    dict?: string;
    words?: string[];
    stopwords?: string[];
    stopwordsFile?: string;
    /**
     * Segment and classify in the workers instead of the main thread (default false: on 2 cores no
     * faster, since the main thread's NLP already overlaps with the workers' parsing, and ~270 MB larger
     * at 10k reports, each worker holding its own dictionary and classifier).
     */
    nlpInWorkers?: boolean;
  },
  warn?: (message: string) => void,
): Promise<{ executor: BatchExecutor; nlp?: Nlp }> {
  const base = { jobs: opts.jobs, cache: opts.cache, store: opts.store, out: opts.out, warn };
  if (command === 'parse') return { executor: createBatchExecutor(base) };
  const nlpOptions = nlpOptionsOf(opts);
  const { createLazyNlp } = await import('../nlp/index.js');
  // The models (nodejieba's dictionary, ~250 MB, and the classifier) load on first use: with NLP in the
  // workers this thread needs them only for a report no worker covered, and a re-run whose statements
  // all come from the store never needs them. The taxonomy and the option files are read now, so a bad
  // path still fails before any file is parsed.
  const real = createLazyNlp(nlpOptions);
  // Reports are consumed in the order their file's statements arrive, so this holds one file's worth.
  const pending = new Map<string, Statement[]>();
  const executor = createBatchExecutor({
    ...base,
    nlp: nlpOptions,
    // Main-thread NLP: statements are computed as each file's result passes through (and stored).
    mainNlp: opts.nlpInWorkers ? undefined : real,
    // Audit keeps every record anyway (parsed in this thread): narratives would be sent for nothing.
    narratives: command !== 'audit',
    onStatements: (statements, file) => {
      // Files pass one at a time: what the last one left (a duplicate file, dropped unread) goes.
      pending.clear();
      // Ids from the prepared reports when there are: reading `reports` would parse every record.
      for (const r of file.prepared ?? file.reports) pending.set(r.id, []);
      for (const s of statements) pending.get(s.report_id)?.push(s);
    },
  });
  const nlp: Nlp = {
    taxonomy: real.taxonomy,
    options: real.options,
    tokenize: (text) => real.tokenize(text),
    classify: (text, tokens) => real.classify(text, tokens),
    get classifier() {
      return real.classifier;
    },
    get segmenter() {
      return real.segmenter;
    },
    statements(report) {
      const done = pending.get(report.id);
      if (!done) return real.statements(report);
      pending.delete(report.id);
      return done;
    },
  };
  return { executor, nlp };
}
