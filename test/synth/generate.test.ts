import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS } from '../../src/model/keys.js';
import { loadRenderer, runSynth, synthReports, type SynthTruth } from '../../src/synth/index.js';
import { Rng } from '../../src/synth/rng.js';
import { PHRASES } from '../../src/synth/phrases.js';

const renderer = await loadRenderer();
const reports = [...synthReports(150, { seed: 11, renderer, errorRate: 0.3 })];

const cell = (t: SynthTruth, key: string) => t.cells[key] ?? 0;
const ARITHMETIC = ['applications.balance', 'applications.total', 'applications.columns', 'review_litigation.sum'];
const OUTCOMES_2019 = ['granted', 'partially_granted', 'denied', 'unavailable', 'not_processed', 'other'];

/** Which arithmetic equations the truth's own figures break (same rules as the validator checks). */
function brokenEquations(t: SynthTruth): Set<string> {
  const broken = new Set<string>();
  const cols = t.layout === 'merged-org' ? ['natural_person', 'org_subtotal', 'total'] : APPLICANT_COLUMNS;
  for (const col of cols) {
    const a = (row: string) => cell(t, `applications.${row}.${col}`);
    if (a('new_received') + a('carried_over') !== a('handled_total') + a('carried_forward')) broken.add('applications.balance');
    if (OUTCOMES_2019.reduce((s, r) => s + a(r), 0) !== a('handled_total')) broken.add('applications.total');
  }
  for (const key of Object.keys(t.cells)) {
    const m = /^applications\.([^.]+)\.total$/.exec(key);
    if (!m) continue;
    const parts = t.layout === 'merged-org' ? ['natural_person', 'org_subtotal'] : APPLICANT_COLUMNS.filter((c) => c !== 'total');
    if (parts.reduce((s, c) => s + cell(t, `applications.${m[1]}.${c}`), 0) !== cell(t, key)) broken.add('applications.columns');
  }
  for (const g of REVIEW_GROUPS) {
    const parts = REVIEW_COLUMNS.filter((c) => c !== 'total');
    if (parts.reduce((s, c) => s + cell(t, `review_litigation.${g}.${c}`), 0) !== cell(t, `review_litigation.${g}.total`)) broken.add('review_litigation.sum');
  }
  return broken;
}

describe('synthetic corpus generator', () => {
  it('is deterministic per (seed, index) and independent of the corpus size', () => {
    const again = [...synthReports(150, { seed: 11, renderer, errorRate: 0.3 })];
    expect(again.map((r) => r.text)).toEqual(reports.map((r) => r.text));
    const tail = [...synthReports(5, { seed: 11, renderer, errorRate: 0.3 }, 100)];
    expect(tail.map((r) => r.text)).toEqual(reports.slice(100, 105).map((r) => r.text));
    const other = [...synthReports(5, { seed: 12, renderer, errorRate: 0.3 })];
    expect(other.map((r) => r.text)).not.toEqual(reports.slice(0, 5).map((r) => r.text));
  });

  it('covers every template, the renderer\'s layouts, every error kind, and themed statements', () => {
    const templates = new Set(reports.map((r) => r.truth.template));
    expect([...templates].sort()).toEqual(['2019', '2021', 'pre2019']);
    const layouts = new Set(reports.map((r) => r.truth.layout));
    for (const l of renderer.layouts) expect(layouts).toContain(l);
    const kinds = new Set(reports.flatMap((r) => r.truth.injected.map((e) => e.kind)));
    expect(kinds.size).toBe(7);
    const themes = new Set(Object.keys(PHRASES.problems));
    for (const r of reports) {
      for (const s of [...r.truth.problems, ...r.truth.measures]) {
        expect(themes).toContain(s.theme);
        expect(r.text).toContain(s.text);
      }
    }
  });

  it('keeps the table equations of clean reports and breaks exactly the injected one', () => {
    for (const { truth } of reports) {
      if (truth.template === 'pre2019') continue;
      const broken = brokenEquations(truth);
      const expected = truth.must_flag.filter((r) => ARITHMETIC.includes(r));
      expect([...broken].sort(), truth.file).toEqual(expected.sort());
      for (const rule of truth.must_not_flag) expect(broken.has(rule), `${truth.file} ${rule}`).toBe(false);
    }
  });

  it('writes files and truth.jsonl with `ogi synth`', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ogi-synth-'));
    try {
      const { summary } = await runSynth({ n: 12, seed: 11, out, errorRate: 0.3 });
      expect(summary.n).toBe(12);
      const lines = readFileSync(join(out, 'truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SynthTruth);
      expect(lines.map((t) => t.file)).toEqual(reports.slice(0, 12).map((r) => r.truth.file));
      expect(readdirSync(join(out, '000')).sort()).toEqual(lines.map((t) => t.file.slice(4)));
      expect(readFileSync(join(out, lines[3].file), 'utf8')).toBe(reports[3].text);
      expect(summary.bytes).toBe(reports.slice(0, 12).reduce((s, r) => s + Buffer.byteLength(r.text), 0));
      await expect(runSynth({ n: 0, out })).rejects.toThrow(/--n must be a positive whole number/);
      // Not over another corpus: its files would have no truth.
      await expect(runSynth({ n: 5, seed: 11, out })).rejects.toThrow(/is not empty \(000, truth\.jsonl\): synth writes a corpus into a new or empty folder/);
      expect(readFileSync(join(out, 'truth.jsonl'), 'utf8').trim().split('\n')).toHaveLength(12);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('splits totals with Rng.split exactly and in proportion', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 50; i++) {
      const total = rng.int(0, 5000);
      const parts = rng.split(total, [10, 1, 0, 3]);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(parts[2]).toBe(0);
    }
  });
});
