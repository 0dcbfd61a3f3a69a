import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RULES, ruleById, validateCorpus, validateReport } from '../../src/validate/index.js';
import type { ReportRecord } from '../../src/model/types.js';
import { balancedApplications, makeReport, printed, reviewTable } from './helpers.js';

const rulesOf = (r: ReportRecord) => validateReport(r).map((f) => f.rule);

describe('rule catalogue', () => {
  const required = [
    'applications.balance',
    'applications.total',
    'applications.columns',
    'review_litigation.sum',
    'text_table.mismatch',
    'sections.missing',
    'template.mismatch',
    'year.mismatch',
    'carried.continuity',
    'table.ambiguous',
    'table.unparsed',
    // raised by the NLP stage (src/nlp/boilerplate.ts) when section 五 repeats last year's
    'problems.copied',
  ];

  it('lists every rule of SCHEMA.md once, with severity, both descriptions and a clause', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...required].sort());
    for (const r of RULES) {
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(r.description_zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.description_en.length).toBeGreaterThan(20);
      expect(r.clause.length).toBeGreaterThan(5);
    }
  });

  it('is the data file src/data/rules.json, not a copy in code', () => {
    const file = JSON.parse(readFileSync(new URL('../../src/data/rules.json', import.meta.url), 'utf8')) as { rules: { id: string }[] };
    expect(file.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(ruleById('applications.balance')?.clause).toContain('国办公开办函〔2019〕60号');
  });
});

describe('arithmetic checks', () => {
  it('a balanced report of either template yields no arithmetic finding', () => {
    expect(rulesOf(makeReport())).toEqual([]);
    expect(rulesOf(makeReport({ template: '2021', year: 2021, title: '某县人民政府2021年政府信息公开工作年度报告', sections: { ...makeReport().sections, overview: '概述。' } }))).toEqual([]);
  });

  it('applications.balance names the column, the printed numbers and the difference', () => {
    const r = makeReport();
    r.tables.applications!.handled_total.total = printed(14);
    r.tables.applications!.handled_total.natural_person = printed(11);
    const found = validateReport(r).filter((f) => f.rule === 'applications.balance');
    const total = found.find((f) => f.cells.includes('applications.handled_total.total'))!;
    expect(total.message).toContain('一+二=13+2=15');
    expect(total.message).toContain('(七)+四=14+2=16');
    expect(total.message).toContain('相差1');
    expect(total.severity).toBe('error');
    expect(total.cells).toEqual([
      'applications.new_received.total',
      'applications.carried_over.total',
      'applications.handled_total.total',
      'applications.carried_forward.total',
    ]);
    // (七) also no longer equals its outcome rows in both columns.
    expect(validateReport(r).filter((f) => f.rule === 'applications.total')).toHaveLength(2);
  });

  it('applications.total uses the outcome items and shows the sum', () => {
    const r = makeReport();
    r.tables.applications!.denied_state_secret.natural_person = printed(1);
    r.tables.applications!.denied_state_secret.total = printed(1);
    const f = validateReport(r).find((x) => x.rule === 'applications.total' && x.cells[0] === 'applications.handled_total.total')!;
    expect(f.message).toContain('=14');
    expect(f.message).toContain('（七）总计为13');
    expect(f.cells).toContain('applications.denied_state_secret.total');
  });

  it('applications.columns checks each printed row, also with a merged organisation column', () => {
    const r = makeReport();
    r.tables.applications!.granted.total = printed(9);
    const f = validateReport(r).filter((x) => x.rule === 'applications.columns');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('（一）予以公开');
    expect(f[0].message).toContain('=8');
    const merged = makeReport();
    const t = merged.tables.applications!;
    for (const row of Object.keys(t)) {
      t[row].org_subtotal = printed((t[row].business.value ?? 0) + 1);
      for (const c of ['business', 'research', 'social_org', 'legal_service', 'other_org']) t[row][c] = printed(null);
    }
    const cols = validateReport(merged).filter((x) => x.rule === 'applications.columns');
    expect(cols.length).toBeGreaterThan(0);
    expect(cols[0].cells).toContain('applications.new_received.org_subtotal');
    // Merged figure printed beside its five columns: both must agree.
    const both = makeReport();
    both.tables.applications!.new_received.org_subtotal = printed(4);
    const disagree = validateReport(both).filter((x) => x.rule === 'applications.columns');
    expect(disagree).toHaveLength(1);
    expect(disagree[0].message).toContain('=3，“法人或其他组织”为4');
    both.tables.applications!.new_received.org_subtotal = printed(3);
    expect(validateReport(both).filter((x) => x.rule === 'applications.columns')).toHaveLength(0);
  });

  it('review_litigation.sum flags a group whose parts do not add up', () => {
    const r = makeReport({ tables: { proactive: {}, applications: balancedApplications(), review_litigation: reviewTable({ review: [0, 0, 0, 4, 4], litigation_after_review: [0, 0, 0, 0, 4] }) } });
    const f = validateReport(r).filter((x) => x.rule === 'review_litigation.sum');
    expect(f).toHaveLength(1);
    expect(f[0].cells[0]).toBe('review_litigation.litigation_after_review.total');
    expect(f[0].message).toContain('0+0+0+0=0，总计为4');
  });

  it('never claims anything from a null cell', () => {
    const r = makeReport();
    const t = r.tables.applications!;
    t.handled_total.total = { value: null, raw: null, status: 'ambiguous' };
    t.granted.total = printed(99); // would break columns and total, but its row total feeds no check without (七)
    const rv = reviewTable({ review: [1, 1, 1, 1, 9] });
    rv.review.pending = { value: null, raw: null, status: 'ambiguous' };
    r.tables.review_litigation = rv;
    const rules = rulesOf(r);
    expect(rules).not.toContain('applications.balance');
    expect(rules).not.toContain('review_litigation.sum');
    expect(rules.filter((x) => x === 'applications.total')).toHaveLength(0);
    // The row check still sees 99 against 5+3.
    expect(rules).toContain('applications.columns');
  });
});

