/**
 * Word segmentation with nodejieba plus the shipped domain dictionary and stopword list.
 *
 * nodejieba keeps one global dictionary per process and aborts the whole process (not a JS error) on a
 * missing dictionary path, so every path is checked here before nodejieba sees it. Domain and user
 * words go in as a jieba user dictionary with a frequency (insertWord gives new words too low a weight:
 * "不及时" would still be cut 不/及时). Loading takes about 2 s, so it happens again only when a
 * segmenter brings words not loaded yet; all segmenters of a process share the loaded words.
 */
import { UsageError } from '../model/errors.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

interface JiebaBinding {
  DEFAULT_DICT: string;
  DEFAULT_HMM_DICT: string;
  DEFAULT_USER_DICT: string;
  DEFAULT_IDF_DICT: string;
  DEFAULT_STOP_WORD_DICT: string;
  load(opts?: { dict?: string; hmmDict?: string; userDict?: string; idfDict?: string; stopWordDict?: string }): void;
  cut(sentence: string, hmm?: boolean): string[];
  insertWord(word: string, tag?: string): boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));
/** src/data (also dist/src/data after a build keeps the same relative layout). */
export const DATA_DIR = join(HERE, '..', 'data');
export const DEFAULT_DICT_PATH = join(DATA_DIR, 'dict', 'domain.dict.txt');
export const DEFAULT_STOPWORDS_PATH = join(DATA_DIR, 'dict', 'stopwords.txt');

/**
 * Words that turn a phrase into its opposite or name a gap; they stay in the tokens even when a user's
 * stopword file lists them, because "不及时" / "未公开" are the problem itself.
 */
export const NEGATIONS: ReadonlySet<string> = new Set(['不', '未', '没有', '没', '无', '非', '尚未', '未能', '不够', '不足', '缺乏', '缺少']);

let jieba: JiebaBinding | null = null;
/** Every word handed to jieba so far (word → its line in the user dictionary). */
const loadedWords = new Map<string, string>();
let loaded = false;

function binding(): JiebaBinding {
  if (!jieba) jieba = require('nodejieba') as JiebaBinding;
  return jieba;
}

/**
 * A problem with a file the user named (dictionary, stopwords, taxonomy, training set): a usage error
 * the CLI can report as such (exit code 1), not a failure of the run.
 */
export class NlpInputError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NlpInputError';
  }
}

/** Throws an NlpInputError naming the path when a dictionary or word-list file is missing or not a file. */
export function assertReadableFile(path: string, what: string): void {
  if (!existsSync(path)) throw new NlpInputError(`${what} not found: ${path}`);
  if (!statSync(path).isFile()) throw new NlpInputError(`${what} is not a file: ${path}`);
}

/** One entry of a jieba user dictionary line: word [freq] [tag]. */
export interface DictEntry {
  word: string;
  freq?: number;
  tag?: string;
}

/** Frequency given to dictionary words that state none: high enough to win over the base dictionary. */
const DEFAULT_FREQ = 30000;

/** Reads a dictionary file (word [freq] [tag] a line, # comments); a missing file is a clear Error. */
export function readDictFile(path: string): DictEntry[] {
  assertReadableFile(path, 'dictionary file');
  const out: DictEntry[] = [];
  for (const raw of readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const word = parts[0];
    const freq = parts.slice(1).find((p) => /^\d+$/.test(p));
    const tag = parts.slice(1).find((p) => !/^\d+$/.test(p));
    out.push({ word, ...(freq ? { freq: Number(freq) } : {}), ...(tag ? { tag } : {}) });
  }
  return out;
}

/** Reads a word-per-line file (# comments, blank lines skipped); a missing file is a clear Error. */
export function readWordList(path: string, what = 'stopword file'): string[] {
  assertReadableFile(path, what);
  return readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export interface SegmenterOptions {
  /** Extra words (e.g. from --word). */
  words?: string[];
  /** A user dictionary file added on top of the shipped one. */
  dictPath?: string;
  /** Extra stopwords. */
  stopwords?: string[];
  /** A stopword file added on top of the shipped list. */
  stopwordsPath?: string;
  /** Replace the shipped domain dictionary (tests, experiments). */
  domainDictPath?: string;
}

export interface Segmenter {
  /** All tokens, HMM on (so "2020" stays one token), whitespace and punctuation dropped. */
  cut(text: string): string[];
  /** cut() minus stopwords and bare numbers; negations always kept. */
  tokenize(text: string): string[];
  stopwords: ReadonlySet<string>;
}

const PUNCT_OR_SPACE = /^[\s\p{P}\p{S}]+$/u;
/** Bare numbers and list numbers ("2.", "1.2020") carry no theme. */
const NUMBER = /^[\d.．、%]*\d[\d.．、%]*$/u;

/** Creates a segmenter; validates every path before nodejieba is touched. */
export function createSegmenter(opts: SegmenterOptions = {}): Segmenter {
  const domainDict = opts.domainDictPath ?? DEFAULT_DICT_PATH;
  // Validate all paths first: nodejieba must never see a missing one.
  const domainEntries = readDictFile(domainDict);
  const userEntries = opts.dictPath ? readDictFile(opts.dictPath) : [];
  const fileStopwords = opts.stopwordsPath ? readWordList(opts.stopwordsPath) : [];
  const shippedStopwords = readWordList(DEFAULT_STOPWORDS_PATH, 'shipped stopword file');

  const jb = binding();
  let fresh = !loaded;
  for (const e of [...domainEntries, ...userEntries, ...(opts.words ?? []).map((word): DictEntry => ({ word }))]) {
    const w = e.word.trim();
    if (!w || /\s/.test(w) || loadedWords.has(w)) continue;
    loadedWords.set(w, `${w} ${e.freq ?? DEFAULT_FREQ} ${e.tag ?? 'n'}`);
    fresh = true;
  }
  if (fresh) {
    for (const p of [jb.DEFAULT_DICT, jb.DEFAULT_HMM_DICT, jb.DEFAULT_IDF_DICT, jb.DEFAULT_STOP_WORD_DICT]) {
      assertReadableFile(p, 'nodejieba base dictionary');
    }
    const dir = mkdtempSync(join(tmpdir(), 'ogi-jieba-'));
    const userDict = join(dir, 'user.dict.utf8');
    try {
      writeFileSync(userDict, [...loadedWords.values()].join('\n') + '\n');
      jb.load({ userDict });
      loaded = true;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const stop = new Set<string>([...shippedStopwords, ...fileStopwords, ...(opts.stopwords ?? [])].map((s) => s.trim()).filter(Boolean));
  for (const n of NEGATIONS) stop.delete(n);

  const cut = (text: string): string[] => {
    if (!text) return [];
    return jb.cut(text, true).filter((t) => !PUNCT_OR_SPACE.test(t));
  };
  // cut() and the stopword / number filter in one pass. A token starting with a CJK ideograph is neither
  // punctuation, space nor a number, so it skips both regular expressions (most tokens do).
  const tokenize = (text: string): string[] => {
    if (!text) return [];
    const out: string[] = [];
    for (const t of jb.cut(text, true)) {
      const first = t.charCodeAt(0);
      if (first >= 0x4e00 && first <= 0x9fff) {
        if (!stop.has(t)) out.push(t);
      } else if (!PUNCT_OR_SPACE.test(t) && !stop.has(t) && !NUMBER.test(t)) out.push(t);
    }
    return out;
  };
  return {
    cut,
    tokenize,
    stopwords: stop,
  };
}
