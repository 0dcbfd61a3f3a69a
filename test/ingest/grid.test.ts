import { describe, expect, it } from 'vitest';
import { compactGrid, gridToPipeLines, placeCells, type RawCell } from '../../src/ingest/grid.js';
import { normalizeText, toSimplifiedIfTraditional } from '../../src/ingest/normalize.js';

const c = (text: string, colspan = 1, rowspan = 1): RawCell => ({ text, colspan, rowspan });

describe('placeCells', () => {
  it('places rowspan and colspan cells and repeats them in every slot they cover', () => {
    const grid = placeCells([
      [c('申请人情况', 1, 2), c('法人或其他组织', 2), c('总计', 1, 2)],
      [c('商业企业'), c('科研机构')],
      [c('一、本年新收'), c('3'), c('0'), c('3')],
    ]);
    expect(grid.map((row) => row.map((cell) => cell.text))).toEqual([
      ['申请人情况', '法人或其他组织', '法人或其他组织', '总计'],
      ['申请人情况', '商业企业', '科研机构', '总计'],
      ['一、本年新收', '3', '0', '3'],
    ]);
    expect(grid[1][0]).toMatchObject({ rowspan: 2, origin: [0, 0] });
    expect(grid[0][2]).toMatchObject({ colspan: 2, origin: [0, 1] });
    expect(gridToPipeLines(grid)).toEqual([
      '| 申请人情况 | 法人或其他组织 |  | 总计 |',
      '|  | 商业企业 | 科研机构 |  |',
      '| 一、本年新收 | 3 | 0 | 3 |',
    ]);
  });

  it('cuts a rowspan that runs past the table and pads short rows', () => {
    const grid = placeCells([[c('a', 1, 9), c('1')], [c('2'), c('x')], [c('3')]]);
    expect(grid).toHaveLength(3);
    expect(grid[0][0].rowspan).toBe(3);
    expect(grid[2].map((cell) => cell.text)).toEqual(['a', '3', '']);
  });

  it('drops Word spacer columns and a grid column no cell owns alone', () => {
    // Word splits grid columns where any edge differs: "0" spans two grid columns under 商业企业.
    const grid = placeCells([
      [c('自然人', 2), c('商业企业', 2), c('')],
      [c('64'), c('0', 2), c('2'), c('')],
    ]);
    expect(gridToPipeLines(grid)).toEqual(['| 自然人 | 商业企业 |  |', '| 64 | 0 | 2 |']);
  });

  it('keeps a column a cell holds alone', () => {
    const grid = compactGrid(placeCells([[c('a', 2)], [c('1'), c('2')]]));
    expect(grid[0]).toHaveLength(2);
  });
});

describe('traditional → simplified', () => {
  it('converts a traditional text keeping every offset', () => {
    const original = '二、主動公開政府資訊情況\n本機關不掌握相關政府資訊，裡面的數據經過覆核。';
    const { text, originalText } = normalizeText(original);
    expect(originalText).toBe(original);
    expect(text.length).toBe(original.length);
    expect(text).toContain('主动公开');
    expect(text).toContain('本机关不掌握相关政府');
    for (let i = 0; i < text.length; i++) if (original[i] === '\n') expect(text[i]).toBe('\n');
  });

  it('uses mainland forms where OpenCC keeps a variant (data file ingest-variants.json)', () => {
    const { text, originalText } = normalizeText('電話諮詢2070人次；政府資訊公開工作年度報告。');
    expect(text).toBe('电话咨询2070人次；政府信息公开工作年度报告。');
    expect(text.length).toBe(originalText!.length);
  });

  it('leaves simplified text alone, even characters valid in both scripts', () => {
    const simplified = '本年度著作权登记事项无变化，乾县政府信息公开工作有序推进，瞭望台项目已公开。';
    expect(toSimplifiedIfTraditional(simplified)).toEqual({ text: simplified });
  });

  it('normalises line endings and Unicode composition', () => {
    expect(normalizeText('a\r\nb\rc\u0065\u0301').text).toBe('a\nb\nc\u00e9');
  });
});
