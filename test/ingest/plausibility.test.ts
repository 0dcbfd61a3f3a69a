/**
 * textPlausibility walks code units by index (decode.ts); it must score exactly as iterating code
 * points does, on clean text, on mojibake and on strings with surrogate pairs and lone surrogates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import commonChars from '../../src/data/ingest-common-chars.json' with { type: 'json' };
import { textPlausibility } from '../../src/ingest/decode.js';

/** The scoring as written before the index walk, kept here as the oracle. */
const COMMON = new Set<string>([...commonChars.simplified, ...commonChars.traditional]);
function oracle(text: string): number {
  let score = 0;
  let count = 0;
  for (const ch of text) {
    count++;
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd) score -= 5;
    else if (c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f)) score += 1;
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) score -= 5;
    else if (c >= 0xe000 && c <= 0xf8ff) score -= 3;
    else if (c >= 0x4e00 && c <= 0x9fff) score += COMMON.has(ch) ? 1 : 0.1;
    else if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x2010 && c <= 0x206f)) score += 1;
    else score -= 0.5;
  }
  return count === 0 ? 0 : score / count;
}

const corpus = join(import.meta.dirname, '../fixtures/corpus/reports');
const texts = readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(corpus, f), 'utf8'));

describe('textPlausibility', () => {
  it('scores the fixture reports and their misreadings as the code-point walk does', () => {
    for (const text of texts) {
      expect(textPlausibility(text)).toBe(oracle(text));
      const bytes = Buffer.from(text, 'utf8');
      for (const enc of ['gb18030', 'big5', 'utf-16le', 'utf-16be']) {
        const misread = iconv.decode(bytes.subarray(0, bytes.length & ~1), enc);
        expect(textPlausibility(misread)).toBe(oracle(misread));
      }
    }
  });

  it('counts a surrogate pair as one character and a lone surrogate as one', () => {
    expect(textPlausibility('𠀀')).toBe(-0.5);
    expect(textPlausibility('\ud800a')).toBe(oracle('\ud800a'));
    expect(textPlausibility('a\udc00\ud800')).toBe(oracle('a\udc00\ud800'));
    expect(textPlausibility('')).toBe(0);
  });

  it('agrees with the oracle on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => textPlausibility(s) === oracle(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0x3000, max: 0x9fff }).map((c) => String.fromCharCode(c)), maxLength: 64 }), (s) => textPlausibility(s) === oracle(s)),
      { numRuns: 500 },
    );
  });
});
