/**
 * Text normalisation shared by every format: line endings, Unicode NFC, and traditional → simplified
 * conversion. The conversion is kept length-preserving character by character so that offsets into
 * `text` (findings, quotes) point at the same place in `originalText`, which is what users are shown.
 */
import * as OpenCC from 'opencc-js';
import variants from '../data/ingest-variants.json' with { type: 'json' };

// 'tw' covers standard traditional and Taiwan variants (裡, 綫…); mainland reports are the target.
const openccToSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
// Mainland forms of the few phrases OpenCC leaves as variants (data file; same-length pairs only).
const mainlandForms = OpenCC.CustomConverter(variants.phrases.filter(([a, b]) => a.length === b.length) as [string, string][]);
const toSimplified = (text: string): string => mainlandForms(openccToSimplified(text));

/** A dictionary as opencc-js holds it: "key value|key value" or [key, value] pairs. */
type DictLike = string | readonly (readonly [string, string])[];
interface ConfigShape {
  normalizationChain?: readonly (readonly DictLike[])[];
  conversionChain?: readonly (readonly DictLike[])[];
}

/**
 * Code points of which every entry that changes text has at least one (the character where key and
 * value first differ). A line with none of them comes out of the conversion unchanged — an entry only
 * fires where its whole key occurs — so it need not be converted: most lines of a simplified report.
 * Built from the dictionaries the converter itself loaded (tw → cn is opencc-js's "tw2s" config, run
 * after its normalisation chain) plus the mainland phrases, so it cannot drift from them. null when
 * opencc-js's layout is not the expected one: then every line is converted, as before.
 */
function changingCodePoints(): Set<number> | null {
  const config = (OpenCC.Locale.configs as Record<string, ConfigShape | undefined>)['tw2s'];
  if (!config?.conversionChain) return null;
  const dicts: DictLike[] = [...(config.normalizationChain ?? []).flat(), ...config.conversionChain.flat()];
  dicts.push(variants.phrases as [string, string][]);
  const points = new Set<number>();
  for (const dict of dicts) {
    const pairs = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ')) : dict;
    for (const [key, value] of pairs) {
      if (typeof key !== 'string' || typeof value !== 'string') return null;
      if (key === value || key === '') continue;
      let i = 0;
      while (i < key.length && key[i] === value[i]) i++;
      // A key that is a prefix of its value: any of its characters must occur, take the first.
      points.add(key.codePointAt(i < key.length ? i : 0)!);
    }
  }
  return points;
}

/** BMP part of changingCodePoints as a table (one byte per code unit: cheap to test in the hot loop). */
const CHANGING: Uint8Array | null = (() => {
  const points = changingCodePoints();
  if (!points) return null;
  const table = new Uint8Array(0x10000);
  for (const cp of points) {
    // Astral keys: mark their lead surrogate, so any line with such a character is converted.
    table[cp < 0x10000 ? cp : 0xd800 + ((cp - 0x10000) >> 10)] = 1;
  }
  return table;
})();

/** True when converting `line` could change it (false only when it surely would not). */
export function mayConvert(line: string): boolean {
  if (!CHANGING) return true;
  for (let i = 0; i < line.length; i++) if (CHANGING[line.charCodeAt(i)] === 1) return true;
  return false;
}

/** Share of Han characters a conversion must change before a text counts as traditional. */
const TRADITIONAL_SHARE = 0.04;
const HAN = /\p{Script=Han}/u;
/** HAN.test of each UTF-16 code unit, as a table (lone surrogates are not Han). */
const HAN_UNIT = (() => {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if (HAN.test(String.fromCharCode(c))) table[c] = 1;
  return table;
})();

/** Han characters of a line, counted by code point (a pair outside the BMP is one character). */
function countHan(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < line.length) {
      const low = line.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        if (HAN.test(line.slice(i, i + 2))) n++;
        i++;
        continue;
      }
    }
    n += HAN_UNIT[c];
  }
  return n;
}

export interface NormalizedText {
  text: string;
  /** Present only when traditional characters were converted; same length as text. */
  originalText?: string;
}

/** CRLF/CR → LF, NFC, drop NUL and the BOM character that some tools leave mid-file. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000\ufeff]/g, '')
    .normalize('NFC');
}

/**
 * Convert one line, phrase-aware, falling back to per-character conversion when a phrase mapping
 * would change the length (offsets must stay aligned). `always` skips the mayConvert shortcut (tests
 * check that the shortcut never changes a result).
 */
export function convertLine(line: string, always = false): string {
  if (!always && !mayConvert(line)) return line;
  const converted = toSimplified(line);
  if (converted.length === line.length) return converted;
  let out = '';
  for (const ch of line) {
    const c = toSimplified(ch);
    out += c.length === ch.length ? c : ch;
  }
  return out;
}

/**
 * Convert traditional characters to simplified when the text is written in traditional characters.
 * Simplified text is left untouched: a few characters (乾, 著, 瞭) are valid in both scripts, so a
 * blanket conversion would alter correct simplified reports.
 */
export function toSimplifiedIfTraditional(text: string): NormalizedText {
  const lines = text.split('\n');
  const converted = lines.map((l) => convertLine(l));
  let han = 0;
  let changed = 0;
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i];
    const b = converted[i];
    if (a === b) {
      han += countHan(a);
      continue;
    }
    for (let j = 0; j < a.length; j++) {
      han += HAN_UNIT[a.charCodeAt(j)];
      if (a[j] !== b[j]) changed++;
    }
  }
  if (han === 0 || changed / han < TRADITIONAL_SHARE) return { text };
  return { text: converted.join('\n'), originalText: text };
}

/** Unconditional, length-preserving traditional → simplified conversion (for the cells of a traditional document). */
export function convertTraditional(text: string): string {
  return text.split('\n').map((l) => convertLine(l)).join('\n');
}

/** The full normalisation applied to every document's text. */
export function normalizeText(raw: string): NormalizedText {
  return toSimplifiedIfTraditional(cleanText(raw));
}
