import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/parse/index.js';
import { checkYear, statedPeriodYear } from '../../src/validate/structure.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'corpus', 'reports', '134.txt');
const text = readFileSync(FIXTURE, 'utf8');
const PERIOD = '统计期限自2021年1月1日起至2021年12月31日止';

describe('the statistics period stated before part 一 (134.txt)', () => {
  it('keeps the lead-in before 一、总体情况 as the record preamble, outside every section', () => {
    const r = parseText(text, '134.txt').reports[0];
    expect(r.preamble).toContain(PERIOD);
    for (const s of Object.values(r.sections)) expect(s ?? '').not.toContain(PERIOD);
    expect(statedPeriodYear(r)).toEqual({ year: 2021, quote: expect.stringContaining('2021年1月1日') });
  });

  it('flags year.mismatch when the title says 2020 but the preamble states 2021', () => {
    const retitled = text.replaceAll('2021年度政府信息公开工作年度报告', '2020年度政府信息公开工作年度报告');
    const r = parseText(retitled, '134.txt').reports[0];
    expect(r.year).toBe(2020);
    const found = checkYear(r, new Date('2026-06-01T00:00:00Z'));
    const fromPeriod = found.find((f) => f.quote?.includes('2021年1月1日'));
    expect(fromPeriod?.rule).toBe('year.mismatch');
    expect(fromPeriod?.message).toContain('2021年');
  });

  it('reads "期限自2024年1月1日起,至2024年12月31日止" and "涵盖…2015年1月1日至12月31日期间"', () => {
    const base = parseText(text, '134.txt').reports[0];
    const withPreamble = (preamble: string) => ({ ...base, preamble, sections: { ...base.sections, overview: null } });
    expect(statedPeriodYear(withPreamble('本报告所列统计数据的期限自2024年1月1日起,至2024年12月31日止。'))?.year).toBe(2024);
    expect(statedPeriodYear(withPreamble('本报告内容涵盖揭东区公路局2015年1月1日至12月31日期间的政府信息公开工作。'))?.year).toBe(2015);
    // A period over two calendar years names no single reporting year.
    expect(statedPeriodYear(withPreamble('本报告统计期限为2020年1月1日至2021年12月31日。'))).toBeNull();
  });

  it('an untitled report that starts inside part 一 has no preamble (its lead is the overview)', () => {
    const r = parseText('本单位认真贯彻条例，统计期限为2020年1月1日至2020年12月31日。\n二、主动公开政府信息情况\n主动公开20条。\n三、收到和处理政府信息公开申请情况\n无。').reports[0];
    expect(r.preamble ?? null).toBeNull();
    expect(statedPeriodYear(r)?.year).toBe(2020);
  });
});
