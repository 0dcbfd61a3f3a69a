/**
 * Report filters behind --since, --until and --filter.
 *
 * A filter expression is `field op value`: op is one of = != ~ (contains) !~ (does not contain)
 * >= <= > <; fields are level, region, template, year, agency, title, id, path.
 * Examples: "level=county", "region~浙江", "year>=2020", "template!=pre2019".
 */
import { UsageError } from '../model/errors.js';
import type { AnalysisReport } from './digest.js';
import type { Level, Template } from '../model/types.js';

export interface ReportFilterOptions {
  since?: number;
  until?: number;
  filter?: string[];
}

export const FILTER_FIELDS = ['level', 'region', 'template', 'year', 'agency', 'title', 'id', 'path'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];
const OPS = ['!=', '>=', '<=', '!~', '=', '~', '>', '<'] as const;
type FilterOp = (typeof OPS)[number];

export interface FilterClause {
  field: FilterField;
  op: FilterOp;
  value: string;
}

/** Parse one expression; throws an Error naming the expression when it is not understood. */
export function parseFilter(expr: string): FilterClause {
  const m = /^\s*([a-z_]+)\s*(!=|>=|<=|!~|=|~|>|<)\s*(.*?)\s*$/.exec(expr);
  if (!m) {
    throw new UsageError(`filter "${expr}": expected field<op>value, e.g. level=county or region~浙江 (ops: ${OPS.join(' ')})`);
  }
  const [, field, op, value] = m;
  if (!(FILTER_FIELDS as readonly string[]).includes(field)) {
    throw new UsageError(`filter "${expr}": unknown field "${field}" (known: ${FILTER_FIELDS.join(', ')})`);
  }
  if ((op === '>' || op === '<' || op === '>=' || op === '<=') && field !== 'year') {
    throw new UsageError(`filter "${expr}": ${op} compares numbers and works on year only`);
  }
  if (field === 'year' && !/^\d{4}$/.test(value) && value !== '') {
    throw new UsageError(`filter "${expr}": year must be a 4-digit number`);
  }
  // level and template take few values: one outside them would keep nothing (or everything), silently.
  const known = FIXED_VALUES[field];
  if (known && (op === '=' || op === '!=') && !known.includes(value)) {
    throw new UsageError(`filter "${expr}": ${field} is one of ${known.join(', ')}`);
  }
  return { field: field as FilterField, op: op as FilterOp, value };
}

/** The values a field with a fixed set can take (SCHEMA.md: level, template). */
const LEVEL_VALUES: readonly Level[] = ['central', 'province', 'city', 'county', 'township', 'department'];
const TEMPLATE_VALUES: readonly Template[] = ['2019', '2021', 'pre2019', 'unknown'];
const FIXED_VALUES: Partial<Record<string, readonly string[]>> = { level: LEVEL_VALUES, template: TEMPLATE_VALUES };

function fieldValue(r: AnalysisReport, f: FilterField): string | number | null {
  switch (f) {
    case 'level':
      return r.level;
    case 'region':
      return r.region ?? null;
    case 'template':
      return r.template;
    case 'year':
      return r.year;
    case 'agency':
      return r.agency;
    case 'title':
      return r.title;
    case 'id':
      return r.id;
    case 'path':
      return r.source.path;
  }
}

export function matchesClause(r: AnalysisReport, c: FilterClause): boolean {
  const v = fieldValue(r, c.field);
  // A report whose field is unknown matches only "!=" and "!~" (it is not what was asked for).
  if (v === null || v === undefined) return c.op === '!=' || c.op === '!~';
  if (c.field === 'year') {
    const n = Number(c.value);
    const y = v as number;
    switch (c.op) {
      case '=':
      case '~':
        return y === n;
      case '!=':
      case '!~':
        return y !== n;
      case '>':
        return y > n;
      case '<':
        return y < n;
      case '>=':
        return y >= n;
      case '<=':
        return y <= n;
    }
  }
  const s = String(v);
  switch (c.op) {
    case '=':
      return s === c.value;
    case '!=':
      return s !== c.value;
    case '~':
      return s.includes(c.value);
    case '!~':
      return !s.includes(c.value);
    default:
      return false;
  }
}

/**
 * Reports kept by the options. With --since/--until a report without a year is left out (its year
 * cannot be shown to be in range). All --filter clauses must hold.
 */
export function filterReports<R extends AnalysisReport>(reports: readonly R[], opts: ReportFilterOptions = {}): R[] {
  const clauses = (opts.filter ?? []).filter((f) => f.trim() !== '').map(parseFilter);
  return reports.filter((r) => {
    if (opts.since !== undefined && (r.year === null || r.year < opts.since)) return false;
    if (opts.until !== undefined && (r.year === null || r.year > opts.until)) return false;
    return clauses.every((c) => matchesClause(r, c));
  });
}
