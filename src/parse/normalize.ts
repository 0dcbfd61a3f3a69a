/**
 * Same-length folding of the text for matching: full-width digits, letters and punctuation become
 * their ASCII forms, ideographic space becomes a space. Offsets in the folded text are offsets in the
 * original text, so sections and quotes can be cut from the printed characters.
 */
const FOLD: Record<string, string> = {
  '（': '(',
  '）': ')',
  '：': ':',
  '，': ',',
  '；': ';',
  '．': '.',
  '／': '/',
  '－': '-',
  '｜': '|',
  '\u3000': ' ',
  '\u00a0': ' ',
  '\t': ' ',
  '\r': ' ',
  '＋': '+',
  '％': '%',
};

/** Every character foldText changes (all in the BMP: a surrogate pair never matches, so it stays whole). */
const FOLDABLE = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a（）：，；．／－｜\u3000\u00a0\t\r＋％]/g;

function foldChar(ch: string): string {
  const mapped = FOLD[ch];
  if (mapped !== undefined) return mapped;
  const code = ch.charCodeAt(0);
  // Full-width digits → 0-9; full-width letters are 0xfee0 above their ASCII forms.
  return code <= 0xff19 ? String.fromCharCode(code - 0xff10 + 48) : String.fromCharCode(code - 0xfee0);
}

export function foldText(text: string): string {
  // One native pass over the text; most characters (Chinese) are left as they are.
  return text.replace(FOLDABLE, foldChar);
}

/** Chinese numerals used in section numbering, 一 = 1 … 十 = 10. */
export const CN_NUMERALS = '一二三四五六七八九十';

export function cnNumeralValue(ch: string): number {
  const i = CN_NUMERALS.indexOf(ch);
  return i < 0 ? 0 : i + 1;
}

/** Collapse runs of whitespace and trim, for titles and labels. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
