import { describe, expect, it } from 'vitest';
import { parseCellText, splitRun, tokenize } from '../../src/parse/cells.js';
import { parseText } from '../../src/parse/index.js';
import { rowCandidates, solveTable } from '../../src/parse/solve.js';

const rowSum = (v: number[]): boolean => Math.abs(v[6] - v.slice(0, 6).reduce((a, b) => a + b, 0)) < 1e-6;
const values = (text: string): (number | null)[][] =>
  rowCandidates({ key: 'r', slots: 7, tokens: tokenize(text, false), check: rowSum, groupWidth: 7 }).placements.map((p) => p.map((s) => s.value));

describe('cell text', () => {
  it.each([
    ['150件', 150],
    ['997项', 997],
    ['2118笔', 2118],
    ['减少5项', -5],
    ['增加3', 3],
    ['-223', -223],
    ['55014.55万元', 55014.55],
    ['75394432.52元', 7539.443252],
  ])('%s → %s', (text, expected) => {
    expect(parseCellText(text)?.value).toBeCloseTo(expected, 6);
  });

  it.each(['/', '—', '-', '无', '——'])('placeholder %s is blank, not 0', (text) => {
    expect(parseCellText(text)).toEqual({ raw: text, value: null, run: false });
  });

  it('splits digit runs without leading zeros', () => {
    expect(splitRun('200', 3)).toEqual([['2', '0', '0']]);
    expect(splitRun('1000', 2)).toEqual([['100', '0']]);
    expect(splitRun('0012', 3)).toEqual([['0', '0', '12']]);
  });
});

describe('placing collapsed rows (133.txt, 134.txt)', () => {
  it('reads "230 000023" as 23,0,0,0,0,0,23', () => {
    expect(values('230 000023')).toEqual([[23, 0, 0, 0, 0, 0, 23]]);
  });

  it('reads "640020470" as 64,0,0,2,0,4,70, the only split whose parts sum to the total', () => {
    expect(values('640020470')).toEqual([[64, 0, 0, 2, 0, 4, 70]]);
  });

  it('keeps both splits of "2200003 25" until the column equations decide', () => {
    expect(values('2200003 25')).toEqual([
      [22, 0, 0, 0, 0, 3, 25],
      [2, 20, 0, 0, 0, 3, 25],
    ]);
  });

  it('splits the 17 digits of 134.txt table 四 into the only three balanced groups', () => {
    const solved = solveTable(
      [
        {
          key: 'all',
          slots: 15,
          tokens: tokenize('10203120001200000', false),
          groupWidth: 5,
          check: (v) => [0, 1, 2].every((g) => v[g * 5 + 4] === v[g * 5] + v[g * 5 + 1] + v[g * 5 + 2] + v[g * 5 + 3]),
        },
      ],
      [],
    ).get('all')!;
    expect(solved.map((c) => c.value)).toEqual([1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]);
    expect(solved.every((c) => c.status === 'inferred')).toBe(true);
  });

  it('makes a cell ambiguous (null) when two placements fit, never picks one', () => {
    const solved = solveTable([{ key: 'r', slots: 7, tokens: tokenize('5 | 5 |', true), check: rowSum, groupWidth: 7 }], []).get('r')!;
    expect(solved[6]).toEqual({ value: 5, raw: '5', status: 'inferred' });
    expect(solved[0]).toEqual({ value: null, raw: null, status: 'ambiguous' });
  });
});

describe('bad input', () => {
  it('gives no report for empty text, stray text only, or noise', () => {
    expect(parseText('').reports).toEqual([]);
    expect(parseText('开元漓江上城,均3200元/平米,位置:大圩古镇人民广场旁...').reports).toEqual([]);
    const noise = parseText('\u0000\u0001 ||| 1 2 3 ||| 二、 三、 四、');
    expect(noise.reports).toEqual([]);
    const big = parseText('abc 123 '.repeat(100_000));
    expect(big.reports).toEqual([]);
    expect(big.stray.chars).toBeGreaterThan(0);
  });

  it('flags a table with more values than columns as unparsed instead of guessing', () => {
    const text = [
      '某县2020年政府信息公开工作年度报告',
      '四、政府信息公开行政复议、行政诉讼情况',
      '行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉',
      '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17',
    ].join('\n');
    const r = parseText(text).reports[0];
    expect(r.findings.map((f) => f.rule)).toContain('table.unparsed');
    expect(r.tables.review_litigation!.review.total.value).toBeNull();
  });

  it('reads table 四 after a sentence that itself names 行政复议 with a figure', () => {
    const text = [
      '某县2020年政府信息公开工作年度报告',
      '四、政府信息公开行政复议、行政诉讼情况',
      '本年度发生行政复议3件。',
      '| 行政复议 |  |  |  |  | 行政诉讼 |',
      '| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |',
      '| 1 | 1 | 0 | 1 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |',
      '五、存在的主要问题及改进情况',
      '下一步将减少行政复议、行政诉讼案件数量。',
    ].join('\n');
    const rl = parseText(text).reports[0].tables.review_litigation!;
    expect(rl.review.total).toEqual({ value: 3, raw: '3', status: 'printed' });
    expect(rl.litigation_after_review.total.value).toBe(0);
  });

  it('reads labels that PDF text broke over two lines', () => {
    const text = [
      '某县2020年政府信息公开工作年度报告',
      '三、收到和处理政府信息公开申请情况',
      '一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3',
      '三、本年度办理结果 （一）予以公开 2 0 0 0 0 0 2',
      '（二）部分公开（区分处理的，只计这一情形，不',
      '计其他情形） 0 0 0 0 0 0 0',
      '5.要求行政机关确认或重新出具已获取',
      '信息 1 0 0 0 0 0 1',
      '（七）总计 3 0 0 0 0 0 3',
    ].join('\n');
    const r = parseText(text).reports[0];
    const a = r.tables.applications!;
    expect([a.granted.total.value, a.partially_granted.total.value, a.not_processed_confirmation.total.value, a.handled_total.total.value]).toEqual([2, 0, 1, 3]);
    expect(r.findings).toEqual([]);
  });

  it('flags a template report whose part 三 has figures but no recognisable table', () => {
    const text = [
      '某县2020年政府信息公开工作年度报告',
      '一、总体情况',
      '本县依据国办公开办函〔2019〕60号编制本报告。',
      '三、收到和处理政府信息公开申请情况',
      '本年共受理申请12件，办结12件，其中予以公开8件，部分公开2件，无法提供2件。',
    ].join('\n');
    const r = parseText(text).reports[0];
    expect(r.template).toBe('2019');
    expect(r.tables.applications).toBeNull();
    expect(r.findings.map((f) => f.rule)).toEqual(['table.unparsed']);
    expect(r.findings[0].message).toContain('表三');
  });
});
