/**
 * HTML → SourceDocument. Saved government pages wrap the report in site chrome (menus, breadcrumbs,
 * share bars, footers, layout tables); the report body is found by its section headings and, failing
 * that, by text density. Data tables become Grids (rowspan/colspan honoured) and are printed into the
 * text as pipe tables where they stood. Parsing is done by a real HTML parser (cheerio/parse5), which
 * also copes with malformed markup.
 */
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import htmlRules from '../data/ingest-html.json' with { type: 'json' };
import { sha256 } from '../model/id.js';
import type { Grid, SourceDocument, SourceFormat } from '../model/types.js';
import { decodeBytes } from './decode.js';
import { IngestError, makeDocument } from './document.js';
import { gridToPipeLines, placeCells, plainGrid, type RawCell } from './grid.js';
import type { Reader } from './read.js';

export interface HtmlOptions {
  format?: SourceFormat;
  /** sha256 of the raw bytes; defaults to the hash of the HTML string. */
  hash?: string;
  index?: number;
  url?: string;
  encoding?: string;
  /**
   * Look for the report inside site chrome (default true). DOCX output has no chrome, so the DOCX
   * reader turns this off and keeps everything.
   */
  findBody?: boolean;
}

const DROP_TAGS = new Set(htmlRules.dropTags);
const CHROME_TAGS = new Set(htmlRules.chromeTags);
const CHROME_TOKENS = new Set(htmlRules.chromeTokens);
const SECTION_CUES = htmlRules.sectionCues.map((c) => new RegExp(c));
const CHROME_LINES = htmlRules.chromeLines.map((c) => new RegExp(c));
const TITLE = new RegExp(htmlRules.titlePattern);

const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'address', 'center', 'form', 'fieldset', 'figure',
  'figcaption', 'hr', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'body', 'html',
]);
const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col']);
/** Candidate containers for the report body. */
const CONTAINER_TAGS = new Set(['div', 'td', 'article', 'section', 'main', 'body', 'center', 'form', 'span', 'font', 'li', 'dd']);

/** CJK characters and full-width punctuation: a source line break between two of them is a wrap, not a space. */
const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f';
const WRAP_BREAK = new RegExp(`([${CJK}])\n(?=[${CJK}])`, 'g');

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function tagName(node: Element): string {
  return node.tagName.toLowerCase();
}

function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true;
  const raw = el.attribs.style;
  // Cheap test first: Word exports put long inline styles on every element.
  if (!raw || !/none|hidden/i.test(raw)) return false;
  const style = raw.replace(/\s+/g, '').toLowerCase();
  return style.includes('display:none') || style.includes('visibility:hidden');
}

/** Class and id split into tokens ("menu_bd clearflx" → menu, bd, clearflx). */
function attributeTokens(el: Element): string[] {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);
}

/** All text below a node, with no layout (for scoring only). */
function rawText(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (!isElement(node)) return '';
  let s = '';
  for (const child of node.children) s += rawText(child);
  return s;
}

function squeeze(text: string): string {
  return text.replace(/[\s\u00a0\u3000]+/g, '');
}

function cueCount(text: string): number {
  let n = 0;
  for (const cue of SECTION_CUES) if (cue.test(text)) n++;
  return n;
}

/** Remove what never belongs in a report: comments, scripts, styles, hidden elements, and site chrome. */
function stripChrome($: cheerio.CheerioAPI, findBody: boolean): void {
  const doomed: AnyNode[] = [];
  // One walk over the tree (cheerio's $('*').contents() is quadratic on large pages).
  const walk = (node: AnyNode): void => {
    if (node.type === 'comment' || node.type === 'directive') {
      if (node.parent) doomed.push(node);
      return;
    }
    if (!isElement(node)) {
      if ('children' in node) for (const child of (node as { children: AnyNode[] }).children) walk(child);
      return;
    }
    const tag = tagName(node);
    if (DROP_TAGS.has(tag) || isHidden(node)) {
      doomed.push(node);
      return;
    }
    if (findBody && !TABLE_PARTS.has(tag)) {
      const chrome = CHROME_TAGS.has(tag) || attributeTokens(node).some((t) => CHROME_TOKENS.has(t));
      // A "header"/"nav"-classed wrapper that holds the report's own headings is not chrome.
      if (chrome && cueCount(squeeze(rawText(node))) < 2) {
        doomed.push(node);
        return;
      }
    }
    for (const child of node.children) walk(child);
  };
  for (const node of $.root().contents().get()) walk(node);
  $(doomed).remove();
}

