/**
 * `ogi themes <inputs...> --out DIR`: the files of `parse`, plus statements.jsonl, statements.csv,
 * themes.csv (SCHEMA.md) and topics.csv (clusters of statements that fit no theme).
 *
 * Streaming: each report passes by once. Its statements go to a spool file beside the outputs, into
 * the copy index (CopyIndex), the per-theme tally and the low-fit sample for topics, and, as small
 * digests (no tables, no text), into what the report stage analyses. Nothing else is held unless the
 * caller asks (keepReports / keepStatements), so memory grows by about 2.3 KB a report, not 30 KB;
 * without digests (keepDigests false, as `ogi themes` runs) by the copy index's few bytes.
 *
 * Copied text needs every statement, so it is decided after the last file: whole-section copies (rule
 * problems.copied) go through the parse step's cross-report findings (runParse corpusFindings) into
 * reports.jsonl and findings.csv; copied statements are marked while the spool is written out as
 * statements.jsonl and statements.csv.
 *
 * The NLP models are loaded before any file is parsed, so a bad --taxonomy / --dict / --stopwords path
 * fails at once with a clear message.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { optimizeHeapForSize } from './heap.js';
import { tracePhase } from './trace.js';
import { StatementDigester, findingRef, narrativeSource, type ReportDigest, type StatementDigest } from '../analyze/digest.js';
import { ThemeTally } from '../analyze/theme-tally.js';
import { AtomicFile } from '../io/atomic.js';
import { CsvWriter, JsonlWriter } from '../io/writers.js';
import type { Statement } from '../model/types.js';
import { LowFitSample } from '../nlp/discover.js';
import { CopyIndex, createNlp, discoverTopics, type CopyMark, type Nlp, type SectionCopy, type TopicCluster } from '../nlp/index.js';
import type { CorpusFinding } from '../validate/corpus.js';
import { nlpOptionsOf, type NlpRunOptions } from './options.js';
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
  /** Every statement with its text, in input order: only with keepStatements (default true). */
  statements: Statement[];
  /** What the analysis stage reads of every report and statement (~2.3 KB a report with its statements; empty with keepDigests false). */
  digests: { reports: ReportDigest[]; statements: StatementDigest[] };
  topics: TopicCluster[];
  /** Low-fit statements seen, and how many of them topics were clustered from (a bounded sample). */
  topicInput: { lowFit: number; sampled: number };
  /** Whole section 五 copied from the same agency's earlier report. */
  sectionCopies: SectionCopy[];
}

export type RunThemesOptions = RunParseOptions &
  NlpRunOptions & {
    nlp?: Nlp;
    /** Keep every Statement (with text) in ThemesRun.statements (default true). Off: memory stays bounded. */
    keepStatements?: boolean;
    /**
     * Keep ThemesRun.digests for the analysis stage (default true; `ogi themes` does not analyse).
     * runReport always takes them for its analysis; false there means they are let go before rendering.
     */
    keepDigests?: boolean;
    /** Most low-fit statements topics are clustered from (default 20,000). */
    topicSample?: number;
    /** Once parsed, switch V8 to --optimize-for-size for the rest of the process (see ./heap.ts). */
    shrinkHeapAfterParse?: boolean;
  };

/** Loads the NLP models from the command's options (taxonomy, dictionary, stopwords). */
export function nlpFromOptions(opts: NlpRunOptions): Promise<Nlp> {
  return createNlp(nlpOptionsOf(opts));
}

/** The statements.jsonl record of a statement (key order is the file's). */
function statementRecord(s: Statement): Statement {
  return {
    report_id: s.report_id,
    kind: s.kind,
    index: s.index,
    text: s.text,
    tokens: s.tokens,
    themes: s.themes,
    boilerplate: s.boilerplate,
    vague: s.vague ?? false,
    offset: s.offset,
  };
}

