/**
 * The batch executor: streams input files through the store and the worker pool, and yields one
 * result per file in input order. The main thread decides which files the store answers; the workers
 * read those from it (or, with NLP in the workers or a substituted handler, the main thread does) and
 * parse the rest.
 *
 * This is what the pipeline commands plug in (runParse's `executor` option): they consume the stream,
 * write their outputs as records arrive, and never hold more than the pool's window of files at once.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyPath } from '../ingest/formats.js';
import { WorkerPool, defaultJobs } from './pool.js';
import type { PoolResult } from './pool.js';
import { BatchStore, isCorruption, storeWriteOf, type StoreWrite } from './store.js';
import type { StoreWriterInit, StoreWriterReply, StoreWriterTask } from './store-writer.js';
import { nlpVersion, parseVersion } from './version.js';
import { hashFile } from './run-fingerprint.js';
import type { FileHandlerInit } from './file-handler.js';
import type { BatchFileResult, BatchTask, FileIdentity, WireFile } from './types.js';
import { narrativesOf, unpackPrepared, withLazyReports } from './prepared.js';
import type { NarrativeSource, Statement } from '../model/types.js';
import { narrativeSource } from '../analyze/digest.js';

export interface BatchRunOptions {
  /** Worker threads (default: number of cores). */
  jobs?: number;
  /** false bypasses the store entirely (--no-cache). */
  cache?: boolean;
  /** Store file (default: <out>/.ogi-cache.sqlite when `out` is given, else no store). */
  store?: string;
  out?: string;
  /** Run the NLP stage too (statements); its options. null/undefined: parse only. */
  nlp?: FileHandlerInit['nlp'];
  /**
   * With `nlp`: compute statements here in the main thread with these models instead of in the workers
   * (workers then only parse). Statements are stored and reused either way.
   */
  mainNlp?: { statements(report: NarrativeSource): Statement[] };
  /**
   * Workers send each report's digest and section 五 (ReportNarrative) with its text, so a themes or
   * report run reads those instead of parsing every record's JSON in the main thread.
   */
  narratives?: boolean;
  /** Per-file size limit in bytes (passed to processFile; also: larger files are never hashed). */
  maxBytes?: number;
  /** Per-file time limit (ms) in the worker; an overdue worker is replaced. */
  timeoutMs?: number;
  /** Where warnings go (default: stderr). */
  warn?: (message: string) => void;
  /** Pool handler module (tests and benchmarks may substitute one). Default: file-handler. */
  handler?: string | URL;
}

export interface BatchItem {
  result: BatchFileResult;
  /** Answered from the store without parsing. */
  cached: boolean;
  /** Wall time spent on this file (ms). */
  ms: number;
  /** The file's identity as hashed for the store (undefined without a store or when unreadable). */
  identity?: FileIdentity;
}

export interface BatchStats {
  files: number;
  cached: number;
  parsed: number;
  failed: number;
  /** Set once the run is over. */
  seconds: number;
  warnings: string[];
  /** Worker threads started (0 when none was needed); at most the jobs asked for. */
  workers: number;
}


const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
/** Files being identified (stat and hash) at once ahead of the pool. */
const IDENTIFY_AHEAD = 16;
/** Store writes are grouped: one transaction per this many parsed files. */
const WRITE_BATCH = 64;

/** A file on its way through the run: its store identity and, for a cache hit, the stored result. */
type FileTask = BatchTask & {
  identity?: FileIdentity;
  hit?: BatchFileResult;
  /** Not hashed here (no stored result could match): the worker's identity of the bytes it read is stored. */
  identifyByWorker?: boolean;
};

/**
 * What a worker sends back: the file handler sends a WireFile (reports rendered as text, see
 * prepared.ts); a substituted handler may send a BatchFileResult as JSON text or as plain objects.
 */
type WireResult = WireFile | BatchFileResult | string;

function isWireFile(v: WireFile | BatchFileResult): v is WireFile {
  return (v as WireFile).bytes instanceof Uint8Array && !Object.prototype.hasOwnProperty.call(v, 'reports');
}

