/**
 * npm run eval — statement-split precision/recall on the gold set and k-fold cross-validated
 * per-theme precision/recall/F1 of the theme classifier (never scored on its own training data).
 *
 *   tsx scripts/eval.ts [--k 5] [--seed 7] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNlp, readLabelled } from '../src/nlp/index.js';
import { DEFAULT_PARAMS } from '../src/nlp/classify.js';
import { classifierTrainer, crossValidate, scoreSplit, scoreThemes, type CvResult, type SplitGold } from '../src/nlp/evaluate.js';

// `npm run eval | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const ROOT = join(import.meta.dirname, '..');
const LABELLED = join(ROOT, 'test/fixtures/labelled/statements.jsonl');
const SPLIT_GOLD = join(ROOT, 'test/fixtures/labelled/split-gold.jsonl');

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const k = arg('--k', 5);
const seed = arg('--seed', 7);
const asJson = process.argv.includes('--json');
const pct = (x: number): string => (x * 100).toFixed(1).padStart(5);

const gold = readFileSync(SPLIT_GOLD, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as SplitGold);
const split = scoreSplit(gold);

const examples = readLabelled(LABELLED);
// Train nothing from the shipped labelled file here: every fold trains on its own training part only.
const nlp = await createNlp({ training: [] });
const tokens = examples.map((e) => nlp.tokenize(e.text));
const tax = nlp.taxonomy;
const cv = crossValidate(examples, tokens, classifierTrainer(tax, DEFAULT_PARAMS), { k, seed });
const phraseOnly = crossValidate(examples, tokens, classifierTrainer(tax, { ...DEFAULT_PARAMS, phraseWeight: 1 }), { k, seed });
const centroidOnly = crossValidate(examples, tokens, classifierTrainer(tax, { ...DEFAULT_PARAMS, phraseWeight: 0 }), { k, seed });

if (asJson) {
  const strip = (r: CvResult): Omit<CvResult, 'predictions'> => {
    const { predictions: _p, ...rest } = r;
    return rest;
  };
  console.log(JSON.stringify({ split: { ...split, perCase: undefined }, themes: strip(cv), phraseOnly: strip(phraseOnly), centroidOnly: strip(centroidOnly) }, null, 2));
} else {
  console.log(`Statement split (gold: ${gold.length} section texts, ${split.gold} statements)`);
  console.log(`  precision ${pct(split.precision)}%  recall ${pct(split.recall)}%  (matched ${split.matched}, predicted ${split.predicted})`);
  console.log(`  kind correct on matched: ${pct(split.matched ? split.kindCorrect / split.matched : 0)}%`);
  for (const c of split.perCase.filter((c) => c.missed.length || c.extra.length)) {
    console.log(`  ${c.id}: matched ${c.matched}/${c.gold}, predicted ${c.predicted}`);
    for (const m of c.missed) console.log(`    - missed: ${m.slice(0, 60)}`);
    for (const x of c.extra) console.log(`    + extra:  ${x.slice(0, 60)}`);
  }
  const sources = new Map<string, number>();
  for (const e of examples) sources.set((e.source ?? 'unknown').split(':')[0], (sources.get((e.source ?? 'unknown').split(':')[0]) ?? 0) + 1);
  console.log(
    `\nThemes: ${examples.length} labelled statements (${[...sources].map(([s, n]) => `${s} ${n}`).join(', ')}), ${cv.k}-fold cross-validation by group, seed ${seed}`,
  );
  console.log(`  ${'theme'.padEnd(18)} support  pred  precision  recall     F1`);
  for (const t of cv.perTheme)
    console.log(
      `  ${t.id.padEnd(18)} ${String(t.support).padStart(7)} ${String(t.predicted).padStart(5)}     ${pct(t.precision)}%  ${pct(t.recall)}%  ${pct(t.f1)}%${t.support < cv.minSupport ? '  (below ' + cv.minSupport + ', not in macro)' : ''}`,
    );
  console.log(`  macro F1 (themes with ≥${cv.minSupport} examples): ${pct(cv.macroF1)}%`);
  console.log(`  first theme is a gold theme: ${pct(cv.firstThemeAccuracy)}%`);
  // The same out-of-fold predictions, scored on the statements taken from real reports only.
  const realIdx = examples.map((e, i) => (/^(corpus|seed):/.test(e.source ?? '') ? i : -1)).filter((i) => i >= 0);
  const real = scoreThemes(
    realIdx.map((i) => examples[i]),
    realIdx.map((i) => cv.predictions[i]),
    3,
  );
  console.log(
    `  real-report statements only (${realIdx.length}, corpus + seed): macro F1 over themes with ≥3 of them ${pct(real.macroF1)}%, first theme a gold theme ${pct(real.firstThemeAccuracy)}%`,
  );
  // Transfer: train on the authored statements only, score the real-report ones (no variant of a real
  // statement is in training).
  const authoredIdx = examples.map((e, i) => (e.source === 'authored' ? i : -1)).filter((i) => i >= 0);
  const predictReal = classifierTrainer(tax, DEFAULT_PARAMS)(authoredIdx.map((i) => ({ index: i, example: examples[i], tokens: tokens[i] })));
  const transfer = scoreThemes(
    realIdx.map((i) => examples[i]),
    realIdx.map((i) => predictReal(examples[i].text, tokens[i])),
    3,
  );
  console.log(
    `  trained on authored only, scored on real-report statements: macro F1 (≥3) ${pct(transfer.macroF1)}%, first theme a gold theme ${pct(transfer.firstThemeAccuracy)}%`,
  );
  console.log(`  ablation — phrases only: macro F1 ${pct(phraseOnly.macroF1)}%; centroids only: macro F1 ${pct(centroidOnly.macroF1)}%`);
}
