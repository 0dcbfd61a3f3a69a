/**
 * Evaluation helpers for `npm run eval`: statement-split precision/recall against a gold set, and
 * k-fold cross-validated per-theme precision/recall/F1 of the theme classifier. Folds are built by
 * group (a statement and its generated variants share a group), so no near-copy of a scored statement
 * is ever in the training folds.
 */
import type { StatementKind, Theme } from '../model/types.js';
import { DEFAULT_PARAMS, ThemeClassifier, type ClassifierParams, type LabelledStatement } from './classify.js';
import { isVague, splitSection } from './split.js';
import { OTHER_THEME_ID } from './taxonomy.js';

export interface SplitGold {
  id: string;
  section: string;
  problems: string[];
  measures: string[];
}

export interface SplitScore {
  gold: number;
  predicted: number;
  matched: number;
  /** Of the matched statements, how many got the right kind. */
  kindCorrect: number;
  precision: number;
  recall: number;
  perCase: { id: string; gold: number; predicted: number; matched: number; missed: string[]; extra: string[] }[];
}

const norm = (s: string): string => s.replace(/\s+/gu, '').replace(/[；;，,、]+$/u, '');

export function scoreSplit(gold: SplitGold[]): SplitScore {
  let g = 0;
  let p = 0;
  let m = 0;
  let kc = 0;
  const perCase: SplitScore['perCase'] = [];
  for (const c of gold) {
    const want = new Map<string, StatementKind>();
    for (const t of c.problems) want.set(norm(t), 'problem');
    for (const t of c.measures) want.set(norm(t), 'measure');
    const got = splitSection(c.section);
    let matched = 0;
    const extra: string[] = [];
    const seen = new Set<string>();
    for (const s of got) {
      const k = norm(s.text);
      const kind = want.get(k);
      if (kind && !seen.has(k)) {
        matched++;
        seen.add(k);
        if (kind === s.kind) kc++;
      } else extra.push(s.text);
    }
    const missed = [...want.keys()].filter((k) => !seen.has(k));
    g += want.size;
    p += got.length;
    m += matched;
    perCase.push({ id: c.id, gold: want.size, predicted: got.length, matched, missed, extra });
  }
  return { gold: g, predicted: p, matched: m, kindCorrect: kc, precision: p ? m / p : 0, recall: g ? m / g : 0, perCase };
}

/** Deterministic shuffle (xorshift32) so folds are the same on every run. */
function shuffled<T>(xs: T[], seed: number): T[] {
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Assigns every example to one of k folds; all examples of a group land in the same fold. Groups are
 * dealt largest first onto the currently smallest fold, after a seeded shuffle.
 */
export function makeFolds(examples: { group?: string }[], k: number, seed = 7): number[] {
  if (k < 2) throw new Error('cross-validation needs at least 2 folds');
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const g = e.group ?? `#${i}`;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  });
  const order = shuffled([...groups.values()], seed).sort((a, b) => b.length - a.length);
  const sizes = new Array<number>(k).fill(0);
  const fold = new Array<number>(examples.length).fill(-1);
  for (const members of order) {
    let f = 0;
    for (let j = 1; j < k; j++) if (sizes[j] < sizes[f]) f = j;
    for (const i of members) fold[i] = f;
    sizes[f] += members.length;
  }
  return fold;
}

export interface ThemePrf {
  id: string;
  support: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface CvResult {
  k: number;
  perTheme: ThemePrf[];
  /** Macro F1 over themes with at least minSupport gold examples. */
  macroF1: number;
  minSupport: number;
  /** Share of examples whose first predicted theme is one of their gold themes. */
  firstThemeAccuracy: number;
  /** predictions[i]: theme ids predicted for example i while it was in the test fold. */
  predictions: string[][];
}

/** A trainer: gets only the training fold, returns a predictor. Exposed so tests can spy on it. */
export type Trainer = (train: { index: number; example: LabelledStatement; tokens: string[] }[]) => (text: string, tokens: string[]) => string[];

/** The classifier as the product uses it: a vague statement (names no object) gets `other`. */
export function classifierTrainer(taxonomy: Theme[], params: ClassifierParams = DEFAULT_PARAMS, vague: (text: string) => boolean = isVague): Trainer {
  return (train) => {
    const clf = new ThemeClassifier(
      taxonomy,
      train.map((t) => ({ tokens: t.tokens, themes: t.example.themes })),
      params,
    );
    return (text, tokens) => (vague(text) ? [OTHER_THEME_ID] : clf.classify(text, tokens).map((t) => t.id));
  };
}

/** k-fold cross-validation: each example is scored only by a model trained on the other folds. */
export function crossValidate(
  examples: LabelledStatement[],
  tokens: string[][],
  trainer: Trainer,
  opts: { k?: number; seed?: number; minSupport?: number } = {},
): CvResult {
  const k = opts.k ?? 5;
  const minSupport = opts.minSupport ?? 10;
  const folds = makeFolds(examples, k, opts.seed);
  const predictions: string[][] = examples.map(() => []);
  for (let f = 0; f < k; f++) {
    const train = examples.map((example, index) => ({ index, example, tokens: tokens[index] })).filter((x) => folds[x.index] !== f);
    const predict = trainer(train);
    examples.forEach((e, i) => {
      if (folds[i] === f) predictions[i] = predict(e.text, tokens[i]);
    });
  }
  const scored = scoreThemes(examples, predictions, minSupport);
  return { k, ...scored, minSupport, predictions };
}

/** Per-theme precision/recall/F1 of predictions against gold labels (multi-label: each theme on its own). */
export function scoreThemes(
  examples: { themes: string[] }[],
  predictions: string[][],
  minSupport = 10,
): { perTheme: ThemePrf[]; macroF1: number; firstThemeAccuracy: number } {
  const ids = [...new Set(examples.flatMap((e) => e.themes))].sort();
  const perTheme: ThemePrf[] = ids.map((id) => {
    let tp = 0;
    let support = 0;
    let predicted = 0;
    examples.forEach((e, i) => {
      const g = e.themes.includes(id);
      const p = predictions[i].includes(id);
      if (g) support++;
      if (p) predicted++;
      if (g && p) tp++;
    });
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { id, support, predicted, tp, precision, recall, f1 };
  });
  const counted = perTheme.filter((t) => t.support >= minSupport);
  const macroF1 = counted.length ? counted.reduce((s, t) => s + t.f1, 0) / counted.length : 0;
  const firstOk = examples.filter((e, i) => predictions[i][0] !== undefined && e.themes.includes(predictions[i][0])).length;
  return { perTheme, macroF1, firstThemeAccuracy: examples.length ? firstOk / examples.length : 0 };
}