describe('structure checks', () => {
  it('sections.missing is an error when a part with figures is gone, a warning for 六 alone', () => {
    const cut = makeReport({ sections: { ...makeReport().sections, problems: null, other: null } });
    const f = validateReport(cut).find((x) => x.rule === 'sections.missing')!;
    expect(f.severity).toBe('error');
    expect(f.cells).toEqual(['sections.problems', 'sections.other']);
    expect(f.message).toContain('五、存在的主要问题及改进情况');
    const noOther = validateReport(makeReport({ sections: { ...makeReport().sections, other: null } })).find((x) => x.rule === 'sections.missing')!;
    expect(noOther.severity).toBe('warning');
  });

  it('template.mismatch: a 2022 report on the 2019 template, a 2020 report on the 2021 template', () => {
    const late = makeReport({ year: 2022, title: '某县人民政府2022年政府信息公开工作年度报告', sections: { ...makeReport().sections, overview: '概述。' } });
    expect(rulesOf(late)).toContain('template.mismatch');
    const early = makeReport({ template: '2021' });
    expect(rulesOf(early)).toContain('template.mismatch');
    expect(rulesOf(makeReport())).not.toContain('template.mismatch');
  });

  it('year.mismatch: title against year, stated period against year', () => {
    const title = makeReport({ title: '某县人民政府2019年政府信息公开工作年度报告' });
    expect(validateReport(title).find((f) => f.rule === 'year.mismatch')?.message).toContain('2019年');
    const period = makeReport({ sections: { ...makeReport().sections, overview: '本报告统计时间为2019年1月1日至2019年12月31日止。' } });
    const f = validateReport(period).find((x) => x.rule === 'year.mismatch')!;
    expect(f.quote).toContain('2019年1月1日');
    expect(rulesOf(makeReport())).not.toContain('year.mismatch');
  });

  it('table.unparsed when a templated section has no table, unless the parser said so already', () => {
    const r = makeReport({ tables: { proactive: null, applications: balancedApplications(), review_litigation: reviewTable({}) } });
    const f = validateReport(r).filter((x) => x.rule === 'table.unparsed');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('表二');
    r.findings.push({ rule: 'table.unparsed', severity: 'warning', message: 'parser', cells: ['proactive.art20_1.regulations.made'] });
    expect(validateReport(r).filter((x) => x.rule === 'table.unparsed')).toHaveLength(0);
    // A parser finding without cells that names the table by its label counts too.
    r.findings = [{ rule: 'table.unparsed', severity: 'warning', message: '表二（主动公开）：找到了表头，但没有认出任何一行', cells: [] }];
    expect(validateReport(r).filter((x) => x.rule === 'table.unparsed')).toHaveLength(0);
    r.findings = [{ rule: 'table.unparsed', severity: 'warning', message: '表三（依申请）：……', cells: [] }];
    expect(validateReport(r).filter((x) => x.rule === 'table.unparsed')).toHaveLength(1);
  });
});

describe('carried.continuity across reports', () => {
  const withCarry = (id: string, year: number, agency: string, over: number, forward: number) => {
    const r = makeReport({ id, year, agency, title: `${agency}${year}年政府信息公开工作年度报告` });
    r.tables.applications!.carried_over.total = printed(over);
    r.tables.applications!.carried_forward.total = printed(forward);
    return r;
  };

  it("compares this year's 上年结转 with the same agency's previous 结转下年度", () => {
    const found = validateCorpus([
      withCarry('a2019', 2019, '平潭综合实验区管委会（管委会办公室编制）', 0, 3),
      withCarry('a2020', 2020, '平潭综合实验区管委会', 5, 1),
      withCarry('b2020', 2020, '另一个县人民政府', 7, 0),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0].report_id).toBe('a2020');
    expect(found[0].rule).toBe('carried.continuity');
    expect(found[0].message).toContain('为5件');
    expect(found[0].message).toContain('总计为3件');
    expect(found[0].cells).toEqual(['applications.carried_over.total', 'a2019:applications.carried_forward.total']);
  });

  it('stays silent when the figures agree, a year is missing, or last year has two copies that disagree', () => {
    expect(validateCorpus([withCarry('x1', 2019, 'A局', 0, 3), withCarry('x2', 2020, 'A局', 3, 0)])).toEqual([]);
    expect(validateCorpus([withCarry('x1', 2018, 'A局', 0, 3), withCarry('x2', 2020, 'A局', 9, 0)])).toEqual([]);
    expect(validateCorpus([withCarry('x1', 2019, 'A局', 0, 3), withCarry('x1b', 2019, 'A局', 0, 4), withCarry('x2', 2020, 'A局', 9, 0)])).toEqual([]);
  });
});