function fromWire(v: WireResult): BatchFileResult {
  if (typeof v === 'string') return JSON.parse(v) as BatchFileResult;
  if (!isWireFile(v)) return v;
  const { prepared, bytes } = unpackPrepared(v);
  // Records stay unparsed until someone reads `reports`.
  const result = withLazyReports({ manifest: v.manifest, prepared, preparedBytes: bytes, source: v.source } as Omit<BatchFileResult, 'reports'>, prepared);
  if (v.statements !== undefined) result.statements = JSON.parse(v.statements) as Statement[];
  return result;
}

function failedResult(path: string, message: string): BatchFileResult {
  return { manifest: { path, status: 'failed', reports: 0, message }, reports: [] };
}

/**
 * A batch run. Iterate `results(paths)` once; read `stats` afterwards; always `close()` (also on error).
 */
export class BatchRun {
  readonly stats: BatchStats = { files: 0, cached: 0, parsed: 0, failed: 0, seconds: 0, warnings: [], workers: 0 };
  private pool: WorkerPool<FileTask, WireResult> | null = null;
  private readonly store: BatchStore | null;
  private readonly opts: BatchRunOptions;
  private readonly withStatements: boolean;
  /**
   * Cache hits are read and rendered by the workers (StoreReader), not in the main thread: in an
   * incremental run the main thread writes the outputs while the workers, idle for hits otherwise, do
   * the reading. Not with NLP in the workers (an all-hit run would load their dictionaries for nothing)
   * nor with a substituted handler (it knows nothing of stored tasks).
   */
  private readonly workerReads: boolean;
  private writer: WriterThread | null = null;
  /** A worker could not read the store: the main thread reads hits for the rest of the run. */
  private workerReadsFailed = false;

  private constructor(opts: BatchRunOptions, store: BatchStore | null) {
    this.opts = opts;
    this.store = store;
    this.withStatements = !!opts.nlp;
    this.workerReads = store !== null && opts.handler === undefined && !(opts.nlp && !opts.mainNlp);
    if (store) this.stats.warnings.push(...store.warnings);
  }

  static open(opts: BatchRunOptions): BatchRun {
    const storePath = opts.store ?? (opts.out ? join(opts.out, '.ogi-cache.sqlite') : undefined);
    let store: BatchStore | null = null;
    if (opts.cache !== false && storePath) {
      store = BatchStore.open(storePath, {
        parseVersion: parseVersion(),
        nlpVersion: opts.nlp ? nlpVersion(opts.nlp) : undefined,
        warn: opts.warn,
      });
    }
    return new BatchRun(opts, store);
  }

  /** Workers are started lazily: a fully cached re-run never pays the dictionary load. */
  private async ensurePool(): Promise<WorkerPool<FileTask, WireResult>> {
    if (!this.pool) {
      const init: FileHandlerInit = {
        parse: { maxBytes: this.opts.maxBytes, timeoutMs: this.opts.timeoutMs },
        nlp: this.opts.mainNlp ? null : (this.opts.nlp ?? null),
        narratives: this.opts.narratives,
      };
      if (this.workerReads && this.store) {
        init.store = { path: this.store.path, parseVersion: this.store.parseVersion, nlpVersion: this.store.nlpVersion };
      }
      this.pool = await WorkerPool.start({
        handler: this.opts.handler ?? new URL(import.meta.url.endsWith('.ts') ? './file-handler.ts' : './file-handler.js', import.meta.url),
        init,
        jobs: this.opts.jobs ?? defaultJobs(),
        // The worker enforces timeoutMs itself where it can; this is the backstop for a stuck thread.
        timeoutMs: (this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) * 2,
      });
      this.stats.workers = this.pool.jobs;
    }
    return this.pool;
  }

