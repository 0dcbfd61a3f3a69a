/**
 * The pool handler of the store-writer thread: a run's store writes (StoreWrite rows and `files`
 * touches) go through it, so SQLite's work on them (~0.45 ms a parsed report: the record's ~18 KB of
 * JSON, its findings and statements, and their index entries) leaves the main thread, which on a first
 * run is the one the parse workers wait on. One thread, one connection: the writes stay in run order.
 */
import { BatchStore, type StoreVersions, type StoreWrite } from './store.js';
import type { FileIdentity } from './types.js';
import type { ManifestRow } from '../model/types.js';

export interface StoreWriterInit extends StoreVersions {
  path: string;
}

/** One batch of writes, each list in one transaction. */
export interface StoreWriterTask {
  writes: StoreWrite[];
  touches: { identity: FileIdentity; manifest: ManifestRow }[];
}

export interface StoreWriterReply {
  /** Warnings raised since the last reply (a damaged page met while writing). */
  warnings: string[];
  /** The store met a damaged page: the run should stop using it. */
  suspect: boolean;
}

let store: BatchStore | null = null;
let warnings: string[] = [];

export function init(options: StoreWriterInit): void {
  // The main thread opened (and checked) the store already: no second quick_check, and a failure to
  // open is an error here, never a reason to move the file the main thread is using aside.
  store = BatchStore.open(options.path, {
    parseVersion: options.parseVersion,
    nlpVersion: options.nlpVersion ?? undefined,
    verify: false,
    rebuild: false,
    warn: (message) => warnings.push(message),
  });
}

export function handle(task: StoreWriterTask): StoreWriterReply {
  if (!store) throw new Error('store writer used before init()');
  if (task.writes.length) store.putWrites(task.writes);
  if (task.touches.length) store.touchMany(task.touches);
  const reply = { warnings, suspect: store.isSuspect };
  warnings = [];
  return reply;
}
