import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord, Statement } from '../../src/model/types.js';
import { CopyIndex, createNlp, markBoilerplate, stripMarker, type Nlp, type SectionCopy } from '../../src/nlp/index.js';
import { parseText } from '../../src/parse/index.js';
import { report as auditReport } from '../audit/helpers.js';

const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'corpus');
let nlp: Nlp;
beforeAll(async () => {
  nlp = await createNlp({ training: [] });
});

/** A report with only section 五 (or none). */
function report(id: string, agency: string | null, year: number | null, problems: string | null): ReportRecord {
  return auditReport({ id, agency, year, sections: { overview: null, proactive: null, applications: null, review_litigation: null, problems, other: null } });
}

let corpus: ReportRecord[] | undefined;
/** The fixture corpus's reports with section 五, each also as a next-year copy with edits (parsed once). */
function corpusWithCopies(): ReportRecord[] {
  corpus ??= readCorpusWithCopies();
  return corpus;
}

function readCorpusWithCopies(): ReportRecord[] {
  const reports: ReportRecord[] = [];
  for (const dir of ['reports', 'seed'])
    for (const f of readdirSync(join(CORPUS, dir)).filter((n) => n.endsWith('.txt')).sort())
      reports.push(...parseText(readFileSync(join(CORPUS, dir, f), 'utf8'), `${dir}/${f}`).reports.filter((r) => r.sections.problems?.trim()));
  const copies = reports.map((r, k) => {
    const year = (r.year ?? 2020) + 1;
    // Years moved on, one statement in three slightly edited: a copied section and copied statements.
    const problems = r.sections.problems!.replace(/\d{4}年/gu, `${year}年`).replace(/进一步/gu, '');
    return report(`copy-${k}`, r.agency, k % 2 ? year : r.year! - 1, problems);
  });
  return [...reports, ...copies];
}

type Marks = Map<number, { of: string; similarity: number }>;

function marksOf(statements: Statement[]): Marks {
  const out: Marks = new Map();
  statements.forEach((s, i) => {
    if (s.boilerplate) out.set(i, { of: s.boilerplate.of!, similarity: s.boilerplate.similarity });
  });
  return out;
}

const copyKey = (c: SectionCopy): string => `${c.report_id}<${c.of}:${c.similarity}`;

