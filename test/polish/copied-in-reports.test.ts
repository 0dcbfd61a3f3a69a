import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../src/model/types.js';
import { runThemes, type ThemesRun } from '../../src/pipeline/themes.js';

const REPORT_134 = join(import.meta.dirname, '..', 'fixtures', 'corpus', 'reports', '134.txt');
let out: string;
let run: ThemesRun;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-polish-copied-'));
  // The same agency's next year, section 五 copied word for word from 2021.
  const text = readFileSync(REPORT_134, 'utf8');
  const nextYear = text.replaceAll('2021年度', '2022年度').replace('统计期限自2021年1月1日起至2021年12月31日止', '统计期限自2022年1月1日起至2022年12月31日止');
  writeFileSync(join(dir, '2022.txt'), nextYear);
  out = join(dir, 'run');
  run = await runThemes([REPORT_134, join(dir, '2022.txt')], { out });
}, 120_000);

describe('whole section 五 copied from the previous year (problems.copied)', () => {
  it('is in the later record of reports.jsonl, as in findings.csv and in memory', () => {
    expect(run.sectionCopies).toHaveLength(1);
    const copy = run.sectionCopies[0];
    const records = readFileSync(join(out, 'reports.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReportRecord);
    expect(records).toHaveLength(2);
    const later = records.find((r) => r.id === copy.report_id)!;
    const earlier = records.find((r) => r.id !== copy.report_id)!;
    expect(later.year).toBe(2022);
    expect(later.findings.filter((f) => f.rule === 'problems.copied')).toEqual([copy.finding]);
    expect(earlier.findings.some((f) => f.rule === 'problems.copied')).toBe(false);
    // The record on disk equals the one the run returns (which the audit reads).
    expect(later).toEqual(JSON.parse(JSON.stringify(run.reports.find((r) => r.id === copy.report_id))));
    const csv = readFileSync(join(out, 'findings.csv'), 'utf8');
    expect(csv.split('\r\n').filter((row) => row.startsWith(`${copy.report_id},problems.copied,`))).toHaveLength(1);
  });

  it('leaves no temp file behind and keeps the other record byte for byte', () => {
    const lines = readFileSync(join(out, 'reports.jsonl'), 'utf8').trim().split('\n');
    const earlier = run.reports.find((r) => r.id !== run.sectionCopies[0].report_id)!;
    expect(lines).toContain(JSON.stringify(earlier));
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
