/**
 * Theme assignment: seed-phrase matches combined with a TF-IDF nearest-centroid classifier trained on
 * hand-labelled statements. Phrases catch the explicit wording ("政策解读"); the centroids catch the
 * wording the phrase lists miss. Several themes per statement, best first; `other` when none fits.
 */
import type { StatementKind, Theme, ThemeScore } from '../model/types.js';
import { OTHER_THEME_ID } from './taxonomy.js';

export interface LabelledStatement {
  text: string;
  kind?: StatementKind;
  themes: string[];
  /** Where the example came from ("corpus:133", "seed:衢州", "authored", "variant"). */
  source?: string;
  /** Examples sharing a group (a statement and its generated variants) stay in one CV fold. */
  group?: string;
}

export interface ClassifierParams {
  /** Weight of the phrase score against the centroid score. */
  phraseWeight: number;
  /** A theme is kept when its score reaches this… */
  minScore: number;
  /** …and this share of the best score. */
  relativeToBest: number;
  /** At most this many themes per statement. */
  maxThemes: number;
}

export const DEFAULT_PARAMS: ClassifierParams = { phraseWeight: 0.55, minScore: 0.3, relativeToBest: 0.6, maxThemes: 3 };

type SparseVec = Map<string, number>;

function l2normalize(v: SparseVec): SparseVec {
  let s = 0;
  for (const x of v.values()) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (const [k, x] of v) v.set(k, x / n);
  return v;
}

function dot(a: SparseVec, b: SparseVec): number {
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, x] of small) {
    const y = big.get(k);
    if (y !== undefined) s += x * y;
  }
  return s;
}

/** TF-IDF model over token lists (sublinear tf, smoothed idf). */
export class TfIdf {
  private readonly idf = new Map<string, number>();
  private readonly defaultIdf: number;

  constructor(docs: string[][]) {
    const df = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docs.length;
    for (const [t, c] of df) this.idf.set(t, Math.log((1 + n) / (1 + c)) + 1);
    this.defaultIdf = Math.log(1 + n) + 1;
  }

  vector(tokens: string[]): SparseVec {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: SparseVec = new Map();
    for (const [t, c] of tf) v.set(t, (1 + Math.log(c)) * (this.idf.get(t) ?? this.defaultIdf));
    return l2normalize(v);
  }

  static cosine(a: SparseVec, b: SparseVec): number {
    return dot(a, b);
  }
}

/**
 * Features for the centroid model: the jieba tokens, plus the character bigrams of longer tokens, so a
 * compound the dictionary keeps whole ("解读形式") still shares evidence with its parts ("解读").
 */
function features(tokens: string[]): string[] {
  const out = [...tokens];
  for (const t of tokens) if (t.length >= 3) for (let i = 0; i + 2 <= t.length; i++) out.push(`#${t.slice(i, i + 2)}`);
  return out;
}

/**
 * All seed phrases in one character trie: one walk over a statement finds every phrase it contains,
 * instead of one String.includes per phrase per theme (hundreds per statement).
 */
class PhraseTrie {
  private readonly root: TrieNode = { next: new Map(), phrase: -1 };
  /** Index of each distinct phrase. */
  readonly ids = new Map<string, number>();

  constructor(phrases: Iterable<string>) {
    for (const p of phrases) {
      if (this.ids.has(p)) continue;
      const id = this.ids.size;
      this.ids.set(p, id);
      let node = this.root;
      for (let i = 0; i < p.length; i++) {
        let child = node.next.get(p[i]);
        if (!child) node.next.set(p[i], (child = { next: new Map(), phrase: -1 }));
        node = child;
      }
      node.phrase = id;
    }
  }

  /** found[id] === stamp for every phrase the text contains (code units, as String.includes). */
  mark(text: string, found: Int32Array, stamp: number): void {
    if (this.root.phrase >= 0) found[this.root.phrase] = stamp; // "" is in every text
    for (let i = 0; i < text.length; i++) {
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < text.length; j++) {
        node = node.next.get(text[j]);
        if (!node) break;
        if (node.phrase >= 0) found[node.phrase] = stamp;
      }
    }
  }
}

interface TrieNode {
  next: Map<string, TrieNode>;
  phrase: number;
}

const phraseWeight = (p: string): number => (p.length >= 4 ? 1 : p.length === 3 ? 0.7 : p.length === 2 ? 0.4 : 0.2);

export class ThemeClassifier {
  private readonly tfidf: TfIdf;
  private readonly centroids = new Map<string, SparseVec>();
  private readonly phraseLists: { id: string; phrases: string[] }[];
  private readonly trie: PhraseTrie;
  /** Per theme, its phrases as trie ids with their weights, in the taxonomy's order. */
  private readonly phraseIds: { id: string; phrases: { id: number; weight: number }[] }[];
  private readonly found: Int32Array;
  private stamp = 0;
  /** Centroids in order, and per feature the centroids that have it: scores in one pass over a statement. */
  private readonly centroidList: { id: string; c: SparseVec }[] = [];
  private readonly byFeature = new Map<string, { theme: number; weight: number }[]>();
  /** Largest centroid cosine seen on training data per theme, to put cosines on a 0..1 scale. */
  private readonly cosScale = new Map<string, number>();

