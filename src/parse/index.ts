/**
 * The text parser: a SourceDocument in, typed report records out.
 *
 *   parseDocument(doc)  → { reports, stray }   (one record per report found in the text)
 *   parseText(text)     → the same for a string (tests, other helpers)
 *   extractProseFigures → figures stated in prose (see prose.ts)
 */
import * as OpenCC from 'opencc-js';
import { reportId, sha256 } from '../model/id.js';
import { APPLICANT_COLUMNS, DERIVED_APPLICATION_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS, applicationRows } from '../model/keys.js';
import { lineIndex, type LineIndex } from '../model/lines.js';
import type { ReportRecord, Sections, SourceDocument } from '../model/types.js';
import { SECTION_KEYS } from '../model/types.js';
import { agencyFromText, agencyFromTitle, agencyLevel, agencyRegion, reportYear, templateFromText, withoutSpace } from './meta.js';
import { foldText } from './normalize.js';
import { proseTables } from './prose.js';
import { splitSections } from './sections.js';
import { splitReports } from './split.js';
import { parseTables } from './tables.js';

export { extractProseFigures, certainProseFigures } from './prose.js';
export type { ProseFigure } from './prose.js';
export { splitReports } from './split.js';
export { splitSections, findHeadings, classifyHeading } from './sections.js';
export { parseTables } from './tables.js';

/** Rows and columns of tables 三 and 四 for reports without a template table (2019 keys). */
function proseColumns(table: 'applications' | 'review_litigation'): Record<string, readonly string[]> {
  if (table === 'review_litigation') return Object.fromEntries(REVIEW_GROUPS.map((g) => [g, REVIEW_COLUMNS]));
  const rows = [...applicationRows('2019'), ...DERIVED_APPLICATION_ROWS];
  return Object.fromEntries(rows.map((r) => [r, APPLICANT_COLUMNS]));
}

const TABLE_CN_SHORT = { proactive: '表二', applications: '表三', review_litigation: '表四' } as const;

export interface ParsedDocument {
  reports: ReportRecord[];
  stray: { fragments: number; chars: number };
}

export function parseDocument(doc: SourceDocument): ParsedDocument {
  // Matching runs on folded text (ASCII digits and punctuation); what is quoted is cut, by the same
  // offsets, from the text as printed.
  const printed = doc.text.replace(/\r\n?/g, '\n');
  const text = foldText(printed);
  const original = doc.originalText && doc.originalText.length === doc.text.length ? doc.originalText.replace(/\r\n?/g, '\n') : null;
  const { spans, stray } = splitReports(text, printed);
  // Built on the first table finding that needs a position, once for the whole document.
  let lines: LineIndex | undefined;
  // Structured sources keep their grids: a figure cell spanning five columns is the merged
  // 法人或其他组织 figure of table 三 (the pipe text alone cannot tell it from a 商业企业 figure).
  const mergedOrg = doc.tables.some((grid) => grid.some((row) => row.some((cell) => cell.colspan === 5 && /^\s*\d+\s*$/.test(cell.text))));
  const reports: ReportRecord[] = spans.map((span, n) => {
    const body = text.slice(span.start, span.end);
    const { sections, spans: sectionSpans, problemsHeading, preamble } = splitSections(body, span.headless, printed.slice(span.start, span.end));
    // Tables are read from the folded sections of the three tables (labels are matched with ASCII punctuation).
    const fold = (v: string | null) => (v === null ? null : foldText(v));
    const foldedSections = { proactive: fold(sections.proactive), applications: fold(sections.applications), review_litigation: fold(sections.review_litigation) };
    // The body without white space: the year, the template words and the table labels are all looked for in it.
    const flat = withoutSpace(body);
    const year = reportYear(span.title, body, flat);
    const agency = span.title ? agencyFromTitle(span.title) : agencyFromText(body);
    const textTemplate = templateFromText(body, year, flat);
    const parsedTables = parseTables(body, foldedSections, textTemplate, { mergedOrg, flat });
    const template = parsedTables.template ?? textTemplate;
    const { proactive, applications, review_litigation } = parsedTables.tables;
    if (template === 'pre2019' && !proactive && !applications && !review_litigation) {
      // Old free-form reports: only what the prose states with certainty, in the same keys.
      Object.assign(parsedTables.tables, proseTables(printed.slice(span.start, span.end), proseColumns));
    }
    // Point table findings at their part of the report, so a reader can find the table in the file.
    for (const f of parsedTables.findings) {
      const table = f.cells[0]?.split('.')[0] ?? f.message;
      const key = (['proactive', 'applications', 'review_litigation'] as const).find((t) => table.startsWith(t) || f.message.includes(TABLE_CN_SHORT[t]));
      const at = sectionSpans.find((sp) => sp.key === key);
      if (at) {
        f.position = (lines ??= lineIndex(printed)).positionAt(span.start + at.start);
        if (at.heading) f.quote = at.heading;
      }
    }
    const record: ReportRecord = {
      id: reportId(doc.hash, doc.index, n),
      source: {
        path: doc.path,
        index: n,
        format: doc.format,
        ...(doc.url ? { url: doc.url } : {}),
        ...(doc.encoding ? { encoding: doc.encoding } : {}),
        ...(original ? { converted_traditional: true } : {}),
      },
      title: span.printedTitle ?? span.title,
      agency,
      level: agencyLevel(agency),
      year,
      template,
      region: agencyRegion(agency),
      problems_heading: problemsHeading,
      preamble,
      sections,
      tables: parsedTables.tables,
      findings: parsedTables.findings,
    };
    if (original) {
      // Same offsets: cut the original characters by the spans found in the converted text.
      const origBody = original.slice(span.start, span.end);
      const sectionsOriginal: Partial<Sections> = {};
      for (const s of sectionSpans) {
        const cut = origBody.slice(s.start, s.end).trim();
        sectionsOriginal[s.key] = cut.length > 0 ? cut : null;
      }
      for (const key of SECTION_KEYS) if (!(key in sectionsOriginal)) sectionsOriginal[key] = null;
      record.sections_original = sectionsOriginal;
    }
    return record;
  });
  return { reports, stray };
}

// Characters that occur only in traditional writing and often in these reports.
const TRADITIONAL_MARKERS = /[開與報條規關於實際處歸從區縣鄉鎮會門務辦機構復議訟態況諮詢發佈網總體劃達過這並當經屬]/g;

/** True when the text is written in traditional characters (a handful of tell-tale ones is enough). */
export function looksTraditional(text: string): boolean {
  const hits = text.match(TRADITIONAL_MARKERS);
  return hits !== null && hits.length >= 5;
}

let toSimplified: ((s: string) => string) | null = null;

/**
 * Parse a string as a text document (format 'text', hash = sha256 of the text). Text in traditional
 * characters is converted to simplified (as ingest does) and the original kept for quotes.
 */
export function parseText(text: string, path = 'inline.txt'): ParsedDocument {
  const doc: SourceDocument = { path, index: 0, format: 'text', text, tables: [], hash: sha256(text) };
  if (looksTraditional(text)) {
    const convert = (toSimplified ??= OpenCC.Converter({ from: 'hk', to: 'cn' }));
    const converted = convert(text);
    if (converted.length === text.length) {
      doc.text = converted;
      doc.originalText = text;
    }
  }
  return parseDocument(doc);
}
