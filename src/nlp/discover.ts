/**
 * New topics: statements that fit no theme well are clustered (spherical k-means on TF-IDF token
 * vectors, deterministic seeding) and each cluster is described by its top terms, the term pairs
 * that co-occur most and a few example statements, so a user can decide to add a theme.
 */
import type { Statement } from '../model/types.js';
import { fnv } from './boilerplate.js';
import { TfIdf } from './classify.js';
import { OTHER_THEME_ID } from './taxonomy.js';

export interface DiscoverOptions {
  /** A statement is low-fit when its best theme is `other` or scores below this. */
  maxScore?: number;
  /** Number of clusters (default about √(n/2), at most 12). */
  k?: number;
  /** Clusters smaller than this are dropped. */
  minSize?: number;
  topTerms?: number;
  examples?: number;
  seed?: number;
}

export interface TopicCluster {
  id: string;
  size: number;
  /** Highest-weight terms of the cluster centroid. */
  terms: { term: string; weight: number }[];
  /** Term pairs that occur together in most statements of the cluster. */
  cooccurring: { terms: [string, string]; count: number }[];
  /** Statements nearest to the centroid. */
  examples: { report_id: string; index: number; text: string }[];
  /** Number of distinct reports the cluster's statements come from. */
  reports: number;
}

/** xorshift32: deterministic seeding of k-means, so the same statements give the same topics. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

type Vec = Map<string, number>;

function cos(a: Vec, b: Vec): number {
  return TfIdf.cosine(a, b);
}

function meanNormalized(vs: Vec[]): Vec {
  const acc: Vec = new Map();
  for (const v of vs) for (const [k, x] of v) acc.set(k, (acc.get(k) ?? 0) + x);
  let s = 0;
  for (const x of acc.values()) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (const [k, x] of acc) acc.set(k, x / n);
  return acc;
}

const DEFAULT_LOW_FIT_SCORE = 0.45;

/** A statement discoverTopics clusters: its best theme is `other` or scores below maxScore. */
export function isLowFit(s: Pick<Statement, 'themes' | 'tokens'>, maxScore = DEFAULT_LOW_FIT_SCORE): boolean {
  const top = s.themes[0];
  return (!top || top.id === OTHER_THEME_ID || top.score < maxScore) && s.tokens.length >= 2;
}

/** Clusters the statements that fit no theme well. */
export function discoverTopics(statements: Statement[], opts: DiscoverOptions = {}): TopicCluster[] {
  const maxScore = opts.maxScore ?? DEFAULT_LOW_FIT_SCORE;
  const low = statements.filter((s) => isLowFit(s, maxScore));
  if (low.length < (opts.minSize ?? 2)) return [];
  const docs = low.map((s) => s.tokens.filter((t) => !/^\d+$/.test(t) && t.length >= 2));
  const tfidf = new TfIdf(docs);
  const vecs = docs.map((d) => tfidf.vector(d));
  const k = Math.max(1, Math.min(opts.k ?? Math.min(12, Math.round(Math.sqrt(low.length / 2))), low.length));
  const rnd = xorshift(opts.seed ?? 42);

  // k-means++ seeding on cosine distance.
  const centers: Vec[] = [vecs[Math.floor(rnd() * vecs.length)]];
  while (centers.length < k) {
    const d = vecs.map((v) => Math.min(...centers.map((c) => 1 - cos(v, c))) ** 2);
    const total = d.reduce((a, b) => a + b, 0);
    if (total <= 0) break;
    let r = rnd() * total;
    let pick = 0;
    for (; pick < d.length - 1 && r > d[pick]; pick++) r -= d[pick];
    centers.push(vecs[pick]);
  }
  let assign = vecs.map(() => 0);
  for (let iter = 0; iter < 25; iter++) {
    const next = vecs.map((v) => {
      let bi = 0;
      let bs = -1;
      centers.forEach((c, ci) => {
        const s = cos(v, c);
        if (s > bs) {
          bs = s;
          bi = ci;
        }
      });
      return bi;
    });
    const changed = next.some((a, i) => a !== assign[i]);
    assign = next;
    for (let ci = 0; ci < centers.length; ci++) {
      const members = vecs.filter((_, i) => assign[i] === ci);
      if (members.length) centers[ci] = meanNormalized(members);
    }
    if (!changed && iter > 0) break;
  }

  const out: TopicCluster[] = [];
  const minSize = opts.minSize ?? 2;
  centers.forEach((c, ci) => {
    const idx = assign.map((a, i) => (a === ci ? i : -1)).filter((i) => i >= 0);
    if (idx.length < minSize) return;
    const terms = [...c.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, opts.topTerms ?? 8)
      .map(([term, weight]) => ({ term, weight: Math.round(weight * 1000) / 1000 }));
    const top = new Set(terms.map((t) => t.term));
    const pairs = new Map<string, number>();
    for (const i of idx) {
      const present = [...new Set(docs[i])].filter((t) => top.has(t)).sort();
      for (let a = 0; a < present.length; a++)
        for (let b = a + 1; b < present.length; b++) {
          const key = `${present[a]}\u0001${present[b]}`;
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
    }
    const cooccurring = [...pairs.entries()]
      .filter(([, n]) => n >= 2)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([key, count]) => ({ terms: key.split('\u0001') as [string, string], count }));
    const examples = [...idx]
      .sort((a, b) => cos(vecs[b], c) - cos(vecs[a], c))
      .slice(0, opts.examples ?? 3)
      .map((i) => ({ report_id: low[i].report_id, index: low[i].index, text: low[i].text }));
    out.push({ id: '', size: idx.length, terms, cooccurring, examples, reports: new Set(idx.map((i) => low[i].report_id)).size });
  });
  out.sort((a, b) => b.size - a.size || a.terms[0]?.term.localeCompare(b.terms[0]?.term ?? '') || 0);
  out.forEach((t, i) => (t.id = `topic_${i + 1}`));
  return out;
}

/**
 * The low-fit statements discoverTopics clusters, at most `limit` of them: k-means over every low-fit
 * statement of 100k reports would hold ~200k TF-IDF vectors. Below the limit every low-fit statement is
 * kept (same topics as clustering all of them); above it, a sample chosen by a hash of each statement's
 * identity, so the same corpus gives the same sample whatever the input order or parallelism.
 */
export class LowFitSample {
  private items: { order: number; rank: number; statement: Statement }[] = [];
  private seen = 0;
  private lowFit = 0;

  constructor(
    readonly limit = 20_000,
    private readonly maxScore = DEFAULT_LOW_FIT_SCORE,
  ) {}

  add(s: Statement): void {
    const order = this.seen++;
    if (!isLowFit(s, this.maxScore)) return;
    this.lowFit++;
    this.items.push({ order, rank: fnv(`${s.report_id}\u0000${s.kind}\u0000${s.index}`), statement: s });
    if (this.items.length >= 2 * this.limit) this.trim();
  }

  private trim(): void {
    this.items.sort((a, b) => a.rank - b.rank || a.order - b.order);
    this.items.length = Math.min(this.items.length, this.limit);
  }

  /** Low-fit statements seen in all, and how many the sample keeps. */
  get counts(): { lowFit: number; sampled: number } {
    return { lowFit: this.lowFit, sampled: Math.min(this.lowFit, this.limit) };
  }

  /** The sample in input order. */
  statements(): Statement[] {
    if (this.items.length > this.limit) this.trim();
    return [...this.items].sort((a, b) => a.order - b.order).map((x) => x.statement);
  }
}
