/** Messages between the batch pool (main thread) and its workers. Kept small: one task, one result. */

/** What a handler module (named by URL in PoolOptions.handler) must export. */
export interface TaskHandlerModule<Init, Task, Result> {
  /** Called once per worker before the first task (load dictionaries, models …). */
  init?(options: Init): void | Promise<void>;
  /** Called once per task; the result must be structured-cloneable (plain data). */
  handle(task: Task): Result | Promise<Result>;
  /**
   * Buffers of a result to move to the main thread instead of copying (they become unusable in the
   * worker): e.g. the encoded output text of a file.
   */
  transferList?(result: Result): ArrayBuffer[];
}

/** workerData of every pool worker. */
export interface WorkerBoot {
  /** file:// URL of the handler module. */
  handler: string;
  init: unknown;
}

export interface WorkerRequest {
  id: number;
  task: unknown;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'init-error'; error: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: string };
