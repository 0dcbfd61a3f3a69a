/**
 * The pool handler that runs the real pipeline on one input file inside a worker:
 * processFile (ingest → parse → validate, src/pipeline/parse.ts) and, for themes/report/audit runs,
 * the NLP stage's statements (src/nlp). nlp is created once per worker in init() (dictionary load).
 */
import type { ReportNarrative } from '../analyze/digest.js';
import type { ManifestRow, NarrativeSource, ReportRecord, Statement } from '../model/types.js';
import { packPrepared, type PreparedReport } from './prepared.js';
import type { BatchFileResult, BatchTask, WireFile } from './types.js';
import type { StoreReader, StoreVersions } from './store.js';

/** Options every worker gets once. */
export interface FileHandlerInit {
  /** Options passed to processFile (per-file size and time limits). */
  parse: { maxBytes?: number; timeoutMs?: number };
  /** NLP options (as src/nlp createNlp takes them), or null for a parse-only run. */
  nlp: {
    taxonomyPath?: string;
    words?: string[];
    dictPath?: string;
    stopwords?: string[];
    stopwordsPath?: string;
  } | null;
  /** Send each report's ReportNarrative with its text (themes, report: the main thread then parses no record). */
  narratives?: boolean;
  /** The run's store and versions, for tasks the store can answer (BatchTask.stored). */
  store?: { path: string } & StoreVersions;
}

type ProcessFile = (
  path: string,
  opts: FileHandlerInit['parse'] & { blockingIo?: boolean },
) => Promise<{ manifest: ManifestRow; reports: ReportRecord[]; source?: WireFile['source'] }>;
type PrepareReport = (r: ReportRecord) => PreparedReport;
interface NlpLike {
  statements(report: NarrativeSource): Statement[];
}
type CreateNlp = (opts?: FileHandlerInit['nlp']) => Promise<NlpLike>;

// Same extension as this module: .ts under tsx, .js when built.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

let processFile: ProcessFile | null = null;
let prepareReport: PrepareReport | null = null;
let nlp: NlpLike | null = null;
let narrativeOf: ((r: ReportRecord) => ReportNarrative) | null = null;
let parseOpts: FileHandlerInit['parse'] = {};
let openReader: (() => StoreReader) | null = null;
let reader: StoreReader | null = null;

export async function init(options: FileHandlerInit): Promise<void> {
  parseOpts = options.parse ?? {};
  const pipeline = (await import(new URL(`../pipeline/parse${ext}`, import.meta.url).href)) as { processFile: ProcessFile; prepareReport: PrepareReport };
  processFile = pipeline.processFile;
  prepareReport = pipeline.prepareReport;
  if (options.narratives) {
    narrativeOf = ((await import(new URL(`../analyze/digest${ext}`, import.meta.url).href)) as { narrativeOf: typeof narrativeOf }).narrativeOf;
  }
  reader?.close();
  reader = null;
  openReader = null;
  if (options.store) {
    const { path, parseVersion, nlpVersion } = options.store;
    const { StoreReader } = (await import(new URL(`./store${ext}`, import.meta.url).href)) as typeof import('./store.js');
    openReader = () => new StoreReader(path, { parseVersion, nlpVersion });
  }
  if (options.nlp) {
    const nlpModule = (await import(new URL(`../nlp/index${ext}`, import.meta.url).href)) as { createNlp: CreateNlp };
    nlp = await nlpModule.createNlp(options.nlp);
  }
}

/**
 * The file's result with every report already rendered for the outputs and encoded (see prepared.ts):
 * the main thread appends these bytes and parses a record's JSON only if someone asks for the record.
 */
export async function handle(task: BatchTask): Promise<WireFile> {
  if (!processFile || !prepareReport) throw new Error('file handler used before init()');
  const { hit, error } = storedHit(task);
  // Blocking reads: this thread has nothing else to do while the file is read.
  const file = hit ?? (await processFile(task.path, { ...parseOpts, blockingIo: true }));
  // Statements first, then the text: as in the main thread, the record is serialised last.
  const statements = hit?.statements ?? (nlp ? file.reports.flatMap((r) => nlp!.statements(r)) : undefined);
  const prepared = file.reports.map(prepareReport);
  if (narrativeOf) {
    for (let i = 0; i < prepared.length; i++) {
      try {
        prepared[i].narrative = narrativeOf(file.reports[i]);
      } catch {
        // Left unset: the main thread then builds it from the record and reports what goes wrong there.
      }
    }
  }
  const wire: WireFile = { manifest: file.manifest, ...packPrepared(prepared), source: hit ? undefined : file.source };
  if (statements) wire.statements = JSON.stringify(statements);
  if (hit) wire.cached = true;
  if (error) wire.storeError = error;
  return wire;
}

/**
 * The stored result a task points at; no hit when none was asked or it has gone since. A store that
 * cannot be read costs the file a parse, never its result; the error goes back to the main thread,
 * which warns (or, for damage, stops using the store: BatchStore.markSuspect).
 */
function storedHit(task: BatchTask): { hit?: BatchFileResult; error?: WireFile['storeError'] } {
  if (!task.stored || !openReader) return {};
  try {
    reader ??= openReader();
    return { hit: reader.get({ path: task.path, ...task.stored.identity }, task.stored.statements) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { error: { message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) } };
  }
}

/** The encoded text moves to the main thread instead of being copied. */
export function transferList(wire: WireFile): ArrayBuffer[] {
  return [wire.bytes.buffer as ArrayBuffer];
}
