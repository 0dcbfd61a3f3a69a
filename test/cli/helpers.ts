import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvObjects } from '../../src/io/csv.js';
import type { ReportRecord } from '../../src/model/types.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/corpus', import.meta.url));

/** Every file under a folder, recursively (independent of listInputs, to check it). */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

export interface ParseOutputs {
  reports: ReportRecord[];
  cells: Record<string, string>[];
  findings: Record<string, string>[];
  manifest: Record<string, string>[];
  raw: Record<string, string>;
}

export function readOutputs(dir: string): ParseOutputs {
  const raw: Record<string, string> = {};
  for (const f of ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv']) raw[f] = readFileSync(join(dir, f), 'utf8');
  return {
    reports: raw['reports.jsonl']
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ReportRecord),
    cells: parseCsvObjects(raw['cells.csv']),
    findings: parseCsvObjects(raw['findings.csv']),
    manifest: parseCsvObjects(raw['manifest.csv']),
    raw,
  };
}

/** Checks that hold for any parse output folder (SCHEMA.md). */
export function checkContract(o: ParseOutputs): void {
  const header = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n')[0];
  if (!o.raw['cells.csv'].startsWith('\uFEFF')) throw new Error('cells.csv has no BOM');
  if (header(o.raw['cells.csv']) !== 'report_id,table,row,col,value,raw,status') throw new Error('cells.csv header');
  if (header(o.raw['findings.csv']) !== 'report_id,rule,severity,message,cells') throw new Error('findings.csv header');
  if (header(o.raw['manifest.csv']) !== 'path,status,reports,message') throw new Error('manifest.csv header');
}
