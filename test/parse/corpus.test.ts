/**
 * Every corpus file parses; every 2019/2021 report in the manifest comes out with the manifest's year
 * and template (the template from its table labels or structure, not from its year alone).
 */
import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { readFixture, readManifest } from './helpers.js';

const manifest = readManifest().filter((row) => /^\d+\.txt$/.test(row.file));

describe('corpus manifest', () => {
  it('lists the corpus files', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(30);
  });

  it.each(manifest.map((row) => [row.file, row] as const))('%s parses with the manifest year and template', (file, row) => {
    const { reports } = parseText(readFixture('reports', file), file);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    const r = reports[0];
    expect(r.year).toBe(Number(row.year));
    if (row.template === '2019' || row.template === '2021') expect(r.template).toBe(row.template);
    else expect(r.template).toBe('pre2019');
    // Every record carries all six section keys and all three table keys.
    expect(Object.keys(r.sections).sort()).toEqual(['applications', 'other', 'overview', 'proactive', 'problems', 'review_litigation']);
    expect(Object.keys(r.tables).sort()).toEqual(['applications', 'proactive', 'review_litigation']);
  });

  it('gives 125.txt (a 2021 report on the 2019 table) the 2019 template from its labels', () => {
    const r = parseText(readFixture('reports', '125.txt'), '125.txt').reports[0];
    expect(r.year).toBe(2021);
    expect(r.template).toBe('2019');
    expect(r.tables.proactive!['art20_1.regulations'].made.value).toBe(0);
  });
});
