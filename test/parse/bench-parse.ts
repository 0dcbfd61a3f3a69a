/**
 * Parser benchmark (not a test): prints parse speed on the corpus fixtures and on a file holding many
 * copies of the seed.  Run: npx tsx test/parse/bench-parse.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseText } from '../../src/parse/index.js';
import { FIXTURES, SEED_PATH } from './helpers.js';

const seed = readFileSync(SEED_PATH, 'utf8');
const corpusDir = join(FIXTURES, 'reports');
const files = [seed, ...readdirSync(corpusDir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(corpusDir, f), 'utf8'))];

parseText(seed); // warm-up: module data, regular expressions
const rounds = 5;
let reports = 0;
let chars = 0;
const t0 = performance.now();
for (let k = 0; k < rounds; k++) {
  for (const text of files) {
    reports += parseText(text).reports.length;
    chars += text.length;
  }
}
const ms = performance.now() - t0;
console.log(`corpus: ${files.length} files × ${rounds}: ${reports} reports in ${ms.toFixed(0)} ms = ${(ms / reports).toFixed(1)} ms/report, ${((chars / ms) * 1000 / 1e6).toFixed(2)} M chars/s`);

const copies = 40;
const big = Array.from({ length: copies }, () => seed).join('\n');
const t1 = performance.now();
const r = parseText(big);
console.log(`one file with ${copies} seed copies (${(big.length / 1e6).toFixed(2)} M chars): ${r.reports.length} reports in ${(performance.now() - t1).toFixed(0)} ms`);