  constructor(
    readonly taxonomy: Theme[],
    examples: { tokens: string[]; themes: string[] }[],
    readonly params: ClassifierParams = DEFAULT_PARAMS,
  ) {
    this.phraseLists = taxonomy.filter((t) => t.id !== OTHER_THEME_ID).map((t) => ({ id: t.id, phrases: t.phrases }));
    const known = new Set(this.phraseLists.map((t) => t.id));
    this.tfidf = new TfIdf(examples.map((e) => features(e.tokens)));
    const sums = new Map<string, SparseVec>();
    const vecs = examples.map((e) => this.tfidf.vector(features(e.tokens)));
    examples.forEach((e, i) => {
      for (const id of e.themes) {
        if (!known.has(id)) continue; // a label outside the taxonomy (user replaced it) is ignored
        const acc = sums.get(id) ?? new Map<string, number>();
        for (const [k, x] of vecs[i]) acc.set(k, (acc.get(k) ?? 0) + x);
        sums.set(id, acc);
      }
    });
    for (const [id, acc] of sums) this.centroids.set(id, l2normalize(acc));
    for (const [id, c] of this.centroids) {
      const theme = this.centroidList.push({ id, c }) - 1;
      for (const [k, w] of c) {
        const list = this.byFeature.get(k);
        if (list) list.push({ theme, weight: w });
        else this.byFeature.set(k, [{ theme, weight: w }]);
      }
    }
    this.trie = new PhraseTrie(this.phraseLists.flatMap((t) => t.phrases));
    this.phraseIds = this.phraseLists.map((t) => ({ id: t.id, phrases: t.phrases.map((p) => ({ id: this.trie.ids.get(p)!, weight: phraseWeight(p) })) }));
    this.found = new Int32Array(this.trie.ids.size);
    // Typical cosine of a member to its own centroid (median), used to scale cosines.
    for (const [id, c] of this.centroids) {
      const own = examples
        .map((e, i) => (e.themes.includes(id) ? TfIdf.cosine(vecs[i], c) : -1))
        .filter((x) => x >= 0)
        .sort((a, b) => a - b);
      this.cosScale.set(id, own.length ? Math.max(0.15, own[Math.floor(own.length / 2)]) : 1);
    }
  }

  /** Phrase evidence per theme in 0..1: longer matched phrases weigh more. */
  phraseScores(text: string): Map<string, number> {
    const stamp = ++this.stamp;
    this.trie.mark(text, this.found, stamp);
    const out = new Map<string, number>();
    for (const t of this.phraseIds) {
      // Summed in the taxonomy's phrase order, so the score is the same float as phrase by phrase.
      let w = 0;
      for (const p of t.phrases) if (this.found[p.id] === stamp) w += p.weight;
      if (w > 0) out.set(t.id, 1 - Math.exp(-1.2 * w));
    }
    return out;
  }

  centroidScores(tokens: string[]): Map<string, number> {
    const v = this.tfidf.vector(features(tokens));
    // cos(v, c) for every centroid in one pass over v's features (v is small, centroids are large).
    // Each sum runs over v's features in v's order, as dot() does when v is the smaller map; the rare
    // centroid with no more features than v is computed by dot() itself, so the floats are the same.
    const acc = new Float64Array(this.centroidList.length);
    for (const [k, x] of v) {
      const list = this.byFeature.get(k);
      if (list) for (const e of list) acc[e.theme] += x * e.weight;
    }
    const out = new Map<string, number>();
    this.centroidList.forEach(({ id, c }, i) => {
      const cos = v.size < c.size ? acc[i] : TfIdf.cosine(v, c);
      if (cos > 0) out.set(id, Math.min(1, cos / (this.cosScale.get(id) ?? 1)));
    });
    return out;
  }

  /** All themes with their combined score, best first (no cut-off). */
  rawScores(text: string, tokens: string[]): ThemeScore[] {
    const ph = this.phraseScores(text);
    const ce = this.centroidScores(tokens);
    const a = this.params.phraseWeight;
    const ids = new Set([...ph.keys(), ...ce.keys()]);
    const out: ThemeScore[] = [];
    for (const id of ids) {
      const s = a * (ph.get(id) ?? 0) + (1 - a) * (ce.get(id) ?? 0);
      out.push({ id, score: s });
    }
    return out.sort((x, y) => y.score - x.score || x.id.localeCompare(y.id));
  }

  /** Themes kept for a statement, best first; [{ other }] when none reaches the threshold. */
  classify(text: string, tokens: string[]): ThemeScore[] {
    const raw = this.rawScores(text, tokens);
    const best = raw[0]?.score ?? 0;
    const p = this.params;
    const kept = raw.filter((r) => r.score >= p.minScore && r.score >= p.relativeToBest * best).slice(0, p.maxThemes);
    const round = (x: number): number => Math.round(x * 1000) / 1000;
    if (kept.length === 0) return [{ id: OTHER_THEME_ID, score: round(1 - best) }];
    return kept.map((k) => ({ id: k.id, score: round(k.score) }));
  }
}
