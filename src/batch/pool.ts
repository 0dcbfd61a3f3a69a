/**
 * A worker_threads pool for the batch pipeline.
 *
 * - Workers start once per run and load their handler once (nodejieba's dictionary costs ~1.5 s and
 *   ~300 MB per worker, so per-file start-up would dominate).
 * - `map()` yields results in input order whatever finishes first, so outputs are deterministic for any
 *   `jobs`, and it pulls at most `window` tasks ahead of the consumer: memory stays bounded however many
 *   inputs there are, and a slow writer slows the readers down (backpressure).
 * - A task that throws, times out, or takes its worker down becomes that task's failed result; a dead
 *   worker is replaced and the run goes on.
 * - Runs both from TypeScript source (through tsx) and from built JavaScript.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { WorkerBoot, WorkerReply } from './protocol.js';

export interface PoolOptions<Init> {
  /** The handler module (file URL or absolute path): see TaskHandlerModule in protocol.ts. */
  handler: string | URL;
  /** Passed to the handler's init() in every worker; must be structured-cloneable. */
  init?: Init;
  /** Worker threads (default: os.availableParallelism()). */
  jobs?: number;
  /** Per-task time limit in ms; the worker running an overdue task is terminated and replaced. */
  timeoutMs?: number;
  /** Most tasks read ahead of the consumer in map() (default: 4 × jobs). */
  window?: number;
  /**
   * Old-generation heap limit of each worker in MB (default WORKER_HEAP_MB). Without one a worker
   * inherits the process default (a quarter of RAM here) and collects lazily: on a 10k run each worker
   * grew by ~80 MB of garbage. A file too big for the limit fails alone, like any worker crash.
   */
  maxHeapMb?: number;
}

/** Default old-generation limit of a pool worker: far above what the largest accepted file needs. */
export const WORKER_HEAP_MB = 1024;

export type PoolResult<Task, Result> =
  | { index: number; task: Task; ok: true; value: Result; cached: boolean; ms: number }
  | { index: number; task: Task; ok: false; error: string; cached: false; ms: number };

export interface MapOptions<Task, Result> {
  /**
   * Tried in the main thread before a task is sent to a worker (e.g. a store lookup). A value other than
   * undefined is the task's result and no worker is used.
   */
  shortcut?: (task: Task, index: number) => Result | undefined | Promise<Result | undefined>;
}

interface Job {
  id: number;
  task: unknown;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Jobs sent to this worker, oldest first: the first runs, the next waits in the worker. */
  jobs: Job[];
}

/**
 * Jobs a worker holds at once: the one it runs and the next, so it starts that one as soon as it posts
 * a result instead of waiting for the main thread (busy writing outputs) to answer with a new task.
 */
const WORKER_DEPTH = 2;

/** The worker entry next to this module: worker.ts under tsx, worker.js when built. */
function workerEntry(): { url: URL; typescript: boolean } {
  const here = import.meta.url;
  const typescript = /\.[mc]?ts$/.test(new URL(here).pathname);
  return { url: new URL(typescript ? './worker.ts' : './worker.js', here), typescript };
}

