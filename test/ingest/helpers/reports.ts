/**
 * Test helper: the complete reports used for round trips — each complete report of the seed file
 * (those truth.json lists, cut out with the parser's report splitter) and 133.txt.
 */
import { readFileSync } from 'node:fs';
import { splitReports } from '../../../src/parse/index.js';
import { foldText } from '../../../src/parse/normalize.js';

const CORPUS = 'test/fixtures/corpus';

export interface TextReport {
  name: string;
  text: string;
}

interface SeedTruth {
  seed: { reports: { match: string }[] };
}

export function completeReports(): TextReport[] {
  const truth = JSON.parse(readFileSync(`${CORPUS}/truth.json`, 'utf8')) as SeedTruth;
  const seed = readFileSync(`${CORPUS}/seed/000_f87896d27c5ba0ed.txt`, 'utf8');
  // foldText keeps offsets (one character for one), so spans found in it cut the seed as printed.
  const { spans } = splitReports(foldText(seed));
  const out: TextReport[] = [];
  for (const { match } of truth.seed.reports) {
    const span = spans.find((s) => foldText(seed.slice(s.start, s.end)).includes(foldText(match)));
    if (!span) throw new Error(`seed report "${match}" not found by the splitter`);
    out.push({ name: `seed:${match}`, text: seed.slice(span.start, span.end) });
  }
  out.push({ name: '133.txt', text: readFileSync(`${CORPUS}/reports/133.txt`, 'utf8') });
  return out;
}
