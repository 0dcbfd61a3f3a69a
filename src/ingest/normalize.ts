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

/** Share of Han characters a conversion must change before a text counts as traditional. */
const TRADITIONAL_SHARE = 0.04;
const HAN = /\p{Script=Han}/u;

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
 * would change the length (offsets must stay aligned).
 */
function convertLine(line: string): string {
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
  const converted = lines.map(convertLine);
  let han = 0;
  let changed = 0;
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i];
    const b = converted[i];
    if (a === b) {
      for (const ch of a) if (HAN.test(ch)) han++;
      continue;
    }
    for (let j = 0; j < a.length; j++) {
      if (HAN.test(a[j])) han++;
      if (a[j] !== b[j]) changed++;
    }
  }
  if (han === 0 || changed / han < TRADITIONAL_SHARE) return { text };
  return { text: converted.join('\n'), originalText: text };
}

/** Unconditional, length-preserving traditional → simplified conversion (for the cells of a traditional document). */
export function convertTraditional(text: string): string {
  return text.split('\n').map(convertLine).join('\n');
}

/** The full normalisation applied to every document's text. */
export function normalizeText(raw: string): NormalizedText {
  return toSimplifiedIfTraditional(cleanText(raw));
}
