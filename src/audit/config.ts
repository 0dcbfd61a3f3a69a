/**
 * The audit's data files: deduction weights (src/data/audit-weights.json, user-editable) and the
 * Chinese display names of cells, sections and levels (src/data/audit-labels.json).
 */
import { UsageError } from '../model/errors.js';
import { readFileSync } from 'node:fs';
import defaultWeightsJson from '../data/audit-weights.json' with { type: 'json' };
import labelsJson from '../data/audit-labels.json' with { type: 'json' };
import type { Level, SectionKey, Template } from '../model/types.js';
import { cellLabel as validatorCellLabel } from '../validate/catalogue.js';
import { ISSUE_KINDS, type AuditWeights, type IssueKind, type KindWeight } from './types.js';

const SEVERITIES = new Set(['error', 'warning', 'info']);

/**
 * Checks a weights object (parsed JSON) and returns it typed; `origin` names the file in errors.
 * Every issue kind must be present so no deduction silently falls back to a hidden default.
 */
export function parseWeights(data: unknown, origin: string): AuditWeights {
  const fail = (what: string): never => {
    throw new UsageError(`${origin}: ${what}`);
  };
  if (typeof data !== 'object' || data === null) fail('expected a JSON object');
  const obj = data as Record<string, unknown>;
  const base = obj.base;
  if (typeof base !== 'number' || !(base > 0)) fail('"base" must be a positive number');
  const minScore = obj.theme_min_score ?? 0;
  if (typeof minScore !== 'number' || minScore < 0) fail('"theme_min_score" must be a number ≥ 0');
  const copyMin = obj.copy_min_chars ?? 0;
  if (typeof copyMin !== 'number' || copyMin < 0) fail('"copy_min_chars" must be a number ≥ 0');
  const kindsIn = obj.kinds;
  if (typeof kindsIn !== 'object' || kindsIn === null) fail('"kinds" must be an object');
  const kinds = {} as Record<IssueKind, KindWeight>;
  for (const kind of ISSUE_KINDS) {
    const k = (kindsIn as Record<string, unknown>)[kind] as Record<string, unknown> | undefined;
    if (!k || typeof k !== 'object') fail(`"kinds.${kind}" is missing`);
    const { label, weight, max, severity, unit } = k as Record<string, unknown>;
    if (typeof label !== 'string' || !label) fail(`"kinds.${kind}.label" must be a non-empty string`);
    if (typeof weight !== 'number' || weight < 0) fail(`"kinds.${kind}.weight" must be a number ≥ 0`);
    if (typeof max !== 'number' || max < 0) fail(`"kinds.${kind}.max" must be a number ≥ 0`);
    if (typeof severity !== 'string' || !SEVERITIES.has(severity)) {
      fail(`"kinds.${kind}.severity" must be error, warning or info`);
    }
    kinds[kind] = {
      label: label as string,
      weight: weight as number,
      max: max as number,
      severity: severity as KindWeight['severity'],
      unit: typeof unit === 'string' ? unit : '处',
    };
  }
  for (const key of Object.keys(kindsIn as object)) {
    if (!(ISSUE_KINDS as readonly string[]).includes(key)) fail(`"kinds.${key}" is not an audit issue kind`);
  }
  return { base: base as number, theme_min_score: minScore as number, copy_min_chars: copyMin as number, kinds };
}

/** The shipped weights, or a user's weights file / object. */
export function loadWeights(source?: AuditWeights | string): AuditWeights {
  if (source === undefined) return parseWeights(defaultWeightsJson, 'src/data/audit-weights.json');
  if (typeof source !== 'string') return parseWeights(source, 'weights');
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (err) {
    throw new UsageError(`${source}: cannot read weights file (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return parseWeights(data, source);
}

interface Labels {
  tables: Record<string, string>;
  rows: Record<string, string>;
  cols: Record<string, string>;
  sections: Record<SectionKey, string>;
  levels: Record<Level, string>;
  templates: Record<Template, string>;
}
const LABELS = labelsJson as unknown as Labels;

/**
 * "表三一、本年新收·总计" for "applications.new_received.total": tables 三/四 named as the validator's
 * messages name them; table 二 from audit-labels.json.
 */
export function cellLabel(key: string): string {
  const [table, ...rest] = key.split('.');
  if (table !== 'proactive') return validatorCellLabel(key);
  const col = rest.pop();
  const row = rest.join('.');
  if (!col || !row) return key;
  return `${LABELS.tables[table] ?? table}·${LABELS.rows[row] ?? row}·${LABELS.cols[col] ?? col}`;
}

export function sectionLabel(key: SectionKey): string {
  return LABELS.sections[key] ?? key;
}

export function levelLabel(level: Level | null): string {
  return level ? (LABELS.levels[level] ?? level) : '级别未识别';
}

export function templateLabel(template: Template): string {
  return LABELS.templates[template] ?? template;
}
