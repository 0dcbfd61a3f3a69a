/**
 * readPdf judges a text layer by the first 20,000 characters left after removing pipes and white
 * space; strippedHead strips only a prefix of the text and must give exactly those characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strippedHead } from '../../src/ingest/pdf.js';

/** Strip everything, then cut: what readPdf did before, kept as the oracle. */
const oracle = (text: string, limit: number) => text.replace(/[|\s]/g, '').slice(0, limit);

describe('strippedHead', () => {
  it('gives the first characters of the whole stripped text, whatever the share of white space', () => {
    const unit = fc.constantFrom('a', '表', ' ', '\n', '\t', '|', '\u3000', '\u00a0', '\ud83d', '\ude00', '\ud83d\ude00');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 400 }), fc.integer({ min: 0, max: 120 }), (text, limit) => {
        expect(strippedHead(text, limit)).toBe(oracle(text, limit));
      }),
      { numRuns: 500 },
    );
  });

  it('reads past a long run of white space to fill the head, and stops at the end of a short text', () => {
    const text = `${'| \n'.repeat(50_000)}${'政府信息公开'.repeat(5_000)}`;
    expect(strippedHead(text, 20_000)).toBe(oracle(text, 20_000));
    expect(strippedHead(text, 20_000)).toHaveLength(20_000);
    expect(strippedHead('| 一 二 |\n', 20_000)).toBe('一二');
    expect(strippedHead('', 20_000)).toBe('');
  });
});
