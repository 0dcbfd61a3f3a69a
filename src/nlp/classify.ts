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

/** Scales v to unit length in place (squares summed in v's order). */
export function l2normalize(v: SparseVec): SparseVec {
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
  /** idf of a token no training document has. */
  readonly defaultIdf: number;

  constructor(docs: string[][]) {
    const df = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docs.length;
    for (const [t, c] of df) this.idf.set(t, Math.log((1 + n) / (1 + c)) + 1);
    this.defaultIdf = Math.log(1 + n) + 1;
  }

  /** The vocabulary: every token of the training documents, first seen first. */
  features(): IterableIterator<string> {
    return this.idf.keys();
  }

  idfOf(token: string): number {
    return this.idf.get(token) ?? this.defaultIdf;
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
 * All seed phrases in one trie over UTF-16 code units: one walk over a statement finds every phrase it
 * contains, instead of one String.includes per phrase per theme (hundreds per statement). The trie is
 * flat typed arrays (a table for the first code unit, each node's children side by side after it),
 * not Maps of one-character strings: text[i] allocates a string for every CJK character.
 */
class PhraseTrie {
  /** Index of each distinct phrase. */
  readonly ids = new Map<string, number>();
  /** Phrase id ending at each node (-1: none); node 0 is the root. */
  private readonly phraseAt: Int32Array;
  /** Child of the root per first code unit (0: none). */
  private readonly first = new Int32Array(0x10000);
  /** Children of node k: codes and nodes at [childStart[k], childStart[k + 1]). */
  private readonly childStart: Int32Array;
  private readonly childCode: Uint16Array;
  private readonly childNode: Int32Array;

  constructor(phrases: Iterable<string>) {
    // Built with Maps, then laid out flat: children of a node get consecutive ids (breadth first).
    interface Node {
      next: Map<number, Node>;
      phrase: number;
      id: number;
    }
    const root: Node = { next: new Map(), phrase: -1, id: 0 };
    for (const p of phrases) {
      if (this.ids.has(p)) continue;
      const id = this.ids.size;
      this.ids.set(p, id);
      let node = root;
      for (let i = 0; i < p.length; i++) {
        const code = p.charCodeAt(i);
        let child = node.next.get(code);
        if (!child) node.next.set(code, (child = { next: new Map(), phrase: -1, id: -1 }));
        node = child;
      }
      node.phrase = id;
    }
    const order: Node[] = [root];
    for (let k = 0; k < order.length; k++) for (const child of order[k].next.values()) order.push(child);
    order.forEach((node, k) => (node.id = k));
    this.phraseAt = Int32Array.from(order, (node) => node.phrase);
    this.childStart = new Int32Array(order.length + 1);
    order.forEach((node, k) => (this.childStart[k + 1] = this.childStart[k] + node.next.size));
    this.childCode = new Uint16Array(this.childStart[order.length]);
    this.childNode = new Int32Array(this.childStart[order.length]);
    order.forEach((node, k) => {
      let c = this.childStart[k];
      for (const [code, child] of node.next) {
        this.childCode[c] = code;
        this.childNode[c++] = child.id;
      }
    });
    for (const [code, child] of root.next) this.first[code] = child.id;
  }

  /**
   * Appends to out, once each, the phrases the text contains (code units, as String.includes);
   * seen[id] === stamp marks those already appended.
   */
  mark(text: string, seen: Int32Array, stamp: number, out: number[]): void {
    const { phraseAt, first, childStart, childCode, childNode } = this;
    if (phraseAt[0] >= 0 && seen[phraseAt[0]] !== stamp) {
      seen[phraseAt[0]] = stamp; // "" is in every text
      out.push(phraseAt[0]);
    }
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let node = first[text.charCodeAt(i)];
      let j = i + 1;
      while (node !== 0) {
        const p = phraseAt[node];
        if (p >= 0 && seen[p] !== stamp) {
          seen[p] = stamp;
          out.push(p);
        }
        if (j >= n) break;
        const code = text.charCodeAt(j++);
        let next = 0;
        for (let c = childStart[node], end = childStart[node + 1]; c < end; c++) {
          if (childCode[c] === code) {
            next = childNode[c];
            break;
          }
        }
        node = next;
      }
    }
  }
}

const phraseWeight = (p: string): number => (p.length >= 4 ? 1 : p.length === 3 ? 0.7 : p.length === 2 ? 0.4 : 0.2);

/** 1 + Math.log(c) for the small counts (the same doubles, computed once). */
const SUBLINEAR_TF = Float64Array.from({ length: 32 }, (_, c) => 1 + Math.log(c));

/** Stamps live in Int32Arrays: start again before the counter overflows. */
const MAX_STAMP = 0x7fffffff;

/**
 * A bigram feature ("#" + two code units) keyed by its two code units, so a statement's bigrams are
 * looked up without building a "#xy" string for each.
 */
// Two UTF-16 code units in one int (negative when a >= 0x8000: still a distinct Map key).
const bigramKey = (a: number, b: number): number => (a << 16) | b;
const isBigramFeature = (f: string): boolean => f.length === 3 && f.charCodeAt(0) === 35; // '#'

/**
 * The scores are computed once per statement into per-theme arrays (themes in the taxonomy's order),
 * with the same floating-point operations in the same order as the Map-based definition (phraseScores,
 * centroidScores, rawScores), so the numbers are the same to the last bit.
 */
export class ThemeClassifier {
  private readonly tfidf: TfIdf;
  private readonly centroids = new Map<string, SparseVec>();
  private readonly trie: PhraseTrie;
  /** Theme ids scored (the taxonomy's minus other), in the taxonomy's order: the index of every array. */
  private readonly themeIds: string[];
  /** Per theme, its rank when ids are sorted by localeCompare (the tie-break); equal where it says equal. */
  private readonly themeRank: Int32Array;
  /** Per distinct phrase, the (theme, position in the theme's list) it occurs at, as theme * posSpan + pos. */
  private readonly phraseSlots: number[][];
  private readonly posSpan: number;
  /** Weight of the phrase at each theme * posSpan + pos. */
  private readonly slotWeight: Float64Array;
  private readonly phraseSeen: Int32Array;
  private phraseStamp = 0;

  /** Centroids in training order; per centroid its theme index, size, median own cosine (the scale). */
  private readonly centroidTheme: Int32Array;
  private readonly centroidSize: Int32Array;
  private readonly centroidScale: Float64Array;
  /** Per centroid, its features (ids) and weights in the centroid's own order (for the rare full dot). */
  private readonly centroidFeatures: { ids: Int32Array; weights: Float64Array }[] = [];
  /** Feature vocabulary (the training set's): words by string, bigram features by bigramKey. */
  private readonly wordIds = new Map<string, number>();
  private readonly bigramIds = new Map<number, number>();
  private readonly featureIdf: Float64Array;
  /** Per feature id, the centroids that have it: postings [postStart[f], postStart[f + 1]). */
  private readonly postStart: Int32Array;
  private readonly postCentroid: Int32Array;
  private readonly postWeight: Float64Array;

  // Scratch of one statement, reused (a statement is scored start to end before the next one).
  private readonly found: number[] = [];
  private readonly slotKeys: number[] = [];
  private readonly phraseScore: Float64Array;
  private readonly hasPhrase: Uint8Array;
  private readonly centroidScore: Float64Array;
  private readonly hasCentroid: Uint8Array;
  private readonly combinedScore: Float64Array;
  private readonly acc: Float64Array;
  private readonly featureStamp: Int32Array;
  private readonly featureSlot: Int32Array;
  private featureGen = 0;
  private slotFeature = new Int32Array(64);
  private slotCount = new Int32Array(64);
  private slotIdf = new Float64Array(64);
  private slotValue = new Float64Array(64);
  private readonly unknownWords = new Map<string, number>();
  private readonly unknownBigrams = new Map<number, number>();

  constructor(
    readonly taxonomy: Theme[],
    examples: { tokens: string[]; themes: string[] }[],
    readonly params: ClassifierParams = DEFAULT_PARAMS,
  ) {
    const phraseLists = taxonomy.filter((t) => t.id !== OTHER_THEME_ID).map((t) => ({ id: t.id, phrases: t.phrases }));
    const known = new Set(phraseLists.map((t) => t.id));
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

    this.themeIds = phraseLists.map((t) => t.id);
    const themeIndex = new Map(this.themeIds.map((id, i) => [id, i]));
    // Every array is indexed by theme: one id, one theme (loadTaxonomy already refuses duplicates).
    if (themeIndex.size !== this.themeIds.length) {
      const dup = this.themeIds.find((id, i) => themeIndex.get(id) !== i);
      throw new Error(`taxonomy: theme id "${dup}" is used twice`);
    }
    this.themeRank = new Int32Array(this.themeIds.length);
    const byName = this.themeIds.map((_, i) => i).sort((x, y) => this.themeIds[x].localeCompare(this.themeIds[y]));
    byName.forEach((t, k) => {
      const prev = byName[k - 1];
      this.themeRank[t] = k > 0 && this.themeIds[prev].localeCompare(this.themeIds[t]) === 0 ? this.themeRank[prev] : k;
    });

    // Phrases: one trie; per phrase where it sits in each theme's list, so sums run in list order.
    this.trie = new PhraseTrie(phraseLists.flatMap((t) => t.phrases));
    this.posSpan = phraseLists.reduce((m, t) => Math.max(m, t.phrases.length), 1);
    this.phraseSlots = Array.from({ length: this.trie.ids.size }, () => []);
    this.slotWeight = new Float64Array(phraseLists.length * this.posSpan);
    phraseLists.forEach((t, ti) =>
      t.phrases.forEach((p, pos) => {
        const slot = ti * this.posSpan + pos;
        this.phraseSlots[this.trie.ids.get(p)!].push(slot);
        this.slotWeight[slot] = phraseWeight(p);
      }),
    );
    this.phraseSeen = new Int32Array(this.trie.ids.size);

    // Centroids: the vocabulary by id, each feature's postings, each centroid's own features.
    for (const f of this.tfidf.features()) {
      const id = this.wordIds.size + this.bigramIds.size;
      if (isBigramFeature(f)) this.bigramIds.set(bigramKey(f.charCodeAt(1), f.charCodeAt(2)), id);
      else this.wordIds.set(f, id);
    }
    const nFeatures = this.wordIds.size + this.bigramIds.size;
    this.featureIdf = new Float64Array(nFeatures);
    for (const f of this.tfidf.features()) this.featureIdf[this.featureId(f)] = this.tfidf.idfOf(f);
    const list = [...this.centroids];
    this.centroidTheme = Int32Array.from(list, ([id]) => themeIndex.get(id)!);
    this.centroidSize = Int32Array.from(list, ([, c]) => c.size);
    const postings: { centroid: number; weight: number }[][] = Array.from({ length: nFeatures }, () => []);
    list.forEach(([, c], ci) => {
      const ids = new Int32Array(c.size);
      const weights = new Float64Array(c.size);
      let k = 0;
      for (const [f, w] of c) {
        const fid = this.featureId(f);
        postings[fid].push({ centroid: ci, weight: w });
        ids[k] = fid;
        weights[k++] = w;
      }
      this.centroidFeatures.push({ ids, weights });
    });
    this.postStart = new Int32Array(nFeatures + 1);
    postings.forEach((p, f) => (this.postStart[f + 1] = this.postStart[f] + p.length));
    this.postCentroid = Int32Array.from(postings.flat(), (e) => e.centroid);
    this.postWeight = Float64Array.from(postings.flat(), (e) => e.weight);
    // Typical cosine of a member to its own centroid (median), used to scale cosines.
    this.centroidScale = Float64Array.from(list, ([id, c]) => {
      const own = examples
        .map((e, i) => (e.themes.includes(id) ? TfIdf.cosine(vecs[i], c) : -1))
        .filter((x) => x >= 0)
        .sort((a, b) => a - b);
      return own.length ? Math.max(0.15, own[Math.floor(own.length / 2)]) : 1;
    });

    const nThemes = this.themeIds.length;
    this.phraseScore = new Float64Array(nThemes);
    this.hasPhrase = new Uint8Array(nThemes);
    this.centroidScore = new Float64Array(nThemes);
    this.hasCentroid = new Uint8Array(nThemes);
    this.combinedScore = new Float64Array(nThemes);
    this.acc = new Float64Array(list.length);
    this.featureStamp = new Int32Array(nFeatures);
    this.featureSlot = new Int32Array(nFeatures);
  }

  /** Id of a vocabulary feature. */
  private featureId(f: string): number {
    return (isBigramFeature(f) ? this.bigramIds.get(bigramKey(f.charCodeAt(1), f.charCodeAt(2))) : this.wordIds.get(f))!;
  }

  /**
   * Phrase evidence per theme in 0..1 into phraseScore / hasPhrase: longer matched phrases weigh more.
   * Each theme's weights are summed in its phrase list's order, as phrase by phrase.
   */
  private scorePhrases(text: string): void {
    this.hasPhrase.fill(0);
    if (this.phraseStamp === MAX_STAMP) {
      this.phraseSeen.fill(0);
      this.phraseStamp = 0;
    }
    const found = this.found;
    found.length = 0;
    this.trie.mark(text, this.phraseSeen, ++this.phraseStamp, found);
    if (found.length === 0) return;
    const slots = this.slotKeys;
    slots.length = 0;
    for (const p of found) for (const s of this.phraseSlots[p]) slots.push(s);
    // Insertion sort: a handful of slots, theme by theme then in list order.
    for (let i = 1; i < slots.length; i++) {
      const s = slots[i];
      let j = i - 1;
      for (; j >= 0 && slots[j] > s; j--) slots[j + 1] = slots[j];
      slots[j + 1] = s;
    }
    let theme = -1;
    let w = 0;
    for (const s of slots) {
      const t = Math.floor(s / this.posSpan);
      if (t !== theme) {
        if (w > 0) this.setPhrase(theme, w);
        theme = t;
        w = 0;
      }
      w += this.slotWeight[s];
    }
    if (w > 0) this.setPhrase(theme, w);
  }

  private setPhrase(theme: number, w: number): void {
    this.phraseScore[theme] = 1 - Math.exp(-1.2 * w);
    this.hasPhrase[theme] = 1;
  }

  /** One more feature occurrence; a new feature takes the next slot (the Map insertion order of TfIdf.vector). */
  private countFeature(fid: number, n: number, gen: number): number {
    if (this.featureStamp[fid] === gen) {
      this.slotCount[this.featureSlot[fid]]++;
      return n;
    }
    this.featureStamp[fid] = gen;
    this.featureSlot[fid] = n;
    return this.newSlot(fid, this.featureIdf[fid], n);
  }

  private countUnknown<K>(seen: Map<K, number>, key: K, n: number): number {
    const slot = seen.get(key);
    if (slot !== undefined) {
      this.slotCount[slot]++;
      return n;
    }
    seen.set(key, n);
    return this.newSlot(-1, this.tfidf.defaultIdf, n);
  }

  private newSlot(fid: number, idf: number, n: number): number {
    if (n === this.slotFeature.length) {
      const grow = <A extends Int32Array | Float64Array>(a: A, make: (len: number) => A): A => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.slotFeature = grow(this.slotFeature, (l) => new Int32Array(l));
      this.slotCount = grow(this.slotCount, (l) => new Int32Array(l));
      this.slotIdf = grow(this.slotIdf, (l) => new Float64Array(l));
      this.slotValue = grow(this.slotValue, (l) => new Float64Array(l));
    }
    this.slotFeature[n] = fid;
    this.slotCount[n] = 1;
    this.slotIdf[n] = idf;
    return n + 1;
  }

  private countBigram(a: number, b: number, n: number, gen: number): number {
    const key = bigramKey(a, b);
    const fid = this.bigramIds.get(key);
    return fid !== undefined ? this.countFeature(fid, n, gen) : this.countUnknown(this.unknownBigrams, key, n);
  }

  /**
   * TfIdf.vector(features(tokens)) into slots 0..n-1 (slotValue, slotFeature; -1 for a feature outside
   * the vocabulary), slots in the Map's insertion order; returns n, the vector's size.
   */
  private vectorize(tokens: readonly string[]): number {
    if (this.featureGen === MAX_STAMP) {
      this.featureStamp.fill(0);
      this.featureGen = 0;
    }
    const gen = ++this.featureGen;
    // Map.clear allocates a new table: only when something was put in.
    if (this.unknownWords.size) this.unknownWords.clear();
    if (this.unknownBigrams.size) this.unknownBigrams.clear();
    let n = 0;
    for (const t of tokens) {
      if (isBigramFeature(t)) n = this.countBigram(t.charCodeAt(1), t.charCodeAt(2), n, gen);
      else {
        const fid = this.wordIds.get(t);
        n = fid !== undefined ? this.countFeature(fid, n, gen) : this.countUnknown(this.unknownWords, t, n);
      }
    }
    for (const t of tokens) if (t.length >= 3) for (let i = 0; i + 2 <= t.length; i++) n = this.countBigram(t.charCodeAt(i), t.charCodeAt(i + 1), n, gen);
    const value = this.slotValue;
    for (let k = 0; k < n; k++) {
      const c = this.slotCount[k];
      value[k] = (c < SUBLINEAR_TF.length ? SUBLINEAR_TF[c] : 1 + Math.log(c)) * this.slotIdf[k];
    }
    // l2normalize: the squares summed in slot order, then each value divided.
    let s = 0;
    for (let k = 0; k < n; k++) s += value[k] * value[k];
    const norm = Math.sqrt(s);
    if (norm > 0) for (let k = 0; k < n; k++) value[k] = value[k] / norm;
    return n;
  }

  /** Scaled centroid cosines into centroidScore / hasCentroid. */
  private scoreCentroids(tokens: readonly string[]): void {
    this.hasCentroid.fill(0);
    const n = this.vectorize(tokens);
    // cos(v, c) for every centroid in one pass over v's features (v is small, centroids are large).
    // Each sum runs over v's features in v's order, as dot() does when v is the smaller map; the rare
    // centroid with no more features than v is summed in the centroid's order, as dot() does then.
    const acc = this.acc;
    acc.fill(0);
    const value = this.slotValue;
    for (let k = 0; k < n; k++) {
      const fid = this.slotFeature[k];
      if (fid < 0) continue;
      const x = value[k];
      for (let e = this.postStart[fid], end = this.postStart[fid + 1]; e < end; e++) acc[this.postCentroid[e]] += x * this.postWeight[e];
    }
    for (let i = 0; i < acc.length; i++) {
      const cos = n < this.centroidSize[i] ? acc[i] : this.centroidDot(i);
      if (cos > 0) {
        const t = this.centroidTheme[i];
        this.centroidScore[t] = Math.min(1, cos / this.centroidScale[i]);
        this.hasCentroid[t] = 1;
      }
    }
  }

  /** dot(v, c) iterating c (the smaller or equal map), for the statement just vectorized. */
  private centroidDot(i: number): number {
    const { ids, weights } = this.centroidFeatures[i];
    const gen = this.featureGen;
    let s = 0;
    for (let k = 0; k < ids.length; k++) {
      const fid = ids[k];
      if (this.featureStamp[fid] === gen) s += weights[k] * this.slotValue[this.featureSlot[fid]];
    }
    return s;
  }

  /** Phrase evidence per theme in 0..1: longer matched phrases weigh more. */
  phraseScores(text: string): Map<string, number> {
    this.scorePhrases(text);
    return this.collect(this.phraseScore, this.hasPhrase, this.themeIds.map((_, t) => t));
  }

  centroidScores(tokens: string[]): Map<string, number> {
    this.scoreCentroids(tokens);
    return this.collect(this.centroidScore, this.hasCentroid, this.centroidTheme);
  }

  private collect(score: Float64Array, has: Uint8Array, order: ArrayLike<number>): Map<string, number> {
    const out = new Map<string, number>();
    for (let k = 0; k < order.length; k++) if (has[order[k]]) out.set(this.themeIds[order[k]], score[order[k]]);
    return out;
  }

  /**
   * Combined score (into combinedScore) of every theme with phrase or centroid evidence; returns those
   * themes in the order the Map-based union listed them (phrase themes in taxonomy order, then
   * centroid-only themes in centroid order), so a stable sort breaks ties exactly as before.
   */
  private combine(text: string, tokens: readonly string[]): number[] {
    this.scorePhrases(text);
    this.scoreCentroids(tokens);
    const a = this.params.phraseWeight;
    const themes: number[] = [];
    const score = this.combinedScore;
    for (let t = 0; t < this.themeIds.length; t++) {
      if (!this.hasPhrase[t]) continue;
      score[t] = a * this.phraseScore[t] + (1 - a) * (this.hasCentroid[t] ? this.centroidScore[t] : 0);
      themes.push(t);
    }
    for (let i = 0; i < this.centroidTheme.length; i++) {
      const t = this.centroidTheme[i];
      if (!this.hasCentroid[t] || this.hasPhrase[t]) continue;
      // No phrase score: `a * 0 +` kept so the float operations are those of the phrase branch above.
      score[t] = a * 0 + (1 - a) * this.centroidScore[t];
      themes.push(t);
    }
    return themes;
  }

  /** Best first; equal scores by id (localeCompare, through the precomputed ranks). */
  private readonly byScore = (x: number, y: number): number =>
    this.combinedScore[y] - this.combinedScore[x] || this.themeRank[x] - this.themeRank[y];

  /** All themes with their combined score, best first (no cut-off). */
  rawScores(text: string, tokens: string[]): ThemeScore[] {
    return this.combine(text, tokens)
      .sort(this.byScore)
      .map((t) => ({ id: this.themeIds[t], score: this.combinedScore[t] }));
  }

  /** Themes kept for a statement, best first; [{ other }] when none reaches the threshold. */
  classify(text: string, tokens: string[]): ThemeScore[] {
    const themes = this.combine(text, tokens);
    const score = this.combinedScore;
    // The best score is the first after sorting all: the largest.
    let best = themes.length ? score[themes[0]] : 0;
    for (const t of themes) if (score[t] > best) best = score[t];
    const p = this.params;
    // Filtering before a stable sort keeps the same themes in the same order as sorting all first;
    // a stable insertion sort on the few kept gives what Array.prototype.sort (stable) gives.
    const sorted: number[] = [];
    for (const t of themes) {
      if (!(score[t] >= p.minScore && score[t] >= p.relativeToBest * best)) continue;
      let j = sorted.length;
      sorted.push(t);
      for (; j > 0 && this.byScore(sorted[j - 1], t) > 0; j--) sorted[j] = sorted[j - 1];
      sorted[j] = t;
    }
    const kept = sorted.slice(0, p.maxThemes);
    const round = (x: number): number => Math.round(x * 1000) / 1000;
    if (kept.length === 0) return [{ id: OTHER_THEME_ID, score: round(1 - best) }];
    return kept.map((t) => ({ id: this.themeIds[t], score: round(score[t]) }));
  }
}
