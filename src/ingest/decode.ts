/**
 * Bytes → text. Government sites still publish GBK/GB18030 and Big5 pages, and Windows tools save
 * UTF-16, so the encoding is detected rather than assumed:
 *   1. a byte-order mark decides (UTF-8, UTF-16 LE/BE);
 *   2. bytes that are strictly valid UTF-8 are UTF-8 (legacy CJK encodings almost never are);
 *   3. otherwise GB18030, Big5 and (for even lengths) UTF-16 without BOM are each decoded and the one
 *      that yields the most plausible text (common characters, no replacement or control characters)
 *      wins. GB18030 and Big5 both accept most byte pairs, so plausibility, not validity, decides.
 */
import iconv from 'iconv-lite';
import commonChars from '../data/ingest-common-chars.json' with { type: 'json' };

export interface DecodedText {
  text: string;
  /** 'utf-8' | 'gb18030' | 'big5' | 'utf-16le' | 'utf-16be' */
  encoding: string;
}

/** Common characters of the unified block U+4E00–U+9FFF as a table indexed by code point − 0x4E00. */
const COMMON_BASE = 0x4e00;
const COMMON = new Uint8Array(0x9fff - COMMON_BASE + 1);
for (const ch of [...commonChars.simplified, ...commonChars.traditional]) {
  const c = ch.codePointAt(0)!;
  if (ch.length === 1 && c >= COMMON_BASE && c <= 0x9fff) COMMON[c - COMMON_BASE] = 1;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Score of one character (code point) in textPlausibility. */
function charScore(c: number): number {
  if (c === 0xfffd) return -5;
  if (c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f)) return 1;
  if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return -5;
  if (c >= 0xe000 && c <= 0xf8ff) return -3; // private use: GBK user-defined areas, broken Big5
  if (c >= 0x4e00 && c <= 0x9fff) return COMMON[c - COMMON_BASE] === 1 ? 1 : 0.1;
  if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x2010 && c <= 0x206f)) return 1;
  return -0.5; // Hangul, Yi, rare extensions: what misread UTF-16 or Big5 tends to produce
}

/** charScore of every UTF-16 code unit (a lone surrogate is scored as itself). */
const UNIT_SCORE = new Float64Array(0x10000);
for (let c = 0; c < 0x10000; c++) UNIT_SCORE[c] = charScore(c);

/** How sensible a decoded text looks: about 1 per character for clean Chinese/ASCII text, lower (or negative) for mojibake. */
export function textPlausibility(text: string): number {
  let score = 0;
  let count = 0;
  // Code point by code point (a surrogate pair is one character, a lone surrogate one too), by index:
  // this runs on the first 20k characters of every text file, and several times per legacy-encoded one.
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    count++;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        score += charScore(0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00));
        i++;
        continue;
      }
    }
    score += UNIT_SCORE[c];
  }
  return count === 0 ? 0 : score / count;
}

function hasBom(b: Uint8Array, ...bom: number[]): boolean {
  return b.length >= bom.length && bom.every((x, i) => b[i] === x);
}

/** Share of zero bytes at even and odd positions (UTF-16 text with ASCII has many on one side). */
function zeroPattern(b: Uint8Array): { even: number; odd: number } {
  const n = Math.min(b.length, 65536);
  let even = 0;
  let odd = 0;
  // Pairs of bytes, then the odd last one: runs over the head of every text file.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  if (i < n && b[i] === 0) even++;
  const half = Math.max(1, n / 2);
  return { even: even / half, odd: odd / half };
}

/** Decode bytes of unknown encoding. Never throws; an undecodable file comes back with replacement characters. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (hasBom(buf, 0xef, 0xbb, 0xbf)) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (hasBom(buf, 0xff, 0xfe)) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (hasBom(buf, 0xfe, 0xff)) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };

  const zeros = zeroPattern(buf);
  const looksUtf16 = buf.length % 2 === 0 && Math.max(zeros.even, zeros.odd) > 0.2 && Math.min(zeros.even, zeros.odd) < 0.05;
  if (!looksUtf16) {
    try {
      return { text: strictUtf8.decode(buf), encoding: 'utf-8' };
    } catch {
      // not UTF-8: fall through to the legacy encodings
    }
  }

  const candidates = ['gb18030', 'big5'];
  if (buf.length % 2 === 0) candidates.push('utf-16le', 'utf-16be');
  // Judge on a prefix: enough to tell encodings apart, cheap on large files.
  const sample = buf.subarray(0, Math.min(buf.length, 64 * 1024));
  let best = { encoding: 'gb18030', score: -Infinity };
  for (const encoding of candidates) {
    const score = textPlausibility(iconv.decode(sample, encoding));
    // Strictly greater: on a tie the earlier (more common) encoding wins.
    if (score > best.score) best = { encoding, score };
  }
  return { text: iconv.decode(buf, best.encoding), encoding: best.encoding };
}

/** True when the bytes look like a binary file rather than text in any supported encoding. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (hasBom(bytes, 0xff, 0xfe) || hasBom(bytes, 0xfe, 0xff)) return false;
  const n = Math.min(bytes.length, 8192);
  const zeros = zeroPattern(bytes.subarray(0, n));
  if (n % 2 === 0 && Math.max(zeros.even, zeros.odd) > 0.2 && Math.min(zeros.even, zeros.odd) < 0.05) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b)) control++;
  }
  if (n === 0 || control / n <= 0.05) return false;
  // UTF-16 without BOM and without ASCII has no zero pattern, and its low bytes look like controls.
  if (n % 2 === 0) {
    const sample = Buffer.from(bytes.buffer, bytes.byteOffset, n);
    for (const encoding of ['utf-16le', 'utf-16be']) if (textPlausibility(iconv.decode(sample, encoding)) > 0.6) return false;
  }
  return true;
}
