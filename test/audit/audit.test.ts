import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildAudit,
  isEmptyProblems,
  loadWeights,
  parseGroupsCsv,
  parseWeights,
  requestSentence,
  type AuditIssue,
} from '../../src/audit/index.js';
import { finding, report, statement, table } from './helpers.js';

const kinds = (issues: AuditIssue[]) => issues.map((i) => i.kind);

describe('group CSV', () => {
  it('reads agency,group lines with a header, BOM, quotes and blank lines', () => {
    const map = parseGroupsCsv('\uFEFF机构,分组\r\n某县人民政府,桂林市\r\n\r\n"某县 林业局","桂林市,县直"\r\n');
    expect(map.get('某县人民政府')).toBe('桂林市');
    // White space in names is folded so "某县 林业局" matches "某县林业局".
    expect(map.get('某县林业局')).toBe('桂林市,县直');
    expect(map.size).toBe(2);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseGroupsCsv('agency,group\nA,g1\nB,g2,extra\n', 'my.csv')).toThrow(
      /my\.csv line 3: expected 2 fields \(agency,group\), found 3/,
    );
    expect(() => parseGroupsCsv('A,g1\nB\n', 'g.csv')).toThrow(/g\.csv line 2: expected 2 fields/);
    expect(() => parseGroupsCsv('A,g1\n"B,g2\n', 'g.csv')).toThrow(/g\.csv line 2: a quoted field is never closed/);
    expect(() => parseGroupsCsv('A,g1\nB,\n', 'g.csv')).toThrow(/g\.csv line 2: the group of "B" is empty/);
    expect(() => parseGroupsCsv('A,g1\nA,g2\n', 'g.csv')).toThrow(/g\.csv line 2: "A" is already in group "g1" \(line 1\)/);
  });

  it('counts lines inside quoted fields when naming a later line', () => {
    expect(() => parseGroupsCsv('"A\nstill A",g1\nB,g2,x\n', 'g.csv')).toThrow(/g\.csv line 3:/);
  });

  it('buildAudit reads a group file and lists agencies it does not name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogi-audit-'));
    const path = join(dir, 'groups.csv');
    writeFileSync(path, '某县人民政府,甲组\n');
    const audit = buildAudit([report({ id: 'a' }), report({ id: 'b', agency: '另一县人民政府' })], [], { groups: path });
    expect(audit.by).toBe('group');
    expect(audit.groups.map((g) => g.group).sort()).toEqual(['未分组', '甲组'].sort());
    expect(audit.ungrouped_agencies).toEqual(['另一县人民政府']);
    writeFileSync(path, '某县人民政府,甲组,多余\n');
    expect(() => buildAudit([report({ id: 'a' })], [], { groups: path })).toThrow(`${path} line 1`);
  });
});

