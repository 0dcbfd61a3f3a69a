/** The phrase bank of the synthetic corpus (src/data/synth-phrases.json), loaded and checked once. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Place {
  province: string;
  city?: string;
  county?: string;
}

export interface PhraseBank {
  provinces: { name: string; cities: { name: string; counties: string[] }[] }[];
  towns: string[];
  departments: string[];
  overview: string[];
  proactive: string[];
  other: string[];
  /** theme id → problem clauses. */
  problems: Record<string, string[]>;
  /** theme id → measure clauses. */
  measures: Record<string, string[]>;
  problem_leadins: string[];
  measure_leadins: string[];
}

const PATH = fileURLToPath(new URL('../data/synth-phrases.json', import.meta.url));

function load(): PhraseBank {
  let bank: PhraseBank;
  try {
    bank = JSON.parse(readFileSync(PATH, 'utf8')) as PhraseBank;
  } catch (err) {
    throw new Error(`cannot read the synth phrase bank ${PATH}: ${(err as Error).message}`);
  }
  for (const key of ['provinces', 'towns', 'departments', 'overview', 'proactive', 'other', 'problem_leadins', 'measure_leadins'] as const) {
    if (!Array.isArray(bank[key]) || bank[key].length === 0) throw new Error(`${PATH}: "${key}" must be a non-empty list`);
  }
  for (const key of ['problems', 'measures'] as const) {
    const byTheme = bank[key];
    if (!byTheme || typeof byTheme !== 'object') throw new Error(`${PATH}: "${key}" must map theme ids to phrase lists`);
    for (const [theme, list] of Object.entries(byTheme)) {
      if (!Array.isArray(list) || list.length === 0) throw new Error(`${PATH}: ${key}.${theme} must be a non-empty list`);
    }
  }
  return bank;
}

export const PHRASES: PhraseBank = load();

/** Replaces {name} placeholders with values. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
