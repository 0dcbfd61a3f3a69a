import { readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/** A temp folder holding corpus/ with copies of these fixture reports; remove() deletes it all. */
export async function tempCorpus(prefix: string, names: readonly string[]): Promise<{ tmp: string; corpus: string; remove: () => Promise<void> }> {
  const tmp = await mkdtemp(join(tmpdir(), prefix));
  const corpus = join(tmp, 'corpus');
  await mkdir(corpus);
  for (const n of names) await copyFile(join(FIXTURES, 'reports', n), join(corpus, n));
  return { tmp, corpus, remove: () => rm(tmp, { recursive: true, force: true }) };
}

/**
 * Runs `fn` with `pin(v)` setting OGI_CACHE_VERSION (it stands in for an edit of the code), and puts
 * the variable back as it was afterwards.
 */
export async function withCacheVersion(fn: (pin: (version: string) => void) => Promise<void>): Promise<void> {
  const saved = process.env.OGI_CACHE_VERSION;
  try {
    await fn((version) => {
      process.env.OGI_CACHE_VERSION = version;
    });
  } finally {
    if (saved === undefined) delete process.env.OGI_CACHE_VERSION;
    else process.env.OGI_CACHE_VERSION = saved;
  }
}
