/**
 * Property test: random valid tables (every equation of the template balanced) rendered into each text
 * layout parse back to the same numbers, or to null with table.ambiguous naming the cell — never to a
 * wrong number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DENIED_ITEMS, NOT_PROCESSED_ITEMS, ORG_COLUMNS, OTHER_ITEMS_2021, PROACTIVE_2019, PROACTIVE_2021, REVIEW_COLUMNS, REVIEW_GROUPS, UNAVAILABLE_ITEMS } from '../../src/model/keys.js';
import type { ReportRecord, TableName } from '../../src/model/types.js';
import { parseText } from '../../src/parse/index.js';
import { LAYOUTS, TABLE_HEADINGS, renderTable, type Layout, type RenderTemplate, type TableValues } from '../../src/synth/layouts.js';

const COLS6 = ['natural_person', ...ORG_COLUMNS] as const;
const small = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 30 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) });

interface Case {
  template: RenderTemplate;
  layout: Layout;
  /** Zero cells printed empty (the seed's 广元市 table), only in layouts that separate cells. */
  blankZeros: boolean;
  tables: Record<TableName, TableValues>;
}

function leavesOf(template: RenderTemplate): string[] {
  return ['granted', 'partially_granted', ...DENIED_ITEMS, ...UNAVAILABLE_ITEMS, ...NOT_PROCESSED_ITEMS, ...(template === '2021' ? OTHER_ITEMS_2021 : ['other'])];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    template: fc.constantFrom<RenderTemplate>('2019', '2021'),
    layout: fc.constantFrom(...LAYOUTS),
    blankZeros: fc.boolean(),
    leaves: fc.array(fc.array(small, { minLength: 6, maxLength: 6 }), { minLength: 26, maxLength: 26 }),
    carried: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 6 }),
    forward: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 6 }),
    review: fc.array(fc.array(small, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
    proactive: fc.array(fc.integer({ min: 0, max: 99999 }), { minLength: 24, maxLength: 24 }),
    change: fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 4, maxLength: 4 }),
    cents: fc.integer({ min: 0, max: 99_999_999 }),
  })
  .map((r) => {
    const blankZeros = r.blankZeros && (r.layout === 'pipe' || r.layout === 'cell-per-line' || r.layout === 'merged-org');
    const show = (v: number): number | null => (blankZeros && v === 0 ? null : v);
    const leaves = leavesOf(r.template);
    const apps: TableValues = {};
    const colTotals: Record<string, Record<string, number>> = {};
    const put = (row: string, col: string, v: number) => ((colTotals[row] ??= {})[col] = v);
    COLS6.forEach((col, c) => {
      let handled = 0;
      leaves.forEach((row, i) => {
        put(row, col, r.leaves[i][c]);
        handled += r.leaves[i][c];
      });
      const carried = Math.min(r.carried[c], handled + r.forward[c]);
      put('handled_total', col, handled);
      put('carried_over', col, carried);
      put('carried_forward', col, r.forward[c]);
      put('new_received', col, handled + r.forward[c] - carried);
    });
    for (const [row, cols] of Object.entries(colTotals)) {
      const total = COLS6.reduce((a, c) => a + cols[c], 0);
      apps[row] = Object.fromEntries([...COLS6.map((c) => [c, show(cols[c])]), ['total', show(total)]]);
    }
    const review: TableValues = {};
    REVIEW_GROUPS.forEach((g, i) => {
      const parts = r.review[i];
      review[g] = Object.fromEntries([...REVIEW_COLUMNS.slice(0, 4).map((c, j) => [c, show(parts[j])]), ['total', show(parts.reduce((a, b) => a + b, 0))]]);
    });
    const spec = r.template === '2019' ? PROACTIVE_2019 : PROACTIVE_2021;
    const proactive: TableValues = {};
    let k = 0;
    let ch = 0;
    for (const [row, cols] of Object.entries(spec)) {
      proactive[row] = {};
      for (const col of cols) {
        const v = col === 'change' ? r.change[ch++ % 4] : col === 'amount_wan' ? r.cents / 100 : r.proactive[k++ % 24];
        proactive[row][col] = show(v);
      }
    }
    return { template: r.template, layout: r.layout, blankZeros, tables: { proactive, applications: apps, review_litigation: review } };
  });