function toUrl(spec: string | URL): string {
  if (spec instanceof URL) return spec.href;
  if (/^[a-z]+:\/\//i.test(spec)) return spec;
  return pathToFileURL(spec).href;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Most workers a pool starts: 4 per core (each holds its own parser, ~100 MB; more only thrash). */
export function maxJobs(): number {
  return 4 * defaultJobs();
}

export class WorkerPool<Task, Result> {
  readonly jobs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly boot: WorkerBoot;
  private readonly timeoutMs: number | undefined;
  private readonly window: number;
  private readonly maxHeapMb: number;
  private nextId = 0;
  private closing = false;
  /** Replacement workers started after a crash or timeout (for reports and tests). */
  restarts = 0;

  private constructor(opts: PoolOptions<unknown>) {
    this.jobs = Math.min(maxJobs(), Math.max(1, Math.floor(opts.jobs ?? defaultJobs())));
    this.boot = { handler: toUrl(opts.handler), init: opts.init ?? null };
    this.timeoutMs = opts.timeoutMs;
    this.window = Math.max(this.jobs, opts.window ?? this.jobs * 4);
    this.maxHeapMb = opts.maxHeapMb ?? WORKER_HEAP_MB;
  }

  /** Starts `jobs` workers and waits until every one has run its handler's init(). */
  static async start<Init, Task, Result>(opts: PoolOptions<Init>): Promise<WorkerPool<Task, Result>> {
    const pool = new WorkerPool<Task, Result>(opts as PoolOptions<unknown>);
    try {
      await Promise.all(Array.from({ length: pool.jobs }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Starts one worker; resolves when its handler is initialised, rejects on an init error. */
  private spawn(): Promise<void> {
    const entry = workerEntry();
    const workerData = this.boot;
    const resourceLimits = { maxOldGenerationSizeMb: this.maxHeapMb };
    // Under tsx a .ts worker entry must register tsx's loader inside the worker before importing it.
    const worker = entry.typescript
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); });`,
          { eval: true, workerData, resourceLimits },
        )
      : new Worker(entry.url, { workerData, resourceLimits });
    const slot: Slot = { worker, ready: false, jobs: [] };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: WorkerReply) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          resolve();
          this.pump();
        } else if (msg.type === 'init-error') {
          this.drop(slot);
          void worker.terminate();
          reject(new Error(`worker could not start its handler: ${msg.error}`));
        } else {
          const job = slot.jobs[0];
          if (!job || job.id !== msg.id) return;
          slot.jobs.shift();
          if (job.timer) clearTimeout(job.timer);
          // The worker has moved on to its next job: that one's clock starts now.
          if (slot.jobs.length) this.startTimer(slot, slot.jobs[0]);
          if (msg.type === 'result') job.resolve(msg.value);
          else job.reject(new Error(msg.error));
          this.pump();
        }
      });
      worker.on('error', (err) => this.lost(slot, `worker crashed: ${err.message}`, reject));
      worker.on('exit', (code) => this.lost(slot, `worker exited with code ${code}`, reject));
    });
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  /**
   * A worker died: fail the task it was running, hand the ones waiting in it to other workers, start a
   * replacement (unless it died before ever being ready).
   */
  private lost(slot: Slot, reason: string, rejectStart: (err: Error) => void): void {
    if (!this.slots.includes(slot)) return;
    this.drop(slot);
    const [job, ...waiting] = slot.jobs;
    slot.jobs = [];
    for (const w of waiting) if (w.timer) clearTimeout(w.timer);
    this.queue.unshift(...waiting);
    if (job) {
      if (job.timer) clearTimeout(job.timer);
      job.reject(new Error(reason));
    }
    if (!slot.ready) {
      rejectStart(new Error(reason));
      return;
    }
    if (this.closing) return;
    this.restarts++;
    this.spawn().catch((err: Error) => {
      // Could not replace the worker: fail what waits if no worker is left at all.
      if (this.slots.length === 0) for (const waiting of this.queue.splice(0)) waiting.reject(err);
    });
  }

  /** The per-task time limit of the job a worker has just started. */
  private startTimer(slot: Slot, job: Job): void {
    if (!this.timeoutMs || this.timeoutMs <= 0) return;
    job.timer = setTimeout(() => {
      if (slot.jobs[0] !== job) return;
      // Retire the worker now (fails the job, starts a replacement), then stop the stuck thread.
      this.lost(slot, `timed out after ${Math.round(this.timeoutMs! / 100) / 10} s`, () => undefined);
      void slot.worker.terminate();
    }, this.timeoutMs);
  }

  private pump(): void {
    // Fill every worker's first place before any second one, so work spreads over all workers.
    for (let depth = 1; depth <= WORKER_DEPTH; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (!slot.ready || slot.jobs.length >= depth) continue;
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        if (slot.jobs.length === 1) this.startTimer(slot, job);
        slot.worker.postMessage({ id: job.id, task: job.task });
      }
    }
  }

  /** Runs one task on the next free worker. */
  run(task: Task): Promise<Result> {
    if (this.closing) return Promise.reject(new Error('pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /**
   * Runs every task and yields results in input order. Reads at most `window` tasks ahead of the
   * consumer, so a huge or endless input streams through in bounded memory.
   */
  async *map(
    tasks: Iterable<Task> | AsyncIterable<Task>,
    opts: MapOptions<Task, Result> = {},
  ): AsyncGenerator<PoolResult<Task, Result>> {
    const source = Symbol.asyncIterator in tasks
      ? (tasks as AsyncIterable<Task>)[Symbol.asyncIterator]()
      : (tasks as Iterable<Task>)[Symbol.iterator]();
    const pending = new Map<number, Promise<PoolResult<Task, Result>>>();
    let dispatched = 0;
    let emitted = 0;
    let exhausted = false;
    try {
      for (;;) {
        while (!exhausted && dispatched - emitted < this.window) {
          const step = await source.next();
          if (step.done) {
            exhausted = true;
            break;
          }
          const index = dispatched++;
          pending.set(index, this.settle(step.value, index, opts.shortcut));
        }
        if (emitted === dispatched) return;
        const result = await pending.get(emitted)!;
        pending.delete(emitted);
        emitted++;
        yield result;
      }
    } finally {
      // Consumer stopped early: let in-flight tasks finish quietly (their results are dropped).
      for (const p of pending.values()) p.catch(() => undefined);
      if (!exhausted && typeof source.return === 'function') await source.return();
    }
  }

  private async settle(
    task: Task,
    index: number,
    shortcut: MapOptions<Task, Result>['shortcut'],
  ): Promise<PoolResult<Task, Result>> {
    const t0 = performance.now();
    try {
      if (shortcut) {
        const hit = await shortcut(task, index);
        if (hit !== undefined) return { index, task, ok: true, value: hit, cached: true, ms: performance.now() - t0 };
      }
      const value = await this.run(task);
      return { index, task, ok: true, value, cached: false, ms: performance.now() - t0 };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return { index, task, ok: false, error, cached: false, ms: performance.now() - t0 };
    }
  }

  /** Stops every worker; tasks still queued fail. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('pool is closed'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