describe('per-report issues', () => {
  it('turns a failed check into an issue with the cells as printed', () => {
    const r = report({
      id: 'r1',
      tables: {
        proactive: null,
        applications: null,
        review_litigation: table({
          'litigation_after_review.upheld': 0,
          'litigation_after_review.corrected': 0,
          'litigation_after_review.other': 0,
          'litigation_after_review.pending': 0,
          'litigation_after_review.total': 4,
        }),
      },
      findings: [
        finding(
          'review_litigation.sum',
          ['review_litigation.litigation_after_review.total', 'review_litigation.litigation_after_review.pending'],
          '复议后起诉：总计4 ≠ 0+0+0+0',
        ),
      ],
    });
    const audit = buildAudit([r], []);
    const issue = audit.reports[0].issues.find((i) => i.kind === 'check_failed');
    expect(issue?.rule).toBe('review_litigation.sum');
    expect(issue?.message).toContain('总计4');
    expect(issue?.cells[0]).toMatchObject({
      key: 'review_litigation.litigation_after_review.total',
      value: 4,
      raw: '4',
      label: '表四复议后起诉·总计',
    });
    expect(audit.reports[0].score.deductions).toEqual([
      { kind: 'check_failed', label: '统计表勾稽关系不符', weight: 5, max: 20, units: 1, points: 5 },
    ]);
    expect(audit.reports[0].score.score).toBe(95);
  });

  it('flags the template that does not fit the year, both ways, and a missing year', () => {
    const late = report({ id: 'late', year: 2022, template: '2019' });
    const early = report({ id: 'early', year: 2020, template: '2021' });
    const fine = report({ id: 'fine', year: 2021, template: '2021' });
    const noYear = report({ id: 'noyear', year: null });
    const audit = buildAudit([late, early, fine, noYear], []);
    const byId = new Map(audit.reports.map((r) => [r.report_id, kinds(r.issues)]));
    expect(byId.get('late')).toContain('template_mismatch');
    expect(byId.get('early')).toContain('template_mismatch');
    expect(byId.get('fine')).not.toContain('template_mismatch');
    expect(byId.get('noyear')).toEqual(['year_missing']);
  });

  it('uses the validator finding instead of its own when the validator flagged the template', () => {
    const r = report({ id: 'x', year: 2022, template: '2019', findings: [finding('template.mismatch', [], '2022年报告使用了2019年版格式')] });
    const issues = buildAudit([r], []).reports[0].issues.filter((i) => i.kind === 'template_mismatch');
    expect(issues.map((i) => i.message)).toEqual(['2022年报告使用了2019年版格式']);
  });

  it('lists missing sections of a templated report, one per section', () => {
    const r = report({ id: 'm' });
    r.sections.problems = null;
    r.sections.other = null;
    const issues = buildAudit([r], []).reports[0].issues.filter((i) => i.kind === 'section_missing');
    expect(issues.map((i) => i.message)).toEqual(['缺少“五、存在的主要问题及改进情况”部分', '缺少“六、其他需要报告的事项”部分']);
    expect(buildAudit([r], []).reports[0].score.deductions[0]).toMatchObject({ units: 2, points: 8 });
  });

  it('counts each section a validator sections.missing finding names, and keeps non-table cells out of the cell list', () => {
    const r = report({
      id: 'vm',
      findings: [{ rule: 'sections.missing', severity: 'warning', message: '缺少：五；六。', cells: ['sections.problems', 'sections.other'] }],
    });
    const audit = buildAudit([r], []);
    const missing = audit.reports[0].issues.filter((i) => i.kind === 'section_missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ units: 2, severity: 'warning', cells: [], message: '缺少：五；六。' });
    expect(audit.reports[0].score.deductions[0]).toMatchObject({ kind: 'section_missing', units: 2, points: 8 });
  });

  it('joins the reports of one agency however the name carries notes or spaces', () => {
    const a = report({ id: 'a', agency: '平潭综合实验区管委会（管委会办公室编制）', year: 2019 });
    const b = report({ id: 'b', agency: '平潭综合实验区 管委会', year: 2021 });
    const audit = buildAudit([a, b], []);
    expect(audit.agencies).toHaveLength(1);
    expect(audit.agencies[0].years).toEqual([2019, 2021]);
  });

  it('recognises an empty or "无" section 五, and not a real one', () => {
    expect(isEmptyProblems('五、存在的主要问题及改进情况\n无。')).toBe(true);
    expect(isEmptyProblems('五、存在的主要问题及改进情况')).toBe(true);
    expect(isEmptyProblems('五、存在的主要问题及改进情况 暂无。')).toBe(true);
    expect(isEmptyProblems('五、存在的主要问题及改进情况 一是政策解读形式单一。')).toBe(false);
    const r = report({ id: 'e' });
    r.sections.problems = '五、存在的主要问题及改进情况\n无';
    expect(kinds(buildAudit([r], []).reports[0].issues)).toContain('problems_empty');
  });

  it('says where copied statements come from: the same agency the year before, or another agency', () => {
    const prev = report({ id: 'p2019', year: 2019, title: '某县2019年报告' });
    const cur = report({ id: 'c2020', year: 2020 });
    const other = report({ id: 'o2020', year: 2020, agency: '邻县人民政府' });
    const st = [
      statement('p2019', 'problem', '信息公开工作人员业务能力有待提高', [['staffing', 0.9]]),
      statement('c2020', 'problem', '信息公开工作人员业务能力有待提高', [['staffing', 0.9]], { boilerplate: { of: 'p2019', similarity: 1 } }),
      statement('c2020', 'problem', '政府网站部分栏目设置不合理，信息放错栏目', [['platform', 0.8]], { boilerplate: { of: 'p2019', similarity: 0.9 } }),
      statement('c2020', 'measure', '加强业务培训', [['staffing', 0.9]], { boilerplate: { of: 'o2020', similarity: 1 } }),
      statement('c2020', 'measure', '加强业务培训', [['staffing', 0.9]]),
      statement('o2020', 'problem', '信息公开工作人员业务能力有待提高', [['staffing', 0.9]], { boilerplate: { of: 'p2019', similarity: 0.98 } }),
      statement('o2020', 'measure', '加强业务培训', [['staffing', 0.9]]),
    ];
    const audit = buildAudit([prev, cur, other], st);
    const cur2020 = audit.reports.find((r) => r.report_id === 'c2020')!;
    const copied = cur2020.issues.find((i) => i.kind === 'copied_previous_year')!;
    expect(copied.source).toEqual({ report_id: 'p2019', agency: '某县人民政府', year: 2019, title: '某县2019年报告' });
    expect(copied.units).toBe(2);
    expect(copied.similarity).toBe(0.95);
    expect(copied.statements.map((s) => s.text)).toEqual(['信息公开工作人员业务能力有待提高', '政府网站部分栏目设置不合理，信息放错栏目']);
    expect(copied.statements.map((s) => s.similarity)).toEqual([1, 0.9]);
    // A six-character stock phrase shared with another agency is no evidence of copying.
    expect(cur2020.issues.map((i) => i.kind)).not.toContain('copied_other_agency');
    const fromOther = audit.reports.find((r) => r.report_id === 'o2020')!.issues.find((i) => i.kind === 'copied_other_agency')!;
    expect(fromOther.source?.agency).toBe('某县人民政府');
    expect(fromOther.similarity).toBe(0.98);
    // The platform problem has no platform measure; the staffing one has.
    const gaps = cur2020.issues.filter((i) => i.kind === 'problem_unaddressed');
    expect(gaps.map((g) => g.theme?.id)).toEqual(['platform']);
    expect(gaps[0].quote).toBe('政府网站部分栏目设置不合理，信息放错栏目');
  });

  it('reports a whole section 五 copied from the same agency when no statement matched on its own', () => {
    const prev = report({ id: 'p', year: 2019 });
    const cur = report({ id: 'c', year: 2020 });
    const st = [statement('c', 'problem', '一是队伍不稳定', [['staffing', 0.9]]), statement('c', 'measure', '加强队伍建设', [['staffing', 0.9]])];
    const fromCopies = buildAudit([prev, cur], st, { sectionCopies: [{ report_id: 'c', of: 'p', similarity: 0.91 }] });
    const issue = fromCopies.reports.find((r) => r.report_id === 'c')!.issues.find((i) => i.kind === 'copied_previous_year')!;
    expect(issue).toMatchObject({ rule: 'problems.copied', units: 2, similarity: 0.91 });
    expect(issue.source).toMatchObject({ report_id: 'p', year: 2019 });
    expect(issue.message).toContain('某县人民政府 2019年报告');
    // Without the copies list, the NLP finding on the record is used.
    cur.findings = [{ rule: 'problems.copied', severity: 'warning', message: '第五部分与本机关2019年报告基本相同', cells: [] }];
    const fromFinding = buildAudit([prev, cur], st).reports.find((r) => r.report_id === 'c')!;
    expect(fromFinding.issues.filter((i) => i.kind === 'copied_previous_year').map((i) => i.message)).toEqual(['第五部分与本机关2019年报告基本相同']);
  });

  it('counts a problem as answered when any of its themes has a measure', () => {
    const r = report({ id: 'g' });
    const st = [
      statement('g', 'problem', '政务公开渠道有限，新媒体宣传难以满足群众需要', [['participation', 0.94], ['new_media', 0.86]]),
      statement('g', 'problem', '政策解读形式较单一', [['interpretation', 0.97]]),
      statement('g', 'problem', '解读材料质量不高', [['interpretation', 0.8]]),
      statement('g', 'measure', '充分发挥政务新媒体作用', [['new_media', 0.93]]),
    ];
    const gaps = buildAudit([r], st).reports[0].issues.filter((i) => i.kind === 'problem_unaddressed');
    expect(gaps.map((g) => g.theme?.id)).toEqual(['interpretation']);
    expect(gaps[0].statements.map((s) => s.text)).toEqual(['政策解读形式较单一', '解读材料质量不高']);
    expect(gaps[0].message).toBe('问题涉及“政策解读”，改进措施中没有对应这一主题的措施');
  });

  it('gathers copies from several other agencies into one issue, each statement with its source', () => {
    const a = report({ id: 'a', agency: '甲县人民政府', year: 2019 });
    const b = report({ id: 'b', agency: '乙县人民政府', year: 2019 });
    const c = report({ id: 'c', agency: '丙县人民政府', year: 2020 });
    const st = [
      statement('c', 'problem', '部分单位对政务公开工作重视不够，主动性不足', [['awareness', 0.9]], { boilerplate: { of: 'a', similarity: 0.95 } }),
      statement('c', 'problem', '政策解读形式单一，图解视频解读较少', [['interpretation', 0.9]], { boilerplate: { of: 'b', similarity: 0.85 } }),
      statement('c', 'measure', '进一步丰富政策解读形式，提升解读质量', [['interpretation', 0.9]], { boilerplate: { of: 'a', similarity: 1 } }),
    ];
    const issues = buildAudit([a, b, c], st).reports.find((r) => r.report_id === 'c')!.issues.filter((i) => i.kind === 'copied_other_agency');
    expect(issues).toHaveLength(1);
    expect(issues[0].units).toBe(3);
    expect(issues[0].source?.agency).toBe('甲县人民政府');
    expect(issues[0].statements.map((s) => s.source?.agency)).toEqual(['甲县人民政府', '乙县人民政府', '甲县人民政府']);
    expect(issues[0].message).toBe(
      '第五部分3条表述中有3条（100%）与2份报告（最多的是甲县人民政府 2019年报告，2条）相同或高度相似（平均相似度0.93），基本整段照搬',
    );
  });

  it('does not call a duplicate input of the same report a copy', () => {
    const a = report({ id: 'a', year: 2020 });
    const b = report({ id: 'b', year: 2020 });
    const st = [statement('b', 'problem', '同一份报告', [['other', 0.1]], { boilerplate: { of: 'a', similarity: 1 } })];
    expect(kinds(buildAudit([a, b], st).reports.flatMap((r) => r.issues))).not.toContain('copied_previous_year');
  });

  it('leaves a report given twice out of the figures, once, and says which it repeats', () => {
    const text = report({ id: 't', year: 2021 });
    const page = report({ id: 'h', year: 2021, agency: null, source: { path: 'page.html', index: 0 } });
    const other = report({ id: 'o', year: 2021, agency: '邻县人民政府' });
    const st = [
      statement('t', 'problem', '政策解读形式不够丰富，图表图解运用不足', [['interpretation', 0.9]]),
      statement('t', 'measure', '丰富政策解读形式，提升政策解读质量', [['interpretation', 0.9]]),
      statement('h', 'problem', '政策解读形式不够丰富，图表图解运用不足', [['interpretation', 0.9]], { boilerplate: { of: 't', similarity: 1 } }),
      statement('h', 'measure', '丰富政策解读形式，提升政策解读质量', [['interpretation', 0.9]], { boilerplate: { of: 't', similarity: 0.97 } }),
      // Another agency copying one of two statements is a copy, not the same report.
      statement('o', 'problem', '政策解读形式不够丰富，图表图解运用不足', [['interpretation', 0.9]], { boilerplate: { of: 't', similarity: 1 } }),
      statement('o', 'measure', '加强队伍建设和业务培训工作', [['staffing', 0.9]]),
    ];
    const audit = buildAudit([text, page, other], st);
    const byId = new Map(audit.reports.map((r) => [r.report_id, r]));
    expect(byId.get('h')!.duplicate_of).toBe('t');
    expect(byId.get('t')!.duplicate_of).toBeNull();
    expect(byId.get('o')!.duplicate_of).toBeNull();
    expect(audit.overall).toMatchObject({ reports: 2, duplicates: 1 });
    expect(audit.agencies.flatMap((a) => a.report_ids).sort()).toEqual(['o', 't']);
    expect(audit.weaknesses[0]).toMatchObject({ theme: 'interpretation', reports: 2, statements: 2 });
  });

  it('counts the same file given at two paths once (same bytes, same report id)', () => {
    const first = report({ id: 's', year: 2020, source: { path: 'a/seed.txt', index: 0 } });
    const second = report({ id: 's', year: 2020, source: { path: 'b/seed.txt', index: 0 } });
    const st = [
      statement('s', 'problem', '政策解读形式不够丰富', [['interpretation', 0.9]], { index: 0 }),
      // the second copy's statements: same report id, same kind and index
      statement('s', 'problem', '政策解读形式不够丰富', [['interpretation', 0.9]], { index: 0 }),
    ];
    const audit = buildAudit([first, second], st);
    expect(audit.reports.map((r) => r.duplicate_of).sort()).toEqual([null, 's']);
    expect(audit.overall).toMatchObject({ reports: 1, duplicates: 1 });
    expect(audit.weaknesses[0]).toMatchObject({ theme: 'interpretation', reports: 1, statements: 1 });
  });

  it('quotes vague problem statements', () => {
    const r = report({ id: 'v' });
    const st = [
      statement('v', 'problem', '工作中仍存在一些不足', [['other', 0.2]], { vague: true }),
      statement('v', 'problem', '政策解读形式单一', [['interpretation', 0.9]]),
      statement('v', 'measure', '丰富解读形式', [['interpretation', 0.9]]),
    ];
    const vague = buildAudit([r], st).reports[0].issues.filter((i) => i.kind === 'vague_problem');
    expect(vague.map((i) => i.quote)).toEqual(['工作中仍存在一些不足']);
  });

  it('flags an all-zero table 三 next to prose that reports requests, and only then', () => {
    expect(requestSentence('本年度共收到政府信息公开申请15件，均已办结。')).toBe('本年度共收到政府信息公开申请15件，均已办结');
    expect(requestSentence('本年度未收到政府信息公开申请。')).toBeNull();
    expect(requestSentence('收到行政复议申请3件。')).toBeNull();
    expect(requestSentence('全年收到15件政府信息公开申请。')).toBe('全年收到15件政府信息公开申请');
    // A count of something else in a sentence about requests is not a request count.
    expect(requestSentence('办理依申请公开事项，全年发布信息2000条。')).toBeNull();
    const zeros = table({ 'new_received.total': 0, 'handled_total.total': 0, 'granted.total': 0 });
    const r = report({ id: 'z', tables: { proactive: null, applications: zeros, review_litigation: null } });
    r.sections.overview = '一、总体情况 全年共受理依申请公开15件，按时答复率100%。';
    const issue = buildAudit([r], []).reports[0].issues.find((i) => i.kind === 'zero_tables_with_requests');
    expect(issue?.quote).toBe('一、总体情况 全年共受理依申请公开15件，按时答复率100%');
    expect(issue?.cells.map((c) => c.value)).toEqual([0, 0]);
    r.sections.overview = '一、总体情况 本年度未收到政府信息公开申请。';
    expect(kinds(buildAudit([r], []).reports[0].issues)).not.toContain('zero_tables_with_requests');
  });
});

describe('scores, ranking, weaknesses', () => {
  it('caps each kind at its max and shows every part; agency parts add up to the agency score', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((x) => finding('applications.balance', [], x));
    const r1 = report({ id: 'r1', year: 2019, findings: many });
    const r2 = report({ id: 'r2', year: 2020 });
    const audit = buildAudit([r1, r2], []);
    const s1 = audit.reports.find((r) => r.report_id === 'r1')!.score;
    expect(s1.deductions).toEqual([{ kind: 'check_failed', label: '统计表勾稽关系不符', weight: 5, max: 20, units: 5, points: 20 }]);
    expect(s1.score).toBe(80);
    const agency = audit.agencies[0];
    expect(agency.years).toEqual([2019, 2020]);
    expect(agency.scores_by_year).toEqual([
      { year: 2019, report_id: 'r1', score: 80 },
      { year: 2020, report_id: 'r2', score: 100 },
    ]);
    expect(agency.score.score).toBe(90);
    expect(agency.score.base - agency.score.parts.reduce((a, p) => a + p.points, 0)).toBe(agency.score.score);
  });

  it('ranks agencies with shared ranks for equal scores', () => {
    const audit = buildAudit(
      [
        report({ id: 'a', agency: '甲', findings: [finding('applications.total', [])] }),
        report({ id: 'b', agency: '乙' }),
        report({ id: 'c', agency: '丙' }),
        report({ id: 'd', agency: '丁', findings: [finding('applications.total', []), finding('applications.columns', [])] }),
      ],
      [],
    );
    expect(audit.agencies.map((a) => [a.agency, a.rank, a.score.score])).toEqual([
      ['丙', 1, 100],
      ['乙', 1, 100],
      ['甲', 3, 95],
      ['丁', 4, 90],
    ]);
  });

  it('names a report whose agency could not be read by its file, and keeps such reports apart', () => {
    const a = report({ id: 'u1', agency: null, source: { path: 'in/105.txt', index: 0 } });
    const b = report({ id: 'u2', agency: null, source: { path: 'in/106.txt', index: 1 } });
    const audit = buildAudit([a, b], []);
    expect(audit.reports.map((r) => r.agency_name).sort()).toEqual(['机构未识别（105.txt）', '机构未识别（106.txt 第2份）']);
    expect(audit.agencies).toHaveLength(2);
  });

  it('groups by level and by region', () => {
    const rs = [
      report({ id: 'a', level: 'county', region: '浙江省' }),
      report({ id: 'b', agency: '某市人民政府', level: 'city', region: '浙江省' }),
      report({ id: 'c', agency: '某局', level: null, region: null }),
    ];
    expect(buildAudit(rs, []).groups.map((g) => g.group).sort()).toEqual(['县级', '市级', '级别未识别'].sort());
    rs[0].findings = [finding('applications.total', [])];
    const byRegion = buildAudit(rs, [], { by: 'region' }).agencies.map((a) => [a.agency, a.rank, a.group_rank]);
    expect(byRegion).toEqual([
      ['某局', 1, 1],
      ['某市人民政府', 1, 1],
      ['某县人民政府', 3, 2],
    ]);
    expect(buildAudit(rs, [], { by: 'region' }).groups.map((g) => [g.group, g.reports]).sort()).toEqual([
      ['地区未识别', 1],
      ['浙江省', 2],
    ]);
    expect(() => buildAudit(rs, [], { by: 'group' })).toThrow(/needs a group CSV/);
  });

  it('audits a filtered part of a run but still names copy sources outside it', () => {
    const prev = report({ id: 'p', year: 2019, title: '某县2019年报告' });
    const cur = report({ id: 'c', year: 2020 });
    const st = [
      statement('p', 'problem', '信息公开工作人员不足，业务能力不强', [['staffing', 0.9]]),
      statement('c', 'problem', '信息公开工作人员不足，业务能力不强', [['staffing', 0.9]], { boilerplate: { of: 'p', similarity: 1 } }),
    ];
    const audit = buildAudit([cur], st, { context: [prev, cur], by: 'year' });
    expect(audit.reports.map((r) => r.report_id)).toEqual(['c']);
    expect(audit.groups.map((g) => g.group)).toEqual(['2020年']);
    const copy = audit.reports[0].issues.find((i) => i.kind === 'copied_previous_year');
    expect(copy?.source?.title).toBe('某县2019年报告');
    // Weaknesses count only the audited reports.
    expect(audit.weaknesses[0]).toMatchObject({ theme: 'staffing', reports: 1, statements: 1 });
  });

  it('counts the common weaknesses of the set with example quotes and the agencies naming them', () => {
    const rs = [report({ id: 'a', agency: '甲' }), report({ id: 'b', agency: '乙' }), report({ id: 'c', agency: '丙' })];
    const st = [
      statement('a', 'problem', '政策解读形式单一', [['interpretation', 0.9]]),
      statement('a', 'problem', '解读材料质量不高', [['interpretation', 0.7]]),
      statement('b', 'problem', '图解解读较少', [['interpretation', 0.8], ['platform', 0.3]]),
      statement('c', 'problem', '人员变动频繁', [['staffing', 0.9]]),
      statement('c', 'measure', '加强解读', [['interpretation', 0.9]]),
    ];
    const audit = buildAudit(rs, st, { taxonomy: [{ id: 'interpretation', name: '政策解读', description: '', phrases: [] }] });
    const first = audit.weaknesses[0];
    expect(first).toMatchObject({ theme: 'interpretation', name: '政策解读', reports: 2, statements: 3, agencies: ['甲', '乙'] });
    expect(first.share).toBeCloseTo(2 / 3, 3);
    // One example per agency, the most confident first.
    expect(first.examples.map((e) => e.text)).toEqual(['政策解读形式单一', '图解解读较少']);
    expect(audit.weaknesses.map((w) => w.theme)).toEqual(['interpretation', 'platform', 'staffing']);
    expect(audit.overall.reports_with_problem_statements).toBe(3);
  });
});

describe('weights file', () => {
  it('ships a complete weights file and rejects a broken one naming the field', () => {
    const w = loadWeights();
    expect(w.base).toBe(100);
    expect(w.kinds.check_failed.weight).toBeGreaterThan(0);
    const broken = JSON.parse(JSON.stringify(w));
    delete broken.kinds.vague_problem;
    expect(() => parseWeights(broken, 'w.json')).toThrow('w.json: "kinds.vague_problem" is missing');
    broken.kinds.vague_problem = { ...w.kinds.vague_problem, weight: -1 };
    expect(() => parseWeights(broken, 'w.json')).toThrow('"kinds.vague_problem.weight" must be a number ≥ 0');
  });
});