export async function runThemes(inputs: string[], opts: RunThemesOptions): Promise<ThemesRun> {
  const started = Date.now();
  const nlp = opts.nlp ?? (await nlpFromOptions(opts));
  const keepStatements = opts.keepStatements ?? true;
  const keepDigests = opts.keepDigests ?? true;
  const statements: Statement[] = [];
  const digests: ThemesRun['digests'] = { reports: [], statements: [] };
  const digester = new StatementDigester();
  // Let go once finished: at 100k reports its arrays are ~100 MB that the analysis can use.
  let copies: CopyIndex | null = new CopyIndex();
  const tally = new ThemeTally();
  const sample = new LowFitSample(opts.topicSample);
  let marks = new Map<number, CopyMark>();
  let sectionCopies: SectionCopy[] = [];
  let spool: AtomicFile | null = null;
  // Digests wait on disk until the workers are gone: at 100k reports they are ~150 MB of live heap,
  // which held during parsing put the peak over 1 GB; read back afterwards they fit in what the workers left.
  let digestSpool: AtomicFile | null = null;
  try {
    const parse = await runParse(inputs, {
      ...opts,
      // The narrative (digest and section 五), not the record: from batch workers it comes without a
      // parse of the record's JSON here. The caller's onReport still gets records.
      onNarrative: async (n) => {
        const r = narrativeSource(n);
        // A report without section 五 gives no statements; the validator's sections.missing says why.
        const found = nlp.statements(r);
        spool ??= await AtomicFile.open(join(opts.out, 'statements.spool.jsonl'));
        copies!.addReport(r);
        let lines = '';
        for (const s of found) {
          copies!.addStatement(s);
          tally.add(s);
          sample.add(s);
          if (keepStatements) statements.push(s);
          lines += JSON.stringify(statementRecord(s)) + '\n';
        }
        if (lines) await spool.write(lines);
        if (keepDigests) {
          digestSpool ??= await AtomicFile.open(join(opts.out, 'digests.spool.jsonl'));
          const spooled: SpooledDigest = {
            r: n.digest,
            s: found.map((x) => [x.kind, x.index, StatementDigester.terms(x), x.themes.map((t) => t.id)]),
          };
          await digestSpool.write(JSON.stringify(spooled) + '\n');
        }
        await opts.onNarrative?.(n);
      },
      // Copied text needs every statement; the parse step writes the whole-section copies with its own
      // cross-report findings, so reports.jsonl, findings.csv and the records in memory agree.
      corpusFindings: () => {
        const found = copies!.finish();
        copies = null;
        marks = found.marks;
        sectionCopies = found.sectionCopies;
        return sectionCopies.map((c) => ({ report_id: c.report_id, ...c.finding }));
      },
    });
    tracePhase('parse and NLP done');
    if (opts.shrinkHeapAfterParse) optimizeHeapForSize();
    // Topics and statements.jsonl first: their garbage is collected before the digests come back.
    const topics = discoverTopics(sample.statements());
    tracePhase('topics');
    const out = parse.summary.out;
    await writeStatements(out, spool, marks);
    spool = null;
    await writeThemesCsv(out, nlp, tally);
    await writeTopicsCsv(out, topics);
    tracePhase('statements, themes and topics written');
    if (digestSpool) {
      await readDigests(digestSpool, digests, digester, parse.crossFindings);
      digestSpool = null;
    }
    for (const [ordinal, mark] of marks) {
      if (keepDigests) digests.statements[ordinal].boilerplate = mark;
      if (keepStatements) statements[ordinal].boilerplate = mark;
    }
    tracePhase('digests read back');
    parse.summary.command = 'themes';
    parse.summary.outputs.push(...THEMES_OUTPUTS.map((f) => join(out, f)));
    parse.summary.elapsed_ms = Date.now() - started;
    return { ...parse, statements, digests, topics, topicInput: sample.counts, sectionCopies };
  } finally {
    await (spool as AtomicFile | null)?.abort();
    await (digestSpool as AtomicFile | null)?.abort();
  }
}

/** One report's digest and its statements' digest parts (kind, index, terms, theme ids), as spooled. */
interface SpooledDigest {
  r: ReportDigest;
  s: [Statement['kind'], number, string, string[]][];
}

/**
 * Reads the digest spool back into `into` (statements in spool order: the copy index's ordinals) and
 * removes it. Digests were taken as records streamed by; the findings that needed the whole run are
 * added here.
 */
async function readDigests(
  spool: AtomicFile,
  into: ThemesRun['digests'],
  digester: StatementDigester,
  crossFindings: readonly CorpusFinding[],
): Promise<void> {
  const cross = new Map<string, CorpusFinding[]>();
  for (const f of crossFindings) cross.set(f.report_id, [...(cross.get(f.report_id) ?? []), f]);
  try {
    const path = await spool.close();
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const { r, s } = JSON.parse(line) as SpooledDigest;
      r.findings = [...r.findings, ...(cross.get(r.id) ?? [])].map(findingRef);
      into.reports.push(r);
      for (const [kind, index, terms, themes] of s) into.statements.push(digester.fromParts(r.id, kind, index, terms, themes));
    }
  } finally {
    await spool.abort();
  }
}

/**
 * statements.jsonl and statements.csv from the spool (one statement per line, in input order, as
 * statementRecord wrote it), with the copied statements marked. The spool is removed.
 */
async function writeStatements(out: string, spool: AtomicFile | null, marks: Map<number, CopyMark>): Promise<void> {
  const jsonl = await JsonlWriter.open<Statement>(join(out, 'statements.jsonl'));
  const csv = await CsvWriter.open(join(out, 'statements.csv'), STATEMENTS_COLUMNS);
  try {
    if (spool) {
      const path = await spool.close();
      const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
      let ordinal = 0;
      for await (const line of lines) {
        if (!line) continue;
        const s = JSON.parse(line) as Statement;
        const mark = marks.get(ordinal++);
        // The spool line is the record as statements.jsonl holds it: re-serialise only a marked one.
        if (mark) {
          s.boilerplate = mark;
          await jsonl.write(s);
        } else {
          await jsonl.writeLine(line);
        }
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
    }
    await Promise.all([jsonl.close(), csv.close()]);
  } catch (err) {
    await Promise.all([jsonl.abort(), csv.abort()]);
    throw err;
  } finally {
    await spool?.abort();
  }
}

/** Per theme: statements and reports carrying it (any of a statement's themes), share of all statements. */
async function writeThemesCsv(out: string, nlp: Nlp, tally: ThemeTally): Promise<void> {
  const csv = await CsvWriter.open(join(out, 'themes.csv'), THEMES_COLUMNS);
  try {
    for (const row of tally.rows(nlp.taxonomy)) {
      await csv.write([row.id, row.name, row.statements, row.reports, row.share, row.problems, row.measures, row.example]);
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

