import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
export const SEED_PATH = join(FIXTURES, 'seed', '000_f87896d27c5ba0ed.txt');

export function readFixture(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), 'utf8');
}

export interface TruthReport {
  match?: string;
  file?: string;
  agency?: string;
  year: number;
  template: string;
  level?: string;
  proactive?: Record<string, number | null>;
  applications?: Record<string, number | null>;
  review_litigation?: Record<string, number | null>;
  must_flag?: string[];
  must_not_flag?: string[];
  section5_heading?: string | null;
  problems?: string[];
  measures?: string[];
  problems_min?: number;
}
export interface Truth {
  seed: { reports: TruthReport[]; partial_reports: TruthReport[]; not_reports: string[] };
  reports: TruthReport[];
}
export function readTruth(): Truth {
  return JSON.parse(readFixture('truth.json')) as Truth;
}

/** Rows of the corpus manifest (file, year, template, …), parsed from its CSV with quoted fields. */
export function readManifest(): Record<string, string>[] {
  const text = readFixture('reports', 'manifest.csv');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
