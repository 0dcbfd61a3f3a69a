/**
 * `ogi themes <inputs...> --out DIR`: the files of `parse`, plus statements.jsonl, statements.csv,
 * themes.csv (SCHEMA.md) and topics.csv (clusters of statements that fit no theme).
 *
 * The NLP models are loaded before any file is parsed, so a bad --taxonomy / --dict / --stopwords path
 * fails at once with a clear message. Statements are built as reports stream in; copied text needs
 * every statement, so it is marked at the end. Whole-section copies (rule problems.copied) are added to
 * the reports in memory, to their records in reports.jsonl and to findings.csv.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { csvRow } from '../io/csv.js';
import { AtomicFile, writeFileAtomic } from '../io/atomic.js';
import { CsvWriter, JsonlWriter } from '../io/writers.js';
import type { Finding, ReportRecord, Statement } from '../model/types.js';
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
  });
  const reports = parse.reports.length ? parse.reports : reportsSeen;
  const sectionCopies = markBoilerplate(statements, reports);
  const topics = discoverTopics(statements);

  const out = parse.summary.out;
  await writeStatements(out, statements);
  await writeThemesCsv(out, nlp, statements);
  await writeTopicsCsv(out, topics);
  if (sectionCopies.length) {
    const byId = new Map(reports.map((r) => [r.id, r]));
    for (const c of sectionCopies) byId.get(c.report_id)?.findings.push(c.finding);
    await appendFindings(join(out, 'findings.csv'), sectionCopies);
    await addToReportsJsonl(join(out, 'reports.jsonl'), sectionCopies);
    for (const c of sectionCopies) {
      parse.summary.findings.total++;
      parse.summary.findings.by_severity[c.finding.severity]++;
      parse.summary.findings.by_rule[c.finding.rule] = (parse.summary.findings.by_rule[c.finding.rule] ?? 0) + 1;
    }
  }
  parse.summary.command = 'themes';
  parse.summary.outputs.push(...THEMES_OUTPUTS.map((f) => join(out, f)));
  parse.summary.elapsed_ms = Date.now() - started;
  return { ...parse, findings: parse.findings + sectionCopies.length, statements, topics, sectionCopies };
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

/**
 * reports.jsonl was written by the parse step too: its records get their problems.copied findings, so
 * the record and findings.csv agree. Streamed through a temp file renamed over the old one; only the
 * lines of the reports concerned are parsed and re-serialised, the others are copied as they are.
 */
async function addToReportsJsonl(path: string, copies: SectionCopy[]): Promise<void> {
  const extra = new Map<string, Finding[]>();
  for (const c of copies) extra.set(c.report_id, [...(extra.get(c.report_id) ?? []), c.finding]);
  const target = await AtomicFile.open(path);
  try {
    const input = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const line of input) {
      if (line === '') continue;
      const record = [...extra.keys()].some((id) => line.includes(`"${id}"`)) ? (JSON.parse(line) as ReportRecord) : null;
      const added = record ? extra.get(record.id) : undefined;
      if (record && added) record.findings.push(...added);
      await target.write((record && added ? JSON.stringify(record) : line) + '\n');
    }
    await target.commit();
  } catch (err) {
    await target.abort();
    throw err;
  }
}

/** findings.csv was written by the parse step; whole-section copies are known only now. */
async function appendFindings(path: string, copies: SectionCopy[]): Promise<void> {
  const existing = await readFile(path, 'utf8');
  const rows = copies.map((c) => csvRow([c.report_id, c.finding.rule, c.finding.severity, c.finding.message, c.finding.cells.join(';')]) + '\r\n');
  const sep = existing.endsWith('\n') || existing === '' ? '' : '\r\n';
  await writeFileAtomic(path, existing + sep + rows.join(''));
}
