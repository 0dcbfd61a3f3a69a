/**
 * The validator against reports with errors injected on purpose (src/synth): every injected error is
 * flagged by its rule, and the arithmetic rules stay silent on reports without one.
 */
import { describe, expect, it } from 'vitest';
import { loadRenderer, synthReports } from '../../src/synth/index.js';
import { parseText } from '../../src/parse/index.js';
import { validateReport } from '../../src/validate/index.js';

describe('validator on generated reports', () => {
  it('flags every injected error and nothing the truth rules out (every layout, both templates, prose)', async () => {
    const renderer = await loadRenderer();
    let injected = 0;
    let checked = 0;
    const kinds = new Set<string>();
    // A high error rate so each kind of error appears in a small, fast sample.
    for (const { text, truth } of synthReports(160, { seed: 20260, errorRate: 0.6, renderer })) {
      const { reports } = parseText(text, truth.file);
      expect(reports, truth.file).toHaveLength(1);
      const r = reports[0];
      r.findings.push(...validateReport(r));
      const rules = new Set(r.findings.map((f) => f.rule));
      for (const rule of truth.must_flag) expect(rules, `${truth.file} (${truth.layout}) must flag ${rule}`).toContain(rule);
      for (const rule of truth.must_not_flag) expect(rules, `${truth.file} (${truth.layout}) must not flag ${rule}`).not.toContain(rule);
      injected += truth.injected.length;
      for (const e of truth.injected) kinds.add(e.kind);
      checked++;
    }
    expect(checked).toBe(160);
    expect(injected).toBeGreaterThan(50);
    expect(kinds.size).toBeGreaterThanOrEqual(6);
  });
});
