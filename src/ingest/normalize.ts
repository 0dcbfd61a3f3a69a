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

/** Every [key, value] pair the converter applies (tw → cn: opencc-js's "tw2s" config, run after its normalisation chain) plus the mainland phrases; null when opencc-js's layout is not the expected one. */
function dictionaryPairs(): (readonly [unknown, unknown])[] | null {
  const config = (OpenCC.Locale.configs as Record<string, ConfigShape | undefined>)['tw2s'];
  if (!config?.conversionChain) return null;
  const dicts: DictLike[] = [...(config.normalizationChain ?? []).flat(), ...config.conversionChain.flat()];
  dicts.push(variants.phrases as [string, string][]);
  return dicts.flatMap((dict) => (typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ') as [string, string]) : dict));
}

/** One byte per UTF-16 code unit (astral characters are marked by their surrogates). */
type UnitTable = Uint8Array;

interface ConversionTables {
  /**
   * Code units of which every entry that changes text has at least one (the character where key and
   * value first differ). A line with none of them comes out of the conversion unchanged (an entry only
   * fires where its whole key occurs), so it need not be converted: most lines of a simplified report.
   */
  changing: UnitTable;
  /** Code units a same-length entry replaces by another (every position where key and value differ). */
  differing: UnitTable;
  /**
   * One code unit of each key whose entry changes the length, and of each key whose value holds such a
   * unit (an earlier step can make a later one fire); an entry only fires where its whole key occurs,
   * so one unit is enough. A line with none of them keeps every character in place through all the
   * steps, so a character the conversion changes is one of `differing`.
   */
  lengthy: UnitTable;
}

/**
 * Built from the dictionaries the converter itself loaded, so they cannot drift from them. null when
 * opencc-js's layout is not the expected one: then every line is converted, as before.
 */
function conversionTables(): ConversionTables | null {
  const pairs = dictionaryPairs();
  if (!pairs) return null;
  const changing = new Uint8Array(0x10000);
  const differing = new Uint8Array(0x10000);
  const lengthy = new Uint8Array(0x10000);
  const entries: [string, string][] = [];
  for (const [key, value] of pairs) {
    if (typeof key !== 'string' || typeof value !== 'string') return null;
    if (key === value || key === '') continue;
    entries.push([key, value]);
    let i = 0;
    while (i < key.length && key[i] === value[i]) i++;
    // A key that is a prefix of its value: any of its characters must occur, take the first.
    const cp = key.codePointAt(i < key.length ? i : 0)!;
    // Astral keys: mark their lead surrogate, so any line with such a character is converted.
    const unit = cp < 0x10000 ? cp : 0xd800 + ((cp - 0x10000) >> 10);
    changing[unit] = 1;
    if (key.length === value.length) {
      for (let j = 0; j < key.length; j++) if (key[j] !== value[j]) differing[key.charCodeAt(j)] = 1;
    } else {
      lengthy[unit] = 1;
    }
  }
  // Closure: a key whose value holds a lengthy unit may make a length-changing entry fire later.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, value] of entries) {
      const unit = key.charCodeAt(0);
      if (lengthy[unit] === 1) continue;
      for (let j = 0; j < value.length; j++) {
        if (lengthy[value.charCodeAt(j)] === 1) {
          lengthy[unit] = 1;
          grew = true;
          break;
        }
      }
    }
  }
  return { changing, differing, lengthy };
}

const TABLES = conversionTables();
const CHANGING: UnitTable | null = TABLES?.changing ?? null;

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
 * True when the text is surely below the traditional share, told without converting a line: the
 * characters conversion could change (see ConversionTables; a whole line where its length could
 * change) are too few even if all of them changed. Han characters are counted by code unit, which
 * never counts more than toSimplifiedIfTraditional does. False means "not sure": convert and count.
 */
export function surelySimplified(text: string): boolean {
  if (!TABLES) return false;
  const { changing, differing, lengthy } = TABLES;
  let han = 0;
  let mayChange = 0;
  let lineMay = 0;
  let lineLengthy = 0;
  let lineDiffering = 0;
  let lineStart = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x0a;
    if (c === 0x0a) {
      // Only lines with a `changing` unit are converted at all (convertLine's mayConvert shortcut).
      if (lineMay) mayChange += lineLengthy ? i - lineStart : lineDiffering;
      lineMay = lineLengthy = lineDiffering = 0;
      lineStart = i + 1;
      continue;
    }
    han += HAN_UNIT[c];
    lineMay |= changing[c];
    lineLengthy |= lengthy[c];
    lineDiffering += differing[c];
  }
  return han > 0 && mayChange / han < TRADITIONAL_SHARE;
}

/**
 * Convert traditional characters to simplified when the text is written in traditional characters.
 * Simplified text is left untouched: a few characters (乾, 著, 瞭) are valid in both scripts, so a
 * blanket conversion would alter correct simplified reports. `always` skips the shortcuts (surelySimplified,
 * mayConvert): tests check that they never change a result.
 */
export function toSimplifiedIfTraditional(text: string, always = false): NormalizedText {
  if (!always && surelySimplified(text)) return { text };
  const lines = text.split('\n');
  const converted = lines.map((l) => convertLine(l, always));
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
