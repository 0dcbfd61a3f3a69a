/**
 * classifyHeading looks each title over once, trying only the words that start with each character.
 * It must pick what "the key whose word appears earliest, a boundary word before it wins" picks, on
 * titles made of section words, boundary words, parts of them and filler, in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import words from '../../src/data/parse-sections.json' with { type: 'json' };
import { SECTION_KEYS, type SectionKey } from '../../src/model/types.js';
import { classifyHeading } from '../../src/parse/sections.js';

const keyWords = words.keys as Record<SectionKey, string[]>;

/** The rule as the data states it: earliest word of any key (the key listed first at a tie), earliest boundary word. */
function byRule(title: string): { key: SectionKey | null; boundary: boolean } {
  let best: { key: SectionKey; at: number } | null = null;
  for (const key of SECTION_KEYS) {
    for (const word of keyWords[key]) {
      const at = title.indexOf(word);
      if (at >= 0 && (best === null || at < best.at)) best = { key, at };
    }
  }
  const hits = words.boundary.map((w) => title.indexOf(w)).filter((at) => at >= 0);
  const boundaryAt = hits.length ? Math.min(...hits) : -1;
  if (best && (boundaryAt < 0 || best.at <= boundaryAt)) return { key: best.key, boundary: false };
  return { key: null, boundary: boundaryAt >= 0 && boundaryAt < 16 };
}

const allWords = [...SECTION_KEYS.flatMap((k) => keyWords[k]), ...words.boundary];
const piece = fc.oneof(
  fc.constantFrom(...allWords),
  fc.constantFrom(...allWords).map((w) => w.slice(0, Math.max(1, w.length - 1))),
  fc.constantFrom(...allWords).map((w) => w.slice(1)),
  fc.constantFrom('的', '和', '情况', '政府信息', '年度', ' ', '（', '2020', '工作'),
);

describe('classifyHeading', () => {
  it('gives the same key and boundary as the rule on made-up titles', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const title = parts.join('');
        expect(classifyHeading(title)).toEqual(byRule(title));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the usual headings', () => {
    expect(classifyHeading('总体情况').key).toBe('overview');
    expect(classifyHeading('收到和处理政府信息公开申请情况').key).toBe('applications');
  });
});
