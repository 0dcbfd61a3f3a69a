import type { InputFileIdentity } from '../ingest/read.js';
import type { ManifestRow, ReportRecord, Statement } from '../model/types.js';
import type { PackedReports, PreparedBytes, PreparedReport } from './prepared.js';

/**
 * What one input file yields in a batch run: its manifest row, its reports and, when the run includes
 * the NLP stage, the statements of those reports (boilerplate left null: it depends on the whole corpus
 * and is marked after the run). Plain data, so it crosses thread boundaries and sits in the store.
 * Structurally the pipeline's FileResult plus optional statements.
 */
export interface BatchFileResult {
  manifest: ManifestRow;
  reports: ReportRecord[];
  statements?: Statement[];
  /**
   * The reports rendered for the outputs, when a worker parsed the file (then `reports` is a lazy
   * getter over their JSON). Absent for a store hit.
   */
  prepared?: PreparedReport[];
  /** With `prepared` from a worker: the file's output text, encoded (see PreparedBytes). */
  preparedBytes?: PreparedBytes;
  /** Size, mtime and hash of the bytes the worker read (absent for a store hit or an unreadable file). */
  source?: InputFileIdentity;
}

/**
 * What the file handler sends back from a worker: the manifest row, each report rendered and packed
 * as UTF-8 (PackedReports: moved, not copied) and, when the workers run the NLP stage, the statements
 * as JSON text.
 */
export interface WireFile extends PackedReports {
  manifest: ManifestRow;
  statements?: string;
  source?: InputFileIdentity;
  /** Read from the store (BatchTask.stored), not parsed. */
  cached?: boolean;
  /** The store could not be read for BatchTask.stored (the file was parsed instead): what went wrong. */
  storeError?: { message: string; code?: string };
}

/** What a batch worker is asked to do with one file. */
export interface BatchTask {
  path: string;
  /**
   * The store holds a current result for these bytes: read it from there (with its statements when
   * `statements`) instead of parsing, and parse only if it has gone by then.
   */
  stored?: { identity: InputFileIdentity; statements: boolean };
}

/** Identity of one input file's bytes as the store sees them: readInput's identity and the path. */
export interface FileIdentity extends InputFileIdentity {
  path: string;
}
