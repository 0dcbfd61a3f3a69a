/**
 * Splits a section 五 text into problem statements and improvement measures.
 *
 * Order of work: strip the section heading → cut subsections by their labels ("（一）存在的主要问题：",
 * "改进措施：") → inside each, find enumerations (一是, （一）, 1. / 1、, (1), ①, 首先/其次, 第一) → text that
 * belongs to no enumeration is cut into sentences. Lead-ins ("存在的问题主要有以下几个方面：", "下一步，我们
 * 将…：") are dropped. The kind comes from the subsection label, else from position (a transition
 * sentence such as "下一步" switches from problems to measures) checked against cue words.
 *
 * Pure string work (no segmenter) so it is cheap and usable on its own; linear in the text length.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatementKind } from '../model/types.js';
import { DATA_DIR } from './segment.js';

export interface Cues {
  heading: RegExp;
  subsectionProblem: string;
  subsectionMeasure: string;
  transition: RegExp;
  leadIn: RegExp;
  problemCue: RegExp;
  measureCue: RegExp;
  vaguePattern: RegExp;
  /** Frozen: isVague caches a character table per list (see fillerChars). */
  vagueFiller: readonly string[];
}

interface CueFile {
  heading: string;
  subsectionProblem: string;
  subsectionMeasure: string;
  transition: string;
  leadIn: string;
  problemCue: string;
  measureCue: string;
  vaguePattern: string;
  vagueFiller: string[];
}

export const DEFAULT_CUES_PATH = join(DATA_DIR, 'dict', 'cues.json');

export function loadCues(path = DEFAULT_CUES_PATH): Cues {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as CueFile;
  const re = (field: keyof CueFile): RegExp => {
    const src = raw[field];
    if (typeof src !== 'string') throw new Error(`${path}: field "${field}" must be a string`);
    try {
      return new RegExp(src, 'u');
    } catch (e) {
      throw new Error(`${path}: field "${field}" is not a valid regular expression: ${(e as Error).message}`);
    }
  };
  return {
    heading: re('heading'),
    subsectionProblem: raw.subsectionProblem,
    subsectionMeasure: raw.subsectionMeasure,
    transition: re('transition'),
    leadIn: re('leadIn'),
    problemCue: re('problemCue'),
    measureCue: re('measureCue'),
    vaguePattern: re('vaguePattern'),
    // Longest first so "政府信息公开工作" goes before "工作".
    vagueFiller: Object.freeze([...raw.vagueFiller].sort((a, b) => b.length - a.length)),
  };
}

let defaultCues: Cues | null = null;
export function cues(): Cues {
  return (defaultCues ??= loadCues());
}

/** One statement as cut from the text, before tokens and themes. */
export interface RawStatement {
  kind: StatementKind;
  text: string;
  /** Offset of text inside the section string given to splitSection. */
  offset: number;
}

/** The enumeration marker at the start of a statement ("一是", "（一）", "1.", "①", "首先，"). */
export const LEADING_MARKER =
  /^\s*(?:[一二三四五六七八九十]{1,3}[是要]|其[一二三四五六七八九十]{1,2}[，,、：:]?|[（(][一二三四五六七八九十\d]{1,3}[)）](?:是)?|\d{1,2}[.．、]|[①-⑳]|(?:首先|其次|再次|最后)[，,、：:]?|第[一二三四五六七八九十]{1,2}[，,、：:]?)\s*/u;

/** Statement text without its enumeration marker (for tokens and comparisons). */
export function stripMarker(text: string): string {
  return text.replace(LEADING_MARKER, '');
}

// ---------------------------------------------------------------------------------------------
// Vagueness (shared with the statement builder)
// ---------------------------------------------------------------------------------------------

/** Whether a UTF-16 code unit is a CJK ideograph (U+3400–U+9FFF, as /[\u3400-\u9fff]/u matches). */
const isCjk = (code: number): boolean => code >= 0x3400 && code <= 0x9fff;

