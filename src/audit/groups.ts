/**
 * Grouping of agencies for the audit: by level, by region, or by a CSV the user gives (agency,group).
 */
import { UsageError } from '../model/errors.js';
import { readFileSync } from 'node:fs';
import type { ReportRecord } from '../model/types.js';
import { agencyKey as validatorAgencyKey } from '../validate/corpus.js';
import { levelLabel, templateLabel } from './config.js';
import type { GroupBy } from './types.js';

export const UNGROUPED = '未分组';

/** Chinese (pinyin) order of names; one collator, since localeCompare(…, 'zh') builds one per call. */
export const zhCompare = new Intl.Collator('zh').compare;
export const UNKNOWN_REGION = '地区未识别';

/**
 * Normalised agency name for joining reports of one agency and matching the group CSV: the validator's
 * key (bracketed notes and white space dropped, as carried.continuity joins years), after NFKC so
 * full-width letters and spaces fold.
 */
export function agencyKey(name: string): string {
  return validatorAgencyKey(name.normalize('NFKC'));
}

/** Key of a record's agency; a report whose agency could not be read is its own agency, named by file. */
export function recordAgencyKey(r: ReportRecord): string {
  return r.agency ? agencyKey(r.agency) : `（机构未识别：${r.source.path}#${r.source.index}）`;
}

/**
 * Splits CSV text into records with the 1-based line each starts on (RFC 4180: quoted fields may hold
 * commas, doubled quotes and line breaks). An unterminated quote is an error naming its line.
 */
function csvRecords(text: string, origin: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    for (;;) {
      if (i >= n) {
        fields.push(field);
        break;
      }
      const ch = text[i];
      if (atFieldStart && ch === '"') {
        // Quoted field: runs to the next lone quote.
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new UsageError(`${origin} line ${quoteLine}: a quoted field is never closed`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        atFieldStart = false;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new UsageError(`${origin} line ${line}: text after a closing quote (use "" for a quote inside a quoted field)`);
        }
        continue;
      }
      if (ch === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        fields.push(field);
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      }
      if (ch === '"') throw new UsageError(`${origin} line ${line}: a quote inside an unquoted field`);
      field += ch;
      atFieldStart = false;
      i++;
    }
    out.push({ line: startLine, fields });
  }
  return out;
}

const HEADER_AGENCY = /^(agency|机构|单位|机关|机构名称|单位名称|部门)$/i;

/**
 * Parses a group CSV: one `agency,group` pair a line, an optional header line (agency,group / 机构,分组),
 * blank lines skipped, UTF-8 with or without BOM. A line with another number of fields, an empty name,
 * or an agency given two different groups is an Error naming the file and line.
 */
export function parseGroupsCsv(text: string, origin = 'groups.csv'): Map<string, string> {
  const groups = new Map<string, string>();
  const firstLine = new Map<string, number>();
  const records = csvRecords(text.replace(/^\uFEFF/, ''), origin);
  records.forEach(({ line, fields }, idx) => {
    if (fields.length === 1 && fields[0].trim() === '') return;
    if (fields.length !== 2) {
      throw new UsageError(
        `${origin} line ${line}: expected 2 fields (agency,group), found ${fields.length}`,
      );
    }
    const agency = fields[0].trim();
    const group = fields[1].trim();
    if (idx === 0 && HEADER_AGENCY.test(agency)) return;
    if (!agency) throw new UsageError(`${origin} line ${line}: the agency name is empty`);
    if (!group) throw new UsageError(`${origin} line ${line}: the group of "${agency}" is empty`);
    const key = agencyKey(agency);
    const before = groups.get(key);
    if (before !== undefined && before !== group) {
      throw new UsageError(
        `${origin} line ${line}: "${agency}" is already in group "${before}" (line ${firstLine.get(key)})`,
      );
    }
    groups.set(key, group);
    if (!firstLine.has(key)) firstLine.set(key, line);
  });
  if (groups.size === 0) throw new UsageError(`${origin}: no agency,group lines`);
  return groups;
}

/** Reads a group CSV file; a read failure is an Error naming the file. */
export function loadGroups(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: cannot read group file (${(err as Error).message})`);
  }
  return parseGroupsCsv(text, path);
}

/** Normalises a user map's keys so lookups match however the CSV spelled spaces and brackets. */
export function normaliseGroupMap(map: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [agency, group] of map) out.set(agencyKey(agency), group);
  return out;
}

/** The group a report falls in under `by`. */
export function groupOf(r: ReportRecord, by: GroupBy, userGroups: Map<string, string> | null): string {
  if (by === 'level') return levelLabel(r.level);
  if (by === 'region') return r.region?.trim() || UNKNOWN_REGION;
  if (by === 'year') return r.year !== null ? `${r.year}年` : '年度未识别';
  if (by === 'template') return templateLabel(r.template);
  if (!userGroups) return UNGROUPED;
  return (r.agency ? userGroups.get(agencyKey(r.agency)) : undefined) ?? UNGROUPED;
}
