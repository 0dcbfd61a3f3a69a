/**
 * Groups are bucketed once (agencies for group ranks, statements for group themes): each group must
 * see exactly its own agencies and its own reports' statements, never those of duplicate reports.
 */
import { describe, expect, it } from 'vitest';
import { buildAudit } from '../../src/audit/index.js';
import { finding, report, statement } from './helpers.js';

// Agencies of two levels, interleaved, with differing scores (findings lower a score).
const reports = [
  report({ id: 'c1', agency: '甲县人民政府', level: 'county', findings: [finding('applications.total', [])] }),
  report({ id: 'm1', agency: '甲市人民政府', level: 'city' }),
  report({ id: 'c2', agency: '乙县人民政府', level: 'county' }),
  report({ id: 'm2', agency: '乙市人民政府', level: 'city', findings: [finding('applications.total', []), finding('review.total', [])] }),
  report({ id: 'c3', agency: '丙县人民政府', level: 'county', findings: [finding('review.total', [])] }),
  // The same file as c2 at another path: a duplicate, left out of every figure.
  report({ id: 'c2', agency: '乙县人民政府', level: 'county', source: { path: 'copy/c2.txt', index: 0 } }),
];
const statements = [
  statement('c1', 'problem', '政策解读形式不够丰富', [['interpretation', 0.9]]),
  statement('m1', 'problem', '工作人员不足，业务能力不强', [['staffing', 0.9]]),
  statement('c2', 'problem', '政务新媒体更新不及时', [['new_media', 0.9]]),
  statement('m2', 'problem', '工作人员不足，专业化水平不高', [['staffing', 0.9]]),
  statement('c3', 'problem', '政策解读质量有待提升', [['interpretation', 0.9]]),
];

describe('audit groups', () => {
  const audit = buildAudit(reports, statements);

  it('rank each agency among the agencies of its own group, as ranking that group alone does', () => {
    expect(audit.agencies).toHaveLength(5);
    for (const group of new Set(audit.agencies.map((a) => a.group))) {
      const members = audit.agencies.filter((a) => a.group === group);
      const alone = buildAudit(
        reports.filter((r) => members.some((m) => m.report_ids.includes(r.id))),
        statements,
      ).agencies;
      expect(members.map((a) => [a.agency_key, a.group_rank])).toEqual(alone.map((a) => [a.agency_key, a.rank]));
    }
    // Two groups interleaved in the overall ranking: a group rank is not the overall rank.
    expect(new Set(audit.agencies.map((a) => a.group))).toEqual(new Set(['县级', '市级']));
    expect(audit.agencies.some((a) => a.group_rank !== a.rank)).toBe(true);
  });

  it('take the themes of a group from its own reports only, each report once', () => {
    const byGroup = new Map(audit.groups.map((g) => [g.group, g]));
    expect(byGroup.get('市级')!.themes.map((t) => [t.id, t.reports])).toEqual([['staffing', 2]]);
    const county = byGroup.get('县级')!;
    expect(county.reports).toBe(3);
    expect(county.themes.map((t) => [t.id, t.reports])).toEqual([
      ['interpretation', 2],
      ['new_media', 1],
    ]);
  });
});