/** Whether s has at least n CJK ideographs (counted without building the match array). */
function hasCjk(s: string, n: number): boolean {
  let count = 0;
  for (let i = 0; i < s.length && count < n; i++) if (isCjk(s.charCodeAt(i))) count++;
  return count >= n;
}

/** Per filler list, a flag per UTF-16 code unit that occurs in some filler. */
const fillerCharSets = new WeakMap<readonly string[], Uint8Array>();

function fillerChars(fillers: readonly string[]): Uint8Array {
  let set = fillerCharSets.get(fillers);
  if (!set) {
    set = new Uint8Array(0x10000);
    for (const f of fillers) for (let i = 0; i < f.length; i++) set[f.charCodeAt(i)] = 1;
    fillerCharSets.set(fillers, set);
  }
  return set;
}

/**
 * A statement is vague when it speaks of shortcomings in general ("仍存在一些不足") and names no object:
 * after removing the generic words nothing substantive is left.
 */
export function isVague(text: string, c: Cues = cues()): boolean {
  if (!c.vaguePattern.test(text)) return false;
  // Removing fillers never removes a character no filler has: four such CJK characters settle it
  // without the removals (most statements that match the pattern go on to name their object).
  const fillerChar = fillerChars(c.vagueFiller);
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isCjk(code) && !fillerChar[code] && ++kept >= 4) return false;
  }
  let rest = text.replace(/\d+/g, '');
  for (const f of c.vagueFiller) rest = rest.split(f).join('');
  return !hasCjk(rest, 4);
}

// ---------------------------------------------------------------------------------------------
// Enumeration markers
// ---------------------------------------------------------------------------------------------

type Family = 'shi' | 'yao' | 'qiyi' | 'paren_cn' | 'num_dot' | 'num_paren' | 'circled' | 'shouxian' | 'diyi';

interface Marker {
  family: Family;
  value: number;
  start: number;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function cnNumber(s: string): number {
  if (s.length === 1) return CN_DIGITS[s] ?? NaN;
  if (s[0] === '十') return 10 + (CN_DIGITS[s[1]] ?? NaN);
  if (s.length === 2 && s[1] === '十') return (CN_DIGITS[s[0]] ?? NaN) * 10;
  if (s.length === 3 && s[1] === '十') return (CN_DIGITS[s[0]] ?? NaN) * 10 + (CN_DIGITS[s[2]] ?? NaN);
  return NaN;
}

/** Characters after which an enumeration marker may start. */
const STRONG_BOUNDARY = new Set(['\n', '\r', '。', '；', ';', '：', ':', '！', '？', '!', '?', ' ', '\t', '　', '”', '"', '」']);
const COMMA = new Set(['，', ',']);

function boundaryBefore(text: string, i: number, allowComma: boolean): boolean {
  if (i === 0) return true;
  const ch = text[i - 1];
  return STRONG_BOUNDARY.has(ch) || (allowComma && COMMA.has(ch));
}

const MARKER_RE =
  /([一二三四五六七八九十]{1,3})是|[（(]([一二三四五六七八九十]{1,3})[)）]|(\d{1,3})[.．、](?![\d%])|(\d{1,2})[.．](?=20\d\d)|[（(](\d{1,2})[)）]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])|(首先|其次|再次|最后)(?=[，,、：:是])|第([一二三四五六七八九十]{1,2})(?=[，,、：:]|是)|([一二三四五六七八九十]{1,2})要(?=[加强完善健全建立推进提升提高强化做好抓好深化规范优化拓展丰富落实注重坚持及时切实持续不断全面着力明确严格])|其([一二三四五六七八九十]{1,2})(?=[，,、：:是])/gu;

