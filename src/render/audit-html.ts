/**
 * audit.html: the audit as one self-contained Chinese page for a supervisor: overview, deduction
 * standard, agency ranking, groups, common weaknesses, then every report with its score parts and each
 * issue with the cells or the quote behind it. No script, no network; all report text is escaped.
 */
import { yearScores } from '../audit/rows.js';
import { levelLabel, templateLabel } from '../audit/config.js';
import { CHART_FONT_FAMILY, CHART_FONT_STACK, subsetChartFont } from './font.js';
import { escapeHtml } from './html.js';
import type { AggregateScore, Audit, AuditIssue, ReportAudit, ScoreBreakdown } from '../audit/types.js';

const esc = (v: unknown): string => escapeHtml(String(v ?? ''));

/** An id attribute from a report id (hex in practice; anything else is reduced to safe characters). */
const anchor = (reportId: string): string => `r-${reportId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const BY_LABEL = { level: '按级别', region: '按地区', group: '按用户分组', year: '按年度', template: '按格式' } as const;
const SEVERITY_LABEL = { error: '错误', warning: '提示', info: '参考' } as const;

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

function aggregateParts(s: AggregateScore): string {
  if (s.parts.length === 0) return '无扣分';
  return s.parts.map((p) => `${esc(p.label)} −${fmt(p.points)}`).join('；');
}

function reportParts(s: ScoreBreakdown): string {
  if (s.deductions.length === 0) return '<p>无扣分。</p>';
  const rows = s.deductions
    .map(
      (d) =>
        `<tr><td>${esc(d.label)}</td><td class="num">${fmt(d.weight)}</td><td class="num">${d.units}</td>` +
        `<td class="num">${fmt(d.max)}</td><td class="num">−${fmt(d.points)}</td></tr>`,
    )
    .join('');
  return (
    `<table class="parts"><thead><tr><th>扣分项</th><th>每项扣分</th><th>数量</th><th>上限</th><th>扣分</th></tr></thead>` +
    `<tbody>${rows}<tr class="total"><td colspan="4">满分 ${fmt(s.base)}，得分</td><td class="num">${fmt(s.score)}</td></tr></tbody></table>`
  );
}

function issueBlock(i: AuditIssue): string {
  const parts: string[] = [];
  parts.push(
    `<div class="issue ${esc(i.severity)}"><div class="issue-head"><span class="sev">${esc(SEVERITY_LABEL[i.severity])}</span> ` +
      `<strong>${esc(i.label)}</strong>${i.rule ? ` <code>${esc(i.rule)}</code>` : ''}</div>`,
  );
  parts.push(`<p>${esc(i.message)}</p>`);
  if (i.cells.length) {
    // Long lists (a whole table left blank as ambiguous) fold away so the page stays readable.
    const fold = i.cells.length > 6;
    parts.push(
      (fold ? `<details><summary>涉及 ${i.cells.length} 个单元格（点击展开）</summary>` : '') +
      '<table class="cells"><thead><tr><th>单元格</th><th>读取值</th><th>原表印为</th></tr></thead><tbody>' +
        i.cells
          .map(
            (c) =>
              `<tr><td>${esc(c.label)}<br><code>${esc(c.key)}</code></td><td class="num">${c.value === null ? '空' : esc(c.value)}</td>` +
              `<td>${c.raw === null ? '（未印）' : esc(c.raw)}</td></tr>`,
          )
          .join('') +
        '</tbody></table>' +
        (fold ? '</details>' : ''),
    );
  }
  if (i.source) {
    const s = i.source;
    parts.push(
      `<p class="source">主要雷同来源：${esc(s.agency ?? '机构未识别')}${s.year !== null ? ` ${esc(s.year)}年` : ''}` +
        `${s.title ? `《${esc(s.title)}》` : ''}（报告ID <a href="#${esc(anchor(s.report_id))}">${esc(s.report_id)}</a>）` +
        `${i.similarity !== null ? `，平均相似度 ${esc(i.similarity.toFixed(2))}` : ''}</p>`,
    );
  }
  if (i.statements.length > 0) {
    parts.push(
      '<ol class="quotes">' +
        i.statements
          .map(
            (s) =>
              `<li><span class="kind">${s.kind === 'problem' ? '问题' : '措施'}${s.index + 1}</span> <q>${esc(s.text)}</q>` +
              (s.source
                ? ` <span class="kind">——见 <a href="#${esc(anchor(s.source.report_id))}">${esc(s.source.agency ?? '机构未识别')}` +
                  `${s.source.year !== null ? ` ${esc(s.source.year)}年` : ''}</a>报告${s.similarity !== undefined ? `，相似度 ${esc(s.similarity.toFixed(2))}` : ''}</span>`
                : '') +
              '</li>',
          )
          .join('') +
        '</ol>',
    );
  } else if (i.quote) {
    parts.push(`<blockquote>${esc(i.quote)}</blockquote>`);
  }
  parts.push('</div>');
  return parts.join('');
}

function reportBlock(r: ReportAudit): string {
  const meta = [
    r.year !== null ? `${r.year}年` : '年度未识别',
    levelLabel(r.level),
    r.region ?? '地区未识别',
    `分组：${r.group}`,
    templateLabel(r.template),
  ];
  return (
    `<section class="report" id="${esc(anchor(r.report_id))}">` +
    `<h3>${esc(r.agency_name)}${r.year !== null ? ` · ${esc(r.year)}年` : ''} <span class="score">${fmt(r.score.score)} 分</span></h3>` +
    `<p class="meta">${meta.map(esc).join(' ｜ ')}<br>${r.title ? `《${esc(r.title)}》 ` : ''}来源：<code>${esc(r.source_path)}</code> 报告ID：<code>${esc(r.report_id)}</code></p>` +
    (r.duplicate_of
      ? `<p class="dup">与报告 <a href="#${esc(anchor(r.duplicate_of))}">${esc(r.duplicate_of)}</a> 为同一份报告（重复输入），不计入排名、分组和总体统计。</p>`
      : '') +
    reportParts(r.score) +
    (r.issues.length ? r.issues.map(issueBlock).join('') : '<p class="ok">未发现问题。</p>') +
    '</section>'
  );
}

/** Horizontal bars: how many reports have each kind of issue. Inline SVG, so the page stays offline. */
function issueChart(audit: Audit): string {
  const counts = audit.overall.issue_counts;
  if (counts.length === 0) return '';
  const total = Math.max(1, audit.overall.reports);
  const rowH = 26;
  const labelW = 330;
  const barW = 360;
  const h = counts.length * rowH + 30;
  const bars = counts
    .map((c, i) => {
      const y = 20 + i * rowH;
      const w = Math.round((c.reports / total) * barW);
      return (
        `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(c.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="16" fill="#c0504d"></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 15}">${c.reports} 份</text>`
      );
    })
    .join('');
  return (
    `<figure class="chart" data-chart="issue-kinds"><svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelW + barW + 80}" height="${h}" ` +
    `viewBox="0 0 ${labelW + barW + 80} ${h}" font-size="13" font-family="'Noto Sans SC','Microsoft YaHei',sans-serif">` +
    `<title>各类问题涉及的报告数</title>${bars}</svg><figcaption>各类问题涉及的报告数（共 ${audit.overall.reports} 份报告）</figcaption></figure>`
  );
}