describe('CopyIndex', () => {
  it('gives markBoilerplate’s marks and section copies on the fixture corpus whatever the order reports arrive in', () => {
    const reports = corpusWithCopies();
    const byReport = new Map(reports.map((r) => [r.id, nlp.statements(r)]));
    const statements = reports.flatMap((r) => byReport.get(r.id)!);
    const expected = markBoilerplate(statements, reports);
    const expectedMarks = marksOf(statements);
    expect(expectedMarks.size).toBeGreaterThan(statements.length / 3);
    expect(expected.length).toBeGreaterThan(0);

    // Streamed as the themes pipeline does: each report, then its statements.
    const streamed = new CopyIndex();
    for (const r of reports) {
      streamed.addReport(r);
      for (const s of byReport.get(r.id)!) streamed.addStatement(s);
    }
    const a = streamed.finish();
    expect(a.marks).toEqual(expectedMarks);
    expect(a.sectionCopies).toEqual(expected);

    // Statements first, reports afterwards in reverse: same marks, same section copies (their order
    // follows the order agencies were first seen in).
    const late = new CopyIndex();
    for (const s of statements) late.addStatement(s);
    for (const r of [...reports].reverse()) late.addReport(r);
    const b = late.finish();
    expect(b.marks).toEqual(expectedMarks);
    expect(b.sectionCopies.map(copyKey).sort()).toEqual(expected.map(copyKey).sort());
  });

  it('marks copies of earlier reports only, with the earliest report as source', () => {
    const reports = corpusWithCopies();
    const statements = reports.flatMap((r) => nlp.statements(r));
    markBoilerplate(statements, reports);
    const order = [...reports].sort((a, b) => (a.year ?? 9999) - (b.year ?? 9999) || a.id.localeCompare(b.id)).map((r) => r.id);
    const ranks = new Map(order.map((id, i) => [id, i]));
    const rank = (id: string): number => ranks.get(id)!;
    const comparable = (t: string): string => stripMarker(t).replace(/\d{4}\s*年度?/gu, '#年').replace(/[\s\p{P}]/gu, '');
    const earliestWithText = new Map<string, string>();
    for (const s of statements) {
      const k = comparable(s.text);
      const cur = earliestWithText.get(k);
      if (k && (cur === undefined || rank(s.report_id) < rank(cur))) earliestWithText.set(k, s.report_id);
    }
    for (const s of statements) {
      if (s.boilerplate) {
        expect(rank(s.boilerplate.of!)).toBeLessThan(rank(s.report_id));
        expect(s.boilerplate.similarity).toBe(Math.round(s.boilerplate.similarity * 1000) / 1000);
      }
      // The same text in an earlier report: a copy, of that report or of an even earlier near-duplicate.
      const first = earliestWithText.get(comparable(s.text));
      if (first && rank(first) < rank(s.report_id)) {
        expect(s.boilerplate).not.toBeNull();
        expect(rank(s.boilerplate!.of!)).toBeLessThanOrEqual(rank(first));
        if (s.boilerplate!.of === first) expect(s.boilerplate!.similarity).toBe(1);
      }
    }
  });

  it('numbers statements 0, 1, 2 … in call order and marks by that ordinal', () => {
    const index = new CopyIndex();
    const texts = ['一是政策解读形式较为单一，图表图解运用较少。', '二是信息公开工作人员业务能力有待提高。'];
    const ordinals: number[] = [];
    index.addReport(report('b', '甲县人民政府', 2021, texts.join('\n')));
    for (const t of texts) ordinals.push(index.addStatement({ report_id: 'b', text: t, tokens: nlp.tokenize(stripMarker(t)) }));
    index.addReport(report('a', '乙县人民政府', 2020, texts[1]));
    ordinals.push(index.addStatement({ report_id: 'a', text: `（一）${texts[1].slice(2)}`, tokens: nlp.tokenize(stripMarker(texts[1])) }));
    expect(ordinals).toEqual([0, 1, 2]);
    const { marks } = index.finish();
    expect([...marks.keys()]).toEqual([1]);
    expect(marks.get(1)).toEqual({ of: 'a', similarity: 1 });
    expect(index.stats).toMatchObject({ statements: 3, reports: 2, groups: 2 });
    expect(() => index.addStatement({ report_id: 'a', text: 'x', tokens: [] })).toThrow(/after finish/);
  });

  it('takes a later-added report as the source when its year is earlier', () => {
    const text = '部分单位对政府信息公开工作重视程度不够，主动公开意识不强，公开内容不够全面。';
    const tokens = nlp.tokenize(text);
    const near = '部分单位对政府信息公开工作重视程度不够，主动公开意识不强，公开内容不够全面准确。';
    const index = new CopyIndex();
    index.addReport(report('r2022', '丙市人民政府', 2022, text));
    index.addStatement({ report_id: 'r2022', text, tokens });
    index.addReport(report('r2021', '丁市人民政府', 2021, near));
    index.addStatement({ report_id: 'r2021', text: near, tokens: nlp.tokenize(near) });
    index.addStatement({ report_id: 'r2019', text, tokens }); // its report comes after its statement
    index.addReport(report('r2019', '戊市人民政府', 2019, text));
    index.addStatement({ report_id: 'nowhere', text, tokens }); // report never added: ranks last
    const { marks } = index.finish();
    expect(marks.get(0)).toEqual({ of: 'r2019', similarity: 1 });
    expect(marks.get(1)?.of).toBe('r2019');
    expect(marks.get(1)!.similarity).toBeGreaterThanOrEqual(0.8);
    expect(marks.get(1)!.similarity).toBeLessThan(1);
    expect(marks.has(2)).toBe(false);
    expect(marks.get(3)).toEqual({ of: 'r2019', similarity: 1 });
  });

  it('finds a whole section 五 copied from the same agency’s nearest earlier year', () => {
    const sec = '存在问题：一是政策解读形式较单一，图解、视频等解读形式运用较少；二是部分单位信息更新不及时，存在长期未更新的栏目。\n改进措施：一是丰富解读形式，提升解读质量；二是建立信息更新督查通报机制。';
    const index = new CopyIndex();
    // Added out of year order; 2021 is missing, so 2022 is compared with 2020.
    index.addReport(report('y2022', '某县人民政府（汇总）', 2022, sec.replace(/2020年/gu, '2022年')));
    index.addReport(report('y2020', '某县 人民政府', 2020, sec));
    index.addReport(report('y2023', '某县人民政府', 2023, '存在问题：政务新媒体更新慢，互动回应不足。'));
    index.addReport(report('other', '另一县人民政府', 2021, sec));
    index.addReport(report('noyear', '某县人民政府', null, sec));
    const { sectionCopies } = index.finish();
    expect(sectionCopies.map((c) => [c.report_id, c.of, c.of_year, c.year, c.similarity])).toEqual([['y2022', 'y2020', 2020, 2022, 1]]);
    expect(sectionCopies[0].finding).toMatchObject({ rule: 'problems.copied', severity: 'warning', cells: [] });
    expect(sectionCopies[0].finding.message).toContain('2020年报告（y2020）');
  });

  it('holds no statement text for long statements', () => {
    const index = new CopyIndex();
    const long = '加强政府信息公开平台建设，优化政府门户网站栏目设置，提升信息检索的便捷性和准确性';
    index.addReport(report('r', '某局', 2020, null));
    for (let k = 0; k < 200; k++) index.addStatement({ report_id: 'r', text: `${long}${k}。`, tokens: nlp.tokenize(`${long}${k}`) });
    expect(index.stats).toMatchObject({ statements: 200, groups: 200 });
    // Every string reachable from the index (arrays, maps, objects; typed arrays hold numbers only).
    const strings: string[] = [];
    const seen = new Set<unknown>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      if (!v || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return;
      seen.add(v);
      if (v instanceof Map) for (const [k, x] of v) (walk(k), walk(x));
      else if (v instanceof Set) for (const x of v) walk(x);
      else for (const x of Object.values(v)) walk(x);
    };
    walk(index);
    expect(strings.length).toBeGreaterThan(0);
    expect(strings.filter((t) => t.length > 20)).toEqual([]);
  });
});

