/**
 * `ogi themes <inputs...> --out DIR`: the files of `parse`, plus statements.jsonl, statements.csv,
 * themes.csv (SCHEMA.md) and topics.csv (clusters of statements that fit no theme).
 *
 * The NLP models are loaded before any file is parsed, so a bad --taxonomy / --dict / --stopwords path
 * fails at once with a clear message. Statements are built as reports stream in; copied text needs
 * every statement, so it is marked once all files are parsed; whole-section copies (rule problems.copied)
 * go through the parse step's cross-report findings (runParse corpusFindings) into reports.jsonl,
 * findings.csv and the records in memory.
 */
import { join } from 'node:path';
import { CsvWriter, JsonlWriter } from '../io/writers.js';
import type { ReportRecord, Statement } from '../model/types.js';
import { createNlp, discoverTopics, markBoilerplate, type Nlp, type SectionCopy, type TopicCluster } from '../nlp/index.js';
import type { NlpRunOptions } from './options.js';
import { runParse, type ParseRun, type RunParseOptions } from './parse.js';

export const THEMES_OUTPUTS = ['statements.jsonl', 'statements.csv', 'themes.csv', 'topics.csv'] as const;
export const STATEMENTS_COLUMNS = [
  'report_id',
  'kind',
  'index',
  'text',
  'theme',
  'themes',
  'vague',
  'boilerplate_of',
  'boilerplate_similarity',
] as const;
export const THEMES_COLUMNS = ['id', 'name', 'statements', 'reports', 'share', 'problems', 'measures', 'example'] as const;
export const TOPICS_COLUMNS = ['id', 'size', 'reports', 'terms', 'cooccurring', 'examples'] as const;

export interface ThemesRun extends ParseRun {
  statements: Statement[];
  topics: TopicCluster[];
  /** Whole section 五 copied from the same agency's earlier report. */
  sectionCopies: SectionCopy[];
}

export type RunThemesOptions = RunParseOptions & NlpRunOptions & { nlp?: Nlp };

/** Loads the NLP models from the command's options (taxonomy, dictionary, stopwords). */
export function nlpFromOptions(opts: NlpRunOptions): Promise<Nlp> {
  return createNlp({
    taxonomyPath: opts.taxonomy,
    words: opts.words,
    dictPath: opts.dict,
    stopwords: opts.stopwords,
    stopwordsPath: opts.stopwordsFile,
  });
}

export async function runThemes(inputs: string[], opts: RunThemesOptions): Promise<ThemesRun> {
  const started = Date.now();
  const nlp = opts.nlp ?? (await nlpFromOptions(opts));
  const statements: Statement[] = [];
  const reportsSeen: ReportRecord[] = [];
  let sectionCopies: SectionCopy[] = [];
  const userOnReport = opts.onReport;
  const parse = await runParse(inputs, {
    ...opts,
    keepReports: true,
    onReport: async (r) => {
      // A report without section 五 gives no statements; the validator's sections.missing says why.
      statements.push(...nlp.statements(r));
      reportsSeen.push(r);
      await userOnReport?.(r);
    },
    // Copied text needs every statement; the parse step writes the whole-section copies with its own
    // cross-report findings, so reports.jsonl, findings.csv and the records in memory agree.
    corpusFindings: () => {
      sectionCopies = markBoilerplate(statements, reportsSeen);
      return sectionCopies.map((c) => ({ report_id: c.report_id, ...c.finding }));
    },
  });
  const topics = discoverTopics(statements);

  const out = parse.summary.out;
  await writeStatements(out, statements);
  await writeThemesCsv(out, nlp, statements);
  await writeTopicsCsv(out, topics);
  parse.summary.command = 'themes';
  parse.summary.outputs.push(...THEMES_OUTPUTS.map((f) => join(out, f)));
  parse.summary.elapsed_ms = Date.now() - started;
  return { ...parse, statements, topics, sectionCopies };
}

async function writeStatements(out: string, statements: Statement[]): Promise<void> {
  const jsonl = await JsonlWriter.open<Statement>(join(out, 'statements.jsonl'));
  const csv = await CsvWriter.open(join(out, 'statements.csv'), STATEMENTS_COLUMNS);
  try {
    for (const s of statements) {
      await jsonl.write({
        report_id: s.report_id,
        kind: s.kind,
        index: s.index,
        text: s.text,
        tokens: s.tokens,
        themes: s.themes,
        boilerplate: s.boilerplate,
        vague: s.vague ?? false,
        offset: s.offset,
      });
      await csv.write([
        s.report_id,
        s.kind,
        s.index,
        s.text,
        s.themes[0]?.id ?? '',
        s.themes.map((t) => `${t.id}:${t.score}`).join(';'),
        s.vague ? 'true' : 'false',
        s.boilerplate?.of ?? '',
        s.boilerplate ? s.boilerplate.similarity : '',
      ]);
    }
    await Promise.all([jsonl.close(), csv.close()]);
  } catch (err) {
    await Promise.all([jsonl.abort(), csv.abort()]);
    throw err;
  }
}

/** Higher is a better example of the theme: led by it, not too long, high score. */
function exampleRank(s: Statement, id: string): number {
  const score = s.themes.find((x) => x.id === id)?.score ?? 0;
  return (s.themes[0]?.id === id ? 2 : 0) + (s.text.length <= 80 ? 1 : 0) + score;
}

/** Per theme: statements and reports carrying it (any of a statement's themes), share of all statements. */
async function writeThemesCsv(out: string, nlp: Nlp, statements: Statement[]): Promise<void> {
  const csv = await CsvWriter.open(join(out, 'themes.csv'), THEMES_COLUMNS);
  try {
    for (const t of nlp.taxonomy) {
      const withTheme = statements.filter((s) => s.themes.some((x) => x.id === t.id));
      // Example: a statement led by this theme, short enough to read in a table cell, best score first.
      const example = [...withTheme].sort((a, b) => exampleRank(b, t.id) - exampleRank(a, t.id) || a.text.length - b.text.length)[0];
      await csv.write([
        t.id,
        t.name,
        withTheme.length,
        new Set(withTheme.map((s) => s.report_id)).size,
        statements.length ? Math.round((withTheme.length / statements.length) * 10000) / 10000 : 0,
        withTheme.filter((s) => s.kind === 'problem').length,
        withTheme.filter((s) => s.kind === 'measure').length,
        example?.text ?? '',
      ]);
    }
    await csv.close();
  } catch (err) {
    await csv.abort();
    throw err;
  }
}

async function writeTopicsCsv(out: string, topics: TopicCluster[]): Promise<void> {
  const csv = await CsvWriter.open(join(out, 'topics.csv'), TOPICS_COLUMNS);
  try {
    for (const t of topics) {
      await csv.write([
        t.id,
        t.size,
        t.reports,
        t.terms.map((x) => x.term).join(' '),
        t.cooccurring.map((c) => `${c.terms[0]}+${c.terms[1]}(${c.count})`).join('; '),
        t.examples.map((e) => e.text).join(' | '),
      ]);
    }
    await csv.close();
  } catch (err) {
    await csv.abort();
    throw err;
  }
}