const STYLE = `
body{font-family:${CHART_FONT_STACK};margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.6em}h2{border-bottom:2px solid #345;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}
th{background:#eef2f6;white-space:nowrap}td.num{text-align:right;white-space:nowrap}tr.total td{font-weight:bold}
.report{border:1px solid #ccd;border-radius:6px;padding:.5em 1em;margin:1em 0}
.report h3{margin:.3em 0}.score{float:right;color:#345}.meta{color:#555;font-size:.9em}
.issue{border-left:4px solid #999;padding:.2em .8em;margin:.6em 0;background:#fafafa}
.issue.error{border-color:#c0504d}.issue.warning{border-color:#e0a030}.issue.info{border-color:#7aa}
.sev{display:inline-block;font-size:.8em;padding:0 .4em;border-radius:3px;background:#ddd}
blockquote,q{color:#333;background:#fff8e6}blockquote{margin:.4em 0;padding:.3em .8em;border-left:3px solid #e0c070}
.ok{color:#2a7a2a}.dup{color:#8a5a00;font-weight:bold}.kind{font-size:.8em;color:#666}code{font-size:.85em;color:#555}figure{margin:1em 0}
`;

/**
 * The page, with the shipped CJK font subset to the page's characters and embedded (woff2), so it reads
 * the same on a machine without Chinese fonts and stays one offline file.
 */
