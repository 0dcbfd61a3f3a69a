import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { classifyHeading, findHeadings } from '../../src/parse/sections.js';
import { checkSections } from '../../src/validate/structure.js';
import { SEED_PATH, readFixture, readTruth } from './helpers.js';
import { readFileSync } from 'node:fs';

const seedText = readFileSync(SEED_PATH, 'utf8');
const seed = parseText(seedText, SEED_PATH);
const truth = readTruth();

describe('splitting the seed into reports', () => {
  it('finds the four complete reports and the two pre-2019 fragments, nothing else', () => {
    expect(seed.reports).toHaveLength(6);
    for (const t of [...truth.seed.reports, ...truth.seed.partial_reports]) {
      const hits = seed.reports.filter((r) => (r.title ?? '').includes(t.match!) || Object.values(r.sections).some((s) => s?.includes(t.match!)));
      expect(hits.length, t.match).toBeGreaterThanOrEqual(1);
      expect(hits[0].year, t.match).toBe(t.year);
    }
  });

  it('counts the real-estate snippets and site chrome as stray text, never as part of a report', () => {
    expect(seed.stray.fragments).toBeGreaterThanOrEqual(3);
    for (const snippet of truth.seed.not_reports) {
      for (const r of seed.reports) {
        for (const s of Object.values(r.sections)) expect(s ?? '').not.toContain(snippet);
      }
    }
  });

  it('fills sections.problems for every complete report, headed 五', () => {
    for (const t of truth.seed.reports) {
      const r = seed.reports.find((x) => (x.title ?? '').includes(t.match!) || (x.sections.overview ?? '').includes(t.match!))!;
      expect(r.sections.problems, t.match).toBeTruthy();
      expect(r.problems_heading, t.match).toMatch(/^五、/);
      expect(r.sections.proactive).toContain('第二十条');
      expect(r.sections.review_litigation).toContain('行政复议');
    }
  });

  it('gives the 灵川 report, which lost its title and heading 一, its overview from the leading text', () => {
    const r = seed.reports.find((x) => (x.sections.overview ?? '').includes('灵川'))!;
    expect(r.title).toBeNull();
    expect(r.sections.overview).toContain('(四)因政府信息公开工作被申请行政复议');
    expect(r.sections.problems).toContain('下一步,中心将积极采取措施');
    expect(r.sections.problems).not.toContain('开元漓江上城');
  });
});

