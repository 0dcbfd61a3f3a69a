import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../src/model/types.js';
import { createNlp, readLabelled, DEFAULT_TRAINING_PATH, type Nlp } from '../../src/nlp/index.js';
import { parseText } from '../../src/parse/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
let nlp: Nlp;
let seedReports: ReportRecord[];

beforeAll(async () => {
  nlp = await createNlp();
  seedReports = parseText(readFileSync(join(FIX, 'corpus', 'seed', '000_f87896d27c5ba0ed.txt'), 'utf8'), 'seed.txt').reports;
});

function seedReport(agency: string): ReportRecord {
  const r = seedReports.find((x) => x.agency === agency);
  if (!r) throw new Error(`seed report ${agency} not parsed`);
  return r;
}

describe('seed statements: first themes (issue 4 done-when)', () => {
  const cases: [string, string[]][] = [
    ['广元市人民政府', ['interpretation', 'platform', 'content_depth']],
    ['衢州市人民政府', ['catalog_standards', 'interpretation', 'staffing']],
    ['广元市林业局', ['staffing', 'content_depth']],
  ];
  for (const [agency, firsts] of cases) {
    it(`${agency} problems`, () => {
      const problems = nlp.statements(seedReport(agency)).filter((s) => s.kind === 'problem');
      expect(problems.map((s) => s.themes[0].id)).toEqual(firsts);
    });
  }
});

describe('statements()', () => {
  it('fills the statement record of SCHEMA.md', () => {
    const sts = nlp.statements(seedReport('衢州市人民政府'));
    expect(sts).toHaveLength(6);
    sts.forEach((s, i) => {
      expect(s.index).toBe(i);
      expect(s.report_id).toBe(seedReport('衢州市人民政府').id);
      expect(s.boilerplate).toBeNull();
      expect(s.tokens.length).toBeGreaterThan(0);
      expect(s.tokens).not.toContain('一是');
      for (let k = 1; k < s.themes.length; k++) expect(s.themes[k - 1].score).toBeGreaterThanOrEqual(s.themes[k].score);
    });
  });

  it('gives several themes when a statement names several subjects', () => {
    const t = nlp.classify('继续管好全市政府网站、政务新媒体，确保健康运行。').map((x) => x.id);
    expect(t).toEqual(expect.arrayContaining(['platform', 'new_media']));
  });

  it('gives other when nothing fits, and marks vague statements', () => {
    const r = { ...seedReport('衢州市人民政府'), id: 'vague', sections: { ...seedReport('衢州市人民政府').sections, problems: '我单位政府信息公开工作仍存在一些不足。\n下一步，我单位将按照上级部署要求抓好落实。' } };
    const sts = nlp.statements(r);
    expect(sts[0].vague).toBe(true);
    expect(sts[0].themes[0].id).toBe('other');
    expect(sts[1].themes[0].id).toBe('other');
  });

  it('handles a 50,000-character section 五', () => {
    const items = Array.from({ length: 900 }, (_, i) => `${i + 1}.部分单位政府网站第${i}个栏目信息更新不及时，政务新媒体长期未更新，群众获取信息很不方便，有关整改工作还不到位`).join('；');
    const base = seedReport('衢州市人民政府');
    const r = { ...base, id: 'long', sections: { ...base.sections, problems: `存在问题：${items}。\n改进措施：一是加强培训。` } };
    expect(r.sections.problems.length).toBeGreaterThan(50_000);
    const sts = nlp.statements(r);
    expect(sts).toHaveLength(901);
    expect(sts[0].themes.map((t) => t.id)).toEqual(expect.arrayContaining(['platform', 'new_media']));
  });

  it('a report without section 五 yields no statements, not an error', () => {
    const r = seedReports.find((x) => !x.sections.problems);
    expect(r).toBeDefined();
    expect(nlp.statements(r!)).toEqual([]);
  });

  it('a replacement taxonomy replaces the themes', async () => {
    const own = await createNlp({ taxonomyPath: join(FIX, 'labelled', 'taxonomy-small.json') });
    expect(own.taxonomy.map((t) => t.id)).toEqual(['web', 'other']);
    expect(own.classify('网站栏目设置不合理')[0].id).toBe('web');
    expect(own.classify('政策解读形式单一')[0].id).toBe('other');
  });

  it('the shipped training set is the labelled fixture', () => {
    expect(readFileSync(DEFAULT_TRAINING_PATH, 'utf8')).toBe(readFileSync(join(FIX, 'labelled', 'statements.jsonl'), 'utf8'));
  });
});

describe('labelled set', () => {
  it('has at least 300 statements with valid theme ids and kinds, from corpus, seed and variants', () => {
    const ex = readLabelled(join(FIX, 'labelled', 'statements.jsonl'));
    expect(ex.length).toBeGreaterThanOrEqual(300);
    const ids = new Set(nlp.taxonomy.map((t) => t.id));
    for (const e of ex) {
      expect(e.themes.length).toBeGreaterThan(0);
      for (const t of e.themes) expect(ids.has(t)).toBe(true);
      expect(['problem', 'measure']).toContain(e.kind);
    }
    const sources = new Set(ex.map((e) => (e.source ?? '').split(':')[0]));
    for (const s of ['corpus', 'seed', 'variant']) expect(sources.has(s)).toBe(true);
  });
});
