/**
 * Accuracy regression: generated reports, parsed and checked by the real pipeline stages, must give
 * back their truth: metadata, every table cell (or null with a table.ambiguous finding naming it — never
 * a wrong number), the rules that must / must not fire, and the statements of section 五.
 */
import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { validateReport } from '../../src/validate/index.js';
import { splitSection } from '../../src/nlp/split.js';
import { loadRenderer, synthReports } from '../../src/synth/index.js';
import type { ReportRecord } from '../../src/model/types.js';

const renderer = await loadRenderer();
const corpus = [...synthReports(160, { seed: 2026, renderer, errorRate: 0.3 })].map(({ text, truth }) => {
  const parsed = parseText(text, truth.file);
  const report = parsed.reports[0] as ReportRecord | undefined;
  if (report) report.findings.push(...validateReport(report));
  return { text, truth, parsed, report };
});

function valueOf(r: ReportRecord, key: string): number | null | undefined {
  const [table, ...rest] = key.split('.');
  const col = rest.pop()!;
  const row = rest.join('.');
  const t = r.tables[table as keyof ReportRecord['tables']];
  return t?.[row]?.[col]?.value;
}

describe('parsing generated reports reproduces their truth', () => {
  it('finds exactly one report per file, with its title, agency, level, year and template', () => {
    for (const { truth, parsed, report } of corpus) {
      expect(parsed.reports, truth.file).toHaveLength(1);
      expect(
        { title: report!.title, agency: report!.agency, level: report!.level, year: report!.year, template: report!.template },
        truth.file,
      ).toEqual({ title: truth.title, agency: truth.agency, level: truth.level, year: truth.year, template: truth.template });
    }
  });

  it('reads every table cell of templated reports as printed (or null + table.ambiguous, never wrong)', () => {
    let exact = 0;
    let total = 0;
    for (const { truth, report } of corpus) {
      if (truth.template === 'pre2019') continue;
      const ambiguous = new Set(report!.findings.filter((f) => f.rule === 'table.ambiguous').flatMap((f) => f.cells));
      for (const [key, want] of Object.entries(truth.cells)) {
        total++;
        const got = valueOf(report!, key);
        if (got === want) exact++;
        else {
          expect(got ?? null, `${truth.file} ${key}`).toBeNull();
          expect(ambiguous.has(key), `${truth.file} ${key} is null without table.ambiguous`).toBe(true);
        }
      }
    }
    expect(total).toBeGreaterThan(10_000);
    // Layouts that keep cell positions are read exactly; a few collapsed cells may stay ambiguous.
    expect(exact / total).toBeGreaterThan(0.95);
  });

  it('reads the figures pre-2019 prose states (received, handled, review and litigation totals)', () => {
    let checked = 0;
    for (const { truth, report } of corpus) {
      if (truth.template !== 'pre2019') continue;
      for (const [key, want] of Object.entries(truth.cells)) {
        expect(valueOf(report!, key) ?? null, `${truth.file} ${key}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('raises the rule of every injected error and no arithmetic rule on clean tables', () => {
    for (const { truth, report } of corpus) {
      const rules = new Set(report!.findings.map((f) => f.rule));
      for (const rule of truth.must_flag) expect(rules.has(rule), `${truth.file} must flag ${rule}`).toBe(true);
      for (const rule of truth.must_not_flag) expect(rules.has(rule), `${truth.file} must not flag ${rule}`).toBe(false);
    }
  });

  it('finds section 五 and splits it into the generated problems and measures', () => {
    const fold = (s: string) => s.normalize('NFKC');
    for (const { truth, report } of corpus) {
      const want = [
        ...truth.problems.map((s) => `problem:${fold(s.text)}`),
        ...truth.measures.map((s) => `measure:${fold(s.text)}`),
      ];
      const section = report!.sections.problems;
      if (truth.section5_heading === null) {
        expect(section, truth.file).toBeNull();
        continue;
      }
      expect(section, truth.file).not.toBeNull();
      expect(splitSection(section!).map((s) => `${s.kind}:${fold(s.text)}`), truth.file).toEqual(want);
    }
  });
});
