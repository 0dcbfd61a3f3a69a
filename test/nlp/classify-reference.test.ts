/**
 * The fast paths of the NLP stage give exactly what their plain definitions give: the classifier's
 * array-based scoring against a Map-based reference (phrase by phrase with String.includes, TfIdf's
 * Map vectors and cosine against every centroid, a full sort with localeCompare), the one-pass tokenizer against cut() then filter, and isVague's early exit
 * against removing every filler. Scores are compared as floats, not rounded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Theme, ThemeScore } from '../../src/model/types.js';
import { DEFAULT_PARAMS, TfIdf, ThemeClassifier, l2normalize, type ClassifierParams } from '../../src/nlp/classify.js';
import { createSegmenter, type Segmenter } from '../../src/nlp/segment.js';
import { cues, isSpaceCode, isVague } from '../../src/nlp/split.js';
import { loadTaxonomy } from '../../src/nlp/taxonomy.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const labelled = readFileSync(join(FIX, 'labelled', 'statements.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { text: string; themes: string[] });

// ---------------------------------------------------------------------------------------------
// Reference: the scoring as defined, with Maps keyed by feature string
// ---------------------------------------------------------------------------------------------

type Vec = Map<string, number>;
const weight = (p: string) => (p.length >= 4 ? 1 : p.length === 3 ? 0.7 : p.length === 2 ? 0.4 : 0.2);
const features = (tokens: string[]) => {
  const out = [...tokens];
  for (const t of tokens) if (t.length >= 3) for (let i = 0; i + 2 <= t.length; i++) out.push(`#${t.slice(i, i + 2)}`);
  return out;
};

class Reference {
  private readonly tfidf: TfIdf;
  private readonly centroids = new Map<string, Vec>();
  private readonly scale = new Map<string, number>();
  private readonly themes: Theme[];

  constructor(
    taxonomy: Theme[],
    examples: { tokens: string[]; themes: string[] }[],
    private readonly params: ClassifierParams,
  ) {
    this.themes = taxonomy.filter((t) => t.id !== 'other');
    const known = new Set(this.themes.map((t) => t.id));
    this.tfidf = new TfIdf(examples.map((e) => features(e.tokens)));
    const vecs = examples.map((e) => this.tfidf.vector(features(e.tokens)));
    const sums = new Map<string, Vec>();
    examples.forEach((e, i) => {
      for (const id of e.themes) {
        if (!known.has(id)) continue;
        const acc = sums.get(id) ?? new Map<string, number>();
        for (const [k, x] of vecs[i]) acc.set(k, (acc.get(k) ?? 0) + x);
        sums.set(id, acc);
      }
    });
    for (const [id, acc] of sums) this.centroids.set(id, l2normalize(acc));
    for (const [id, c] of this.centroids) {
      const own = examples
        .map((e, i) => (e.themes.includes(id) ? TfIdf.cosine(vecs[i], c) : -1))
        .filter((x) => x >= 0)
        .sort((a, b) => a - b);
      this.scale.set(id, own.length ? Math.max(0.15, own[Math.floor(own.length / 2)]) : 1);
    }
  }

  phraseScores(text: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.themes) {
      let w = 0;
      for (const p of t.phrases) if (text.includes(p)) w += weight(p);
      if (w > 0) out.set(t.id, 1 - Math.exp(-1.2 * w));
    }
    return out;
  }

  centroidScores(tokens: string[]): Map<string, number> {
    const v = this.tfidf.vector(features(tokens));
    const out = new Map<string, number>();
    for (const [id, c] of this.centroids) {
      const cos = TfIdf.cosine(v, c);
      if (cos > 0) out.set(id, Math.min(1, cos / this.scale.get(id)!));
    }
    return out;
  }

  rawScores(text: string, tokens: string[]): ThemeScore[] {
    const ph = this.phraseScores(text);
    const ce = this.centroidScores(tokens);
    const a = this.params.phraseWeight;
    return [...new Set([...ph.keys(), ...ce.keys()])]
      .map((id) => ({ id, score: a * (ph.get(id) ?? 0) + (1 - a) * (ce.get(id) ?? 0) }))
      .sort((x, y) => y.score - x.score || x.id.localeCompare(y.id));
  }

  classify(text: string, tokens: string[]): ThemeScore[] {
    const raw = this.rawScores(text, tokens);
    const best = raw[0]?.score ?? 0;
    const p = this.params;
    const kept = raw.filter((r) => r.score >= p.minScore && r.score >= p.relativeToBest * best).slice(0, p.maxThemes);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    if (kept.length === 0) return [{ id: 'other', score: round(1 - best) }];
    return kept.map((k) => ({ id: k.id, score: round(k.score) }));
  }
}

// ---------------------------------------------------------------------------------------------

let seg: Segmenter;
const taxonomy = loadTaxonomy();
const phrases = taxonomy.flatMap((t) => t.phrases);

beforeAll(() => {
  seg = createSegmenter();
});

/** Deterministic texts: labelled statements, their pieces recombined, phrases, numbers and Latin. */
function sampleTexts(n: number): string[] {
  let seed = 11;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const pieces = labelled.flatMap((l) => l.text.split(/(?<=[，。；、])/u));
  const extras = ['2023年', '12.5%', '#政务', 'APP', '，', '第3条', '不', '未及时', '政府信息公开', ' '];
  const out = labelled.map((l) => l.text);
  while (out.length < n) {
    const parts = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => (rnd() < 0.55 ? pick(pieces) : rnd() < 0.6 ? pick(phrases) : pick(extras)));
    out.push(parts.join(''));
  }
  return out;
}