function findMarkers(text: string, from: number, to: number): Marker[] {
  const out: Marker[] = [];
  MARKER_RE.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = MARKER_RE.exec(text)) && m.index < to) {
    const i = m.index;
    if (m[1] !== undefined) {
      if (boundaryBefore(text, i, true)) out.push({ family: 'shi', value: cnNumber(m[1]), start: i });
    } else if (m[2] !== undefined) {
      if (boundaryBefore(text, i, true)) out.push({ family: 'paren_cn', value: cnNumber(m[2]), start: i });
    } else if (m[3] !== undefined || m[4] !== undefined) {
      const prev = i > 0 ? text[i - 1] : '';
      if (!/\d/.test(prev) && boundaryBefore(text, i, false)) out.push({ family: 'num_dot', value: Number(m[3] ?? m[4]), start: i });
    } else if (m[5] !== undefined) {
      if (boundaryBefore(text, i, true)) out.push({ family: 'num_paren', value: Number(m[5]), start: i });
    } else if (m[6] !== undefined) {
      out.push({ family: 'circled', value: m[6].codePointAt(0)! - 0x2460 + 1, start: i });
    } else if (m[7] !== undefined) {
      if (boundaryBefore(text, i, false)) {
        const v = m[7] === '首先' ? 1 : m[7] === '其次' ? 2 : m[7] === '再次' ? 3 : -1; // -1: 最后 continues any run
        out.push({ family: 'shouxian', value: v, start: i });
      }
    } else if (m[8] !== undefined) {
      if (boundaryBefore(text, i, false)) out.push({ family: 'diyi', value: cnNumber(m[8]), start: i });
    } else if (m[9] !== undefined) {
      // "一要加强…；二要…": only before a measure verb, so "统一要求" never counts.
      if (boundaryBefore(text, i, true)) out.push({ family: 'yao', value: cnNumber(m[9]), start: i });
    } else if (m[10] !== undefined) {
      if (boundaryBefore(text, i, true)) out.push({ family: 'qiyi', value: cnNumber(m[10]), start: i });
    }
  }
  return out;
}

interface Sequence {
  family: Family;
  starts: number[];
}

/** Runs of markers of one family counting 1, 2, 3…; a stray marker (a reference "第（三）项") is ignored. */
function buildSequences(markers: Marker[]): Sequence[] {
  const open = new Map<Family, { seq: Sequence; last: number }>();
  const all: Sequence[] = [];
  for (const mk of markers) {
    const cur = open.get(mk.family);
    if (mk.value === 1) {
      const seq: Sequence = { family: mk.family, starts: [mk.start] };
      all.push(seq);
      open.set(mk.family, { seq, last: 1 });
    } else if (cur && (mk.value === cur.last + 1 || (mk.value === -1 && cur.last >= 1))) {
      cur.seq.starts.push(mk.start);
      cur.last = mk.value === -1 ? Number.POSITIVE_INFINITY : mk.value;
    }
  }
  // A lone "1." or "①" is too weak a signal; a lone 一是 / （一） is an enumeration in practice.
  return all.filter((s) => s.starts.length >= 2 || s.family === 'shi' || s.family === 'paren_cn');
}

// ---------------------------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------------------------

interface Span {
  start: number;
  end: number;
}

const CLOSERS = new Set(['”', '’', '"', '」', '』', '）', ')', '》']);

/** Cuts [from, to) into sentences at 。！？ (closing quotes kept), at ：/: and at line breaks. */
function sentences(text: string, from: number, to: number): Span[] {
  const out: Span[] = [];
  let s = from;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    let end = -1;
    if (ch === '\n') {
      if (hardBreak(text, i)) end = i;
    } else if (ch === '\r') end = i;
    else if (ch === '。' || ch === '！' || ch === '？' || ch === '!' || ch === '?' || ch === '：' || ch === ':') {
      end = i + 1;
      while (end < to && CLOSERS.has(text[end])) end++;
      // "1." style numbers after a colon start a list, so the colon belongs to the lead-in sentence.
    }
    if (end >= 0) {
      if (end > s) out.push({ start: s, end });
      s = Math.max(end, i + 1);
      i = s - 1;
    }
  }
  if (s < to) out.push({ start: s, end: to });
  return out.filter((sp) => hasWordChar(text, sp.start, sp.end));
}

/** Whether text[from, to) has a CJK ideograph, a Latin letter or a digit (/[\u3400-\u9fffA-Za-z0-9]/u). */
function hasWordChar(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (isCjk(code) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true;
  }
  return false;
}

/**
 * /\s/u on one UTF-16 code unit (white space and line terminators), without making a string of it.
 * Exported for the test that checks it against the regex on every code unit.
 */
