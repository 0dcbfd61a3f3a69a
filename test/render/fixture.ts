/** A synthetic corpus large enough for every chart, built from the analysis test builders. */
import type { Level, ReportRecord, Statement } from '../../src/model/types.js';
import { apps, makeReport, makeStatement } from '../analyze/make.js';

const THEMES = ['interpretation', 'staffing', 'on_request', 'platform', 'timeliness', 'new_media'];
const LEVELS: Level[] = ['city', 'county', 'township'];

/** 4 years (2019, 2020, 2021, 2023: 2022 has none) × 3 levels × 4 reports, 4 statements each. */
export function syntheticCorpus(): { reports: ReportRecord[]; statements: Statement[] } {
  const reports: ReportRecord[] = [];
  const statements: Statement[] = [];
  let k = 0;
  for (const year of [2019, 2020, 2021, 2023]) {
    for (const level of LEVELS) {
      for (let j = 0; j < 4; j++) {
        const id = `r${k++}`;
        reports.push(
          makeReport({
            id,
            year,
            level,
            template: year >= 2021 ? '2021' : '2019',
            agency: j === 0 ? '<img src=x onerror=alert(1)>县人民政府' : `第${j}县人民政府`,
            applications: apps(10 + j * 3 + k, j, j % 3, 2, 1, 0),
            review: {
              review: { upheld: 2, corrected: j % 2, other: 0, pending: 0, total: 2 + (j % 2) },
              litigation_direct: { upheld: 1, corrected: j % 3 === 0 ? 1 : 0, other: 0, pending: 1, total: 2 + (j % 3 === 0 ? 1 : 0) },
              litigation_after_review: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 },
            },
            findings:
              j === 0
                ? [{ rule: 'applications.balance', severity: 'error', message: 'x', cells: [] }]
                : j === 1
                  ? [{ rule: 'review_litigation.sum', severity: 'warning', message: 'y', cells: [] }]
                  : [],
          }),
        );
        for (let s = 0; s < 4; s++) {
          // A token that looks like markup: it must reach the page as text, never as an element.
          const tokens = ['政策', '解读', '<script>alert(1)</script>', '人员', `词${(s + year) % 5}`];
          statements.push(makeStatement(id, s, [THEMES[(k * s + year + j) % THEMES.length]], tokens, s === 3 && year > 2019));
        }
      }
    }
  }
  return { reports, statements };
}
