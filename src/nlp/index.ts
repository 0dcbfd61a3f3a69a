/**
 * Section 五 NLP: statements (split, kind, tokens, themes, vague), copied text and new topics.
 *
 *   const nlp = await createNlp();
 *   const statements = reports.flatMap((r) => nlp.statements(r));
 *   const copies = markBoilerplate(statements, reports);
 *   // or streamed, holding no statements: index.addReport(r); index.addStatement(s) …; index.finish()
 *   const topics = discoverTopics(statements);
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NarrativeSource, Statement, Theme } from '../model/types.js';
import { DEFAULT_PARAMS, ThemeClassifier, type ClassifierParams, type LabelledStatement } from './classify.js';
import { DATA_DIR, NlpInputError, assertReadableFile, createSegmenter, type Segmenter } from './segment.js';
import { cues, isVague, splitSection, stripMarker } from './split.js';
import { DEFAULT_TAXONOMY_PATH, OTHER_THEME_ID, loadTaxonomy } from './taxonomy.js';

export { loadTaxonomy, parseTaxonomy, TaxonomyError, DEFAULT_TAXONOMY_PATH, OTHER_THEME_ID } from './taxonomy.js';
export { splitSection, findProblemsSection, headingLength, isVague, loadCues, stripMarker, type RawStatement } from './split.js';
export { createSegmenter, NlpInputError, NEGATIONS, DEFAULT_DICT_PATH, DEFAULT_STOPWORDS_PATH, type Segmenter, type SegmenterOptions } from './segment.js';
export { ThemeClassifier, TfIdf, DEFAULT_PARAMS, type ClassifierParams, type LabelledStatement } from './classify.js';
export { CopyIndex, markBoilerplate, type CopyIndexStats, type CopyMark, type SectionCopy, type BoilerplateOptions } from './boilerplate.js';
export { discoverTopics, type TopicCluster, type DiscoverOptions } from './discover.js';

/** Labelled statements the shipped classifier is trained on (same content as test/fixtures/labelled). */
export const DEFAULT_TRAINING_PATH = join(DATA_DIR, 'themes-labelled.jsonl');

export interface NlpOptions {
  /** Replace the shipped taxonomy (JSON data file). */
  taxonomyPath?: string;
  /** Extra segmenter words. */
  words?: string[];
  /** A user dictionary file (word [freq] [tag] per line). */
  dictPath?: string;
  stopwords?: string[];
  stopwordsPath?: string;
  /** Labelled statements to train on (default: the shipped set); [] trains phrases only. */
  training?: LabelledStatement[];
  /** A JSONL file of labelled statements to train on instead of the shipped set. */
  trainingPath?: string;
  params?: Partial<ClassifierParams>;
}

export interface Nlp {
  taxonomy: Theme[];
  /** nodejieba cut(text, true) with the domain dictionary; stopwords removed, negations kept. */
  tokenize(text: string): string[];
  /** Statements of the report's section 五; [] when it has none. boilerplate is null here. */
  statements(report: NarrativeSource): Statement[];
  /** Theme scores for one text, best first (other when none fits). */
  classify(text: string, tokens?: string[]): Statement['themes'];
  classifier: ThemeClassifier;
  segmenter: Segmenter;
  /**
   * The options it was created with (createNlp, createLazyNlp): what the store and the run fingerprint
   * key its statements on. An Nlp built another way has none, and a run given it is not fingerprinted.
   */
  readonly options?: Readonly<NlpOptions>;
}

/** Reads labelled statements from JSONL; a bad line is an Error naming file and line. */
export function readLabelled(path: string): LabelledStatement[] {
  assertReadableFile(path, 'labelled statements file');
  const out: LabelledStatement[] = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      let o: LabelledStatement;
      try {
        o = JSON.parse(line) as LabelledStatement;
      } catch (e) {
        throw new NlpInputError(`${path}:${i + 1}: not valid JSON: ${(e as Error).message}`);
      }
      if (typeof o.text !== 'string' || !Array.isArray(o.themes)) throw new NlpInputError(`${path}:${i + 1}: needs "text" and "themes"`);
      out.push(o);
    });
  return out;
}

