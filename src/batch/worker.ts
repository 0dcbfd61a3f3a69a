/**
 * Worker-thread entry of the batch pool (src/batch/pool.ts).
 *
 * The pool names a handler module in workerData; this entry imports it once, calls its `init` once
 * (that is where a handler loads nodejieba's dictionary, ~1.5 s, so it must happen once per worker, not
 * per file) and then answers task messages with `handle(task)`. A task that throws becomes an error
 * message for that task only; the worker carries on with the next one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerRequest, WorkerReply, WorkerBoot, TaskHandlerModule } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('src/batch/worker.ts must run inside a worker thread');

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

async function main(): Promise<void> {
  const boot = workerData as WorkerBoot;
  let handler: TaskHandlerModule<unknown, unknown, unknown>;
  try {
    handler = (await import(boot.handler)) as TaskHandlerModule<unknown, unknown, unknown>;
    if (typeof handler.handle !== 'function') throw new Error(`${boot.handler} exports no handle(task) function`);
    if (typeof handler.init === 'function') await handler.init(boot.init);
  } catch (err) {
    port!.postMessage({ type: 'init-error', error: errorText(err) } satisfies WorkerReply);
    return;
  }
  // The pool may send the next task before this one is done: run them one after another, in order.
  let previous: Promise<void> = Promise.resolve();
  port!.on('message', (msg: WorkerRequest) => {
    previous = previous.then(() => answer(msg));
  });
  async function answer(msg: WorkerRequest): Promise<void> {
    let reply: WorkerReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const value = await handler.handle(msg.task);
      reply = { type: 'result', id: msg.id, value };
      if (typeof handler.transferList === 'function') transfer = handler.transferList(value);
    } catch (err) {
      reply = { type: 'error', id: msg.id, error: errorText(err) };
    }
    try {
      port!.postMessage(reply, transfer);
    } catch (err) {
      // A result that cannot be cloned fails its task only; the chain of tasks goes on.
      port!.postMessage({ type: 'error', id: msg.id, error: `result not transferable: ${errorText(err)}` } satisfies WorkerReply);
    }
  }
  port!.postMessage({ type: 'ready' } satisfies WorkerReply);
}

void main();