  /**
   * The store's identity of a file, or undefined when it cannot or should not be cached, or when the
   * store holds nothing that could match (`hashHere` false: the worker's identity serves instead).
   */
  private async identify(path: string, hashHere: boolean): Promise<FileIdentity | undefined> {
    if (!this.store || !hashHere) return undefined;
    try {
      const st = await stat(path);
      if (!st.isFile() || st.size > (this.opts.maxBytes ?? DEFAULT_MAX_BYTES)) return undefined;
      const known = this.store.knownHash(path, st.size, st.mtimeMs);
      return { path, size: st.size, mtimeMs: st.mtimeMs, hash: known ?? (await hashFile(path, st.size)) };
    } catch {
      return undefined; // unreadable: let processFile report it
    }
  }

  /** Results in input order, one per path. */
  async *results(paths: Iterable<string> | AsyncIterable<string>): AsyncGenerator<BatchItem> {
    const t0 = performance.now();
    const store = this.store;
    const pendingWrites: { identity: FileIdentity; result: BatchFileResult }[] = [];
    const pendingTouches: { identity: FileIdentity; manifest: BatchFileResult['manifest'] }[] = [];
    // Each list goes to the store once it is full (touches are small: 8× as many), and the rest at the
    // end. Hits write too when their statements were recomputed (the NLP setup changed).
    // Once a run has a full batch to write, the writes go to a thread of their own (WriterThread); a
    // small run writes its few results here rather than start one.
    const flush = async (all = false) => {
      if (!store) return;
      const writes = pendingWrites.length && (all || pendingWrites.length >= WRITE_BATCH) ? pendingWrites.splice(0) : [];
      const touches = pendingTouches.length && (all || pendingTouches.length >= WRITE_BATCH * 8) ? pendingTouches.splice(0) : [];
      if (!writes.length && !touches.length) return;
      if (!this.writer && writes.length >= WRITE_BATCH) this.writer = new WriterThread(store);
      if (this.writer) {
        await this.writer.send({ writes: writes.map(({ identity, result }) => detached(storeWriteOf(identity, result))), touches });
      } else {
        if (writes.length) store.putMany(writes);
        if (touches.length) store.touchMany(touches);
      }
    };

    // Identify files (hash) and answer cache hits ahead of the pool, in input order. Hashing waits on
    // the disk: with one file at a time the workers starved (100k first run: 337 s with the store,
    // 117 s without), so IDENTIFY_AHEAD files are in flight.
    const self = this;
    // Reading and hashing every input in the main thread only pays when a stored result may match.
    // A file the worker will not read (skipped by its name) brings back no identity: it is hashed here
    // all the same, so that a re-run answers it from the store without starting the workers.
    const storeHasResults = store?.hasCurrentResults() ?? false;
    const hashHere = (path: string) => storeHasResults || classifyPath(path).kind === 'skip';
    const task = (path: string, here: boolean, identity: FileIdentity | undefined): FileTask => {
      if (store && !here) return { path, identifyByWorker: true };
      if (identity && store && self.workerReads && !self.workerReadsFailed) {
        // Only whether it is a hit is decided here; a worker reads it (statements stale after an NLP
        // change: the parse only, the statements are recomputed in emit).
        const full = store.has(identity, self.withStatements);
        const parseOnly = !full && self.withStatements && !!self.opts.mainNlp && store.has(identity, false);
        if (!full && !parseOnly) return { path, identity };
        const { size, mtimeMs, hash } = identity;
        return { path, identity, stored: { identity: { size, mtimeMs, hash }, statements: full && self.withStatements } };
      }
      let hit = identity && store ? store.get(identity, self.withStatements) : undefined;
      if (!hit && identity && store && self.withStatements && self.opts.mainNlp) {
        // Parse cached, statements stale (NLP changed): reuse the parse, redo only the statements.
        hit = store.get(identity, false);
      }
      return { path, identity, hit };
    };
    async function* tasks(): AsyncGenerator<FileTask> {
      const ahead: { path: string; here: boolean; identity: Promise<FileIdentity | undefined> }[] = [];
      for await (const path of paths) {
        const here = hashHere(path);
        ahead.push({ path, here, identity: self.identify(path, here) });
        if (ahead.length < IDENTIFY_AHEAD) continue;
        const next = ahead.shift()!;
        yield task(next.path, next.here, await next.identity);
      }
      for (const next of ahead) yield task(next.path, next.here, await next.identity);
    }

    // Lazily start the pool only when the first miss arrives: peek through the task stream.
    const source = tasks();
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) break;
        const first = step.value;
        if (first.hit) {
          // All hits so far: answer without starting any worker.
          yield this.emit(first, first.hit, true, 0, pendingWrites, pendingTouches);
          await flush();
          continue;
        }
        // First miss: from here on everything goes through the pool's ordered map (hits via shortcut).
        const pool = await this.ensurePool();
        async function* rest(): AsyncGenerator<FileTask> {
          yield first;
          yield* source;
        }
        const ordered: AsyncGenerator<PoolResult<FileTask, WireResult>> = pool.map(rest(), { shortcut: (t) => t.hit });
        for await (const r of ordered) {
          const value = r.ok ? fromWire(r.value) : failedResult(r.task.path, r.error);
          // A stored task the worker answered from the store (it parses one whose result has gone).
          const wire = r.ok && typeof r.value === 'object' && isWireFile(r.value) ? r.value : null;
          const fromStore = wire?.cached === true;
          if (wire?.storeError) this.workerReadFailed(wire.storeError);
          yield this.emit(r.task, value, r.cached || fromStore, r.ms, pendingWrites, pendingTouches);
          await flush();
        }
        break;
      }
      await flush(true);
      await this.writer?.drain();
    } finally {
      // A consumer that stops early closes the input stream too (no more files identified).
      await source.return(undefined);
      this.stats.seconds = (performance.now() - t0) / 1000;
      if (store) this.stats.warnings = [...store.warnings];
    }
  }

  /** A worker's read of the store failed (its file was parsed): damage stops the store, else a warning. */
  private workerReadFailed(error: NonNullable<WireFile['storeError']>): void {
    if (this.workerReadsFailed || !this.store) return;
    this.workerReadsFailed = true;
    const err = Object.assign(new Error(error.message), { code: error.code });
    if (isCorruption(err)) this.store.markSuspect(err);
    else this.store.note(`store ${this.store.path} could not be read in a worker (${error.message}); its results are read in the main thread for the rest of this run`);
  }

  private emit(
    task: FileTask,
    result: BatchFileResult,
    cached: boolean,
    ms: number,
    writes: { identity: FileIdentity; result: BatchFileResult }[],
    touches: { identity: FileIdentity; manifest: BatchFileResult['manifest'] }[],
  ): BatchItem {
    let freshStatements = false;
    if (this.withStatements && this.opts.mainNlp && !result.statements) {
      const nlp = this.opts.mainNlp;
      // From the workers' narratives when every report has one: `reports` (a lazy parse of each
      // record's JSON) is not read, and the result is not spread, which would read it.
      const sources = narrativesOf(result.prepared)?.map(narrativeSource) ?? result.reports;
      result.statements = sources.flatMap((r) => nlp.statements(r));
      freshStatements = true;
    }
    this.stats.files++;
    if (cached) this.stats.cached++;
    else this.stats.parsed++;
    if (result.manifest.status === 'failed') this.stats.failed++;
    // The worker read the file after the store identified it: if the bytes changed in between, the
    // result belongs to the worker's hash, and the store's identity would file it under the old one.
    const changed = !cached && result.source !== undefined && task.identity !== undefined && result.source.hash !== task.identity.hash;
    const identity = task.identifyByWorker && result.source
      ? { path: task.path, size: result.source.size, mtimeMs: result.source.mtimeMs, hash: result.source.hash }
      : changed ? undefined : task.identity;
    // A failure may be transient (timeout, crash, locked file): never cache it.
    if (identity && this.store && result.manifest.status !== 'failed') {
      // New parse, or a cached parse that just got statements: store it; else only note the path.
      if (!cached || freshStatements) writes.push({ identity, result });
      else touches.push({ identity, manifest: result.manifest });
    }
    return { result, cached, ms, identity };
  }

  async close(): Promise<void> {
    if (this.pool) await this.pool.close();
    this.pool = null;
    // Writes already sent are finished first (a consumer that stopped early still has its results stored).
    await this.writer?.close();
    this.writer = null;
    this.store?.close();
  }
}