describe('ThemeClassifier against the Map-based reference', () => {
  const check = (clf: ThemeClassifier, ref: Reference, texts: string[], tokensOf: (t: string) => string[]) => {
    for (const text of texts) {
      const tokens = tokensOf(text);
      expect(clf.rawScores(text, tokens)).toEqual(ref.rawScores(text, tokens));
      expect(clf.classify(text, tokens)).toEqual(ref.classify(text, tokens));
      expect([...clf.phraseScores(text)]).toEqual([...ref.phraseScores(text)]);
      expect([...clf.centroidScores(tokens)]).toEqual([...ref.centroidScores(tokens)]);
    }
  };

  it('the shipped training set: same scores on 1,200 texts', () => {
    const examples = labelled.map((l) => ({ tokens: seg.tokenize(l.text), themes: l.themes }));
    const clf = new ThemeClassifier(taxonomy, examples);
    const ref = new Reference(taxonomy, examples, DEFAULT_PARAMS);
    const texts = sampleTexts(1200);
    check(clf, ref, texts, (t) => seg.tokenize(t));
    // Not a vacuous comparison: most texts get themes, several get more than one.
    const multi = texts.filter((t) => clf.classify(t, seg.tokenize(t)).length > 1).length;
    expect(multi).toBeGreaterThan(100);
  });

  it('tiny centroids (fewer features than a statement), "#" tokens, unknown and repeated tokens', () => {
    // Five examples make centroids of a few features, so statements reach the full-dot path.
    const examples = labelled.slice(0, 5).map((l) => ({ tokens: seg.tokenize(l.text), themes: l.themes }));
    examples.push({ tokens: ['#政务', '政务公开', '政务公开', 'APP'], themes: ['platform'] });
    const params = { ...DEFAULT_PARAMS, minScore: 0.05, maxThemes: 5 };
    const clf = new ThemeClassifier(taxonomy, examples, params);
    const ref = new Reference(taxonomy, examples, params);
    const texts = sampleTexts(400);
    check(clf, ref, texts, (t) => {
      const tokens = seg.tokenize(t);
      return [...tokens, ...tokens.slice(0, 3), '#政务', '#务公', '未知词语甲乙'];
    });
    check(clf, ref, ['', '政务公开'], () => []);
  });

  it('ties are broken by id as localeCompare orders them (underscores included)', () => {
    const tax: Theme[] = ['key_areas', 'key2', 'keya', 'a_b', 'ab'].map((id) => ({ id, name: id, description: '', phrases: ['政务公开'] }));
    const clf = new ThemeClassifier(tax, [], { ...DEFAULT_PARAMS, maxThemes: 5 });
    const ref = new Reference(tax, [], { ...DEFAULT_PARAMS, maxThemes: 5 });
    expect(clf.rawScores('政务公开', [])).toEqual(ref.rawScores('政务公开', []));
    expect(clf.classify('政务公开', []).map((t) => t.id)).toEqual(['a_b', 'ab', 'key_areas', 'key2', 'keya']);
  });

  it('refuses a taxonomy that uses a theme id twice (its scores would be ambiguous)', () => {
    const tax: Theme[] = ['web', 'staff', 'web'].map((id) => ({ id, name: id, description: '', phrases: ['网站'] }));
    expect(() => new ThemeClassifier(tax, [])).toThrow(/"web" is used twice/);
  });
});

describe('tokenize and isVague fast paths', () => {
  it('tokenize equals cut() minus stopwords and bare numbers', () => {
    const NUMBER = /^[\d.．、%]*\d[\d.．、%]*$/u;
    let kept = 0;
    for (const text of sampleTexts(600)) {
      const expected = seg.cut(text).filter((t) => !seg.stopwords.has(t) && !NUMBER.test(t));
      expect(seg.tokenize(text)).toEqual(expected);
      kept += expected.length;
    }
    expect(kept).toBeGreaterThan(5000);
  });

  it('isVague equals removing every filler, then counting what is left', () => {
    const c = cues();
    const reference = (text: string) => {
      if (!c.vaguePattern.test(text)) return false;
      let rest = text.replace(/\d+/g, '');
      for (const f of c.vagueFiller) rest = rest.split(f).join('');
      return (rest.match(/[\u3400-\u9fff]/gu)?.length ?? 0) < 4;
    };
    const texts = [
      ...sampleTexts(600),
      '仍存在一些不足',
      '政府信息公开工作虽然取得了一定成效，但仍存在一些问题和不足',
      '工政府信息公开工作作存在不足', // a removal joins 工作, removed in turn
      '存在问题：网站更新不及时',
      '还有较大差距2023年',
    ];
    let vague = 0;
    for (const t of texts) {
      expect(isVague(t, c)).toBe(reference(t));
      if (reference(t)) vague++;
    }
    expect(vague).toBeGreaterThanOrEqual(3);
  });

  it('isSpaceCode agrees with /\\s/u on every UTF-16 code unit', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isSpaceCode(c) !== /\s/u.test(String.fromCharCode(c))) differ.push(c);
    expect(differ).toEqual([]);
  });
});
