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
  const stats: BatchStats = { files: 0, cached: 0, parsed: 0, failed: 0, seconds: 0, warnings: [] };
  const executor = async function* (paths: readonly string[], opts: ProcessOptions): AsyncGenerator<FileResult> {
    const run = BatchRun.open({ ...options, maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs });
    try {
      for await (const item of run.results(paths)) {
        const { statements, ...file } = item.result;
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