/**
 * A result's rows with the JSON bytes in buffers of their own: a worker's bytes are views into the
 * whole file's output text, which posting them would copy whole.
 */
function detached(write: StoreWrite): StoreWrite {
  return { ...write, reports: write.reports.map((r) => (typeof r.json === 'string' ? r : { ...r, json: new Uint8Array(r.json) })) };
}

/** Writes in flight at once: enough to keep the writer busy, few enough to bound memory. */
const WRITES_IN_FLIGHT = 2;

/**
 * The run's store writes on a thread of their own (store-writer.ts), in order, at most
 * WRITES_IN_FLIGHT batches ahead. A write that fails fails the run at the next send or at drain, as a
 * write in the main thread would; damage met there stops the run's use of the store (markSuspect).
 */
class WriterThread {
  private pool: Promise<WorkerPool<StoreWriterTask, StoreWriterReply> | null> | null = null;
  private readonly inFlight: Promise<void>[] = [];
  private failure: unknown = null;

  constructor(private readonly store: BatchStore) {}

  async send(task: StoreWriterTask): Promise<void> {
    this.check();
    if (this.store.isSuspect) return;
    this.pool ??= WorkerPool.start<StoreWriterInit, StoreWriterTask, StoreWriterReply>({
      handler: new URL(import.meta.url.endsWith('.ts') ? './store-writer.ts' : './store-writer.js', import.meta.url),
      init: { path: this.store.path, parseVersion: this.store.parseVersion, nlpVersion: this.store.nlpVersion },
      jobs: 1,
      // A writer waits on another run's transaction (busy timeout 30 s) but never hangs on a file.
      timeoutMs: 30 * 60_000,
    }).catch((err: unknown) => {
      // The thread could not start (or open the store): the writes stay in the main thread.
      this.store.note(`store writer thread unavailable (${err instanceof Error ? err.message : String(err)}); the store is written in the main thread`);
      return null;
    });
    const pool = await this.pool;
    if (!pool) {
      if (task.writes.length) this.store.putWrites(task.writes);
      if (task.touches.length) this.store.touchMany(task.touches);
      return;
    }
    while (this.inFlight.length >= WRITES_IN_FLIGHT) await this.inFlight.shift();
    this.check();
    // Handled at once (kept as `failure`): a rejection must not go unhandled while it waits its turn.
    this.inFlight.push(
      pool.run(task).then(
        (reply) => this.received(reply),
        (err: unknown) => {
          this.failure ??= err;
        },
      ),
    );
  }

  /** Waits for every write sent; throws the first that failed. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
    this.check();
  }

  /**
   * Stops the thread once the writes sent are done (or failed): results already handed to the
   * consumer are stored even when the run ends early.
   */
  async close(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0));
    const pool = this.pool;
    this.pool = null;
    if (pool) await (await pool)?.close();
  }

  private check(): void {
    if (this.failure !== null) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
  }

  private received(reply: StoreWriterReply): void {
    if (reply.suspect) this.store.stopForRun(reply.warnings.join('; ') || `store ${this.store.path} is damaged; not used for the rest of this run`);
    else for (const w of reply.warnings) this.store.note(w);
  }
}

/** Convenience: run every path and collect the results (small corpora, tests). */
export async function runBatchAll(paths: string[], opts: BatchRunOptions): Promise<{ items: BatchItem[]; stats: BatchStats }> {
  const run = BatchRun.open(opts);
  const items: BatchItem[] = [];
  try {
    for await (const item of run.results(paths)) items.push(item);
  } finally {
    await run.close();
  }
  return { items, stats: run.stats };
}
