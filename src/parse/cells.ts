/**
 * Reading cell values out of the text between two row labels, for every layout the corpus shows:
 * one cell per line ending in " |", markdown pipe rows, cells separated by spaces, and digits run
 * together ("640020470"). A token is one printed value; a `run` is a bare digit string that may hold
 * several cells whose boundaries the layout lost.
 */
import { loadData } from './data.js';

interface LabelData {
  units: Record<string, number>;
  placeholders: string[];
}
const DATA = loadData<LabelData>('table-labels.json');

export interface Token {
  /** Text as printed ("150件", "减少5项", "/", "640020470"). */
  raw: string;
  /** Number, or null for a placeholder ("/", "—", "无"), which is a blank cell. */
  value: number | null;
  /**
   * Digits that may be several cells run together ("640020470", "13575394432.52元"): the integer
   * digits split into cells, the decimals and unit stay with the last one.
   */
  run: boolean;
  /** Integer digits of a run. */
  digits?: string;
  /** Decimals and unit that follow a run's digits (".52元"). */
  tail?: string;
}

const UNIT_RE = Object.keys(DATA.units)
  .sort((a, b) => b.length - a.length)
  .join('|');
const COUNT_UNITS = '件|项|笔|条|个|次|家|人次|宗';
const TOKEN_RE = new RegExp(
  `(增加|减少|增|减)?\\s*([+-]?)(\\d+)((?:\\.\\d+)?)\\s*(${UNIT_RE}|${COUNT_UNITS})?|(——|--|[/／—–\\\\-])|(?<![\\u4e00-\\u9fa5])(无|空)(?![\\u4e00-\\u9fa5])`,
  'g',
);

/** Parse one printed cell ("55014.55万元", "减少5项", "-223", "/") into a number or a blank. */
export function parseCellText(text: string): Token | null {
  const tokens = tokenize(text, true);
  return tokens.length === 1 ? tokens[0] : null;
}

/** The number a printed piece stands for: sign word, digits, decimals, unit. */
export function pieceValue(word: string | undefined, sign: string, digits: string, decimals: string, unit: string | undefined): number {
  let value = Number(`${digits}${decimals}`);
  if (sign === '-' || word === '减少' || word === '减') value = -Math.abs(value);
  if (unit && DATA.units[unit] !== undefined) value = roundUnit(value * DATA.units[unit]);
  return value;
}

/** Value of one piece of a split run; the last piece carries the run's decimals and unit. */
export function runPieceValue(piece: string, tail: string): number {
  const m = /^((?:\.\d+)?)\s*(.*)$/.exec(tail)!;
  return pieceValue(undefined, '', piece, m[1], m[2] || undefined);
}

/**
 * Tokens of a stretch of text. `atomic`: the layout separates cells (pipes, one per line), so a digit
 * string is one cell.
 */
export function tokenize(text: string, atomic: boolean): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
    const raw = m[0].trim();
    if (m[6] !== undefined || m[7] !== undefined) {
      out.push({ raw, value: null, run: false });
      continue;
    }
    const [, word, sign, digits, decimals, unit] = m;
    const value = pieceValue(word, sign, digits, decimals, unit);
    const run = !atomic && !word && !sign && digits.length > 1;
    out.push(run ? { raw, value, run, digits, tail: `${decimals}${unit ?? ''}` } : { raw, value, run: false });
  }
  return out;
}

/** Avoid 0.1+0.2 noise when converting 元 to 万元. */
function roundUnit(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** The ways a digit run splits into `k` numbers without leading zeros ("0" itself is fine). */
export function splitRun(digits: string, k: number): string[][] {
  const out: string[][] = [];
  const rec = (from: number, left: number, acc: string[]): void => {
    if (left === 0) {
      if (from === digits.length) out.push([...acc]);
      return;
    }
    const remaining = digits.length - from;
    if (remaining < left) return;
    const maxLen = remaining - (left - 1);
    for (let len = 1; len <= maxLen; len++) {
      const piece = digits.slice(from, from + len);
      if (piece.length > 1 && piece[0] === '0') break;
      acc.push(piece);
      rec(from + len, left - 1, acc);
      acc.pop();
    }
  };
  rec(0, k, []);
  return out;
}
