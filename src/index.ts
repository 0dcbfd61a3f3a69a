/**
 * ogi-lens as a library. Each stage is usable on its own:
 *
 *   import { ingest, parse, validate, nlp, analyze, render, audit, io, runReport } from 'ogi-lens';
 *   const { reports } = parse.parseText(text);
 *   const findings = validate.validateReport(reports[0]);
 *
 * Stages are namespaces (their modules share a few helper names, e.g. agencyKey); the record types
 * and the most used entry points are also exported at the top level. This file is the whole public
 * API: package.json's "exports" admits no deep import, so a module's exports that its stage's index
 * does not re-export (helpers shared inside a stage, or exported for its tests) are internal.
 */
export * from './model/types.js';
export * from './model/keys.js';
export { reportId, sha256 } from './model/id.js';

export * as ingest from './ingest/index.js';
export * as parse from './parse/index.js';
export * as validate from './validate/index.js';
export * as nlp from './nlp/index.js';
export * as analyze from './analyze/index.js';
export * as render from './render/index.js';
export * as audit from './audit/index.js';
export * as synth from './synth/index.js';
export * as io from './io/index.js';

// Pipeline commands (what `ogi parse|themes|report|audit` run) and their options.
export * from './pipeline/options.js';
export {
  processFile,
  runParse,
  sequentialExecutor,
  manifestRow,
  CELLS_COLUMNS,
  FINDINGS_COLUMNS,
  MANIFEST_COLUMNS,
  PARSE_OUTPUTS,
  type FileResult,
  type FileExecutor,
  type ProcessOptions,
  type ParseRun,
  type ParseProgress,
  type RunParseOptions,
  type RunSummary,
  type IdentifiedInput,
} from './pipeline/parse.js';
export { runThemes, type ThemesRun, type RunThemesOptions } from './pipeline/themes.js';
export { runReport, type ReportRun, type RunReportOptions } from './pipeline/report.js';
export { runAudit, writeAuditOutputs, type AuditRun, type RunAuditOptions } from './pipeline/audit.js';
export {
  commandFingerprint,
  type CommandFingerprint,
  type FingerprintedCommand,
  type FingerprintOptions,
} from './pipeline/fingerprint.js';

// Batch: worker pool, incremental store, export.
export { createBatchExecutor, batchHooks, type BatchExecutor, type BatchExecutorOptions } from './batch/executor.js';
export { BatchStore } from './batch/store.js';
export { WorkerPool } from './batch/pool.js';
export { runExport, type ExportOptions, type ExportSummary } from './batch/export.js';

// The most used stage entry points, flat.
export { readInput, listInputs, type IngestOptions, type IngestResult, type ListInputsOptions } from './ingest/index.js';
export { parseDocument, parseText, extractProseFigures, type ParsedDocument, type ProseFigure } from './parse/index.js';
export { validateReport, validateCorpus, RULES, type Rule, type CorpusFinding } from './validate/index.js';
export { createNlp, type Nlp, type NlpOptions } from './nlp/index.js';
export { main as cliMain } from './cli/main.js';
