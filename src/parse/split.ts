/**
 * Splitting a document into reports. A report starts at its title line ("广元市2020年政府信息公开工作
 * 年度报告。") or, before the first title, where report content (numbered part headings, table
 * labels) begins without one (the seed's 灵川县 report lost its title). Text that belongs to no report
 * (site chrome, search-result snippets that end in "...") is counted as stray, never parsed.
 */
import { findHeadings, findRestart } from './sections.js';

export interface ReportSpan {
  start: number;
  end: number;
  /** Title, folded for matching (joined when split over two lines), null when the report has none. */
  title: string | null;
  /** The same title as printed (full-width characters kept). */
  printedTitle?: string | null;
  /** The report starts inside part 一 (no title, no preamble). */
  headless: boolean;
}

export interface SplitResult {
  spans: ReportSpan[];
  stray: { fragments: number; chars: number };
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push({ start, end, text: text.slice(start, end) });
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

const TITLE_PREFIX = /^\s*(?:标题|题目|名\s*称)\s*[:：]?\s*/;

/** Clean a candidate title line: crawler prefix, trailing pipes and full stop. */
export function cleanTitle(line: string): string {
  return line
    .replace(TITLE_PREFIX, '')
    .replace(/[\s|]+$/, '')
    .replace(/[。.]$/, '')
    .trim();
}

/** Is this line a report title? Short, names 信息公开 and ends in 报告. */
export function isTitleLine(line: string): boolean {
  // The cleaned title is a part of the line: a line without both words cannot be one (most lines).
  if (!line.includes('报告') || !line.includes('公开')) return false;
  const t = cleanTitle(line);
  if (t.length < 6 || t.length > 60) return false;
  if (/^[一二三四五六七八九十]\s*[、.．]/.test(t)) return false;
  if (/[,，;；:：。]/.test(t)) return false;
  return /(信息公开|政务公开)[^。]{0,16}报告$/.test(t);
}

function titleKey(title: string): string {
  return title.replace(/\s+/g, '').replace(/(政府)?信息公开(工作)?(年度)?(的)?报告$/, '');
}

/** Snippet lines from search results or link lists, which end in an ellipsis. */
function isSnippet(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length < 400 && /(\.\.\.|…|⋯)$/.test(t) && !/[。！？]$/.test(t);
}

const REPORT_WORDS = /(信息公开|政务公开|依申请|主动公开|公开申请|第二十条)/;

/** Report content without a title: at least two part headings, or the table labels. */
function hasReportContent(text: string): boolean {
  if (/第二十条第/.test(text)) return true;
  return findHeadings(text).filter((h) => h.key !== null).length >= 2;
}

function isChrome(t: string): boolean {
  const heading = /^[一二三四五六七八九十]\s*[、.．]/.test(t) || /^[(（][一二三四五六七八九十][)）]/.test(t);
  return (t.length < 30 && !REPORT_WORDS.test(t) && !heading) || isSnippet(t);
}

/** Skip site chrome (short lines without report words, snippets) from line `from`; they are stray. */
function skipChrome(ls: Line[], from: number, limit: number, strayRuns: string[]): number {
  let i = from;
  while (i < ls.length && ls[i].start < limit) {
    const t = ls[i].text.trim();
    if (t !== '' && !isChrome(t)) break;
    if (t !== '') strayRuns.push(t);
    i++;
  }
  return i < ls.length ? ls[i].start : limit;
}

/**
 * Where the previous report ends when an untitled one follows: right after the first paragraph of its
 * last part (六 is usually one line, "无。"); chrome after it is then skipped as stray.
 */
function restartCut(body: string, after: number, at: number): number {
  let pos = body.indexOf('\n', after);
  let seenContent = false;
  while (pos >= 0 && pos < at) {
    const next = body.indexOf('\n', pos + 1);
    const lineEnd = next < 0 || next > at ? at : next;
    const t = body.slice(pos + 1, lineEnd).trim();
    if (t !== '') {
      if (seenContent) return pos + 1;
      seenContent = true;
    }
    pos = next;
  }
  return at;
}

export function splitReports(text: string, printed: string = text): SplitResult {
  const ls = lines(text);
  const strayRuns: string[] = [];

  // Title lines; a title whose first line is only the agency ("城口县人民政府机关⏎2020年…报告") is joined.
  const titles: { lineIndex: number; start: number; title: string; printedTitle: string }[] = [];
  const printedLine = (l: Line): string => printed.slice(l.start, l.end);
  for (let i = 0; i < ls.length; i++) {
    if (!isTitleLine(ls[i].text)) continue;
    let title = cleanTitle(ls[i].text);
    let printedTitle = cleanTitle(printedLine(ls[i]));
    let start = ls[i].start + (ls[i].text.length - ls[i].text.trimStart().length);
    let j = i - 1;
    while (j >= 0 && ls[j].text.trim() === '') j--;
    if (/^(\d{4}|政府信息公开|信息公开)/.test(title) && j >= 0) {
      const prev = ls[j].text.trim();
      if (prev.length >= 2 && prev.length <= 25 && !/[,，;；:：。|]/.test(prev) && /[\u4e00-\u9fa5]$|年$/.test(prev)) {
        title = prev + title;
        printedTitle = printedLine(ls[j]).trim() + printedTitle;
        start = ls[j].start;
      }
    }
    // A repeated title (page header, then the 名称 field) does not open a second report.
    const last = titles[titles.length - 1];
    if (last && titleKey(last.title) === titleKey(title)) {
      const between = text.slice(last.start, start);
      if (!hasReportContent(between)) continue;
    }
    titles.push({ lineIndex: i, start, title, printedTitle });
  }

  const spans: ReportSpan[] = [];
  const firstTitleStart = titles.length > 0 ? titles[0].start : text.length;
  const lead = text.slice(0, firstTitleStart);
  // Without any title, a file is one report if it reads like one (report words or part headings);
  // otherwise all of it is stray.
  if (hasReportContent(lead) || (titles.length === 0 && REPORT_WORDS.test(lead))) {
    const start = skipChrome(ls, 0, firstTitleStart, strayRuns);
    if (start < firstTitleStart && text.slice(start, firstTitleStart).trim().length > 0) {
      // Without a title the report may start inside part 一; sections decide from the headings.
      spans.push({ start, end: firstTitleStart, title: null, headless: true });
    }
  } else if (lead.trim().length > 0) {
    strayRuns.push(...lead.split('\n').map((l) => l.trim()).filter((l) => l.length > 0));
  }
  titles.forEach((t, k) => {
    const end = k + 1 < titles.length ? titles[k + 1].start : text.length;
    spans.push({ start: t.start, end, title: t.title, printedTitle: t.printedTitle, headless: false });
  });

  // An untitled report can also follow a complete one (its numbering restarts after 五/六).
  const expanded: ReportSpan[] = [];
  for (const span of spans) {
    let cur = span;
    for (;;) {
      const body = text.slice(cur.start, cur.end);
      const restart = findRestart(body);
      if (!restart) break;
      const cut = cur.start + restartCut(body, restart.after, restart.at);
      expanded.push({ ...cur, end: cut });
      const firstLine = ls.findIndex((l) => l.start >= cut);
      const start = firstLine < 0 ? cut : skipChrome(ls, firstLine, cur.end, strayRuns);
      cur = { start, end: cur.end, title: null, headless: true };
    }
    expanded.push(cur);
  }
  spans.splice(0, spans.length, ...expanded);

  // Trailing snippets and blank lines at the end of each report are stray.
  for (const span of spans) {
    // Lines are taken from the end, up to the first line (which always stays).
    let keptEnd = span.end;
    while (keptEnd > span.start) {
      const nl = text.lastIndexOf('\n', keptEnd - 1);
      if (nl < span.start) break;
      const t = text.slice(nl + 1, keptEnd).trim();
      if (t === '') {
        keptEnd = nl;
      } else if (isSnippet(t)) {
        strayRuns.push(t);
        keptEnd = nl;
      } else break;
    }
    // Trailing white space is not part of the report (trimEnd strips what \s matches).
    span.end = span.start + text.slice(span.start, keptEnd).trimEnd().length;
  }
  spans.sort((a, b) => a.start - b.start);
  return {
    spans,
    stray: { fragments: strayRuns.length, chars: strayRuns.reduce((n, s) => n + s.length, 0) },
  };
}