export function isSpaceCode(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A trailing character trimmed off a statement: what /[\s；;，,、]+$/u removes, one at a time. */
const trimsAtEnd = (c: number): boolean => isSpaceCode(c) || c === 0xff1b || c === 0x3b || c === 0xff0c || c === 0x2c || c === 0x3001;

/** Statement text: line breaks inside it (wrapped lines, continuation paragraphs) are removed. */
function clean(s: string): string {
  return s.includes('\n') ? s.replace(/[ \t\u3000\r]*\n[ \t\u3000\r]*/gu, '') : s;
}

function trimSpan(text: string, sp: Span): Span {
  let { start, end } = sp;
  while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
  // Scanning back from the end (a regex anchored at $ tries every run of commas on the way).
  while (end > start && trimsAtEnd(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

// ---------------------------------------------------------------------------------------------
// Units: list items and free sentences, in text order
// ---------------------------------------------------------------------------------------------

interface Unit {
  span: Span;
  /** Index of the list the item belongs to; -1 for a free sentence. */
  list: number;
}

const LINE_SPACE = /[ \t\u3000\r]/u;
const ENDS_PARAGRAPH = /[。！？!?；;：:]/u;

/**
 * A line break that ends a paragraph, as opposed to a hard wrap inside a sentence (text copied from a
 * PDF): the line before ends a sentence, or is short (a label), or the next line opens an enumerated item.
 */
function hardBreak(text: string, i: number): boolean {
  let p = i - 1;
  while (p >= 0 && LINE_SPACE.test(text[p])) p--;
  if (p < 0 || text[p] === '\n' || ENDS_PARAGRAPH.test(text[p])) return true;
  let q = i + 1;
  while (q < text.length && LINE_SPACE.test(text[q])) q++;
  if (q >= text.length || text[q] === '\n') return true;
  if (LEADING_MARKER.test(text.slice(q, q + 12))) return true;
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  return i - lineStart <= 20;
}

/** Index of the first paragraph-ending line break at or after i (or to). */
function lineEnd(text: string, i: number, to: number): number {
  let n = text.indexOf('\n', i);
  while (n >= 0 && n < to && !hardBreak(text, n)) n = text.indexOf('\n', n + 1);
  return n < 0 || n > to ? to : n;
}

/**
 * The last item of a list has no next marker: it runs through its paragraph, and stops early at a
 * transition sentence ("下一步，…") that opens the measures.
 */
function lastItemEnd(text: string, start: number, to: number, c: Cues): number {
  const para = lineEnd(text, start, to);
  const sents = sentences(text, start, para);
  for (let k = 1; k < sents.length; k++) {
    const s = text.slice(sents[k].start, sents[k].end).trim();
    if (c.transition.test(s)) return sents[k].start;
  }
  return para;
}

function unitsOf(text: string, from: number, to: number, c: Cues): Unit[] {
  const seqs = buildSequences(findMarkers(text, from, to)).sort((a, b) => a.starts[0] - b.starts[0]);
  // Keep top-level lists; a list that starts inside an item of a kept list is part of that item.
  const kept: { seq: Sequence; end: number }[] = [];
  for (const seq of seqs) {
    const first = seq.starts[0];
    const outer = kept.find((k) => first > k.seq.starts[0] && first < k.end);
    if (outer) continue;
    const lastStart = seq.starts[seq.starts.length - 1];
    kept.push({ seq, end: lastItemEnd(text, lastStart, to, c) });
  }
  kept.sort((a, b) => a.seq.starts[0] - b.seq.starts[0]);
  // A later list may start before the previous one's last item ends only via the same paragraph:
  // cut the earlier list's end there.
  for (let k = 0; k + 1 < kept.length; k++) kept[k].end = Math.min(kept[k].end, kept[k + 1].seq.starts[0]);

  const units: Unit[] = [];
  let cursor = from;
  const pushFree = (a: number, b: number): void => {
    for (const sp of sentences(text, a, b)) units.push({ span: sp, list: -1 });
  };
  kept.forEach((k, li) => {
    pushFree(cursor, k.seq.starts[0]);
    const st = k.seq.starts;
    for (let j = 0; j < st.length; j++) {
      const end = j + 1 < st.length ? st[j + 1] : k.end;
      units.push({ span: { start: st[j], end }, list: li });
    }
    cursor = k.end;
  });
  pushFree(cursor, to);
  return units;
}

// ---------------------------------------------------------------------------------------------
// Zones (subsections) and the main entry
// ---------------------------------------------------------------------------------------------

interface Zone {
  start: number;
  end: number;
  kind: StatementKind | null;
}

/** The subsection-label regex per cue set, built once (global: lastIndex is reset before each use). */
const subsectionRegexes = new WeakMap<Cues, { problem: string; measure: string; re: RegExp }>();

function subsectionRegex(c: Cues): RegExp {
  let cached = subsectionRegexes.get(c);
  if (!cached || cached.problem !== c.subsectionProblem || cached.measure !== c.subsectionMeasure) {
    cached = { problem: c.subsectionProblem, measure: c.subsectionMeasure, re: buildSubsectionRegex(c) };
    subsectionRegexes.set(c, cached);
  }
  cached.re.lastIndex = 0;
  return cached.re;
}

function buildSubsectionRegex(c: Cues): RegExp {
  const marker = '(?:[（(][一二三四五六七八九十1-9][)）]|[一二三四五六七八九十1-9][、.．])?\\s*';
  return new RegExp(
    `(?:^|(?<=[\\n。；;]))[ \\t　]*${marker}(?:(${c.subsectionProblem})|(${c.subsectionMeasure}))[ \\t　]*(?:[:：]|(?=\\r?\\n))`,
    'gu',
  );
}

function zonesOf(text: string, from: number, c: Cues): Zone[] {
  const re = subsectionRegex(c);
  // Matched on the text after the heading, so "^" means the start of the section body.
  const body = text.slice(from);
  const labels: { start: number; bodyStart: number; kind: StatementKind }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const at = from + m.index;
    labels.push({ start: at, bodyStart: at + m[0].length, kind: m[1] !== undefined ? 'problem' : 'measure' });
  }
  const zones: Zone[] = [];
  let cursor = from;
  let kind: StatementKind | null = null;
  for (const l of labels) {
    if (l.start > cursor) zones.push({ start: cursor, end: l.start, kind });
    cursor = l.bodyStart;
    kind = l.kind;
  }
  zones.push({ start: cursor, end: text.length, kind });
  return zones;
}

/** Length of a leading section heading ("五、存在的主要问题及改进情况"), 0 when there is none. */
export function headingLength(text: string, c: Cues = cues()): number {
  const m = c.heading.exec(text);
  if (!m || m.index !== 0) return 0;
  let n = m[0].length;
  while (n < text.length && /[\s:：。]/u.test(text[n])) n++;
  return n;
}

/** /[:：]\s*$/u.test(s): the last character that is not white space is a colon. */
function endsWithColonAt(s: string): boolean {
  let i = s.length - 1;
  while (i >= 0 && isSpaceCode(s.charCodeAt(i))) i--;
  return i >= 0 && (s.charCodeAt(i) === 0x3a || s.charCodeAt(i) === 0xff1a);
}

function hasProblemCue(s: string, c: Cues): boolean {
  return c.problemCue.test(s);
}
function looksLikeMeasure(s: string, c: Cues): boolean {
  return c.measureCue.test(s) && !hasProblemCue(s, c);
}

/** Splits section 五 (with or without its heading) into statements in text order. */
export function splitSection(section: string, c: Cues = cues()): RawStatement[] {
  const text = section.includes('\r') ? section.replace(/\r\n?/g, '\n') : section;
  const out: RawStatement[] = [];
  const start = headingLength(text, c);
  let mode: StatementKind = 'problem';
  const zones = zonesOf(text, start, c);
  zones.forEach((zone, zi) => {
    // A labelled zone fixes the kind, but a transition inside a problems zone ("下一步，我们将：")
    // still opens the measures.
    let cur: StatementKind = zone.kind ?? mode;
    const labelled = zone.kind !== null;
    const units = unitsOf(text, zone.start, zone.end, c);
    const pushParts = (sp: Span, kind: StatementKind): void => {
      // "…如：A；B；C。" — the sentence after a colon is an implicit list when cut by ；.
      const str = text.slice(sp.start, sp.end);
      let off = sp.start;
      for (const part of str.split(/(?<=[；;])/u)) {
        const psp = trimSpan(text, { start: off, end: off + part.length });
        if (psp.end > psp.start) out.push({ kind, text: clean(text.slice(psp.start, psp.end)), offset: psp.start });
        off += part.length;
      }
    };
    // Decide each list's kind once: position, unless its items read as measures by majority.
    const listKind = new Map<number, StatementKind>();
    for (let u = 0; u < units.length; u++) {
      const unit = units[u];
      const sp = trimSpan(text, unit.span);
      const s = text.slice(sp.start, sp.end);
      if (!s) continue;
      if (unit.list >= 0) {
        let kind = listKind.get(unit.list);
        if (!kind) {
          kind = cur;
          if (!labelled && kind === 'problem') {
            const items = units.filter((x) => x.list === unit.list).map((x) => text.slice(x.span.start, x.span.end));
            const measures = items.filter((it) => looksLikeMeasure(it, c)).length;
            if (measures * 2 > items.length) kind = 'measure';
          }
          listKind.set(unit.list, kind);
          cur = kind;
        }
        out.push({ kind, text: clean(s), offset: sp.start });
        continue;
      }
      // Free sentence. The last one before the next subsection label counts as standing before a list.
      const next = units[u + 1];
      const beforeList = (next !== undefined && next.list >= 0) || (next === undefined && zi + 1 < zones.length);
      const transition = c.transition.test(s);
      const endsWithColon = endsWithColonAt(s);
      if (transition && (endsWithColon || beforeList || !labelled)) cur = 'measure';
      const leadIn =
        endsWithColon ||
        (beforeList && (transition || c.leadIn.test(s) || isVague(s, c))) ||
        (!beforeList && isVague(s, c) && /[，,]$/u.test(text.slice(unit.span.start, unit.span.end).trim()));
      if (leadIn) {
        if (endsWithColon && next && next.list < 0) {
          const nsp = trimSpan(text, next.span);
          if (/[；;]/u.test(text.slice(nsp.start, nsp.end))) {
            pushParts(nsp, cur);
            u++;
          }
        }
        continue;
      }
      if (!hasCjk(s, 4)) continue; // "无。", stray numbers
      // Right after a subsection label, ；-separated clauses are an implicit list too.
      if (labelled && u === 0 && /[；;]/u.test(s) && units.length === 1) {
        pushParts(sp, cur);
        continue;
      }
      let kind: StatementKind = cur;
      if (!labelled && kind === 'problem' && looksLikeMeasure(s, c)) kind = 'measure';
      out.push({ kind, text: clean(s), offset: sp.start });
    }
    mode = cur;
  });
  return out;
}

/**
 * Finds section 五 in a whole report text by its heading, including the pre-2019 wordings
 * (存在的主要问题和改进措施, 存在问题及工作打算, 今后改进方向); ends at the next chapter heading.
 * Returns null when there is none. The parser has its own splitter; this serves tests and tools.
 */
export function findProblemsSection(text: string, c: Cues = cues()): { heading: string; body: string; start: number } | null {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = c.heading.exec(line);
    if (m && m.index === 0 && line.trim().length <= 40) {
      const headingEnd = offset + line.length + 1;
      let end = text.length;
      let off2 = headingEnd;
      for (let j = i + 1; j < lines.length; j++) {
        if (/^\s*[一二三四五六七八九十]{1,2}\s*[、.．]/u.test(lines[j])) {
          end = off2;
          break;
        }
        off2 += lines[j].length + 1;
      }
      return { heading: line.trim(), body: text.slice(headingEnd, end).trim(), start: offset };
    }
    offset += line.length + 1;
  }
  return null;
}