/** Non-link and link text lengths below an element, for density scoring. */
function textLengths(node: AnyNode, inLink = false): { text: number; link: number } {
  if (node.type === 'text') {
    const n = squeeze((node as unknown as { data: string }).data).length;
    return inLink ? { text: 0, link: n } : { text: n, link: 0 };
  }
  if (!isElement(node)) return { text: 0, link: 0 };
  const link = inLink || tagName(node) === 'a';
  const sum = { text: 0, link: 0 };
  for (const child of node.children) {
    const r = textLengths(child, link);
    sum.text += r.text;
    sum.link += r.link;
  }
  return sum;
}

/**
 * The element holding the report: the tightest container with the most section headings when the
 * page has at least two; otherwise the container with the most non-link text (links count against).
 */
function findReportBody($: cheerio.CheerioAPI): Element | null {
  const root = $('body').get(0) ?? $.root().children().get(0);
  if (!root || !isElement(root)) return null;
  const candidates: Element[] = [root];
  $(root)
    .find('*')
    .each((_, el) => {
      if (isElement(el) && CONTAINER_TAGS.has(tagName(el))) candidates.push(el);
    });

  const texts = new Map<Element, string>();
  for (const el of candidates) texts.set(el, squeeze(rawText(el)));
  const rootCues = cueCount(texts.get(root)!);
  if (rootCues >= 2) {
    let best: Element = root;
    for (const el of candidates) {
      if (cueCount(texts.get(el)!) === rootCues && texts.get(el)!.length < texts.get(best)!.length) best = el;
    }
    return best;
  }
  // No headings to go by: score like a reader would. Each paragraph of prose (a leaf block with little
  // link text) gives its length to its container and half to the container's parent; the best-scored
  // container is the body.
  const scores = new Map<Element, number>();
  const add = (el: Element | null, score: number): void => {
    if (el && isElement(el)) scores.set(el, (scores.get(el) ?? 0) + score);
  };
  $(root)
    .find('p, div, td, li, dd, pre, section, article')
    .each((_, el) => {
      if (!isElement(el) || el.children.some((c) => isElement(c) && BLOCK_TAGS.has(tagName(c)))) return;
      const { text, link } = textLengths(el);
      if (text < 20 || link > text / 2) return;
      const parent = el.parent && isElement(el.parent) ? el.parent : null;
      add(parent, text);
      add(parent?.parent && isElement(parent.parent) ? parent.parent : null, text / 2);
    });
  let best: Element = root;
  let bestScore = 0;
  for (const [el, score] of scores) {
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}

/** A report title shown outside the body (article heading, page <title>), or null. */
function findTitle($: cheerio.CheerioAPI, body: Element): string | null {
  const inBody = (el: Element): boolean => $(el).closest(body).length > 0 || $(body).closest(el).length > 0;
  const candidates: string[] = [];
  $('h1, h2, h3, [class*="title"], [id*="title"]').each((_, el) => {
    if (isElement(el) && !inBody(el)) candidates.push(collapse(rawText(el)));
  });
  for (const text of candidates) if (TITLE.test(text) && text.length <= 80) return text;
  return null;
}

/** Page <title>, taken before chrome is stripped (it lives in <head>). */
function pageTitle($: cheerio.CheerioAPI): string | null {
  const title = collapse($('title').first().text());
  if (!title) return null;
  // "报告标题_栏目_网站" / "报告标题 - 网站": keep the segment that is the report title.
  const part = title.split(/\s*[_|｜]\s*|\s+-\s+/).find((s) => TITLE.test(s));
  return part && part.length <= 80 ? part : null;
}

/**
 * HTML white space folding, except that a line break in the source between two CJK characters is a
 * wrap (Word and editors break long Chinese lines anywhere) and disappears; a typed space stays.
 */
function collapse(text: string): string {
  return text
    .replace(/[\s\u00a0]+/g, (run) => (/[\r\n]/.test(run) ? '\n' : ' '))
    .replace(WRAP_BREAK, '$1')
    .replace(/\n/g, ' ')
    .trim();
}

/** Layout tables (page scaffolding) are read as blocks; data tables become grids. */
function isLayoutTable($: cheerio.CheerioAPI, table: Element): boolean {
  const role = (table.attribs.role ?? '').toLowerCase();
  if (role === 'presentation' || role === 'none') return true;
  if ($(table).find('table').length > 0) return true;
  const rows = ownRows($, table);
  const cells = rows.flatMap((row) => ownCells(row));
  if (cells.length <= 1) return true;
  // A data cell holds a label or a figure; a cell with paragraphs of prose is page layout.
  return cells.some((cell) => squeeze(rawText(cell)).length > 400);
}

function ownRows($: cheerio.CheerioAPI, table: Element): Element[] {
  return $(table)
    .find('tr')
    .filter((_, tr) => isElement(tr) && $(tr).closest('table').get(0) === table)
    .get() as Element[];
}

function ownCells(row: Element): Element[] {
  return row.children.filter((c): c is Element => isElement(c) && (tagName(c) === 'td' || tagName(c) === 'th'));
}

function intAttr(el: Element, name: string): number {
  const v = parseInt(el.attribs[name] ?? '1', 10);
  return Number.isFinite(v) && v >= 1 ? v : 1;
}

/** Lines of text below a node: block elements break lines, data tables become grids. */
class TextBuilder {
  readonly lines: string[] = [];
  readonly tables: Grid[] = [];
  private current = '';

  constructor(private readonly $: cheerio.CheerioAPI) {}

  private flush(): void {
    const line = collapse(this.current);
    if (line) this.lines.push(line);
    this.current = '';
  }

  walk(node: AnyNode): void {
    if (node.type === 'text') {
      this.current += (node as unknown as { data: string }).data;
      return;
    }
    if (!isElement(node)) return;
    const tag = tagName(node);
    if (tag === 'br') {
      this.flush();
      return;
    }
    if (tag === 'table' && !isLayoutTable(this.$, node)) {
      this.flush();
      // A caption (the table's title) is text, printed above the grid.
      for (const child of node.children) if (isElement(child) && tagName(child) === 'caption') this.walk(child);
      this.flush();
      const grid = this.tableGrid(node);
      if (grid.length > 0) {
        this.tables.push(grid);
        this.lines.push(...gridToPipeLines(grid));
      }
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) this.flush();
    for (const child of node.children) this.walk(child);
    if (block) this.flush();
  }

  /** Text of one table cell: its blocks joined on one line. */
  private cellText(cell: Element): string {
    const inner = new TextBuilder(this.$);
    for (const child of cell.children) inner.walk(child);
    inner.flush();
    // Paragraphs inside a cell are one label broken over lines (joined as a wrap); nested data tables
    // inside a cell are rare and kept inline.
    return collapse(inner.lines.join('\n'));
  }

  private tableGrid(table: Element): Grid {
    const rows: RawCell[][] = ownRows(this.$, table).map((tr) =>
      ownCells(tr).map((cell) => ({ text: this.cellText(cell), rowspan: intAttr(cell, 'rowspan'), colspan: intAttr(cell, 'colspan') })),
    );
    return plainGrid(placeCells(rows));
  }

  finish(): void {
    this.flush();
  }
}

function isChromeLine(line: string): boolean {
  return line.length < htmlRules.maxChromeLineLength && CHROME_LINES.some((re) => re.test(line));
}

/**
 * Pages and Word documents often break the title over two centred lines ("…2019年" / "政府信息公开工作
 * 年度报告"); the parser reads the title from one line, so such a pair is joined.
 */
function joinSplitTitle(lines: string[]): string[] {
  for (let i = 0; i + 1 < Math.min(lines.length, 4); i++) {
    const [a, b] = [lines[i], lines[i + 1]];
    if (a.startsWith('|') || b.startsWith('|') || TITLE.test(a) || /[。，；：]/.test(a + b)) continue;
    if (a.length <= 30 && b.length <= 40 && TITLE.test(a + b)) return [...lines.slice(0, i), a + b, ...lines.slice(i + 2)];
  }
  return lines;
}

/**
 * Turn an HTML page (or mammoth's DOCX output) into a SourceDocument: the report text with tables as
 * pipe tables in place, and the tables as grids.
 */
export function htmlToDocument(html: string, path: string, opts: HtmlOptions = {}): SourceDocument {
  const findBody = opts.findBody ?? true;
  const $ = cheerio.load(html);
  const titleFromHead = findBody ? pageTitle($) : null;
  stripChrome($, findBody);
  const body = findBody ? findReportBody($) : ($('body').get(0) as Element | undefined) ?? null;

  const builder = new TextBuilder($);
  if (body) builder.walk(body);
  else for (const node of $.root().contents().get()) builder.walk(node);
  builder.finish();

  let lines = findBody ? builder.lines.filter((l) => l.startsWith('|') || !isChromeLine(l)) : builder.lines;
  lines = joinSplitTitle(lines);
  if (findBody && body) {
    const title = findTitle($, body) ?? titleFromHead;
    // The body often starts with its own title (sometimes split over lines); add one only if it does not.
    const hasOwnTitle = lines.slice(0, 3).some((l) => l.length <= 80 && TITLE.test(l));
    if (title && !hasOwnTitle) lines = [title, ...lines];
  }
  const text = lines.join('\n');
  if (squeeze(text) === '') throw new IngestError('no text in HTML page');
  return makeDocument(
    {
      path,
      format: opts.format ?? 'html',
      hash: opts.hash ?? sha256(html),
      index: opts.index,
      url: opts.url,
      encoding: opts.encoding,
    },
    text + '\n',
    builder.tables,
  );
}

export const readHtml: Reader = async (bytes, ctx) => {
  const { text, encoding } = decodeBytes(bytes);
  const doc = htmlToDocument(text, ctx.path, { hash: ctx.hash, encoding });
  return { documents: [doc] };
};
