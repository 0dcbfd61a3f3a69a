/**
 * The must_flag / must_not_flag lists of test/fixtures/corpus/truth.json, on the real files read and
 * parsed the way `ogi parse` does (processFile: ingest → parse → validate).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processFile, type FileResult } from '../../src/pipeline/parse.js';
import type { ReportRecord } from '../../src/model/types.js';

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/corpus/${p}`, import.meta.url));

interface TruthEntry {
  match?: string;
  file?: string;
  year?: number;
  must_flag?: string[];
  must_not_flag?: string[];
}
const truth = JSON.parse(readFileSync(fixture('truth.json'), 'utf8')) as {
  seed: { reports: TruthEntry[] };
  reports: TruthEntry[];
};

const rules = (r: ReportRecord) => new Set(r.findings.map((f) => f.rule));

/** The seed report a truth entry means: by title first, then by its text. */
function findSeedReport(reports: ReportRecord[], match: string): ReportRecord {
  const byTitle = reports.find((r) => r.title?.includes(match));
  if (byTitle) return byTitle;
  const byText = reports.filter((r) => Object.values(r.sections).some((s) => s?.includes(match)));
  expect(byText.length, `one seed report containing ${match}`).toBeGreaterThanOrEqual(1);
  return byText[0];
}

describe('truth.json must_flag / must_not_flag', () => {
  let seed: FileResult;
  const files = new Map<string, FileResult>();

  beforeAll(async () => {
    seed = await processFile(fixture('seed/000_f87896d27c5ba0ed.txt'));
    for (const name of ['reports/133.txt', 'reports/134.txt', 'html/133.html', 'html/134.html']) files.set(name, await processFile(fixture(name)));
  });

  for (const entry of truth.seed.reports) {
    it(`seed report ${entry.match}`, () => {
      const r = findSeedReport(seed.reports, entry.match!);
      const found = rules(r);
      for (const rule of entry.must_flag ?? []) expect(found, `${entry.match} must flag ${rule}`).toContain(rule);
      for (const rule of entry.must_not_flag ?? []) expect(found, `${entry.match} must not flag ${rule}`).not.toContain(rule);
    });
  }

  it('seed 灵川: the prose says no litigation while 复议后起诉 总计 is 4 → text_table.mismatch', () => {
    const r = findSeedReport(seed.reports, '灵川');
    const f = r.findings.find((x) => x.rule === 'text_table.mismatch' && x.cells.includes('review_litigation.litigation_after_review.total'));
    expect(f, 'text_table.mismatch on 复议后起诉 总计').toBeDefined();
    expect(f!.message).toContain('4');
    expect(f!.quote).toMatch(/没有.*行政诉讼/);
  });

  for (const entry of truth.reports) {
    for (const form of ['reports', 'html']) {
      const name = `${form}/${form === 'html' ? entry.file!.replace('.txt', '.html') : entry.file}`;
      it(`${name}`, () => {
        const result = files.get(name)!;
        expect(result.reports).toHaveLength(1);
        const found = rules(result.reports[0]);
        for (const rule of entry.must_flag ?? []) expect(found).toContain(rule);
        for (const rule of entry.must_not_flag ?? []) expect(found, `${name} must not flag ${rule}`).not.toContain(rule);
        expect(result.manifest.status).toBe('ok');
      });
    }
  }

  it('the seed file is one manifest row: partial, its stray text counted', () => {
    expect(seed.manifest.status).toBe('partial');
    expect(seed.manifest.reports).toBe(seed.reports.length);
    expect(seed.manifest.message).toMatch(/^\d+ reports; /);
    expect(seed.manifest.message).toMatch(/\d+ unrelated fragments? \(\d+ chars\) ignored/);
    expect(seed.manifest.message).toContain('review_litigation.sum');
    // truth.json: two pre-2019 fragments (partial_reports) → counted as incomplete reports.
    expect(seed.manifest.message).toContain('2 incomplete (sections missing)');
  });
});
