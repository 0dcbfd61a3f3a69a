import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord, Statement } from '../../src/model/types.js';
import { createNlp, discoverTopics, markBoilerplate, readLabelled, type Nlp } from '../../src/nlp/index.js';
import { classifierTrainer, crossValidate, makeFolds, scoreThemes, type Trainer } from '../../src/nlp/evaluate.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
let nlp: Nlp;
beforeAll(async () => {
  nlp = await createNlp({ training: [] });
});

describe('cross-validation', () => {
  const examples = readLabelled(join(FIX, 'labelled', 'statements.jsonl'));

  it('folds keep every group together and cover every example', () => {
    const folds = makeFolds(examples, 5);
    expect(folds.every((f) => f >= 0 && f < 5)).toBe(true);
    const byGroup = new Map<string, Set<number>>();
    examples.forEach((e, i) => byGroup.set(e.group!, (byGroup.get(e.group!) ?? new Set()).add(folds[i])));
    for (const s of byGroup.values()) expect(s.size).toBe(1);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(3);
  });

  it('never scores an example with a model trained on it (nor on its group)', () => {
    const tokens = examples.map(() => [] as string[]);
    const models: { train: Set<number>; groups: Set<string> }[] = [];
    const scoredBy = new Map<string, number>();
    const spy: Trainer = (train) => {
      const m = models.length;
      models.push({ train: new Set(train.map((t) => t.index)), groups: new Set(train.map((t) => t.example.group!)) });
      return (text) => {
        scoredBy.set(text, m);
        return ['other'];
      };
    };
    crossValidate(examples, tokens, spy, { k: 5 });
    expect(models).toHaveLength(5);
    expect(scoredBy.size).toBe(examples.length);
    examples.forEach((e, i) => {
      const m = models[scoredBy.get(e.text)!];
      expect(m.train.has(i)).toBe(false);
      expect(m.groups.has(e.group!)).toBe(false);
    });
  });

  it('a memorising model scores perfectly on its training data but not under CV', () => {
    // Sanity check that CV is really out-of-sample: a lookup table of training labels knows nothing else.
    const memo: Trainer = (train) => {
      const table = new Map(train.map((t) => [t.example.text, t.example.themes]));
      return (text) => table.get(text) ?? ['other'];
    };
    const tokens = examples.map(() => [] as string[]);
    const cv = crossValidate(examples, tokens, memo, { k: 5 });
    const onTrain = scoreThemes(examples, examples.map((e) => e.themes));
    expect(onTrain.macroF1).toBe(1);
    expect(cv.macroF1).toBeLessThan(0.2);
  });

  it('the real classifier reaches macro F1 ≥ 0.8 over themes with ≥ 10 examples under 5-fold CV', () => {
    const tokens = examples.map((e) => nlp.tokenize(e.text));
    const cv = crossValidate(examples, tokens, classifierTrainer(nlp.taxonomy), { k: 5 });
    expect(cv.perTheme.filter((t) => t.support >= 10).length).toBeGreaterThanOrEqual(15);
    expect(cv.macroF1).toBeGreaterThanOrEqual(0.8);
  });
});

function report(id: string, agency: string, year: number, problems: string | null): ReportRecord {
  return {
    id,
    source: { path: `${id}.txt`, index: 0 },
    title: null,
    agency,
    level: 'county',
    year,
    template: '2021',
    sections: { overview: null, proactive: null, applications: null, review_litigation: null, problems, other: null },
    tables: { proactive: null, applications: null, review_litigation: null },
    findings: [],
  };
}

