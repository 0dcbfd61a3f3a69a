import type { NlpOptions } from '../nlp/index.js';

/** Options shared by every command that reads inputs (parse, themes, report, audit, export). */
export interface RunOptions {
  /** Output folder. */
  out: string;
  /** Print a JSON run summary to stdout. */
  json?: boolean;
  /** Show a progress bar (default: when stderr is a TTY). */
  progress?: boolean;
  /**
   * Worker threads for parsing and NLP (default: number of cores; at most 4 per core, and no more than
   * there are files). Like `store`, read by batchHooks
   * (src/batch/executor.ts), which the CLI spreads into a command's options; a library call without
   * its `executor` runs in one thread with no store.
   */
  jobs?: number;
  /** False: no store and no run fingerprint (nothing read, hashed or written for a re-run). */
  cache?: boolean;
  /** Path of the store file (default: <out>/.ogi-cache.sqlite); see `jobs`. */
  store?: string;
  /** Per-file size limit in bytes (default 50 MB). */
  maxBytes?: number;
  /** Per-file time limit in milliseconds (default 60 s). */
  timeoutMs?: number;
}

/** Options of the NLP stage (themes, report, audit). */
export interface NlpRunOptions {
  /** Replace the shipped taxonomy (a JSON data file; comments allowed; see README). */
  taxonomy?: string;
  /** Extra words for the segmenter, given on the command line. */
  words?: string[];
  /** A user dictionary file (one word per line, optional frequency and tag). */
  dict?: string;
  /** Extra stopwords given on the command line. */
  stopwords?: string[];
  /** A stopword file, one per line. */
  stopwordsFile?: string;
  /**
   * Segment and classify in the worker threads instead of the main thread (--nlp-workers). Each worker
   * then loads its own dictionary (~250 MB); see README "Scale" for when it pays.
   */
  nlpInWorkers?: boolean;
}

/** Options of the analysis stage (report, audit). */
export interface AnalyzeOptions {
  by?: 'year' | 'level' | 'region' | 'template';
  since?: number;
  until?: number;
  /** Filter expression, e.g. "level=county" or "region~浙江". */
  filter?: string[];
  /** CSV mapping agency → group (audit). */
  groups?: string;
}

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The NLP options of a command's flags, as createNlp takes them. */
export function nlpOptionsOf(opts: NlpRunOptions): NlpOptions {
  return { taxonomyPath: opts.taxonomy, words: opts.words, dictPath: opts.dict, stopwords: opts.stopwords, stopwordsPath: opts.stopwordsFile };
}
