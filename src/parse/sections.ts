/**
 * Sections 一 … 六 of a report. A heading is a Chinese numeral followed by 、 (or . / ．) at a line
 * start, after a sentence end, or after table digits (one-line pages run everything together). What
 * the heading says decides the section key (src/data/parse-sections.json), not its numeral: pre-2019
 * reports number their parts differently and some reports drop 总体情况 and number from 一.
 */
import { loadData } from './data.js';
import type { SectionKey, SectionSpan, Sections } from '../model/types.js';
import { SECTION_KEYS } from '../model/types.js';
import { CN_NUMERALS, cnNumeralValue } from './normalize.js';

interface SectionWords {
  keys: Record<SectionKey, string[]>;
  boundary: string[];
  headingEnd: string[];
  trailingChrome: string[];
}
const WORDS = loadData<SectionWords>('parse-sections.json');

export interface Heading {
  /** Section key, or null for a part that only ends the previous one (收费, 咨询 …). */
  key: SectionKey | null;
  numeral: number;
  /** Offset of the numeral. */
  start: number;
  /** Offset just after the heading text. */
  end: number;
  text: string;
}

// Characters after which a numbered heading may start.
const HEADING_BEFORE = /[\n。;；:：!?！？\s|\d"”’)）]/;
const HEADING_RE = new RegExp(`([${CN_NUMERALS}])\\s*[、.．]\\s*`, 'g');

/** A section word (key) or a boundary word (key null), by its first character, in data order. */
interface HeadingWord {
  word: string;
  key: SectionKey | null;
}
const WORDS_BY_FIRST = new Map<string, HeadingWord[]>();
/** 1 for the code units some word starts with: most title characters are passed over by this alone. */
const STARTS_WORD = new Uint8Array(0x10000);
for (const word of [...SECTION_KEYS.flatMap((key) => WORDS.keys[key].map((w) => ({ word: w, key }))), ...WORDS.boundary.map((w) => ({ word: w, key: null }))]) {
  // An empty word would open every heading: refuse the data rather than index it.
  if (word.word === '') throw new Error('parse-sections.json: an empty heading word');
  STARTS_WORD[word.word.charCodeAt(0)] = 1;
  const list = WORDS_BY_FIRST.get(word.word[0]);
  if (list) list.push(word);
  else WORDS_BY_FIRST.set(word.word[0], [word]);
}

/**
 * Which section a heading title opens: the key whose word appears earliest in the title (the key
 * listed first when two start at the same place), unless a boundary word starts before it. The title
 * is read once from the left, trying only the words that start with each character: the first place
 * where any word starts decides.
 */
export function classifyHeading(title: string): { key: SectionKey | null; boundary: boolean } {
  for (let i = 0; i < title.length; i++) {
    if (STARTS_WORD[title.charCodeAt(i)] === 0) continue;
    let key: SectionKey | null = null;
    let boundary = false;
    for (const w of WORDS_BY_FIRST.get(title[i])!) {
      if (!title.startsWith(w.word, i)) continue;
      if (w.key === null) boundary = true;
      else key ??= w.key;
    }
    if (key !== null) return { key, boundary: false };
    if (boundary) return { key: null, boundary: i < 16 };
  }
  return { key: null, boundary: false };
}

/** End of the heading text: the whole line when it is short, else up to a heading-final word. */
function headingEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const lineEnd = nl < 0 ? text.length : nl;
  const trimmed = text.slice(from, lineEnd).trim();
  // A short line is the whole heading, unless it is a heading run together with a one-sentence body
  // ("六、其他需要报告的事项2025年，无收取信息处理费情况。", "六、其他需要报告的事项无。"): headings
  // have no comma, and a full stop after words that do not end a heading closes a sentence. (A long
  // line never is: it is not looked through; table pages run hundreds of characters on one line.)
  if (trimmed.length <= 40) {
    const bare = trimmed.endsWith('。') ? trimmed.slice(0, -1) : trimmed;
    const sentence = /[,，]/.test(bare) || (trimmed.endsWith('。') && !WORDS.headingEnd.some((w) => bare.endsWith(w)));
    if (!/\S\s+\S/.test(trimmed) && !/[。；;]/.test(bare) && !sentence) return lineEnd;
  }
  const window = text.slice(from, Math.min(lineEnd, from + 40));
  // The earliest heading-final word that is not continued ("问题及改进情况" goes on past 问题).
  let best = -1;
  for (const word of WORDS.headingEnd) {
    for (let at = window.indexOf(word); at >= 0; at = window.indexOf(word, at + 1)) {
      const end = at + word.length;
      if (/^[及和与、并以的]/.test(window.slice(end))) continue;
      if (best < 0 || end < best) best = end;
      break;
    }
  }
  if (best >= 0) return from + best;
  const stop = window.search(/[。;；:：(（\s]/);
  return from + (stop >= 0 ? stop : window.length);
}

/**
 * Numbered headings of the six parts (and boundary parts), in increasing numeral order. A numeral that
 * does not follow the last accepted one (table rows 一、本年新收 …, a repeated 三、本年度办理结果) is
 * not a heading.
 */
export function findHeadings(text: string): Heading[] {
  return scanHeadings(text).headings;
}

/**
 * Where a second report starts inside this text without a title: after the parts 五 or 六, a heading
 * of 二, 三 or 四 that was already seen (the seed's untitled 灵川县 report after another report).
 * Returns the offset of that heading and the end of the last heading before it, or null.
 */
export function findRestart(text: string): { at: number; after: number } | null {
  return scanHeadings(text).restart;
}

const RESTART_KEYS = new Set<SectionKey>(['proactive', 'applications', 'review_litigation']);

function scanHeadings(text: string): { headings: Heading[]; restart: { at: number; after: number } | null } {
  const headings: Heading[] = [];
  const seen = new Set<SectionKey>();
  let lastNumeral = 0;
  HEADING_RE.lastIndex = 0;
  for (let m = HEADING_RE.exec(text); m; m = HEADING_RE.exec(text)) {
    const start = m.index;
    const before = start === 0 ? '\n' : text[start - 1];
    const numeral = cnNumeralValue(m[1]);
    const restarting = numeral <= lastNumeral;
    // "(一)、", "第一、", "十一、" and words such as "统一、" are not part headings; the next numeral
    // in sequence may follow any character (one-line pages: "…94432.52元三、收到和处理…").
    if (/[(（第十]/.test(before)) continue;
    const nextInSequence = numeral === lastNumeral + 1;
    if (!HEADING_BEFORE.test(before) && (!nextInSequence || restarting)) continue;
    const titleFrom = start + m[0].length;
    const end = headingEnd(text, titleFrom);
    const title = text.slice(titleFrom, Math.max(end, Math.min(text.length, titleFrom + 30)));
    // The heading's own words: stop at a line end, a space, a table's digit run or the next heading.
    const cut = title.search(/[\n。|]|\s|\d{5,}|(?<=.)[一二三四五六七八九十]\s*、/);
    const probe = cut >= 0 ? title.slice(0, cut) : title;
    const { key, boundary } = classifyHeading(probe);
    if (key === null && !boundary) continue;
    if (!HEADING_BEFORE.test(before) && key === null) continue;
    if (restarting) {
      const lineStart = start === 0 || text[start - 1] === '\n';
      if (lineStart && key !== null && RESTART_KEYS.has(key) && seen.has(key) && (seen.has('problems') || seen.has('other'))) {
        return { headings, restart: { at: start, after: headings[headings.length - 1].end } };
      }
      continue;
    }
    if (key !== null && seen.has(key)) continue;
    if (key !== null) seen.add(key);
    lastNumeral = numeral;
    headings.push({ key, numeral, start, end, text: text.slice(start, end).trim() });
  }
  return { headings, restart: null };
}

export interface SectionResult {
  sections: Sections;
  spans: SectionSpan[];
  headings: Heading[];
  problemsHeading: string | null;
  /** Text before the first heading (title and lead-in), null when there is none or it is part 一. */
  preamble: string | null;
}

function stripChrome(body: string): string {
  let out = body.trim();
  let changed = true;
  while (changed) {
    changed = false;
    for (const word of WORDS.trailingChrome) {
      if (out.endsWith(word)) {
        out = out.slice(0, -word.length).trim();
        changed = true;
      }
    }
  }
  return out;
}

/**
 * Cut a report's text into the six sections. Headings are found in `text` (folded for matching);
 * sections are cut from `printed`, the same text as printed (same length), so quotes keep their
 * full-width punctuation. `leadIsOverview`: the report starts inside part 一 (its
 * heading and title were lost, as the seed's 灵川县 report), so text before the first heading is 总体情况.
 */
export function splitSections(text: string, leadIsOverview = false, printed: string = text): SectionResult {
  const headings = findHeadings(text);
  const sections = Object.fromEntries(SECTION_KEYS.map((k) => [k, null])) as Sections;
  const spans: SectionSpan[] = [];
  headings.forEach((h, i) => {
    if (h.key === null) return;
    const stop = i + 1 < headings.length ? headings[i + 1].start : text.length;
    // "三、依申请公开政府信息：无…": the colon belongs to the heading, not to the quoted body.
    const body = stripChrome(printed.slice(h.end, stop)).replace(/^[:：]\s*/, '');
    sections[h.key] = body.length > 0 ? body : null;
    spans.push({ key: h.key, heading: h.text, start: h.end, end: stop });
  });
  if (leadIsOverview && sections.overview === null && headings.length > 0 && headings[0].start > 0) {
    const body = printed.slice(0, headings[0].start).trim();
    if (body.length > 0) {
      sections.overview = body;
      spans.unshift({ key: 'overview', heading: '', start: 0, end: headings[0].start });
    }
  }
  const problems = headings.find((h) => h.key === 'problems');
  const leadTaken = spans[0]?.key === 'overview' && spans[0].start === 0;
  const lead = headings.length > 0 && !leadTaken ? printed.slice(0, headings[0].start).trim() : '';
  return {
    sections,
    spans,
    headings,
    problemsHeading: problems ? printed.slice(problems.start, problems.end).trim() : null,
    preamble: lead.length > 0 ? lead : null,
  };
}
