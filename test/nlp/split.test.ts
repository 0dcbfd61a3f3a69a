import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { findProblemsSection, isVague, splitSection, stripMarker } from '../../src/nlp/split.js';
import { scoreSplit, type SplitGold } from '../../src/nlp/evaluate.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const truth = JSON.parse(readFileSync(join(FIX, 'corpus', 'truth.json'), 'utf8')) as {
  reports: { file: string; problems: string[]; measures: string[] }[];
};

const kinds = (sts: { kind: string; text: string }[], kind: string): string[] => sts.filter((s) => s.kind === kind).map((s) => s.text);

describe('splitSection on the corpus', () => {
  for (const r of truth.reports) {
    it(`${r.file}: problems and measures equal truth.json (section cut from the file)`, () => {
      const text = readFileSync(join(FIX, 'corpus', 'reports', r.file), 'utf8');
      const start = text.indexOf('五、存在的主要问题');
      const section = text.slice(start, text.indexOf('六、', start));
      const sts = splitSection(section);
      expect(kinds(sts, 'problem')).toEqual(r.problems);
      expect(kinds(sts, 'measure')).toEqual(r.measures);
    });

    it(`${r.file}: the same through the parser's section 五 (NFKC punctuation)`, () => {
      const parsed = parseText(readFileSync(join(FIX, 'corpus', 'reports', r.file), 'utf8'), r.file);
      const section = parsed.reports[0].sections.problems;
      expect(section).toBeTruthy();
      const sts = splitSection(section!);
      const n = (xs: string[]) => xs.map((x) => x.normalize('NFKC'));
      expect(n(kinds(sts, 'problem'))).toEqual(n(r.problems));
      expect(n(kinds(sts, 'measure'))).toEqual(n(r.measures));
    });
  }

  it('offsets point at the statement inside the section', () => {
    const section = '存在问题：一是目录不全；二是解读单一。\n改进措施：一是完善目录。';
    for (const s of splitSection(section)) expect(section.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
  });
});

describe('enumerations, subsections, lead-ins', () => {
  it('（一）存在问题 / （二）改进措施 with nested 1. items', () => {
    const sts = splitSection(
      '五、存在的主要问题及改进情况\n（一）存在的主要问题\n1.政策解读形式较为单一。\n2.部分单位信息更新不及时。\n（二）改进措施\n1.丰富解读形式。\n2.建立督查机制。',
    );
    expect(sts.map((s) => [s.kind, s.text])).toEqual([
      ['problem', '1.政策解读形式较为单一。'],
      ['problem', '2.部分单位信息更新不及时。'],
      ['measure', '1.丰富解读形式。'],
      ['measure', '2.建立督查机制。'],
    ]);
  });

  it('①② and a transition sentence switch from problems to measures; lead-ins are dropped', () => {
    const sts = splitSection('仍存在以下不足：①目录不规范；②新媒体更新慢。2023年，我县将重点做好以下工作：①规范目录；②整治新媒体。');
    expect(sts.map((s) => [s.kind, s.text])).toEqual([
      ['problem', '①目录不规范'],
      ['problem', '②新媒体更新慢。'],
      ['measure', '①规范目录'],
      ['measure', '②整治新媒体。'],
    ]);
  });

  it('首先/其次/最后, 第一/第二 and (1)(2)', () => {
    expect(splitSection('问题如下：首先，内容不全面。其次，人员兼职。').map((s) => s.text)).toEqual(['首先，内容不全面。', '其次，人员兼职。']);
    expect(splitSection('改进措施：第一，修订指南；第二，规范流程。').map((s) => [s.kind, s.text])).toEqual([
      ['measure', '第一，修订指南'],
      ['measure', '第二，规范流程。'],
    ]);
    expect(splitSection('主要问题：(1)预决算公开不细；(2)回应不及时。').map((s) => s.text)).toEqual(['(1)预决算公开不细', '(2)回应不及时。']);
  });

  it('a vague opener before a label is a lead-in; clauses after a label are items; "改进措施和计划：" opens measures', () => {
    const sts = splitSection('2021年，我局工作存在不足。主要问题：目录不全；解读单一。\n改进措施和计划：一是完善目录。二是丰富解读。');
    expect(sts.map((s) => [s.kind, s.text])).toEqual([
      ['problem', '目录不全'],
      ['problem', '解读单一。'],
      ['measure', '一是完善目录。'],
      ['measure', '二是丰富解读。'],
    ]);
  });

  it('a transition inside a labelled problems zone still opens the measures', () => {
    const sts = splitSection('存在问题：一是指南更新慢；二是解读单一。下一步，我们将采取以下措施：一是修订指南；二是丰富解读。');
    expect(sts.map((s) => s.kind)).toEqual(['problem', 'problem', 'measure', 'measure']);
  });

  it('hard-wrapped lines (text from a PDF) are joined; paragraph breaks still end items', () => {
    const section =
      '存在的问题主要有：一是部分单位对政府信息公开工作重视程度不够，主动公开\n意识不强；二是政策解读形式较为单一，图解、视频等\n解读形式运用较少。\n下一步，我们将：一是加强业务培训，提升工作人员\n业务水平；二是丰富解读形式。';
    expect(splitSection(section).map((s) => [s.kind, s.text])).toEqual([
      ['problem', '一是部分单位对政府信息公开工作重视程度不够，主动公开意识不强'],
      ['problem', '二是政策解读形式较为单一，图解、视频等解读形式运用较少。'],
      ['measure', '一是加强业务培训，提升工作人员业务水平'],
      ['measure', '二是丰富解读形式。'],
    ]);
  });

  it('一要/二要 and 其一/其二; "统一要求" is no marker', () => {
    expect(splitSection('下一步：一要加强培训；二要完善目录，统一要求。').map((s) => [s.kind, s.text])).toEqual([
      ['measure', '一要加强培训'],
      ['measure', '二要完善目录，统一要求。'],
    ]);
    expect(splitSection('存在问题：其一，指南更新慢；其二，解读单一。').map((s) => s.text)).toEqual(['其一，指南更新慢', '其二，解读单一。']);
  });

  it('a lone "1." in a figure is not an enumeration; sentences are used instead', () => {
    const sts = splitSection('申请量增长12.5%，答复压力较大。下一步，我们将加强答复文书审查。');
    expect(sts.map((s) => [s.kind, s.text])).toEqual([
      ['problem', '申请量增长12.5%，答复压力较大。'],
      ['measure', '下一步，我们将加强答复文书审查。'],
    ]);
  });

  it('an implicit list after a colon lead-in is cut at ；', () => {
    const sts = splitSection('但仍存在一些不足，如：队伍建设有待加强；答复质量待提升；平台互动不足。');
    expect(sts.map((s) => s.text)).toEqual(['队伍建设有待加强', '答复质量待提升', '平台互动不足。']);
  });

  it('a list of measures without any transition is recognised by its cue words', () => {
    const sts = splitSection('(一)是加强组织领导，明确责任。\n(二)是健全工作制度。');
    expect(sts.every((s) => s.kind === 'measure')).toBe(true);
  });

  it('"无" gives no statement; an empty section gives none', () => {
    expect(splitSection('五、存在的主要问题及改进情况\n无。')).toEqual([]);
    expect(splitSection('')).toEqual([]);
  });

  it('handles a 50,000-character section', () => {
    const items = Array.from(
      { length: 990 },
      (_, i) => `${i + 1}.部分单位信息更新不及时，政府信息公开专栏第${i}项栏目内容长期空白，群众查找信息很不方便，整改不到位`,
    ).join('；');
    const section = `存在问题：${items}。\n改进措施：一是加强培训；二是定期巡查。`;
    expect(section.length).toBeGreaterThan(50_000);
    const sts = splitSection(section);
    expect(sts.filter((s) => s.kind === 'problem')).toHaveLength(990);
    expect(sts.filter((s) => s.kind === 'measure')).toHaveLength(2);
  });
});

describe('headings, including pre-2019 wordings', () => {
  const cases: [string, string][] = [
    ['五、存在的主要问题及改进情况', '2021'],
    ['五、存在的主要问题和改进措施', 'pre2019'],
    ['四、存在问题及工作打算', 'pre2019'],
    ['六、今后改进方向', 'pre2019'],
    ['七、主要问题和改进措施', 'pre2019'],
    ['六、政府信息公开工作存在的主要问题和改进情况', 'pre2019'],
  ];
  for (const [heading] of cases) {
    it(`finds and strips "${heading}"`, () => {
      const text = `一、概述\n概述内容。\n${heading}\n一是目录不全；二是解读单一。\n八、其他需要报告的事项\n无。`;
      const found = findProblemsSection(text);
      expect(found?.heading).toBe(heading);
      expect(found?.body).toBe('一是目录不全；二是解读单一。');
      expect(splitSection(`${heading}\n一是目录不全；二是解读单一。`).map((s) => s.text)).toEqual(['一是目录不全', '二是解读单一。']);
    });
  }
  it('returns null when there is no section 五', () => {
    expect(findProblemsSection('一、概述\n内容。\n二、主动公开情况\n内容。')).toBeNull();
  });
});

describe('vague statements and markers', () => {
  it('marks statements that name no object', () => {
    expect(isVague('我单位政府信息公开工作仍存在一些不足。')).toBe(true);
    expect(isVague('工作中还存在一些薄弱环节。')).toBe(true);
    expect(isVague('离人民群众的期待还有一定距离。')).toBe(true);
    expect(isVague('公开内容与群众需求还有差距，群众关心的信息公开不多。')).toBe(false);
    expect(isVague('2015年,我局的信息公开工作虽然取得了一定成绩,但同时也存在公开内容有待深化和规范的问题。')).toBe(false);
    expect(isVague('政策解读形式较单一')).toBe(false);
  });
  it('strips enumeration markers', () => {
    expect(stripMarker('一是政策解读形式较单一')).toBe('政策解读形式较单一');
    expect(stripMarker('（二）继续完善机制')).toBe('继续完善机制');
    expect(stripMarker('1.2020年度存在')).toBe('2020年度存在');
    expect(stripMarker('②整治新媒体')).toBe('整治新媒体');
  });
});

describe('split gold set', () => {
  it('precision and recall over the gold set are at least 0.95 and kinds are right', () => {
    const gold = readFileSync(join(FIX, 'labelled', 'split-gold.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SplitGold);
    expect(gold.length).toBeGreaterThanOrEqual(20);
    const s = scoreSplit(gold);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    expect(s.kindCorrect).toBe(s.matched);
  });
});
