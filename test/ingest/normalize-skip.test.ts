/**
 * The traditional → simplified shortcut (normalize.ts mayConvert): a line it skips must be exactly what
 * the full conversion would return, on the fixture reports, their traditional versions and every single
 * Han character.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js';
import { cleanText, convertLine, convertTraditional, mayConvert, surelySimplified, toSimplifiedIfTraditional } from '../../src/ingest/normalize.js';

const corpus = join(import.meta.dirname, '../fixtures/corpus/reports');
const texts = readdirSync(corpus)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => cleanText(readFileSync(join(corpus, f), 'utf8')));
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const traditional = texts.map((t) => toTraditional(t));

/** The normalisation as it was before the shortcut: every line converted. */
function convertEveryLine(text: string): string {
  return text.split('\n').map((l) => convertLine(l, true)).join('\n');
}

describe('traditional → simplified shortcut', () => {
  it('skips most lines of a simplified report, hardly any of a traditional one', () => {
    const lines = texts.flatMap((t) => t.split('\n')).filter((l) => /\p{Script=Han}/u.test(l));
    const tradLines = traditional.flatMap((t) => t.split('\n')).filter((l) => /\p{Script=Han}/u.test(l));
    const skipped = lines.filter((l) => !mayConvert(l)).length;
    expect(skipped / lines.length).toBeGreaterThan(0.5);
    expect(tradLines.filter((l) => !mayConvert(l)).length / tradLines.length).toBeLessThan(0.2);
  });

  it('gives the full conversion on every line of the fixture reports, simplified and traditional', () => {
    for (const text of [...texts, ...traditional]) {
      for (const line of text.split('\n')) expect(convertLine(line)).toBe(convertLine(line, true));
      expect(convertTraditional(text)).toBe(convertEveryLine(text));
    }
  });

  it('converts traditional versions of the fixtures as the full conversion does', () => {
    for (let i = 0; i < texts.length; i++) {
      const got = toSimplifiedIfTraditional(traditional[i]);
      expect(got.originalText).toBe(traditional[i]);
      expect(got.text).toBe(convertEveryLine(traditional[i]));
    }
  });

  it('never skips a single character the conversion would change', () => {
    const missed: string[] = [];
    const ranges: [number, number][] = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x2a6df]];
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        if (!mayConvert(ch) && convertLine(ch, true) !== ch) missed.push(ch);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('traditional share', () => {
  it('counts Han characters by code point, astral ones once, lone surrogates never', () => {
    // Traditional when at least 4% of the Han characters change: 1 of 25 is, 1 of 26 is not.
    expect(toSimplifiedIfTraditional('發布公告').originalText).toBe('發布公告');
    expect(toSimplifiedIfTraditional(`發\n${'公'.repeat(24)}`).originalText).toBeDefined();
    expect(toSimplifiedIfTraditional(`發\n${'公'.repeat(25)}`).originalText).toBeUndefined();
    // 𠀀 (U+20000) is one Han character: 1 changed of 25 (4%) is traditional, of 26 it is not.
    const filler = (n: number) => '公'.repeat(n);
    expect(toSimplifiedIfTraditional(`發\n${filler(23)}𠀀`).originalText).toBeDefined();
    expect(toSimplifiedIfTraditional(`發\n${filler(24)}𠀀`).originalText).toBeUndefined();
    expect(toSimplifiedIfTraditional(`發\n${filler(24)}\ud800`).originalText).toBeDefined();
  });
});

describe('traditional share shortcut (surelySimplified)', () => {
  it('decides most simplified reports without converting, no traditional one', () => {
    expect(texts.filter((t) => surelySimplified(t)).length).toBeGreaterThan(texts.length / 2);
    expect(traditional.filter((t) => surelySimplified(t))).toEqual([]);
  });

  it('gives the full result on simplified reports with more and more traditional lines', () => {
    for (let i = 0; i < texts.length; i += 3) {
      const lines = texts[i].split('\n');
      const tradLines = traditional[i].split('\n');
      for (const every of [97, 41, 23, 11, 5, 2]) {
        const mixed = lines.map((l, k) => (k % every === 0 ? tradLines[k] : l)).join('\n');
        expect(toSimplifiedIfTraditional(mixed)).toEqual(toSimplifiedIfTraditional(mixed, true));
      }
    }
  });

  it('never takes a character the conversion changes for one it keeps', () => {
    // One changed character among 25 Han characters is exactly the traditional share: the shortcut
    // must leave every such text to the full count. Compatibility ideographs change length.
    const ranges: [number, number][] = [[0x4e00, 0x9fff], [0xf900, 0xfaff], [0x2f800, 0x2fa1f]];
    const wrong: string[] = [];
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        if (convertLine(ch, true) === ch) continue;
        const text = `${ch}\n${'公'.repeat(24)}`;
        if (surelySimplified(text) && toSimplifiedIfTraditional(text, true).originalText !== undefined) wrong.push(ch);
      }
    }
    expect(wrong).toEqual([]);
  });
});
