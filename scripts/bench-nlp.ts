/**
 * Throughput of the NLP stage (not a test): segmentation, statement splitting, theme assignment,
 * copied-text marking and topic discovery, on section 五 texts from the test corpus repeated.
 *
 *   tsx scripts/bench-nlp.ts [--reports 2000]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportRecord, Statement } from '../src/model/types.js';
import { createNlp, discoverTopics, markBoilerplate } from '../src/nlp/index.js';
import { splitSection } from '../src/nlp/split.js';
import { parseText } from '../src/parse/index.js';

const ROOT = join(import.meta.dirname, '..');
const i = process.argv.indexOf('--reports');
const N = i >= 0 ? Number(process.argv[i + 1]) : 2000;

const files = ['reports/133.txt', 'reports/134.txt', 'reports/103.txt', 'reports/104.txt', 'seed/000_f87896d27c5ba0ed.txt'];
const sections: string[] = [];
for (const f of files) {
  for (const r of parseText(readFileSync(join(ROOT, 'test/fixtures/corpus', f), 'utf8'), f).reports) if (r.sections.problems) sections.push(r.sections.problems);
}
const labelled = readFileSync(join(ROOT, 'test/fixtures/labelled/statements.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { text: string }).text);

const t0 = performance.now();
const nlp = await createNlp();
const loadMs = performance.now() - t0;
const rate = (n: number, ms: number): string => Math.round((n / ms) * 1000).toLocaleString('en');

// Segmentation on the labelled statements, several rounds.
let chars = 0;
let t = performance.now();
for (let r = 0; r < 20; r++) for (const s of labelled) chars += nlp.tokenize(s).length >= 0 ? s.length : 0;
const segMs = performance.now() - t;

// Splitting only.
const reports: ReportRecord[] = Array.from({ length: N }, (_, k) => {
  const problems = sections[k % sections.length].replace(/20\d\d/g, String(2010 + (k % 14)));
  return {
    id: `bench${k}`,
    source: { path: `bench${k}.txt`, index: 0 },
    title: null,
    agency: `机关${k % 300}`,
    level: null,
    year: 2010 + (k % 14),
    template: '2021',
    sections: { overview: null, proactive: null, applications: null, review_litigation: null, problems, other: null },
    tables: { proactive: null, applications: null, review_litigation: null },
    findings: [],
  };
});
const sectionChars = reports.reduce((n, r) => n + r.sections.problems!.length, 0);
t = performance.now();
let splitCount = 0;
for (const r of reports) splitCount += splitSection(r.sections.problems!).length;
const splitMs = performance.now() - t;

// Full statements (split + tokens + themes + vague).
t = performance.now();
const statements: Statement[] = reports.flatMap((r) => nlp.statements(r));
const stMs = performance.now() - t;

t = performance.now();
const copies = markBoilerplate(statements, reports);
const bpMs = performance.now() - t;
t = performance.now();
const topics = discoverTopics(statements);
const topicMs = performance.now() - t;

console.log(`NLP benchmark: ${N} reports, ${sectionChars.toLocaleString('en')} chars of section 五, ${statements.length} statements`);
console.log(`  model load (jieba dict, taxonomy, classifier training): ${loadMs.toFixed(0)} ms`);
console.log(`  segmentation (tokenize):        ${rate(chars, segMs)} chars/s`);
console.log(`  splitting only:                 ${rate(sectionChars, splitMs)} chars/s, ${rate(splitCount, splitMs)} statements/s`);
console.log(`  statements (split+tokens+themes): ${rate(sectionChars, stMs)} chars/s, ${rate(statements.length, stMs)} statements/s`);
console.log(`  copied text (MinHash LSH + Jaro-Winkler; the bench repeats a few sections, so nearly all are copies): ${bpMs.toFixed(0)} ms, ${copies.length} whole-section copies, ${statements.filter((s) => s.boilerplate).length} copied statements`);
console.log(`  topic discovery: ${topicMs.toFixed(0)} ms, ${topics.length} clusters`);