describe('CopyIndex section texts on disk', () => {
  it('compares sections written across several spill flushes (> 1 MiB), with the same result as in memory', () => {
    // 2,000 agencies × 2 years of ~700-character sections: ~8 MB of UTF-8, several 1 MiB flushes.
    const filler = (seed: number) => {
      let x = seed + 1;
      return Array.from({ length: 700 }, () => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return String.fromCharCode(0x4e00 + (x >>> 8) % 20000);
      }).join('');
    };
    const reports: ReportRecord[] = [];
    for (let a = 0; a < 2000; a++) {
      const text = filler(a);
      reports.push(report(`a${a}-2020`, `第${a}局`, 2020, text));
      // Every 97th agency copies its 2020 section; the others write a new one.
      reports.push(report(`a${a}-2021`, `第${a}局`, 2021, a % 97 === 0 ? text : filler(a + 100_000)));
    }
    const index = new CopyIndex();
    for (const r of [...reports].reverse()) index.addReport(r);
    const { sectionCopies } = index.finish();
    const copied = sectionCopies.map((c) => [c.report_id, c.of]).sort();
    const expected = Array.from({ length: 2000 }, (_, a) => a)
      .filter((a) => a % 97 === 0)
      .map((a) => [`a${a}-2021`, `a${a}-2020`])
      .sort();
    expect(copied).toEqual(expected);
    expect(sectionCopies.every((c) => c.similarity === 1)).toBe(true);
    expect(markBoilerplate([], reports).map((c) => [c.report_id, c.of]).sort()).toEqual(expected);
  });
});