describe('copied text', () => {
  const sec2020 = '存在问题：一是政策解读形式较单一，图解、视频等解读形式运用较少；二是部分单位信息更新不及时，存在长期未更新的栏目。\n改进措施：一是丰富解读形式，提升解读质量；二是建立信息更新督查通报机制。';
  it('marks near-duplicate statements with the earliest report as source, and a copied whole section', () => {
    const reports = [
      report('r2021', '某县人民政府', 2021, sec2020.replace('一是丰富解读形式', '一是进一步丰富解读形式')),
      report('r2020', '某县人民政府', 2020, sec2020),
      report('r2022', '某县人民政府（汇总）', 2022, sec2020),
      report('other', '另一县人民政府', 2021, '存在问题：一是依申请公开答复不够规范，答复书格式不统一。\n改进措施：一是加强答复文书合法性审查。'),
    ];
    const statements: Statement[] = reports.flatMap((r) => nlp.statements(r));
    const copies = markBoilerplate(statements, reports);
    const of2021 = statements.filter((s) => s.report_id === 'r2021');
    expect(of2021.every((s) => s.boilerplate?.of === 'r2020')).toBe(true);
    expect(statements.filter((s) => s.report_id === 'r2022').every((s) => s.boilerplate?.of === 'r2020' && s.boilerplate.similarity === 1)).toBe(true);
    expect(statements.filter((s) => s.report_id === 'r2020' || s.report_id === 'other').every((s) => s.boilerplate === null)).toBe(true);
    expect(copies.map((c) => [c.report_id, c.of])).toEqual([
      ['r2021', 'r2020'],
      ['r2022', 'r2021'],
    ]);
    expect(copies[0].finding.rule).toBe('problems.copied');
    expect(copies[0].similarity).toBeGreaterThan(0.85);
  });

  it('short statements are compared with Jaro-Winkler', () => {
    const reports = [report('a', '甲', 2019, '一是网站功能还需完善。'), report('b', '乙', 2020, '一是网站功能还需要完善。'), report('c', '丙', 2020, '一是解读形式较单一。')];
    const statements = reports.flatMap((r) => nlp.statements(r));
    markBoilerplate(statements, reports);
    expect(statements.find((s) => s.report_id === 'b')!.boilerplate?.of).toBe('a');
    expect(statements.find((s) => s.report_id === 'c')!.boilerplate).toBeNull();
  });

  it('a different section from the previous year is no copy', () => {
    const reports = [report('x1', '某局', 2020, sec2020), report('x2', '某局', 2021, '存在问题：政务新媒体更新慢，互动回应不足。')];
    const statements = reports.flatMap((r) => nlp.statements(r));
    expect(markBoilerplate(statements, reports)).toEqual([]);
  });
});

describe('topic discovery', () => {
  it('clusters low-fit statements and reports top terms and examples', () => {
    const texts = [
      '档案移交进馆工作滞后，档案整理不规范。',
      '档案数字化进度慢，纸质档案保管条件差。',
      '历史档案整理移交不及时，档案查阅不便。',
      '疫情防控物资采购信息发布不全。',
      '防疫物资捐赠使用信息公开不够。',
      '疫情防控物资分配信息公开不及时。',
    ];
    const statements: Statement[] = texts.map((text, index) => ({
      report_id: `r${index}`,
      kind: 'problem',
      index,
      text,
      tokens: nlp.tokenize(text),
      themes: [{ id: 'other', score: 0.9 }],
      boilerplate: null,
    }));
    const topics = discoverTopics(statements, { k: 2 });
    expect(topics).toHaveLength(2);
    const termsOf = topics.map((t) => t.terms.map((x) => x.term));
    expect(termsOf.some((ts) => ts.includes('档案'))).toBe(true);
    expect(termsOf.some((ts) => ts.includes('物资'))).toBe(true);
    for (const t of topics) {
      expect(t.size).toBe(3);
      expect(t.examples.length).toBe(3);
      expect(t.reports).toBe(3);
    }
    // Statements that fit a theme well are left out.
    statements[0].themes = [{ id: 'platform', score: 0.95 }];
    expect(discoverTopics(statements, { k: 2 }).reduce((n, t) => n + t.size, 0)).toBe(5);
  });
});