export async function renderAuditHtml(audit: Audit): Promise<string> {
  const o = audit.overall;
  const overview =
    `<p>共审核 <strong>${o.reports}</strong> 份年度报告，涉及 <strong>${o.agencies}</strong> 个机构；发现问题 <strong>${o.issues}</strong> 处；` +
    (o.duplicates ? `另有 ${o.duplicates} 份为重复输入的同一报告，已在逐份报告中注明，不计入统计；` : '') +
    `平均得分 <strong>${fmt(o.score.score)}</strong> 分（满分 ${fmt(o.score.base)}）。</p>` +
    `<p>平均扣分构成：${aggregateParts(o.score)}。</p>` +
    (o.issue_counts.length
      ? '<table><thead><tr><th>问题类型</th><th>涉及报告数</th><th>问题数</th></tr></thead><tbody>' +
        o.issue_counts.map((c) => `<tr><td>${esc(c.label)}</td><td class="num">${c.reports}</td><td class="num">${c.issues}</td></tr>`).join('') +
        '</tbody></table>'
      : '<p class="ok">未发现问题。</p>') +
    issueChart(audit);

  const weights =
    '<table><thead><tr><th>问题类型</th><th>严重程度</th><th>每项扣分</th><th>计量</th><th>上限</th></tr></thead><tbody>' +
    Object.values(audit.weights.kinds)
      .map(
        (w) =>
          `<tr><td>${esc(w.label)}</td><td>${esc(SEVERITY_LABEL[w.severity])}</td><td class="num">${fmt(w.weight)}</td>` +
          `<td>每${esc(w.unit)}</td><td class="num">${fmt(w.max)}</td></tr>`,
      )
      .join('') +
    `</tbody></table><p>每份报告满分 ${fmt(audit.weights.base)} 分，按上表扣分；机构、分组和总体得分为其报告得分的平均数，扣分构成为各项扣分的平均数。</p>`;

  const ranking =
    '<table><thead><tr><th>名次</th><th>机构</th><th>分组</th><th>组内名次</th><th>各年得分</th><th>问题数</th><th>得分</th><th>扣分构成</th></tr></thead><tbody>' +
    audit.agencies
      .map(
        (a) =>
          `<tr><td class="num">${a.rank}</td><td><a href="#${esc(anchor(a.report_ids[0]))}">${esc(a.agency)}</a></td><td>${esc(a.group)}</td>` +
          `<td class="num">${a.group_rank}</td><td>${esc(yearScores(a))}</td><td class="num">${a.issues}</td><td class="num">${fmt(a.score.score)}</td>` +
          `<td>${aggregateParts(a.score)}</td></tr>`,
      )
      .join('') +
    '</tbody></table>';

  const groups =
    `<p>分组方式：${esc(BY_LABEL[audit.by])}。</p>` +
    '<table><thead><tr><th>名次</th><th>分组</th><th>机构数</th><th>报告数</th><th>问题数</th><th>得分</th><th>扣分构成</th><th>主要问题</th><th>主要薄弱主题</th></tr></thead><tbody>' +
    audit.groups
      .map(
        (g) =>
          `<tr><td class="num">${g.rank}</td><td>${esc(g.group)}</td><td class="num">${g.agencies}</td><td class="num">${g.reports}</td>` +
          `<td class="num">${g.issues}</td><td class="num">${fmt(g.score.score)}</td><td>${aggregateParts(g.score)}</td>` +
          `<td>${g.issue_counts.map((c) => `${esc(c.label)}（${c.reports}份）`).join('；') || '—'}</td>` +
          `<td>${g.themes.map((t) => `${esc(t.name)}（${t.reports}份）`).join('；') || '—'}</td></tr>`,
      )
      .join('') +
    '</tbody></table>' +
    (audit.ungrouped_agencies.length
      ? `<p>分组文件中没有列出的机构（归入“未分组”）：${audit.ungrouped_agencies.map(esc).join('、')}</p>`
      : '');

  const weaknesses = audit.weaknesses.length
    ? `<p>共 ${o.reports_with_problem_statements} 份报告写有问题表述；下表按提到该主题的报告数排序。</p>` +
      audit.weaknesses
        .map(
          (w) =>
            `<div class="weakness"><h3>${esc(w.name)} <span class="score">${w.reports} 份报告（${fmt(Math.round(w.share * 1000) / 10)}%），${w.statements} 条表述</span></h3>` +
            `<p class="meta">提到的机构：${w.agencies.map(esc).join('、') || '—'}</p>` +
            w.examples
              .map((e) => `<blockquote>${esc(e.text)}<br><span class="kind">——${esc(e.agency ?? '机构未识别')}${e.year !== null ? ` ${esc(e.year)}年` : ''}</span></blockquote>`)
              .join('') +
            '</div>',
        )
        .join('')
    : '<p>没有可归纳的问题表述。</p>';

  const body =
    '<h1>政府信息公开工作年度报告审核结果</h1>' +
    '<nav><a href="#overview">概况</a> ｜ <a href="#ranking">机构排名</a> ｜ <a href="#groups">分组</a> ｜ <a href="#weaknesses">共性问题</a> ｜ <a href="#reports">逐份报告</a> ｜ <a href="#weights">扣分标准</a></nav>' +
    `<h2 id="overview">一、概况</h2>${overview}` +
    `<h2 id="ranking">二、机构排名</h2>${ranking}` +
    `<h2 id="groups">三、分组情况</h2>${groups}` +
    `<h2 id="weaknesses">四、共性问题（第五部分“存在的主要问题”主题分布）</h2>${weaknesses}` +
    `<h2 id="reports">五、逐份报告</h2>${audit.reports.map(reportBlock).join('')}` +
    `<h2 id="weights">六、扣分标准</h2>${weights}` +
    '<p class="meta">本页由 ogi audit 生成。数字取自各报告统计表及正文，“读取值”为空表示原表未印或无法确定；请以原报告为准核对。</p>';
  const title = '政府信息公开工作年度报告审核结果';
  // Subset to the characters as they will be displayed (entities decoded), plus the title.
  const shown = body.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
  const woff2 = await subsetChartFont(title + shown, 'woff2');
  const fontFace = `@font-face{font-family:"${CHART_FONT_FAMILY}";src:url(data:font/woff2;base64,${woff2.toString('base64')}) format("woff2");font-display:block}`;
  return (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:\">" +
    `<title>${title}</title><style>${fontFace}${STYLE}</style></head><body>${body}</body></html>`
  );
}
