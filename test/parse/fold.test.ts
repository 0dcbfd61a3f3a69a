/** foldText: same-length folding of full-width forms, checked against a per-character definition. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldText } from '../../src/parse/normalize.js';

/** The definition, one character at a time (the production code does it in one regex pass). */
function foldReference(text: string): string {
  const table: Record<string, string> = { '（': '(', '）': ')', '：': ':', '，': ',', '；': ';', '．': '.', '／': '/', '－': '-', '｜': '|', '\u3000': ' ', '\u00a0': ' ', '\t': ' ', '\r': ' ', '＋': '+', '％': '%' };
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 2) out += ch;
    else if (table[ch] !== undefined) out += table[ch];
    else if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xff10 + 48);
    else if ((code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) out += String.fromCharCode(code - 0xfee0);
    else out += ch;
  }
  return out;
}

describe('foldText', () => {
  it('folds full-width digits, letters and punctuation and keeps offsets', () => {
    const text = '（一）主动公开：１２３件，占１０．５％；ＡＢｃ／－｜\u3000\t\r共𠀀计';
    const folded = foldText(text);
    expect(folded).toBe('(一)主动公开:123件,占10.5%;ABc/-|   共𠀀计');
    expect(folded.length).toBe(text.length);
  });

  it('agrees with the per-character definition on any text, surrogates included', () => {
    const alphabet = fc.constantFrom(...'（）：，；．／－｜＋％０９ＡＺａｚ＠［\u3000\u00a0\t\r\n 政府信息公开12ab', '𠀀', '\ud800', '\udc00');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        const folded = foldText(text);
        expect(folded).toBe(foldReference(text));
        expect(folded.length).toBe(text.length);
      }),
      { numRuns: 300 },
    );
  });
});