describe('sections of one-line pages and old reports', () => {
  it.each(['133.txt', '134.txt'])('%s: all six parts and the printed 五 heading', (file) => {
    const r = parseText(readFixture('reports', file), file).reports;
    expect(r).toHaveLength(1);
    const t = truth.reports.find((x) => x.file === file)!;
    expect(r[0].problems_heading).toBe(t.section5_heading);
    for (const v of Object.values(r[0].sections)) expect(v).toBeTruthy();
    expect(r[0].sections.problems!.startsWith('2019年') || r[0].sections.problems!.startsWith('（一）存在的主要问题')).toBe(true);
    // Sections keep the characters as printed: every hand-copied statement is a substring.
    for (const statement of [...(t.problems ?? []), ...(t.measures ?? [])]) expect(r[0].sections.problems).toContain(statement);
  });

  it('reads pre-2019 part names (七、主要问题和改进措施, 五、2016年工作安排) as the problems section', () => {
    const a = parseText(readFixture('reports', '105.txt'), '105.txt').reports[0];
    expect(a.problems_heading).toBe('七、主要问题和改进措施');
    expect(a.sections_original?.problems).toBeTruthy();
    const b = parseText(readFixture('reports', '115.txt'), '115.txt').reports[0];
    expect(b.problems_heading).toBe('五、2016年工作安排');
  });

  it('classifies headings by their words, not their numerals', () => {
    expect(classifyHeading('存在的主要问题及改进情况').key).toBe('problems');
    expect(classifyHeading('因政府信息公开申请行政复议、提起行政诉讼的情况').key).toBe('review_litigation');
    expect(classifyHeading('政府信息依申请公开工作情况').key).toBe('applications');
    expect(classifyHeading('政府信息公开的收费及减免情况')).toEqual({ key: null, boundary: true });
    expect(classifyHeading('结转下年度继续办理').key).toBeNull();
    for (const h of ['存在问题及改进措施', '存在的主要问题和改进措施', '存在问题及工作打算', '今后改进方向', '政府信息公开工作存在的主要问题及改进情况']) {
      expect(classifyHeading(h).key, h).toBe('problems');
    }
  });

  it('numbers 一 to 五 without 总体情况, and keeps (一)主要问题 / (二)改进措施 inside 五', () => {
    const text = [
      '某局2020年政府信息公开工作年度报告',
      '一、主动公开政府信息情况',
      '本年主动公开信息20条。',
      '二、收到和处理政府信息公开申请情况',
      '本年未收到政府信息公开申请。',
      '三、政府信息公开行政复议、行政诉讼情况',
      '无。',
      '四、存在问题及改进措施',
      '(一)主要问题',
      '一是公开形式单一。',
      '(二)改进措施',
      '一是丰富公开形式。',
      '五、其他需要报告的事项',
      '无。',
    ].join('\n');
    const r = parseText(text).reports[0];
    expect(r.sections.overview).toBeNull();
    expect(r.sections.proactive).toBe('本年主动公开信息20条。');
    expect(r.sections.problems).toBe('(一)主要问题\n一是公开形式单一。\n(二)改进措施\n一是丰富公开形式。');
    expect(r.problems_heading).toBe('四、存在问题及改进措施');
    expect(r.sections.other).toBe('无。');
  });

  it('does not take table rows (一、本年新收…, 四、结转下年度…) for part headings', () => {
    const text = '三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 3\n四、结转下年度继续办理 0\n四、政府信息公开行政复议、行政诉讼情况\n0\n五、存在的主要问题及改进情况\n一是人手少。';
    const keys = findHeadings(text).map((h) => [h.numeral, h.key]);
    expect(keys).toEqual([
      [3, 'applications'],
      [4, 'review_litigation'],
      [5, 'problems'],
    ]);
  });
});

describe('a heading run together with its one-sentence body', () => {
  it('104.txt: finds 六、其他需要报告的事项 before "2025年，无收取…" and has no part missing', () => {
    const r = parseText(readFixture('reports', '104.txt'), '104.txt').reports[0];
    expect(r.sections.other).toBe('2025年，无收取信息处理费情况。');
    expect(checkSections(r)).toEqual([]);
    // The table row 四、结转下年度继续办理 is still no heading: 四 is the 复议/诉讼 part.
    expect(r.sections.review_litigation).toContain('行政复议');
    expect(r.sections.applications).toContain('结转下年度继续办理');
  });

  it('cuts "六、其他需要报告的事项无。" and "三、依申请公开政府信息:无…" after the heading words', () => {
    const text = [
      '某局2020年政府信息公开工作年度报告',
      '一、总体情况',
      '本局认真落实条例。',
      '二、主动公开政府信息情况',
      '本年主动公开信息20条。',
      '三、依申请公开政府信息：无依申请公开的政府信息。',
      '四、政府信息公开行政复议、行政诉讼情况',
      '无。',
      '五、存在的主要问题及改进情况',
      '一是公开形式单一。',
      '六、其他需要报告的事项无。',
    ].join('\n');
    const r = parseText(text).reports[0];
    expect(r.sections.applications).toBe('无依申请公开的政府信息。');
    expect(r.sections.other).toBe('无。');
    // A heading alone on its line, even with a full stop, stays whole.
    expect(findHeadings('五、存在的主要问题及改进情况。\n一是人手少。')[0].text).toBe('五、存在的主要问题及改进情况。');
  });
});

describe('an untitled report after a complete one', () => {
  it('splits two copies of the seed into twelve reports with the same tables', () => {
    const twice = parseText(`${seedText}\n${seedText}`, 'twice.txt');
    expect(twice.reports).toHaveLength(12);
    expect(twice.stray.fragments).toBe(seed.stray.fragments * 2);
    for (let i = 0; i < 6; i++) {
      expect(twice.reports[i + 6].tables).toEqual(seed.reports[i].tables);
      expect(twice.reports[i + 6].sections).toEqual(seed.reports[i].sections);
    }
    expect(twice.reports[5].sections.other).toBe('无。');
  });
});
