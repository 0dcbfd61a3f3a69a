/**
 * The pool handler that runs the real pipeline on one input file inside a worker:
 * processFile (ingest → parse → validate, src/pipeline/parse.ts) and, for themes/report/audit runs,
 * the NLP stage's statements (src/nlp). nlp is created once per worker in init() (dictionary load).
 */
import type { ManifestRow, ReportRecord, Statement } from '../model/types.js';
import type { BatchFileResult, BatchTask } from './types.js';

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
}

type ProcessFile = (path: string, opts: FileHandlerInit['parse']) => Promise<{ manifest: ManifestRow; reports: ReportRecord[] }>;
interface NlpLike {
  statements(report: ReportRecord): Statement[];
}
type CreateNlp = (opts?: FileHandlerInit['nlp']) => Promise<NlpLike>;

// Same extension as this module: .ts under tsx, .js when built.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

let processFile: ProcessFile | null = null;
let nlp: NlpLike | null = null;
let parseOpts: FileHandlerInit['parse'] = {};

export async function init(options: FileHandlerInit): Promise<void> {
  parseOpts = options.parse ?? {};
  const pipeline = (await import(new URL(`../pipeline/parse${ext}`, import.meta.url).href)) as { processFile: ProcessFile };
  processFile = pipeline.processFile;
  if (options.nlp) {
    const nlpModule = (await import(new URL(`../nlp/index${ext}`, import.meta.url).href)) as { createNlp: CreateNlp };
    nlp = await nlpModule.createNlp(options.nlp);
  }
}

/** The file's result as JSON text: the cheapest form to hand to the main thread (see run.ts fromWire). */
export async function handle(task: BatchTask): Promise<string> {
  if (!processFile) throw new Error('file handler used before init()');
  const file = await processFile(task.path, parseOpts);
  const result: BatchFileResult = { manifest: file.manifest, reports: file.reports };
  if (nlp) result.statements = file.reports.flatMap((r) => nlp!.statements(r));
  return JSON.stringify(result);
}
