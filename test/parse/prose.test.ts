import { describe, expect, it } from 'vitest';
import { certainProseFigures, extractProseFigures, parseText } from '../../src/parse/index.js';
import { readFixture } from './helpers.js';

const figure = (text: string, key: string): number[] => extractProseFigures(text).filter((f) => f.key === key).map((f) => f.value);

describe('extractProseFigures', () => {
  it('reads the 灵川 overview: 15 received, 15 answered, 4 reviews, no litigation', () => {
    const text =
      '2020年,共受理政府信息公开申请15件,其中当面申请2件,传真及信函申请13件。2020年,共答复政府信息公开申请15件,其中属于同意公开答复的6件。\n2020年全县因政府信息公开申请行政复议数量4件。\n2020年全县没有因政府信息公开提起行政诉讼。';
    expect(figure(text, 'applications.new_received.total')).toEqual([15]);
    expect(figure(text, 'applications.handled_total.total')).toEqual([15]);
    expect(figure(text, 'review_litigation.review.total')).toEqual([4]);
    expect(figure(text, 'review_litigation.litigation_direct.total')).toEqual([0]);
    expect(figure(text, 'review_litigation.litigation_after_review.total')).toEqual([0]);
    const lit = extractProseFigures(text).find((f) => f.key === 'review_litigation.litigation_direct.total')!;
    expect(lit.quote).toBe('2020年全县没有因政府信息公开提起行政诉讼');
    expect(text.slice(lit.offset)).toMatch(/^没有/);
  });

  it('reads received / handled / carried forward in one sentence (134.txt)', () => {
    const text = '本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。';
    expect(figure(text, 'applications.new_received.total')).toEqual([70]);
    expect(figure(text, 'applications.handled_total.total')).toEqual([69]);
    expect(figure(text, 'applications.carried_forward.total')).toEqual([1]);
  });

  it('takes "未收到…申请" as 0 and leaves breakdowns (其中…) and running totals alone', () => {
    expect(figure('2017年未收到有关政府信息公开申请。', 'applications.new_received.total')).toEqual([0]);
    expect(figure('历年累计受理政府信息公开申请300件。', 'applications.new_received.total')).toEqual([]);
    expect(figure('主动公开政府信息14529条,收到群众留言8条。', 'applications.new_received.total')).toEqual([]);
  });

  it('keeps a key out of the certain figures when the prose states two values', () => {
    const certain = certainProseFigures('共受理政府信息公开申请15件。全年共受理政府信息公开申请16件。共答复政府信息公开申请15件。');
    expect(certain.has('applications.new_received.total')).toBe(false);
    expect(certain.get('applications.handled_total.total')?.value).toBe(15);
  });
});

describe('pre-2019 reports get their stated figures in the template keys', () => {
  it('103.txt: no applications, no review, no litigation', () => {
    const r = parseText(readFixture('reports', '103.txt'), '103.txt').reports[0];
    expect(r.template).toBe('pre2019');
    expect(r.tables.proactive).toBeNull();
    expect(r.tables.applications!.new_received.total.value).toBe(0);
    expect(r.tables.applications!.handled_total.total.value).toBeNull();
    expect(r.tables.review_litigation!.review.total.value).toBe(0);
    expect(r.tables.review_litigation!.litigation_direct.total.value).toBe(0);
    expect(r.tables.review_litigation!.review.upheld.value).toBeNull();
  });

  it('116.txt, which states no figure, has no tables', () => {
    const r = parseText(readFixture('reports', '116.txt'), '116.txt').reports[0];
    expect(r.tables).toEqual({ proactive: null, applications: null, review_litigation: null });
  });
});
