/**
 * End to end: `runReport` on the fixture corpus, then report.html opened in headless Chromium.
 * In CI Chromium must be there (scripts/install-system-deps.sh installs it); elsewhere the browser
 * part is skipped with a note when it is missing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport, type ReportRun } from '../../src/pipeline/report.js';
import { checkPageInBrowser, chromiumAvailable, CHROMIUM_PATH } from './check.js';

const CORPUS = join(process.cwd(), 'test', 'fixtures', 'corpus');
const out = mkdtempSync(join(tmpdir(), 'ogi-report-e2e-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const browserOk = chromiumAvailable();
if (!browserOk && process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} (scripts/install-system-deps.sh)`);

describe('ogi report on the fixture corpus', () => {
  let run: ReportRun;
  beforeAll(async () => {
    run = await runReport([CORPUS], { out, cache: false, progress: false, jobs: 1 });
  }, 180_000);

  it('writes the files of SCHEMA.md for report', () => {
    for (const f of ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv', 'statements.jsonl', 'statements.csv', 'themes.csv', 'report.html', 'summary.md']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(run.rendered.charts.length).toBeGreaterThanOrEqual(8);
    for (const c of run.rendered.charts) {
      expect(existsSync(join(out, c.files.spec)), c.files.spec).toBe(true);
      expect(existsSync(join(out, c.files.png)), c.files.png).toBe(true);
    }
  });

  it('analyses what was parsed: every report counted, rates within [0, 1]', () => {
    expect(run.analysis.reports.length).toBe(run.reports.length);
    expect(run.analysis.reports.length).toBeGreaterThan(10);
    for (const m of run.analysis.metrics) {
      for (const k of ['disclosure_rate', 'denial_rate', 'review_correction_rate', 'litigation_correction_rate'] as const) {
        const v = m[k];
        if (v !== null) expect(v, `${m.report_id} ${k}`).toBeGreaterThanOrEqual(0);
        if (v !== null) expect(v, `${m.report_id} ${k}`).toBeLessThanOrEqual(1);
      }
    }
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain(`共分析报告${run.reports.length}份`);
  });

  it.skipIf(!browserOk)('renders every chart in headless Chromium with no console error and no network', async () => {
    const page = await checkPageInBrowser(join(out, 'report.html'));
    expect(page.chartsFound).toBe(run.rendered.charts.length);
    expect(page.chartsMissing).toEqual([]);
    expect(page.chartsRendered).toBe(run.rendered.charts.length);
    expect(page.consoleErrors).toEqual([]);
    expect(page.externalRequests).toEqual([]);
  }, 60_000);
});