function reportText(c: Case): string {
  const parts = [
    '某某县2020年政府信息公开工作年度报告',
    '一、总体情况',
    '2020年，本县认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作。',
    ...(['proactive', 'applications', 'review_litigation'] as TableName[]).flatMap((t) => [TABLE_HEADINGS[t], renderTable(t, c.template, c.tables[t], c.layout)]),
    '五、存在的主要问题及改进情况',
    '一是政策解读形式较单一。二是将加强培训。',
    '六、其他需要报告的事项',
    '无。',
  ];
  // Flattened pages put the whole report on one line.
  return c.layout === 'collapsed' ? parts.join(' ') : parts.join('\n');
}

/** Cells the parse got wrong: a number other than the rendered one, or a null not flagged ambiguous. */
function wrongCells(c: Case, r: ReportRecord): string[] {
  const flagged = new Set(r.findings.filter((f) => f.rule === 'table.ambiguous').flatMap((f) => f.cells));
  const wrong: string[] = [];
  const merged = c.layout === 'merged-org';
  for (const table of ['proactive', 'applications', 'review_litigation'] as TableName[]) {
    const parsed = r.tables[table];
    if (!parsed) {
      wrong.push(`${table}: missing`);
      continue;
    }
    for (const [row, cols] of Object.entries(c.tables[table])) {
      const expected: Record<string, number | null | undefined> = { ...cols };
      if (table === 'applications' && merged) {
        const orgs = ORG_COLUMNS.map((o) => cols[o]);
        expected.org_subtotal = orgs.every((v) => v === null) ? null : orgs.reduce<number>((a, b) => a + (b ?? 0), 0);
        for (const o of ORG_COLUMNS) expected[o] = null;
      }
      for (const [col, want] of Object.entries(expected)) {
        const key = `${table}.${row}.${col}`;
        const got = parsed[row]?.[col];
        if (!got) {
          wrong.push(`${key}: no cell`);
        } else if (got.status === 'ambiguous') {
          if (got.value !== null || !flagged.has(key)) wrong.push(`${key}: ambiguous but not null/flagged`);
        } else if (want === null || want === undefined ? got.value !== null : got.value === null || Math.abs(got.value - want) > 1e-6) {
          wrong.push(`${key}: rendered ${want}, parsed ${got.value} (${got.status})`);
        }
      }
    }
  }
  return wrong;
}

describe('rendered tables parse back to the same numbers or to flagged nulls', () => {
  it('holds for random balanced tables in every layout', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { reports } = parseText(reportText(c));
        expect(reports).toHaveLength(1);
        expect(reports[0].template).toBe(c.template);
        expect(wrongCells(c, reports[0])).toEqual([]);
      }),
      { numRuns: 200, seed: 20201231 },
    );
  }, 240_000);

  it('loses nothing where the layout keeps every cell (pipe; any layout without empty cells except collapsed)', () => {
    fc.assert(
      fc.property(
        caseArb.filter((c) => c.layout === 'pipe' || (!c.blankZeros && c.layout !== 'collapsed')),
        (c) => {
          const r = parseText(reportText(c)).reports[0];
          expect(r.findings.filter((f) => f.rule === 'table.ambiguous')).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  }, 120_000);
});

describe('mixed templates', () => {
  it('reads a 2019 table 二 and a 2021 table 三 in one report each with its own labels', () => {
    const text = [
      '某镇2021年度政府信息公开工作年度报告',
      TABLE_HEADINGS.proactive,
      renderTable('proactive', '2019', { 'art20_1.regulations': { made: 1, published: 2, total_published: 3 } }, 'cell-per-line'),
      TABLE_HEADINGS.applications,
      renderTable('applications', '2021', { other_no_fee: { natural_person: 2, total: 2 }, handled_total: { natural_person: 2, total: 2 }, new_received: { natural_person: 2, total: 2 } }, 'pipe'),
    ].join('\n');
    const r = parseText(text).reports[0];
    expect(r.tables.proactive!['art20_1.regulations'].total_published.value).toBe(3);
    expect(r.tables.applications!.other_no_fee.total.value).toBe(2);
    expect(r.tables.applications!.other).toMatchObject({ total: { value: 2, status: 'derived' } });
  });
});