/** Loads the segmenter, the taxonomy and trains the classifier once. */
export async function createNlp(opts: NlpOptions = {}): Promise<Nlp> {
  return loadNlp(opts);
}

export interface LazyNlp extends Nlp {
  /** Whether the models have been loaded (by a first segment or classify). */
  readonly loaded: boolean;
}

/**
 * An Nlp whose taxonomy is read now (a bad file fails at once) and whose segmenter and classifier load
 * on first use: for a main thread whose statements come from the workers or the store, so it never
 * holds nodejieba's dictionary (~250 MB) unless it has to segment something itself.
 */
export function createLazyNlp(opts: NlpOptions = {}): LazyNlp {
  const taxonomy = loadTaxonomy(opts.taxonomyPath ?? DEFAULT_TAXONOMY_PATH);
  // The files the models will read are checked now too, so a bad path fails at once, as with createNlp.
  if (opts.dictPath) assertReadableFile(opts.dictPath, 'dictionary file');
  if (opts.stopwordsPath) assertReadableFile(opts.stopwordsPath, 'stopword file');
  if (opts.trainingPath) assertReadableFile(opts.trainingPath, 'labelled statements file');
  let loaded: Nlp | null = null;
  const load = (): Nlp => (loaded ??= loadNlp(opts));
  return {
    taxonomy,
    options: { ...opts },
    tokenize: (text) => load().tokenize(text),
    classify: (text, tokens) => load().classify(text, tokens),
    // No section 五, no statements: no reason to load the models.
    statements: (report) => (hasProblems(report) ? load().statements(report) : []),
    get classifier() {
      return load().classifier;
    },
    get segmenter() {
      return load().segmenter;
    },
    get loaded() {
      return loaded !== null;
    },
  };
}

/** The report has a non-blank section 五 (else it has no statements). */
function hasProblems(report: NarrativeSource): report is NarrativeSource & { sections: { problems: string } } {
  return !!report.sections?.problems?.trim();
}

function loadNlp(opts: NlpOptions): Nlp {
  const taxonomy = loadTaxonomy(opts.taxonomyPath ?? DEFAULT_TAXONOMY_PATH);
  const segmenter = createSegmenter({
    words: opts.words,
    dictPath: opts.dictPath,
    stopwords: opts.stopwords,
    stopwordsPath: opts.stopwordsPath,
  });
  let training = opts.training;
  if (!training) {
    const p = opts.trainingPath ?? DEFAULT_TRAINING_PATH;
    training = opts.trainingPath || existsSync(p) ? readLabelled(p) : [];
  }
  const classifier = new ThemeClassifier(
    taxonomy,
    training.map((t) => ({ tokens: segmenter.tokenize(t.text), themes: t.themes })),
    { ...DEFAULT_PARAMS, ...opts.params },
  );
  const c = cues();
  const tokenize = (text: string): string[] => segmenter.tokenize(text);
  // A vague statement ("仍存在一些不足") names no subject, so no theme fits it.
  const vagueThemes = (): Statement['themes'] => [{ id: OTHER_THEME_ID, score: 1 }];
  const classify = (text: string, tokens?: string[]): Statement['themes'] =>
    isVague(text, c) ? vagueThemes() : classifier.classify(text, tokens ?? tokenize(stripMarker(text)));
  return {
    taxonomy,
    options: { ...opts },
    tokenize,
    classify,
    classifier,
    segmenter,
    statements(report: NarrativeSource): Statement[] {
      if (!hasProblems(report)) return [];
      return splitSection(report.sections.problems, c).map((raw, index) => {
        const tokens = tokenize(stripMarker(raw.text));
        const vague = isVague(raw.text, c);
        const st: Statement = {
          report_id: report.id,
          kind: raw.kind,
          index,
          text: raw.text,
          tokens,
          themes: vague ? vagueThemes() : classifier.classify(raw.text, tokens), // classify(), vagueness found once
          boilerplate: null,
          offset: raw.offset,
        };
        if (vague) st.vague = true;
        return st;
      });
    },
  };
}
