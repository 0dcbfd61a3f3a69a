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

export function foldText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 2) {
      // Astral characters keep their two UTF-16 units so offsets stay aligned.
      out += ch;
    } else if (FOLD[ch] !== undefined) {
      out += FOLD[ch];
    } else if (code >= 0xff10 && code <= 0xff19) {
      out += String.fromCharCode(code - 0xff10 + 48);
    } else if ((code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) {
      out += String.fromCharCode(code - 0xfee0);
    } else {
      out += ch;
    }
  }
  return out;
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
