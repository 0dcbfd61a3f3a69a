import type { ManifestRow, ReportRecord, Statement } from '../model/types.js';

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
}

/** What a batch worker is asked to do with one file. */
export interface BatchTask {
  path: string;
}

/** Identity of one input file's bytes as the store sees them. */
export interface FileIdentity {
  path: string;
  /** sha256 of the bytes (hex). */
  hash: string;
  size: number;
  mtimeMs: number;
}
